"""The before/after difference map: monthly averages from the store, no data kept as no data, a
diverging scale centred on zero, offline files; the page's `cmp` choice is in test_app.py."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from cloudsword import export, geo
from cloudsword.i18n import t
from cloudsword.map import compare as charts_compare
from cloudsword.map import queries as mapview
from cloudsword.store import DEFAULT_DATA_DIR, Store

BEFORE = (date(2016, 11, 1), date(2017, 4, 30))  # six months
AFTER = (date(2017, 5, 1), date(2017, 7, 31))  # three: clipped at the data's end


@pytest.fixture(scope="module")
def store() -> Store:
    return Store(DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    c = pd.read_parquet(DEFAULT_DATA_DIR / "cases.parquet")
    return c.assign(opened=pd.to_datetime(c.opened_on))


def _diff(store: Store, metric: str, norm: str, lang: str = "en") -> pd.DataFrame:
    f = store.default_filters().with_(metric=metric)
    b, a = (mapview.province_values(store, f.over(*p), *p, norm) for p in (BEFORE, AFTER))
    return charts_compare.difference_frame(b, a, BEFORE, AFTER)


def _figure(store: Store, metric: str, norm: str, lang: str, **kw: object) -> go.Figure:
    diff = _diff(store, metric, norm, lang)
    return charts_compare.difference_figure(diff, metric, norm, store.memberships(), AFTER[0], lang, **kw)


def test_months_in_counts_calendar_months():
    assert charts_compare.months_in(BEFORE) == 6 and charts_compare.months_in(AFTER) == 3
    assert charts_compare.months_in((date(2016, 12, 1), date(2017, 1, 31))) == 2


@pytest.mark.parametrize("norm", ["total", "pop"])
def test_difference_equals_monthly_averages_by_hand(store, cases, norm):
    """Sums of the raw cases per period, divided by the period's months (6 and 3), per 10 m people."""
    diff = _diff(store, "cases", norm).set_index("adcode")
    pop = geo.load_provinces().set_index("adcode").population

    def avg(period: tuple[date, date], months: int) -> pd.Series:
        lo, hi = (pd.Timestamp(d) for d in period)
        n = cases[(cases.opened >= lo) & (cases.opened <= hi)].groupby("province_adcode").size()
        n = n.astype(float) / months
        return n / pop.reindex(n.index) * 1e7 if norm == "pop" else n

    b, a = avg(BEFORE, 6), avg(AFTER, 3)
    both = b.index.intersection(a.index)
    assert len(both) >= 25
    assert np.allclose(diff.loc[both, "before"], b[both])
    assert np.allclose(diff.loc[both, "after"], a[both])
    assert np.allclose(diff.loc[both, "change"], a[both] - b[both])
    assert np.allclose(diff.loc[both, "pct"], (a[both] - b[both]) / b[both] * 100)
    # averages, not sums: a sum over six months against one over three would make most provinces fall
    sums = (a * 3 - b * 6)[both]
    assert (sums < 0).mean() > 0.8 and (diff.loc[both, "change"] < 0).mean() < 0.8


def test_no_data_stays_no_data(store):
    """No clues reach a province before it joins: its change is missing, never zero, and drawn grey."""
    diff = _diff(store, "clues", "total")
    mem = store.memberships()
    late = set(mem.loc[mem.joined_on > BEFORE[1], "province_adcode"])  # Guangdong, May 2017
    never = set(diff.adcode) - set(mem.province_adcode)
    assert late and never
    gone = diff[diff.adcode.isin(late | never)]
    assert gone.before.isna().all() and gone.change.isna().all() and gone.pct.isna().all()
    assert diff[diff.adcode.isin(never)].after.isna().all()
    assert diff.change.notna().sum() >= 5
    fig = charts_compare.difference_figure(diff, "clues", "total", mem, AFTER[0], "en")
    grey = fig.data[0]
    assert grey.name == t("map.legend.no_data", "en")
    assert set(grey.locations) == set(diff.adcode[diff.change.isna()])
    assert not set(fig.data[1].locations) & set(grey.locations)
    hover = {c[0]: c[2] for c in grey.customdata}
    assert all(t("map.legend.no_data", "en") in hover[a] for a in late | never)


def test_figure_shows_the_change_on_a_symmetric_scale(store):
    diff = _diff(store, "seizure", "gdp").set_index("adcode")
    fig = _figure(store, "seizure", "gdp", "en", periods=(BEFORE, AFTER))
    scale = fig.data[1]
    z = dict(zip(scale.locations, scale.z))
    has = diff.change.dropna()
    assert set(z) == set(has.index) and np.allclose([z[a] for a in has.index], has.to_numpy())
    top = float(has.abs().max())
    assert scale.zmin == pytest.approx(-top) and scale.zmax == pytest.approx(top) and scale.zmid == 0
    assert has.min() < 0 < has.max(), "the demo data has rises and falls"
    assert scale.colorscale[0][1] != scale.colorscale[-1][1]
    ticks = list(scale.colorbar.tickvals)
    assert ticks == [-x for x in reversed(ticks)] and max(ticks) <= top
    title = scale.colorbar.title.text
    assert "per 100 bn yuan GDP" in title and "Change per month" in title
    # members as of the pivot month outlined: Guangdong joined in May 2017
    assert "440000" in fig.data[-1].locations and "110000" in fig.data[-2].locations
    text = {c[0]: c[2] for c in scale.customdata}["440000"]
    assert "before" in text and "after" in text and "%" in text
    go.Figure(fig.to_dict())  # plotly accepts every property (the builder skips validation)


def test_chinese_labels_and_no_request_leaves(store):
    fig = _figure(store, "cases", "pop", "zh", periods=(BEFORE, AFTER))
    spec = pio.to_json(fig)
    assert "http" not in spec, "boundaries embedded, nothing fetched"
    assert isinstance(fig.data[0].geojson, dict)
    assert "每月变化" in fig.data[1].colorbar.title.text and "千万人" in fig.data[1].colorbar.title.text
    names = {c[0]: c[1] for tr in fig.data[:2] for c in tr.customdata}
    assert names["440000"] == "广东" and "之前" in fig.layout.title.text
    table = charts_compare.difference_table(_diff(store, "cases", "pop", "zh"), "zh")
    assert list(table.columns[:2]) == ["省份", "adcode"] and len(table) == 34


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="kaleido needs Debian's chromium")
def test_difference_map_renders_as_png_in_both_languages(store):
    figs = [_figure(store, "seizure", "gdp", lang, periods=(BEFORE, AFTER)) for lang in ("zh", "en")]
    pngs = export.images(figs, "png")
    assert all(png.startswith(b"\x89PNG") and len(png) > 20_000 for png in pngs)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_saved_difference_view_becomes_a_difference_slide(store, lang):
    from cloudsword import story as deck
    from cloudsword.deck.spec import SlideSpec

    view = "map?show=compare&cmp=diff&pivot=2017-05&window=3&metric=cases"
    slide = deck.build_slide(store, SlideSpec(view), lang)
    assert slide.ok, slide.problem
    assert len(slide.figures) == 1
    z = [v for tr in slide.figures[0].data if getattr(tr, "zmid", None) == 0 for v in tr.z]
    assert z and max(z) > 0, "a diverging map of the change, with Guangdong's rise in it"
    pair = deck.build_slide(store, SlideSpec(view.replace("cmp=diff", "cmp=pair")), lang)
    assert pair.ok and len(pair.figures) == 2
