"""A fix for Streamlit 1.67 that many simultaneous sessions need (found by bench/bench_sessions.py).

A download button with a callable builds its file when clicked (MediaFileManager.execute_deferred)
and the browser then fetches it by URL. The built file belongs to no session, so the orphan sweep
that ends every script run of every session marks it, and the next sweep deletes it: with a few
busy sessions, two sweeps often fall between the build and the fetch, and the download is a 404.
`pin_deferred_downloads` keeps each built file out of the sweeps for `GRACE_S` seconds (long
enough for any browser to fetch it), after which the ordinary cleanup frees it. Idempotent.
"""

from __future__ import annotations

import threading

from streamlit.runtime.media_file_manager import MediaFileManager

GRACE_S = 120.0
_PINS = "__cloudsword_downloads__"  # a pseudo-session whose files the sweep leaves alone


def _unpin(manager: MediaFileManager, file_id: str) -> None:
    with manager._lock:
        pins = manager._files_by_session_and_coord.get(_PINS, {})
        pins.pop(file_id, None)
        if not pins:
            manager._files_by_session_and_coord.pop(_PINS, None)


def pin_deferred_downloads() -> None:
    original = MediaFileManager.execute_deferred
    if getattr(original, "_cloudsword_pinned", False):
        return

    def execute_deferred(self: MediaFileManager, file_id: str) -> str:
        url = original(self, file_id)
        built = url.rsplit("/", 1)[-1].split(".", 1)[0]  # /media/<file id><extension>
        with self._lock:
            self._files_by_session_and_coord.setdefault(_PINS, {})[built] = built
        timer = threading.Timer(GRACE_S, _unpin, args=(self, built))
        timer.daemon = True
        timer.start()
        return url

    execute_deferred._cloudsword_pinned = True  # type: ignore[attr-defined]
    execute_deferred._cloudsword_original = original  # type: ignore[attr-defined]
    MediaFileManager.execute_deferred = execute_deferred  # type: ignore[method-assign]
