"""A file built by a download button survives the orphan sweeps that other sessions' script runs
make before the browser fetches it (components/streamlit_fixes.py); without the fix it does not."""

from __future__ import annotations

import pytest
from streamlit.runtime import media_file_manager as mfm
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from components import streamlit_fixes


@pytest.fixture
def manager(monkeypatch):
    monkeypatch.setattr(mfm, "_get_session_id", lambda: "session-a")
    # Streamlit's own method, whether or not an earlier test (any app run) installed the fix
    current = mfm.MediaFileManager.execute_deferred
    monkeypatch.setattr(
        mfm.MediaFileManager, "execute_deferred", getattr(current, "_cloudsword_original", current)
    )
    return mfm.MediaFileManager(MemoryMediaFileStorage("/media"))


def _built_then_swept(manager: mfm.MediaFileManager) -> bool:
    placeholder = manager.add_deferred(lambda: b"a,b\n1,2\n", "text/csv", "coord-1", "data.csv")
    url = manager.execute_deferred(placeholder)
    for _ in range(3):  # other sessions' runs end before the browser fetches the file
        manager.remove_orphaned_files()
    file_id = url.rsplit("/", 1)[-1].split(".", 1)[0]
    try:
        return manager._storage.get_file(file_id).content == b"a,b\n1,2\n"
    except Exception:
        return False


def test_without_the_fix_the_built_file_is_swept(manager):
    assert not _built_then_swept(manager)


def test_with_the_fix_it_is_still_there_and_freed_later(manager, monkeypatch):
    monkeypatch.setattr(streamlit_fixes, "GRACE_S", 0.2)
    streamlit_fixes.pin_deferred_downloads()
    streamlit_fixes.pin_deferred_downloads()  # idempotent
    assert _built_then_swept(manager)
    import time

    time.sleep(0.5)
    manager.remove_orphaned_files()
    manager.remove_orphaned_files()
    assert not any(manager._storage._files_by_id)  # freed once the grace is over
