"""Watch a command for network traffic: strace follows it and every process it starts (Chromium's
renderers and network service included) and reports each attempt to reach an internet address:
a TCP connect, a datagram sent (DNS included). A UDP socket merely connected sends nothing (Chromium
does that to learn whether IPv6 is routable); a datagram sent on it is traffic and is reported.
Used to prove that exports never try to leave the machine."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

_CALL = re.compile(r"^\d+\s+(socket|connect|sendto|sendmsg|sendmmsg|close)\((\d+|AF_\w+)(.*)$")
_ADDR = re.compile(r'(?:inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)")')
_PORT = re.compile(r"sin6?_port=htons\((\d+)\)")
_RESULT = re.compile(r"=\s*(-?\d+)")


def available() -> bool:
    """strace is installed and may trace children here (ptrace allowed)."""
    if not shutil.which("strace"):
        return False
    done = subprocess.run(["strace", "-f", "-qq", "-o", os.devnull, "true"], capture_output=True, check=False)
    return done.returncode == 0


def _where(args: str) -> str | None:
    """ "host:port" of an internet address in a syscall's arguments, else None."""
    if "sa_family=AF_INET" not in args:
        return None
    addr, port = _ADDR.search(args), _PORT.search(args)
    host = (addr.group(1) or addr.group(2)) if addr else "?"
    return f"{host}:{port.group(1) if port else '?'}"


def traffic(lines: list[str]) -> list[str]:
    """The internet addresses a strace log shows traffic to (see the module's docstring)."""
    kinds: dict[str, str] = {}  # fd -> "stream" | "dgram" of the last socket() that returned it
    peers: dict[str, str] = {}  # fd -> address of a connected datagram socket
    pending: dict[str, str] = {}  # pid -> a socket() call whose result comes on a later line
    out = []
    for line in lines:
        pid, _, body = line.partition(" ")
        line = f"{pid} {body.lstrip()}"  # strace pads the pid column
        if "<... socket resumed>" in line and pid in pending:
            line = f"{pid} {pending.pop(pid)}{line.split('resumed>', 1)[1]}"
        elif line.startswith(f"{pid} socket(") and line.endswith("<unfinished ...>"):
            pending[pid] = line.split(" ", 1)[1].removesuffix("<unfinished ...>")
            continue
        m = _CALL.match(line)
        if not m:
            continue
        call, first, rest = m.groups()
        if call == "close":
            kinds.pop(first, None)
            peers.pop(first, None)
            continue
        if call == "socket":
            fd = _RESULT.search(rest)
            if fd:
                peers.pop(fd.group(1), None)
                kinds.pop(fd.group(1), None)
                if "AF_INET" in first:
                    kinds[fd.group(1)] = "dgram" if "SOCK_DGRAM" in rest else "stream"
            continue
        where = _where(rest)
        if call == "connect" and where:
            if kinds.get(first) == "dgram":
                peers[first] = where
            else:
                out.append(where)
        elif call != "connect" and (where or first in peers):
            out.append(where or peers[first])
    return out


def attempts(
    cmd: list[str], env: dict[str, str] | None = None, timeout: float = 300
) -> tuple[int, list[str]]:
    """Run `cmd` traced; (its exit status, every internet address it sent to: "host:port")."""
    with tempfile.TemporaryDirectory(prefix="netwatch-") as tmp:
        log = Path(tmp) / "trace"
        trace = [
            "strace",
            "-f",
            "-qq",
            "-e",
            "trace=socket,connect,sendto,sendmsg,sendmmsg,close",
            "-o",
            str(log),
        ]
        done = subprocess.run([*trace, *cmd], env=env, capture_output=True, timeout=timeout, check=False)
        if done.returncode:
            print(done.stderr.decode(errors="replace")[-2000:])
        return done.returncode, traffic(log.read_text(errors="replace").splitlines())
