"""The network page's dataset-wide structures are built ahead, in the background, once per
dataset (components/cache/warm.py): the first visit and the first search find them ready."""

from __future__ import annotations

import threading

import pytest
import streamlit as st

from cloudsword.store import DEFAULT_DATA_DIR, Store
from components.cache import network
from components.cache import warm as warm_module
from components.cache.warm import warm

pytestmark = pytest.mark.app


def test_the_network_structures_are_built_ahead_once_per_dataset(monkeypatch: pytest.MonkeyPatch) -> None:
    for earlier in [t for t in threading.enumerate() if t.name == "cloudsword-warm"]:
        earlier.join(120)  # an earlier test's app run warming its dataset: not counted here
    built: list[str] = []
    for owner, name in ((network, "graph_from_store"), (network.analysis, "search_index")):
        real = getattr(owner, name)

        def counted(*args, real=real, name=name):
            built.append(name)
            return real(*args)

        monkeypatch.setattr(owner, name, counted)
    st.cache_resource.clear()
    store = Store(DEFAULT_DATA_DIR)
    assert warm(store) is None and not built, "the demo's 1e4 entities: left to the page"
    st.cache_resource.clear()
    monkeypatch.setattr(warm_module, "WARM_FROM", 10)
    thread = warm(store)
    assert warm(store) is thread, "one build per dataset version, however many sessions open it"
    thread.join(120)
    assert not thread.is_alive() and built == ["graph_from_store", "search_index"]
    g = network.graph(store)  # what the page asks for: already there, not built again
    assert network.search_index(store).code.shape == (g.n,)
    assert built == ["graph_from_store", "search_index"]
    st.cache_resource.clear()
