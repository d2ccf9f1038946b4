"""The language is not a filter: switching it recomputes no query and keeps every filter and page
setting, on every page (AppTest, counting the store's queries)."""

from __future__ import annotations

import pytest
from apptest import open_page

from cloudsword.i18n import t
from cloudsword.store import Store

PAGES = {
    "overview": (None, {}, "overview.title"),
    "map": ("views/map.py", {"province": "440000", "norm": "pop", "month": "2017-06"}, "map.title"),
    "network": ("views/network.py", {"hops": "1"}, "network.title"),
    "trends": ("views/trends.py", {"compare": "never"}, "trends.title"),
}


@pytest.mark.parametrize("name", list(PAGES))
def test_switching_language_recomputes_no_query_and_keeps_the_view(name, monkeypatch):
    page, params, title = PAGES[name]
    at = open_page(page, "zh", prov="440000", metric="suspects", **params)
    assert not at.exception and t(title, "zh") in [h.value for h in at.header]
    before = dict(at.query_params)
    queries: list[object] = []
    run = Store.run
    monkeypatch.setattr(Store, "run", lambda self, expr: queries.append(expr) or run(self, expr))

    at.segmented_control(key="lang").set_value("en").run()

    assert not at.exception and t(title, "en") in [h.value for h in at.header]
    assert queries == [], f"{len(queries)} queries ran again for a language switch on {name}"
    after = dict(at.query_params)
    assert after.pop("lang") == "en" and before.pop("lang") == "zh"
    assert after == before, "every filter and page setting stays"
    assert at.multiselect(key="provinces").value == ["440000"] and at.radio(key="metric").value == "suspects"
