"""charts_style.layout is update_layout's result at a fraction of its cost: the same figure."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from cloudsword.charts_style import FONT, layout, styled


def _figures() -> list[go.Figure]:
    bar = go.Figure(go.Bar(x=[1, 2], y=[3, 4]))
    set_before = go.Figure(go.Scatter(x=[1], y=[2]))
    set_before.update_layout(title=dict(text="old", font=dict(size=9)), legend=dict(x=0.5), height=200)
    set_before.update_xaxes(title="months", showgrid=False)
    sub = make_subplots(rows=2, cols=1)
    sub.add_trace(go.Bar(x=[1], y=[1]), row=1, col=1)
    mapped = go.Figure(go.Scattermap(lon=[120], lat=[30]))
    return [bar, set_before, sub, mapped]


CHANGES = [
    dict(title=dict(text="new", x=0, xanchor="left"), font=FONT, height=380),
    dict(legend=dict(orientation="h", y=1.02), margin=dict(l=10, t=50), meta={"a": [1, 2]}),
    dict(xaxis=dict(visible=False), yaxis=dict(scaleanchor="x"), barmode="overlay"),
    dict(title="plain text", hoverlabel=dict(font=FONT), paper_bgcolor="white"),
    dict(map=dict(style="white-bg", zoom=3, center=dict(lon=104, lat=35))),
]


@pytest.mark.parametrize("changes", CHANGES)
def test_layout_is_update_layout(changes: dict) -> None:
    for fig in _figures():
        expected = go.Figure(fig).update_layout(**changes).to_plotly_json()
        assert layout(go.Figure(fig), **changes).to_plotly_json() == expected


def test_styled_merges_into_what_is_set() -> None:
    fig = go.Figure(go.Bar(x=[1], y=[1]))
    fig.update_layout(title=dict(font=dict(color="red")), margin=dict(r=99))
    styled(fig, "title", height=300)
    assert fig.layout.title.text == "title" and fig.layout.title.font.color == "red"
    assert fig.layout.title.font.size == 17 and fig.layout.margin.r == 10 and fig.layout.height == 300
