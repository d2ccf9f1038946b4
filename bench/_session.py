"""A Streamlit session driven over its websocket, as a browser drives it: real page runs against a
real server (its protocol buffers, its caches, its threads), without a browser's cost on the
machine under test.

`Session.run` sends what the browser sends to rerun the app (query string, page, widget values)
and waits for the run to finish; widgets are found by their keys in the elements the server
sends; a deferred download is requested the way the download button does and fetched over
HTTP on the same connection's cookies (a sticky proxy sends it to the same server process).
A run fails when the server sends an exception, an error message, or does not finish in time.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import time
import urllib.request
import uuid
from dataclasses import dataclass, field

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

FINISHED = ForwardMsg.ScriptFinishedStatus


@dataclass
class Widget:
    id: str
    kind: str  # the element type: "multiselect", "plotly_chart", "text_input", "download_button"...
    sidebar: bool
    proto: object


@dataclass
class RunResult:
    what: str
    seconds: float
    ok: bool
    problem: str = ""


@dataclass
class Session:
    """One visitor: a cookie jar, a websocket, the pages and widgets the server has shown, and the
    value of each widget as the browser would send it back."""

    base: str  # http://127.0.0.1:8501
    timeout: float = 120.0
    query: str = ""
    page_hash: str = ""
    pages: dict[str, str] = field(default_factory=dict)  # url path -> page script hash
    widgets: dict[str, Widget] = field(default_factory=dict)  # user key -> widget, last run
    values: dict[str, WidgetState] = field(default_factory=dict)  # widget id -> the value it shows
    results: list[RunResult] = field(default_factory=list)
    session_id: str = ""
    _seen: set[str] = field(default_factory=set)

    async def open(self) -> None:
        jar = http.cookiejar.CookieJar()
        self._http = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        await asyncio.to_thread(lambda: self._http.open(self.base + "/", timeout=self.timeout).read())
        cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
        url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        headers = {"Cookie": cookie} if cookie else None
        self._ws = await connect(url, additional_headers=headers, max_size=None, open_timeout=self.timeout)

    async def close(self) -> None:
        await self._ws.close()

    # -- the browser's side of a run ---------------------------------------------------------------
    async def run(self, what: str, page: str | None = None, **values: object) -> RunResult:
        """Rerun the app (on `page`, a url path, when given) with widget `values` set by key; every
        other widget shown sends the value it shows, as a browser's would."""
        if page is not None:
            self.page_hash = self.pages.get(page, "")
        for key, value in values.items():
            self.values[self.widgets[key].id] = _state(self.widgets[key], value)
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_script_hash = self.page_hash
        cs.widget_states.widgets.extend(self.values.values())
        self.widgets, self._seen = {}, set()
        t0 = time.perf_counter()
        await self._ws.send(msg.SerializeToString())
        problem = await self._until_finished()
        self.values = {i: v for i, v in self.values.items() if i in self._seen}  # widgets still shown
        result = RunResult(what, time.perf_counter() - t0, not problem, problem)
        self.results.append(result)
        return result

    async def download(self, what: str, key: str) -> RunResult:
        """Click a deferred download button: the server builds the file, the browser fetches it."""
        t0 = time.perf_counter()
        problem = ""
        try:
            file_id = self.widgets[key].proto.deferred_file_id
            msg = BackMsg()
            req = msg.backend_operation_request
            req.request_id, req.session_id = str(uuid.uuid4()), self.session_id
            req.deferred_file.file_id = file_id
            await self._ws.send(msg.SerializeToString())
            url = await self._until_response(req.request_id)
            body = await asyncio.to_thread(
                lambda: self._http.open(self.base + url, timeout=self.timeout).read()
            )
            if not body:
                problem = "empty file"
        except Exception as exc:  # a failed download is a result, not a crash of the bench
            problem = f"{type(exc).__name__}: {exc}"[:200]
        result = RunResult(what, time.perf_counter() - t0, not problem, problem)
        self.results.append(result)
        return result

    # -- reading what the server sends -----------------------------------------------------------
    async def _messages(self):
        deadline = time.monotonic() + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            raw = await asyncio.wait_for(self._ws.recv(), left)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            yield msg

    async def _until_finished(self) -> str:
        problem = ""
        done = (FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_WITH_COMPILE_ERROR)
        try:
            async for msg in self._messages():
                kind = msg.WhichOneof("type")
                if kind == "new_session":
                    self.session_id = msg.new_session.initialize.session_id or self.session_id
                    self._pages(msg.new_session.app_pages)
                elif kind == "navigation":
                    self._pages(msg.navigation.app_pages)
                    self.page_hash = msg.navigation.page_script_hash or self.page_hash
                elif kind == "page_info_changed":
                    self.query = msg.page_info_changed.query_string
                elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                    problem = problem or self._element(msg)
                elif kind == "script_finished" and msg.script_finished in done:
                    compile_error = msg.script_finished == FINISHED.FINISHED_WITH_COMPILE_ERROR
                    return problem or ("compile error" if compile_error else "")
        except TimeoutError:
            return f"no answer in {self.timeout:.0f} s"
        return problem

    async def _until_response(self, request_id: str) -> str:
        async for msg in self._messages():
            if msg.WhichOneof("type") == "backend_operation_response":
                r = msg.backend_operation_response
                if r.request_id == request_id:
                    if r.error_msg:
                        raise RuntimeError(r.error_msg)
                    return r.deferred_file.url
        raise TimeoutError

    def _pages(self, pages: object) -> None:
        for p in pages:
            self.pages[p.url_pathname or ""] = p.page_script_hash

    def _element(self, msg: ForwardMsg) -> str:
        el = msg.delta.new_element
        kind = el.WhichOneof("type")
        if kind == "exception":
            return f"exception: {el.exception.type}: {el.exception.message[:150]}"
        if kind == "alert" and el.alert.format == Alert.ERROR:
            return f"error: {el.alert.body[:150]}"
        inner = getattr(el, kind) if kind else None
        wid = getattr(inner, "id", "") if inner is not None else ""
        if isinstance(wid, str) and wid.startswith("$$ID-") and wid.count("-") >= 2:
            key = wid.split("-", 2)[2]
            sidebar = len(msg.metadata.delta_path) > 0 and msg.metadata.delta_path[0] == 1
            self.widgets[key] = Widget(wid, kind, sidebar, inner)
            self._seen.add(wid)
            # A value the script set wins; else the browser keeps what the widget showed before.
            if getattr(inner, "set_value", False) or wid not in self.values:
                state = _shown(kind, inner)
                if state is not None:
                    self.values[wid] = state
        return ""


def _shown(kind: str, p: object) -> WidgetState | None:
    """The value a widget shows, as the browser sends it back (None: the browser sends nothing)."""
    s = WidgetState(id=p.id)
    if kind == "button_group":
        labels = list(p.raw_values) if p.set_value else [p.options[i].content for i in p.default]
        s.string_array_value.data.extend(labels)
    elif kind == "multiselect":
        labels = list(p.raw_values) if p.set_value else [p.options[i] for i in p.default]
        s.string_array_value.data.extend(labels)
    elif kind in ("radio", "selectbox"):
        if p.set_value:
            s.string_value = p.raw_value
        elif p.HasField("default"):
            s.string_value = p.options[p.default]
        else:
            return None
    elif kind == "slider":
        if p.options:  # a select_slider: the labels of the values
            labels = list(p.raw_value) if p.set_value else [p.options[int(i)] for i in p.default]
            s.string_array_value.data.extend(labels)
        else:
            s.double_array_value.data.extend(p.value if p.set_value else p.default)
    elif kind == "checkbox":
        s.bool_value = p.value if p.set_value else p.default
    elif kind in ("text_input", "text_area"):
        value = p.value if p.set_value else p.default
        if not value:
            return None
        s.string_value = value
    else:
        return None
    return s


def _state(w: Widget, value: object) -> WidgetState:
    """A value chosen by the visitor, as the browser sends it for this kind of widget."""
    s = WidgetState(id=w.id)
    if w.kind in ("multiselect", "button_group", "slider"):
        s.string_array_value.data.extend(value)  # the options' labels, as shown
    elif w.kind in ("plotly_chart", "deck_gl_json_chart"):
        s.string_value = json.dumps(value)
    elif w.kind == "checkbox":
        s.bool_value = bool(value)
    else:
        s.string_value = str(value)
    return s
