"""Files out (cloudsword/export.py): names, CSV/Excel round trips, offline HTML, batched images."""

from __future__ import annotations

import io
import re
import shutil
import time
from datetime import UTC, date, datetime

import pandas as pd
import plotly.graph_objects as go
import pytest
import time_machine

from cloudsword import export
from cloudsword.overview import queries as overview_queries


def _fig(title: str = "各省立案数 Cases") -> go.Figure:
    layout = {"title": title, "width": 400, "height": 300}
    return go.Figure(go.Bar(x=["浙江", "广东"], y=[3, 5]), layout=layout)


def test_file_name_carries_view_and_day() -> None:
    assert export.file_name("map", "png", date(2026, 11, 28)) == "cloudsword-map-2026-11-28.png"
    name = export.file_name("network/E00 12?", "csv", date(2026, 1, 2))
    assert name == "cloudsword-network-e00-12-2026-01-02.csv"
    assert re.fullmatch(r"cloudsword-chart-\d{4}-\d\d-\d\d\.svg", export.file_name("//", "svg"))


@pytest.fixture
def server_in_california(monkeypatch: pytest.MonkeyPatch):
    """The server's clock zone is eight hours behind UTC, fifteen behind Beijing."""
    monkeypatch.setenv("TZ", "America/Los_Angeles")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_files_carry_the_day_in_beijing_not_the_servers(server_in_california) -> None:
    """At 07:00 on 2 August in Beijing (23:00 UTC, 16:00 in California on 1 August) a file saved
    carries 2 August."""
    with time_machine.travel(datetime(2017, 8, 1, 23, 0, tzinfo=UTC), tick=False):
        assert date.today() == date(2017, 8, 1), "the server's own zone is still on the 1st"
        assert export.today() == date(2017, 8, 2)
        assert export.file_name("map", "png") == "cloudsword-map-2017-08-02.png"
    with time_machine.travel(datetime(2017, 8, 1, 15, 59, tzinfo=UTC), tick=False):
        assert export.file_name("deck", "pdf") == "cloudsword-deck-2017-08-01.pdf"  # 23:59 in Beijing


def test_csv_has_bom_and_round_trips_chinese() -> None:
    df = pd.DataFrame({"省份": ["浙江", "广东"], "cases": [1, 2]})
    raw = export.csv_bytes(df)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig").equals(df)


def test_xlsx_round_trips_sheets() -> None:
    a = pd.DataFrame({"省份": ["浙江"], "value": [1.5]})
    b = pd.DataFrame({"month": pd.to_datetime(["2017-06-01"]).tz_localize("UTC"), "n": [3]})
    raw = export.xlsx_bytes({"a/b": a, "month": b})
    back = pd.read_excel(io.BytesIO(raw), sheet_name=None)
    assert set(back) == {"a-b", "month"}
    assert back["a-b"].equals(a)
    assert back["month"].n.tolist() == [3]


def test_figure_html_is_self_contained() -> None:
    html = export.figure_html(_fig(), "标题 <x>").decode("utf-8")
    assert "<title>标题 &lt;x&gt;</title>" in html
    assert "cdn.plot.ly/plotly" not in html and 'src="http' not in html
    assert len(html) > 1_000_000  # plotly.js is inside


def test_figure_div_leaves_plotly_js_out() -> None:
    div = export.figure_html_div(_fig(), "chart-1")
    assert 'id="chart-1"' in div and len(div) < 20_000


@pytest.mark.skipif(not shutil.which("chromium"), reason="kaleido needs Debian's chromium")
def test_images_render_a_batch_through_one_browser() -> None:
    pngs = export.images([_fig("一"), _fig("二")], "png")
    assert len(pngs) == 2 and all(p.startswith(b"\x89PNG") for p in pngs)
    svg = export.image(_fig(), "svg").decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "各省立案数" in svg
    with pytest.raises(ValueError):
        export.images([_fig()], "gif")


def test_map_html_draws_from_disk_with_no_outside_request(file_context, tmp_path) -> None:
    """A saved interactive map opens from file:// (no server, no internet) and draws its map."""
    from cloudsword.overview import charts
    from cloudsword.store import DEFAULT_DATA_DIR, Store

    store = Store(DEFAULT_DATA_DIR)
    f = store.default_filters()
    fig = charts.province_map_figure(
        overview_queries.by_province(store, f, "cases"), "cases", {"330000"}, f.date_to, "zh"
    )
    path = tmp_path / "map.html"
    path.write_bytes(export.figure_html(fig, "地图"))
    ctx, outside = file_context
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(path.as_uri())
    page.wait_for_function(
        "() => { const d = document.querySelector('.js-plotly-plot');"
        " const m = d && d._fullLayout && d._fullLayout.map && d._fullLayout.map._subplot.map;"
        " return m && m.loaded() && m.isStyleLoaded(); }",
        timeout=30_000,
    )
    assert not outside, outside
    assert not errors, errors


def test_downloaded_tables_read_in_the_pages_language():
    import numpy as np

    from cloudsword.export import readable

    frame = pd.DataFrame(
        {
            "adcode": ["330000", "710000"],
            "raw": [12.0, np.nan],
            "member": [True, False],
            "category": ["bags", "toys"],
        }
    )
    zh = readable(frame, "zh")
    assert list(zh.columns) == ["adcode", "原始数", "member", "商品类别"]
    assert list(zh["member"]) == ["是", "否"] and list(zh["原始数"]) == [12.0, "无数据"]
    assert list(zh["商品类别"]) == ["箱包", "玩具"]
    en = readable(frame, "en")
    assert list(en["member"]) == ["Yes", "No"] and "NaN" not in export.csv_bytes(en).decode("utf-8-sig")
    assert (
        "No data" in export.csv_bytes(en).decode("utf-8-sig") and "True" not in export.csv_bytes(en).decode()
    )
