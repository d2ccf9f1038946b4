"""The address bar. A page's URL holds the shared filters, the language and that page's own
parameters, never another page's, and it is written in one place (`write`), only when it
changes. Each page's parameters are one frozen value remembered for the session, so a page
comes back as it was left; a permalink or a reload brings its own.

Widgets follow the seed-and-read pattern: `seed` puts a parameter into its widget when the widget
is not there yet (or holds a value no longer offered), the page reads the widgets back into its
parameters and `keep`s them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace
from typing import Any, TypeVar
from urllib.parse import quote, urlencode

import streamlit as st

from cloudsword.i18n import md, t
from cloudsword.params import PageParams, Problem, permalink
from components.context import view

P = TypeVar("P", bound=PageParams)
_PARAMS = "_params_{}"
_HELD = "_held_widgets"  # widget keys whose values survive a language switch


# Streamlit 1.67's frontend turns every write of st.query_params into history.pushState (only a
# run that is itself a Back/Forward replaces), and a page change into another pushState. Widgets
# bound with bind="query-params" use replaceState, but this app writes its URL from Python. So a
# query-only change within a page replaces the entry, and only a change of page adds one.
_HISTORY_JS = """<script>
(function () {
  if (window.__cloudswordHistory) return;
  window.__cloudswordHistory = true;
  var push = window.history.pushState.bind(window.history);
  window.history.pushState = function (state, title, target) {
    try {
      if (new URL(target, window.location.href).pathname === window.location.pathname) {
        return window.history.replaceState(state, title, target);
      }
    } catch (e) { /* an address URL() cannot read: push it as asked */ }
    return push(state, title, target);
  };
})();
</script>"""


_READY = "_history_ready"  # the browser has run _HISTORY_JS (after the session's first run)
_FIRST = "_url_first"  # the address the session's first run asked for


def history() -> None:
    """Settings changed on a page replace its history entry; a new page adds one (see above).
    The session's first run cannot rely on the script yet (it arrives with the run), so `write`
    leaves its address here and the script puts it in place of the opened one."""
    ss = st.session_state
    script = _HISTORY_JS
    first = ss.pop(_FIRST, None)
    if first is not None:
        q = json.dumps(urlencode(first, doseq=True))
        script += (
            "<script>window.history.replaceState(window.history.state, '', "
            f"window.location.pathname + '?' + {q});</script>"
        )
    st.html(script, unsafe_allow_javascript=True)
    ss[_READY] = True


def query() -> dict[str, list[str]]:
    """The URL's parameters as lists (a parameter may repeat: ?prov=330000&prov=440000)."""
    return {k: st.query_params.get_all(k) for k in st.query_params}


def page_params(
    page: str,
    read: Callable[..., tuple[P, list[Problem]]],
    *context: object,
    notices: list[str] | None = None,
) -> P:
    """This page's parameters. Arriving on the page, those in the URL (a permalink, a reload) are
    read, with a notice for each value that cannot be used (shown, or added to `notices` for a
    page that places them itself); a URL without any of them finds the page as this session left
    it. Within the page, the value the page last kept."""
    ss, key = st.session_state, _PARAMS.format(page)
    if view().arrived or key not in ss:
        value, problems = read(query(), *context)
        default, _ = read({}, *context)
        if value != default or problems or key not in ss:
            ss[key] = value
        texts = [md(t("filters.url_problem", view().lang, param=name, value=raw)) for name, raw in problems]
        if notices is None:
            for text in texts:
                st.warning(text)
        else:
            notices.extend(texts)
    return ss[key]


def keep(page: str, value: PageParams) -> None:
    """Remember the page's parameters; the URL follows at the end of the run (or `write`)."""
    st.session_state[_PARAMS.format(page)] = value


def update(page: str, **changes: Any) -> None:
    """Change some of the page's parameters (from a callback: a click, a close button) and put
    them in the URL at once, before the page draws what they show."""
    key = _PARAMS.format(page)
    st.session_state[key] = replace(st.session_state[key], **changes)
    if view().page == page:
        write()


def current(page: str) -> PageParams | None:
    return st.session_state.get(_PARAMS.format(page))


def wanted() -> dict[str, str | list[str]]:
    """What the URL should hold now: language, shared filters, this page's own parameters."""
    v = view()
    own = current(v.page)
    return {"lang": v.lang, **v.filters.to_query(), **(own.to_query() if own is not None else {})}


def write() -> None:
    """Put `wanted()` in the address bar, only when it differs. In a session's first run the
    address is handed to `history()` instead: written now, it would add a history entry."""
    if not st.session_state.get(_READY):
        st.session_state[_FIRST] = wanted()
        return
    want = {k: v if isinstance(v, list) else [v] for k, v in wanted().items()}
    if query() != want:
        st.query_params.from_dict(wanted())


def view_path() -> str:
    """The permalink of what the user is looking at ("map?lang=en&...&province=440000")."""
    return permalink(view().page, wanted())


def link(page: str, params: PageParams | None = None) -> str:
    """A link to `page` with this view's filters and language and `params` for that page."""
    v = view()
    own = params.to_query() if params is not None else {}
    return href(permalink(page, {"lang": v.lang}, v.filters.to_query(), own))


def absolute() -> str:
    """This view's permalink as a whole address, to copy and send."""
    base = (getattr(st.context, "url", None) or "").split("?")[0]
    return f"{base}?{urlencode(wanted(), doseq=True)}" if base else href(view_path())


def href(path: str) -> str:
    """A link to a view, relative to the app (the overview is its root, not /overview). Percent-
    encoded beyond what a URL needs, so a view from outside (a loaded deck) cannot end a markdown
    link early: no spaces, brackets, parentheses, quotes or backticks survive."""
    page, _, q = path.partition("?")
    page = quote("" if page in ("", "overview") else page, safe="/-_.")
    return f"./{page}" + (f"?{quote(q, safe='=&%+,.-_~')}" if q else "")


def seed(key: str, value: object, options: Collection[object] | None = None) -> None:
    """Put `value` into widget `key` when the widget is not there yet, or holds a value that is no
    longer among `options` (they depend on other choices)."""
    ss = st.session_state
    hold(key)
    if key not in ss or (options is not None and ss[key] not in options):
        ss[key] = value


def hold(*keys: str) -> None:
    """Keep these widgets' values through a language switch (`keep_widgets`)."""
    held = st.session_state.setdefault(_HELD, set())
    held.update(keys)


def persist(*keys: str) -> None:
    """Keep these widgets' values through runs that do not draw them (a closed tab): Streamlit
    forgets a widget's value when it is not drawn, but keeps one written through the Session
    State API."""
    ss = st.session_state
    for key in keys:
        if key in ss:
            ss[key] = ss[key]


def keep_widgets() -> None:
    """Call before a run that changes the language (a callback). A widget's identity includes its
    label and option texts, so in the other language Streamlit sees a new widget and would start
    it from its default (or fail to serialise the old value): writing each held value back through
    the Session State API makes the new widget start from it instead."""
    ss = st.session_state
    for key in ss.get(_HELD, ()):
        if key in ss:
            ss[key] = ss[key]


def seed_all(
    p: PageParams, widgets: Mapping[str, str], options: Mapping[str, Collection[object]] = {}
) -> None:
    """Seed each widget from its field of `p` ({field: widget key})."""
    for name, key in widgets.items():
        seed(key, getattr(p, name), options.get(name))


def read_all(p: P, widgets: Mapping[str, str]) -> P:
    """`p` with each field taken from its widget ({field: widget key})."""
    ss = st.session_state
    values = {name: ss[key] for name, key in widgets.items() if key in ss}
    return replace(p, **{k: tuple(x) if isinstance(x, list) else x for k, x in values.items()})
