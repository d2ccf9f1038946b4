"""Who is looking: a role and, for a provincial officer, the provinces whose records they hold.

The roles (issue 15): the alliance administrator sees everything; a provincial officer sees
record-level data of their provinces and of the networks that touch them, other provinces only as
aggregates; an analyst sees aggregates and may export, personal fields masked; a presenter sees
aggregates and masked slides, and takes no record-level file away.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    OFFICER = "officer"
    ANALYST = "analyst"
    PRESENTER = "presenter"


@dataclass(frozen=True)
class Principal:
    """A signed-in user (or the local demo's administrator). Frozen and hashable: it keys caches."""

    user: str  # the identity provider's e-mail or subject, or the proxy's user header
    role: Role
    provinces: frozenset[str] = field(default_factory=frozenset)  # adcodes; an officer's only
    name: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))
        object.__setattr__(self, "provinces", frozenset(str(p) for p in self.provinces))

    @property
    def masked(self) -> bool:
        """Personal fields (names, ids, accounts, exact places) are masked for this role."""
        return self.role in (Role.ANALYST, Role.PRESENTER)

    @property
    def restricted(self) -> bool:
        """Record-level rows are limited to the principal's provinces and their networks."""
        return self.role is Role.OFFICER

    @property
    def takes_records(self) -> bool:
        """May download record-level files (node and link tables, GraphML, clue packages)."""
        return self.role is not Role.PRESENTER

    @property
    def administers(self) -> bool:
        """Reads the audit log, imports data, switches versions, sees every deck."""
        return self.role is Role.ADMIN

    def scope(self) -> tuple[str, tuple[str, ...]]:
        """What the data it receives depends on (two officers of one province share results)."""
        return (self.role.value, tuple(sorted(self.provinces)) if self.restricted else ())

    def label(self) -> str:
        return self.name or self.user


ADMIN = Principal("local-admin", Role.ADMIN, name="demo administrator")
