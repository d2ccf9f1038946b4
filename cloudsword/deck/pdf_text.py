"""Make the Chinese text in Chromium's PDFs extract and search as what was written.

Noto CJK draws an ideograph and its radical with one glyph (工 and the Kangxi radical ⼯, 长 and
the supplement radical ⻓). Chromium's PDF writer names the lower code point, the radical, in the
font's ToUnicode map, so copied text reads "⼯作" and a search for "工作" misses. We rewrite those
entries to the ideograph that shares the glyph in the font actually used (read from the font's
own cmap via fontconfig); NFKC is the fallback where the font cannot be read.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import subprocess
import unicodedata
from functools import lru_cache

RADICALS = range(0x2E80, 0x2FE0)  # CJK Radicals Supplement and Kangxi Radicals
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


@lru_cache(maxsize=8)
def _cmap_groups(family: str) -> tuple[tuple[int, int, int], ...]:
    """(first char, last char, first glyph) groups of the family's format-12 cmap; () if unknown."""
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}:%{index}", family], capture_output=True, text=True, timeout=10
        ).stdout
        path, _, index = found.rpartition(":")
        with open(path, "rb") as fh:
            head = fh.read(12)
            offset = 0
            if head[:4] == b"ttcf":
                fh.seek(12 + 4 * int(index or 0))
                offset = struct.unpack(">I", fh.read(4))[0]
            fh.seek(offset + 4)
            n_tables = struct.unpack(">H", fh.read(2))[0]
            fh.seek(offset + 12)
            entries = fh.read(16 * n_tables)
            tables = {e[0]: (e[2], e[3]) for e in struct.iter_unpack(">4sIII", entries)}
            if b"cmap" not in tables:
                return ()
            fh.seek(tables[b"cmap"][0])
            cmap = fh.read(tables[b"cmap"][1])
    except (OSError, ValueError, struct.error, subprocess.SubprocessError):
        return ()
    n_sub = struct.unpack(">H", cmap[2:4])[0]
    for i in range(n_sub):
        _, _, sub = struct.unpack(">HHI", cmap[4 + 8 * i : 12 + 8 * i])
        if struct.unpack(">H", cmap[sub : sub + 2])[0] == 12:
            n = struct.unpack(">I", cmap[sub + 12 : sub + 16])[0]
            return tuple(struct.iter_unpack(">III", cmap[sub + 16 : sub + 16 + 12 * n]))
    return ()


@lru_cache(maxsize=512)
def ideograph(cp: int, family: str = "Noto Sans CJK SC") -> int:
    """The unified ideograph drawn with the same glyph as radical `cp`; other code points unchanged."""
    if cp not in RADICALS:
        return cp
    groups = _cmap_groups(family)
    glyph = next((g + cp - lo for lo, hi, g in groups if lo <= cp <= hi), None)
    if glyph is not None:
        twins = [lo + glyph - g for lo, hi, g in groups if g <= glyph <= g + hi - lo]
        twins = [c for c in twins if c not in RADICALS and 0x3400 <= c]
        if twins:
            return min(twins)
    norm = unicodedata.normalize("NFKC", chr(cp))
    return ord(norm) if len(norm) == 1 else cp


def fixed_cmap(cmap: bytes, family: str = "Noto Sans CJK SC") -> bytes | None:
    """The ToUnicode CMap with radicals mapped to their ideographs; None when nothing changes.
    Every mapping is read (single and range entries) and written back as single entries."""
    pairs: dict[int, bytes] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        toks = _HEX.findall(block)
        pairs.update((int(toks[i], 16), toks[i + 1]) for i in range(0, len(toks) - 1, 2))
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for line in block.strip().splitlines():
            toks = _HEX.findall(line)
            if len(toks) < 3:
                continue
            lo, hi = int(toks[0], 16), int(toks[1], 16)
            if b"[" in line:  # <lo> <hi> [<dst> <dst> ...]
                pairs.update((lo + i, d) for i, d in enumerate(toks[2:]))
            else:
                first, width = int(toks[2], 16), len(toks[2])
                pairs.update((c, b"%0*X" % (width, first + c - lo)) for c in range(lo, hi + 1))
    radicals = {c for c, d in pairs.items() if len(d) == 4 and ideograph(int(d, 16), family) != int(d, 16)}
    start, end = cmap.find(b"endcodespacerange"), cmap.find(b"endcmap")
    if not radicals or start < 0 or end < 0:
        return None
    fixed = {c: b"%04X" % ideograph(int(d, 16), family) if c in radicals else d for c, d in pairs.items()}
    space = _HEX.findall(cmap[:start])
    width = len(space[-1]) if space else 2
    items = sorted(fixed.items())
    body = b"".join(
        b"%d beginbfchar\n" % len(chunk)
        + b"".join(b"<%0*X> <%s>\n" % (width, c, d) for c, d in chunk)
        + b"endbfchar\n"
        for chunk in (items[i : i + 100] for i in range(0, len(items), 100))
    )
    return cmap[: start + len(b"endcodespacerange")] + b"\n" + body + cmap[end:]


def fix_cjk_text(pdf: bytes) -> bytes:
    """The PDF with every font's ToUnicode map fixed; the input itself when nothing needed it."""
    from pypdf import PdfReader, PdfWriter

    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.ERROR  # Chromium's trailer size draws a harmless warning
    try:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    finally:
        quiet.setLevel(level)
    changed, seen = False, set()

    def visit(resources: object) -> None:
        nonlocal changed
        if not hasattr(resources, "get"):
            return
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            if font.get("/ToUnicode") is None or id(font["/ToUnicode"].get_object()) in seen:
                continue
            stream = font["/ToUnicode"].get_object()
            seen.add(id(stream))
            descriptor = font.get("/FontDescriptor")
            family = str(
                (descriptor.get_object() if descriptor else {}).get("/FontFamily", "Noto Sans CJK SC")
            )
            new = fixed_cmap(stream.get_data(), family)
            if new is not None:
                stream.set_data(new)
                changed = True
        for ref in (resources.get("/XObject") or {}).values():
            xobj = ref.get_object()
            if xobj.get("/Resources") is not None:
                visit(xobj["/Resources"].get_object())

    for page in writer.pages:
        if page.get("/Resources") is not None:
            visit(page["/Resources"].get_object())
    if not changed:
        return pdf
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
