"""Every chart the app exports is valid against plotly's schema: several builders make plain dicts
(charts_style.plain_figure) and skip plotly's validation, so this is where a wrong property name or
value would show."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest
from gallery import every_chart

from cloudsword.store import DEFAULT_DATA_DIR, Store


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_is_valid_against_plotlys_schema(lang):
    charts = every_chart(Store(DEFAULT_DATA_DIR), lang)
    assert len(charts) >= 15
    for name, fig in charts.items():
        try:
            go.Figure(fig.to_dict())
        except ValueError as exc:
            pytest.fail(f"{name}: {str(exc)[:400]}")
