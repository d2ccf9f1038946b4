"""Page parameters and permalinks.

Every page's own URL parameters are one frozen value with `from_query` (the value and the
problems found, like `Filters.from_query`) and `to_query` (only what differs from the default),
used by the page and by its slide alike. This module holds what they share: a `Reader` that
turns a query into values and collects what it cannot use, and `permalink`, the one function
that writes a view's address. Ground floor: knows no feature.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from typing import Protocol, Self
from urllib.parse import urlencode

from cloudsword.i18n import LANGS

Query = Mapping[str, object]  # st.query_params as {name: [values]}, or parse_qs's, or {name: value}
Problem = tuple[str, str]  # (parameter, the value that could not be used)


class PageParams(Protocol):
    @classmethod
    def from_query(cls, query: Query, *context: object) -> tuple[Self, list[Problem]]: ...

    def to_query(self) -> dict[str, str]: ...


def _raw(query: Query, name: str) -> list[str]:
    value = query.get(name)
    items = value if isinstance(value, (list, tuple)) else [] if value is None else [value]
    return [str(x).strip() for x in items]


class Reader:
    """Reads one page's parameters from a query, collecting (parameter, value) problems: a value
    that cannot be used is reported and replaced by the default, so an old or hand-edited link
    still opens."""

    def __init__(self, query: Query):
        self.query = query
        self.problems: list[Problem] = []

    def text(self, name: str) -> str | None:
        """The last value given for `name`, None when absent or empty."""
        values = [v for v in _raw(self.query, name) if v]
        return values[-1] if values else None

    def reject(self, name: str, value: object) -> None:
        self.problems.append((name, str(value)))

    def choice(self, name: str, allowed: Sequence[object], default: object) -> object:
        """One of `allowed` (compared as text, so 3 matches "3"), else the default."""
        raw = self.text(name)
        if raw is None:
            return default
        for option in allowed:
            if str(option) == raw:
                return option
        self.reject(name, raw)
        return default

    def flag(self, name: str, default: bool) -> bool:
        return bool(self.choice(name, ("0", "1"), "1" if default else "0") == "1")

    def month(self, name: str, months: Collection[date] | None = None) -> date | None:
        """A month written 2017-06 (or a date in it); None when absent or not among `months`."""
        raw = self.text(name)
        if raw is None:
            return None
        try:
            d = date.fromisoformat(f"{raw}-01" if len(raw) == 7 else raw).replace(day=1)
        except ValueError:
            d = None
        if d is None or (months is not None and d not in months):
            self.reject(name, raw)
            return None
        return d

    def items(self, name: str, allowed: Collection[str] | None = None) -> tuple[str, ...]:
        """A list, written as repeated parameters or comma-separated (rel=operates,supplies); a
        list with an unknown item is rejected whole (empty), never cut to its known part."""
        out = tuple(
            dict.fromkeys(p.strip() for v in _raw(self.query, name) for p in v.split(",") if p.strip())
        )
        if allowed is not None and any(x not in allowed for x in out):
            self.reject(name, ",".join(out))
            return ()
        return out


def read_lang(query: Query, default: str = "zh") -> tuple[str, list[Problem]]:
    """The language the URL asks for (`lang`), the default when absent or unknown."""
    r = Reader(query)
    return str(r.choice("lang", LANGS, default)), r.problems


def permalink(page: str, *queries: Mapping[str, object]) -> str:
    """A view's address: the page and its query, later parts winning
    ("map?lang=en&from=2017-01-01&province=440000"). A slide's view is one; so is a link, once
    the overview's name is read as the app's root (components.url.href)."""
    merged: dict[str, object] = {}
    for q in queries:
        merged.update({k: v for k, v in q.items() if v is not None and v != "" and v != []})
    page = page or "overview"
    return f"{page}?{urlencode(merged, doseq=True)}" if merged else page


def listed(items: Iterable[str]) -> str | None:
    """A list parameter's URL form (comma-separated), None for an empty list."""
    return ",".join(items) or None


def drop_defaults(values: Mapping[str, str | None], defaults: Mapping[str, str | None]) -> dict[str, str]:
    """The parameters that differ from their defaults, as text: a URL holds only choices made."""
    return {k: v for k, v in values.items() if v is not None and v != defaults.get(k)}
