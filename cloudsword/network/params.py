"""The seller network's own parameters (/network and its slide), and which seller a view opens on.

One frozen value read from and written to the URL; `focus` turns it into the entity shown (the
named seller, the seller a clue is about, or the example), for the page and the slide alike.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from cloudsword.network.analysis import EgoQuery
from cloudsword.network.graph import KINDS, Graph
from cloudsword.params import Problem, Query, Reader, drop_defaults, listed
from cloudsword.schema import RELATIONS

HOPS = (1, 2, 3)
CLICKS = ("expand", "focus")  # a click on the graph adds the entity's neighbours, or opens its network
CAP = 250  # entities the page draws; the rest are counted by kind and province
# The analysis under the graph, one tab each; only the open one is computed and drawn.
TABS = ("rings", "players", "path", "provinces", "cases", "timeline", "package", "export")


@dataclass(frozen=True)
class NetworkParams:
    """entity or clue: whose network (neither: the example); hops, relations, kinds: how far and
    what; stop_hubs: do not walk through shared couriers and payment providers; expanded: entities
    whose neighbours were added by a click; click: what a click on the graph does; tab: the
    analysis open under the graph."""

    entity: str | None = None
    clue: str | None = None
    hops: int = 2
    relations: tuple[str, ...] = ()  # empty: all
    kinds: tuple[str, ...] = ()  # empty: all
    stop_hubs: bool = True
    expanded: tuple[str, ...] = ()
    click: str = "expand"
    tab: str = "rings"

    def __post_init__(self) -> None:  # all relations (or kinds) is the same view as none named
        if set(self.relations) == set(RELATIONS):
            object.__setattr__(self, "relations", ())
        if set(self.kinds) == set(KINDS):
            object.__setattr__(self, "kinds", ())

    @classmethod
    def from_query(cls, query: Query) -> tuple[NetworkParams, list[Problem]]:
        r, d = Reader(query), cls()
        p = cls(
            entity=r.text("entity"),
            clue=r.text("clue"),
            hops=int(r.choice("hops", HOPS, d.hops)),
            relations=r.items("rel", RELATIONS),
            kinds=r.items("kinds", KINDS),
            stop_hubs=r.choice("hubs", ("stop", "expand"), "stop") == "stop",
            expanded=r.items("expand"),
            click=str(r.choice("click", CLICKS, d.click)),
            tab=str(r.choice("tab", TABS, d.tab)),
        )
        return p, r.problems

    def to_query(self) -> dict[str, str]:
        return drop_defaults(self._text(), NetworkParams()._text())

    def _text(self) -> dict[str, str | None]:
        return {
            "entity": self.entity,
            "clue": self.clue,
            "hops": str(self.hops),
            "rel": listed(self.relations),
            "kinds": listed(self.kinds),
            "hubs": "stop" if self.stop_hubs else "expand",
            "expand": listed(self.expanded),
            "click": self.click,
            "tab": self.tab,
        }

    def opened(self, entity: str) -> NetworkParams:
        """The same view of another seller: its own network, nothing expanded yet."""
        return replace(self, entity=entity, clue=None, expanded=())

    def known_to(self, g: Graph) -> tuple[NetworkParams, list[Problem]]:
        """These parameters without expansions that are not in the graph, and a problem naming
        them (a hand-edited or old link): never dropped silently."""
        unknown = tuple(x for x in self.expanded if g.find(x) is None)
        if not unknown:
            return self, []
        kept = tuple(x for x in self.expanded if x not in unknown)
        return replace(self, expanded=kept), [("expand", ",".join(unknown))]

    def ego(self, entity: str, g: Graph, cap: int = CAP) -> EgoQuery:
        """What to extract for `entity`: expansions that are not in the graph are left out."""
        expanded = tuple(x for x in self.expanded if g.find(x) is not None)
        return EgoQuery(entity, self.hops, self.relations, self.kinds, self.stop_hubs, expanded, cap)


@dataclass(frozen=True)
class Focus:
    """The seller a view opens on; `example` when none was named; `problem` a message key and
    its values when the one named cannot be found (the example is shown instead)."""

    entity: str
    example: bool = False
    problem: tuple[str, dict[str, str]] | None = None


def example_seller(g: Graph, clues: pd.DataFrame) -> str:
    """The example when no seller is named: the shop most clues are about (ties: lowest id).
    Pages keep it per dataset (components/cache/network.example)."""
    about = clues.entity_id.to_numpy(dtype=object)
    at = g.lookup(about)
    shop = (at >= 0) & (g.kind[np.maximum(at, 0)] == KINDS.index("shop"))
    counts = pd.Series(about[shop]).value_counts().rename_axis("entity_id").reset_index(name="n")
    counts = counts.sort_values(["n", "entity_id"], ascending=[False, True], kind="stable")
    return str(counts.entity_id.iloc[0]) if len(counts) else str(g.ids[0])


def focus(p: NetworkParams, g: Graph, clues: pd.DataFrame, example: str | None = None) -> Focus:
    """The entity named, else the one the clue is about, else the example; a named entity or
    clue that is not in the data gives the example with the problem. `clues`: clue_id, entity_id;
    `example`: example_seller's answer when the caller keeps it (else found here)."""

    def shown() -> str:
        return example if example is not None else example_seller(g, clues)

    if p.entity is not None:
        if g.find(p.entity) is not None:
            return Focus(p.entity)
        return Focus(shown(), True, ("network.search.unknown", {"query": p.entity}))
    if p.clue is not None:
        about = clues.loc[clues.clue_id == p.clue, "entity_id"]
        if len(about):
            return Focus(str(about.iloc[0]))
        return Focus(shown(), True, ("network.clue.unknown", {"clue": p.clue}))
    return Focus(shown(), True)
