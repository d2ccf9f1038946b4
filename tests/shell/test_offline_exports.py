"""Nothing leaves the machine (issue 16): each export that starts Chromium (PNG and SVG through
kaleido, the PPTX deck's pictures, the PDF deck) runs under a network watch (strace on the whole
process tree) and fails on any attempt to reach an internet address, DNS included, and with an
empty HOME that must stay empty. A control run of plain plotly.io export (MathJax from a CDN)
shows the watch does see attempts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import netwatch
import pytest

from cloudsword import chromium

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [
    pytest.mark.skipif(not netwatch.available(), reason="strace cannot trace here"),
    pytest.mark.skipif(not any(Path(p).exists() for p in ("/usr/bin/chromium",)), reason="no chromium"),
]

FIGURE = "go.Figure(go.Bar(x=['浙江', '广东'], y=[1, 2]), layout_title_text='x')"
EXPORTS = {
    "png-svg": f"export.images([{FIGURE}], 'png'); export.images([{FIGURE}], 'svg')",
    "map-png": "export.image(overview_charts.province_map_figure(values, 'cases', set(), f.date_to, 'zh'))",
    "pptx-deck": "write_deck(story.build_deck(store, specs, 'en'), out / 'd.pptx', 'en')",
    "pdf-deck": "write_deck(story.build_deck(store, specs, 'zh'), out / 'd.pdf', 'zh')",
}
PRELUDE = """
import sys
from pathlib import Path
import plotly.graph_objects as go
from cloudsword import export, story
from cloudsword.deck.files import write_deck
from cloudsword.overview import charts as overview_charts, queries
from cloudsword.store import Store
out = Path(sys.argv[1])
store = Store()
f = store.default_filters()
values = queries.by_province(store, f, 'cases')
specs = story.story(store, 'default')[1:3]  # the members' timeline and the map
"""


def _run(code: str, tmp_path: Path) -> tuple[int, list[str], list[str]]:
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT)}
    code_file = tmp_path / "run.py"
    code_file.write_text(PRELUDE + code + "\n", encoding="utf-8")
    status, tried = netwatch.attempts([sys.executable, str(code_file), str(tmp_path)], env=env)
    left_in_home = [str(p.relative_to(home)) for p in home.rglob("*")]
    return status, tried, [p for p in left_in_home if p not in MATPLOTLIB and not p.startswith(MATPLOTLIB)]


# matplotlib (imported by an analysis library) keeps its font list in HOME: not Chromium's doing.
MATPLOTLIB = (".cache", ".config", ".cache/matplotlib", ".config/matplotlib")


@pytest.mark.parametrize("export", list(EXPORTS))
def test_an_export_makes_no_network_attempt_and_leaves_home_alone(export, tmp_path):
    status, tried, left_in_home = _run(EXPORTS[export], tmp_path)
    assert status == 0
    assert tried == [], f"network attempts: {tried}"
    assert left_in_home == []
    assert any(tmp_path.glob("d.*")) or export in ("png-svg", "map-png")


def test_the_watch_sees_an_attempt_when_one_is_made(tmp_path):
    """Control: plotly's own image export (kaleido's default page loads MathJax from a CDN) is
    caught by the watch. Our Chromium told to load an outside page gets nowhere and tries nothing:
    the name resolves to nothing and the request ends at the local black hole."""
    status, tried, _ = _run(f"import plotly.io as pio; pio.to_image({FIGURE}, format='png')", tmp_path)
    assert tried, "plain plotly.io export should try to fetch MathJax"
    page = "http://203.0.113.9/p.png"
    cmd = [
        chromium.launcher(),
        "--headless",
        "--no-sandbox",
        f"--user-data-dir={tmp_path}/p",
        "--dump-dom",
        page,
    ]
    status, tried = netwatch.attempts(cmd, timeout=120)
    assert tried == []
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    assert "ERR_PROXY_CONNECTION_FAILED" in done.stderr or "ERR_NAME_NOT_RESOLVED" in done.stderr


def test_the_watch_tells_traffic_from_a_socket_that_sends_nothing():
    lines = [
        "7 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 20<UDPv6:[101]>",  # Chromium's IPv6 route probe
        "8 close(20<TCP:[102]>) = 0",  # another process's descriptor 20: not the probe's
        "7 connect(20<UDPv6:[101]>, {sa_family=AF_INET6, sin6_port=htons(443), "
        'inet_pton(AF_INET6, "2001:db8::1", &sin6_addr)}, 28) = 0',  # no datagram: no traffic
        "7 close(20<UDPv6:[[fd00::2]:5->[2001:db8::1]:443]>) = 0",
        "8 socket(AF_INET, SOCK_DGRAM|SOCK_NONBLOCK, IPPROTO_IP <unfinished ...>",
        "8   <... socket resumed>) = 6<UDP:[103]>",
        "8 connect(6<UDP:[103]>, {sa_family=AF_INET, sin_port=htons(53), "
        'sin_addr=inet_addr("10.0.0.53")}, 16) = 0',
        "8 sendmmsg(6<UDP:[10.0.0.2:7->10.0.0.53:53]>, [{msg_hdr={...}}], 2, MSG_NOSIGNAL) = 2",  # DNS
        "9 socket(AF_INET, SOCK_STREAM, IPPROTO_TCP) = 7<TCP:[104]>",
        "9 connect(7<TCP:[104]>, {sa_family=AF_INET, sin_port=htons(9), "
        'sin_addr=inet_addr("127.0.0.1")}, 16) = -1',
        # sockets strace could not name by protocol: judged by the type socket() asked for
        "10 socket(AF_INET6, SOCK_DGRAM, IPPROTO_IP) = 3<socket:[105]>",
        "10 connect(3<socket:[105]>, {sa_family=AF_INET6, sin6_port=htons(53), "
        'inet_pton(AF_INET6, "fd00::53", &sin6_addr)}, 28) = 0',
        '10 sendto(3<socket:[105]>, "q", 1, 0, NULL, 0) = 1',
        "11 connect(4<socket:[106]>, {sa_family=AF_INET, sin_port=htons(80), "
        'sin_addr=inet_addr("192.0.2.1")}, 16)',
    ]
    assert netwatch.traffic(lines) == ["10.0.0.53:53", "127.0.0.1:9", "fd00::53:53", "192.0.2.1:80"]
