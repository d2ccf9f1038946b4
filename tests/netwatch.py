"""Watch a command for network traffic: strace follows it and every process it starts (Chromium's
renderers and network service included) and reports each attempt to reach an internet address:
a TCP connect, a datagram sent (DNS included). A UDP socket merely connected sends nothing (Chromium
does that to learn whether IPv6 is routable); a datagram sent on it is traffic and is reported.
Used to prove that exports never try to leave the machine.

strace's `-yy` names each socket beside its descriptor (`20<UDPv6:[1353512]>`, or with its two ends
once connected), so a call is judged on the socket it is made on. Descriptor numbers alone are not
enough: they are per process, and with Chromium's processes interleaved in one log a number closed
in one process was taken for another's (a probe's UDP socket reported as a TCP connect, on CI)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

_CALL = re.compile(r"^\d+\s+(socket|connect|sendto|sendmsg|sendmmsg)\((.*)$")
_SOCKET = re.compile(r"^\d+<(\w+):\[(.*?)\]>")  # a descriptor as -yy writes it: protocol, detail
_RETURNED = re.compile(r"=\s*\d+<\w+:\[(\d+)\]>")  # socket()'s result: its inode
_ADDR = re.compile(r'(?:inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)")')
_PORT = re.compile(r"sin6?_port=htons\((\d+)\)")
_PEER = re.compile(r"->\[?(.*?)\]?:(\d+)$")  # the far end of a connected socket: "a->b:p" or "a->[b]:p"


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
    """The internet addresses a strace -yy log shows traffic to (see the module's docstring).

    A socket strace could not name by protocol (`socket:[inode]`) is judged by the type its
    socket() call asked for, found by inode, which is unique across processes; one never seen
    is taken for a stream, so an unknown connect is reported rather than missed."""
    datagram: set[str] = set()  # inodes of sockets created SOCK_DGRAM
    peers: dict[str, str] = {}  # inode -> address of a connected datagram socket
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
        call, args = m.groups()
        if call == "socket":
            inode = _RETURNED.search(args)
            if inode and "AF_INET" in args and "SOCK_DGRAM" in args:
                datagram.add(inode.group(1))
            continue
        sock = _SOCKET.match(args)
        protocol, detail = sock.groups() if sock else ("", "")
        udp = protocol.startswith("UDP") or (protocol == "socket" and detail in datagram)
        where = _where(args)
        if call == "connect":
            if where and udp:
                peers[detail] = where
            elif where:
                out.append(where)
        elif where:
            out.append(where)
        elif udp:
            far = _PEER.search(detail)
            if far or detail in peers:
                out.append(f"{far.group(1)}:{far.group(2)}" if far else peers[detail])
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
            "-yy",
            "-e",
            "trace=socket,connect,sendto,sendmsg,sendmmsg",
            "-o",
            str(log),
        ]
        done = subprocess.run([*trace, *cmd], env=env, capture_output=True, timeout=timeout, check=False)
        if done.returncode:
            print(done.stderr.decode(errors="replace")[-2000:])
        return done.returncode, traffic(log.read_text(errors="replace").splitlines())
