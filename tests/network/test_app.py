"""The /network page through Streamlit's AppTest: search opens a network, ?entity= opens it,
bad input is explained in the user's language."""

from __future__ import annotations

import pytest
from apptest import download_keys, open_page
from streamlit.testing.v1 import AppTest


def _open(**params: str) -> AppTest:
    at = open_page("views/network.py", params.pop("lang", None), **params)
    assert not at.exception, at.exception[0].value[:2000] if at.exception else ""
    return at


def _subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def test_entity_param_opens_its_network() -> None:
    at = _open(entity="E0000000", lang="en")
    assert any("E0000000" in s for s in _subheaders(at))
    assert [m.label for m in at.metric][:4] == ["Entities in the network", "Links", "Provinces spanned",
                                                 "Upstream hit rate"]  # fmt: skip
    assert int(at.metric[0].value) > 1
    assert not at.warning


def test_search_shows_the_network() -> None:
    at = _open(lang="en")
    at.text_input(key="network_q").set_value("E0000005").run()
    assert not at.exception
    assert any("E0000005" in s for s in _subheaders(at))
    assert at.query_params["entity"] == ["E0000005"] or at.query_params["entity"] == "E0000005"


def test_search_by_name_lists_many_then_opens_one() -> None:
    at = _open(lang="zh")
    at.text_input(key="network_q").set_value("箱包").run()
    assert any("个主体" in i.value for i in at.info)
    radio = at.radio(key="network_pick_many")
    pick = radio.options[1].split(" · ")[1]  # options are labels; the value is the entity id
    radio.set_value(pick).run()
    assert not at.exception
    assert any(pick in s for s in _subheaders(at))


@pytest.mark.parametrize("lang,word", [("en", "No such seller"), ("zh", "没有编号")])
def test_unknown_entity_gets_closest_matches(lang: str, word: str) -> None:
    at = _open(entity="E9999999", lang=lang)
    assert any(word in w.value for w in at.warning)
    assert at.radio(key="network_pick_param").options  # the closest ids, to choose from


def test_bad_hops_falls_back_with_a_warning() -> None:
    at = _open(entity="E0000000", hops="9", lang="en")
    assert any("hops" in w.value for w in at.warning)
    assert any("E0000000" in s for s in _subheaders(at))


def test_isolated_entity_shows_itself_alone_with_a_note() -> None:
    at = _open(entity="E0000000", kinds="payment_account", lang="en")  # no payment account next to it
    assert any("shown alone" in i.value for i in at.info)
    assert at.metric[0].value == "1"


def test_bad_kinds_param_is_explained_and_ignored() -> None:
    at = _open(entity="E0000000", kinds="spaceship", lang="zh")
    assert any("kinds" in w.value for w in at.warning)
    assert int(at.metric[0].value) > 1


def test_clue_param_opens_the_network_of_its_entity() -> None:
    from cloudsword.store import DEFAULT_DATA_DIR, Store

    s = Store(DEFAULT_DATA_DIR)
    row = s.run(s.table("clues").limit(1)).iloc[0]
    at = _open(clue=str(row.clue_id), lang="en")
    assert any(str(row.entity_id) in h for h in _subheaders(at))


def test_each_search_replaces_the_last_ones_results() -> None:
    """A search that listed matches, then an exact id: its network alone, no old list, no message."""
    at = _open(lang="en")
    at.text_input(key="network_q").set_value("changshun").run()
    assert at.radio(key="network_pick_many") is not None or at.warning
    at.text_input(key="network_q").set_value("E0000005").run()
    assert not at.exception
    assert any("E0000005" in s for s in _subheaders(at))
    assert not [r for r in at.radio if r.key in ("network_pick_many", "network_pick_unknown")]
    assert not [w.value for w in at.warning], "no message left from the earlier search"
    assert not [i.value for i in at.info if "match" in i.value]


def test_only_the_open_analysis_tab_is_built() -> None:
    """The rings open by default: no timeline chart, no export files are built or sent until
    their tab is opened; ?tab= opens another, and the language switch keeps it."""
    at = _open(entity="E0000000", lang="en")
    assert [c.key for c in at.get("plotly_chart")] == ["network_graph", "network_map"]
    assert not {"network_dl_nodes", "network_pack_dl"} & download_keys(at)
    at = _open(entity="E0000000", lang="en", tab="export")
    assert {"network_dl_nodes", "network_dl_links", "network_dl_graphml"} <= download_keys(at)
    assert len(at.get("plotly_chart")) == 2
    at = _open(entity="E0000000", lang="en", tab="timeline")
    assert len(at.get("plotly_chart")) == 3 and "network_timeline_dl_png" in download_keys(at)
    assert at.session_state["network_tab"] == "Timeline"
    at.segmented_control(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.session_state["network_tab"] == "时间线" and len(at.get("plotly_chart")) == 3


def test_a_bad_tab_param_is_explained() -> None:
    at = _open(entity="E0000000", lang="en", tab="nonsense")
    assert any("nonsense" in w.value for w in at.warning)
    assert len(at.get("plotly_chart")) == 2  # the graph and the map: the rings tab has no chart
