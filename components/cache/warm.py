"""The network page's dataset-wide structures, built in the background once a dataset is open.

At 1e8 cases the network page's first visit waited 35 s for the graph, the rings and what
enforcement tied to each entity, and its first search 13 s more for the search index. They are
the same for every session of a dataset version (and role scope), so the first session to open it
starts one thread that builds them through the page's own caches; a visit meanwhile waits for the
same build (Streamlit computes a cached value once), never starts a second. A smaller dataset is
left to the page: its structures take about a second, and a build beside every session's first
page of the test suite's many small datasets cost more than it saved.
"""

from __future__ import annotations

import logging
import threading

from cloudsword.store import Store
from components.cache import resource

_LOG = logging.getLogger(__name__)
WARM_FROM = 1_000_000  # entities from which the structures are built ahead (1e7 cases: 1e6)


@resource(max_entries=4)
def warm(store: Store) -> threading.Thread | None:
    """The thread building `store`'s network structures, started once per version and scope
    (None: too small to need it)."""
    if int(store.run(store.table("entities").count())) < WARM_FROM:
        return None
    thread = threading.Thread(target=_build, args=(store,), name="cloudsword-warm", daemon=True)
    thread.start()
    return thread


def _build(store: Store) -> None:
    from components.cache import network  # its libraries load here, not on the first page

    try:
        network.graph(store)
        network.rings(store)
        network.enforcement(store)
        network.example(store)
        network.search_index(store)
    except Exception:  # the page meets the same error, and says it in its user's language
        _LOG.warning("building the network page's structures ahead failed", exc_info=True)
