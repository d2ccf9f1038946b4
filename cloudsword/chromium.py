"""The one way this project runs Chromium: kaleido's image renderer and the PDF printer both start
it through `launcher()`, so nothing leaves the machine.

Chromium on its own phones home: component and safe-browsing updates, variations, domain
reliability, Google's account and update hosts, DNS prefetch. The launcher is a small script
that starts the machine's Chromium with those services off, every host name resolving to
nothing and every request sent to a closed local port (so even a page asking for an outside
address, such as a CDN's MathJax, gets no further than this machine), and with HOME and the XDG
folders in a throw-away folder of this process instead of the user's home. kaleido and
choreographer pass their own flags after these (a temporary profile, the DevTools pipe).
Ground floor: imports nothing of ours.
"""

from __future__ import annotations

import atexit
import os
import shlex
import shutil
import tempfile
import threading
from pathlib import Path

# Closed local port: whatever still makes a request is refused here, never routed out.
BLACKHOLE_PROXY = "127.0.0.1:9"
OFFLINE_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--disable-breakpad",
    "--disable-crash-reporter",
    "--disable-features=MediaRouter,OptimizationHints,Translate,AutofillServerCommunication,"
    "CertificateTransparencyComponentUpdater,NetworkTimeServiceQuerying,DialMediaRouteProvider",
    "--no-pings",
    "--no-first-run",
    "--no-default-browser-check",
    "--no-service-autorun",
    "--metrics-recording-only",
    "--password-store=basic",
    "--use-mock-keychain",
    f"--proxy-server={BLACKHOLE_PROXY}",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
_lock = threading.Lock()
_made: dict[str, str] = {}


class ChromiumMissing(RuntimeError):
    """No Chromium on this machine (Debian package `chromium`, or $BROWSER_PATH)."""


def executable() -> str:
    """$BROWSER_PATH if set (kaleido reads it too), else Debian's chromium on PATH."""
    found = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        raise ChromiumMissing("chromium not found")
    return found


def launcher() -> str:
    """The path of an executable script that runs Chromium offline with the arguments it is given
    (made once per process and Chromium, removed when the process exits)."""
    browser = executable()
    with _lock:
        if browser in _made and Path(_made[browser]).exists():
            return _made[browser]
        folder = Path(tempfile.mkdtemp(prefix="cloudsword-chromium-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        home = folder / "home"
        for sub in (".config", ".cache", ".local/share"):
            (home / sub).mkdir(parents=True)
        env = {
            "HOME": home,
            "XDG_CONFIG_HOME": home / ".config",
            "XDG_CACHE_HOME": home / ".cache",
            "XDG_DATA_HOME": home / ".local/share",
        }
        exports = " ".join(f"{k}={shlex.quote(str(v))}" for k, v in env.items())
        flags = " ".join(shlex.quote(f) for f in OFFLINE_FLAGS)
        script = folder / "chromium"
        script.write_text(
            "#!/bin/sh\n"
            "# Chromium as cloudsword runs it: offline, no background services, a throw-away home.\n"
            f"export {exports}\n"
            f'exec {shlex.quote(browser)} {flags} "$@"\n',
            encoding="utf-8",
        )
        script.chmod(0o700)
        _made[browser] = str(script)
        return _made[browser]
