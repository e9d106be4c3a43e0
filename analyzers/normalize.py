"""Length-preserving normalization for matching: NFKC per character, lower case, and
traditional → simplified characters (OpenCC's t2s, character by character).

Every character maps to exactly one character, so offsets into the normalized text are
offsets into the original text: matching runs on the normalized form, display and
highlighting on the original. Characters whose NFKC form is longer than one character
(e.g. ㈠, ½, …) are kept as they are.
"""
from __future__ import annotations

import functools
import unicodedata
from typing import Any

# Ranges that hold characters with one-character compatibility forms: Latin-1 and
# letterlike symbols, CJK compatibility ideographs (U+F900–U+FAFF, PDFs from Word/WPS
# use them), half-/full-width forms, the CJK radicals, and the supplementary
# compatibility ideographs.
_RANGES = ((0x00A0, 0x3400), (0xF900, 0x10000), (0x1D400, 0x1D800), (0x2F800, 0x2FA20))


# CJK blocks where traditional characters live.
_CJK = ((0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00), (0x20000, 0x2A6E0))


def _t2s() -> dict[str, str]:
    """Traditional → simplified for single characters, from OpenCC's t2s tables."""
    import opencc

    chars = [chr(cp) for lo, hi in _CJK for cp in range(lo, hi)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    return {a: b for a, b in zip(chars, converted) if len(b) == 1 and a != b}


@functools.cache
def _simplified_table() -> dict[int, str]:
    return str.maketrans(_t2s())


def simplified(text: str) -> str:
    """`text` with traditional characters simplified (OpenCC, character by character) and nothing else
    changed: same length, so offsets hold."""
    return text.translate(_simplified_table())


# The tables are built at first use (~0.15 s), not at import: a command that never matches text
# (`gongkai --help`, an ingest of files already archived) does not pay for them.
@functools.cache
def _table() -> dict[int, int]:
    t2s = _t2s()
    table: dict[int, int] = {}
    for lo, hi in _RANGES + _CJK:
        for cp in range(lo, hi):
            ch = chr(cp)
            n = unicodedata.normalize("NFKC", ch).lower()
            n = t2s.get(n, n) if len(n) == 1 else n
            if len(n) == 1 and n != ch:
                table[cp] = ord(n)
    for cp in range(ord("A"), ord("Z") + 1):
        table[cp] = cp + 32
    # Ideographic space and no-break spaces become plain spaces (NFKC already does most).
    table[0x3000] = 0x20
    return table


_LONG = 256  # from this length on, one array lookup (~5 ns a character) beats str.translate (~80 ns)


@functools.cache
def _code_table() -> tuple[Any, Any]:
    """numpy (imported here, not at start-up) and the table as an array indexed by code point."""
    import numpy as np

    table = _table()
    codes = np.arange(0x110000, dtype=np.uint32)
    codes[list(table)] = list(table.values())
    return np, codes


def normalize(text: str) -> str:
    """The matching form of `text`: same length, NFKC (single-char forms), lower case."""
    if len(text) < _LONG:
        return text.translate(_table())
    np, codes = _code_table()
    chars = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return codes[chars].tobytes().decode("utf-32-le", "surrogatepass")


@functools.cache
def _variants() -> dict[str, str]:
    variants: dict[str, set[str]] = {}
    for src, dst in _table().items():
        variants.setdefault(chr(dst), {chr(dst)}).add(chr(src))
    return {k: "".join(sorted(v)) for k, v in variants.items()}


def variants(ch: str) -> str:
    """Every character whose normalized form is `ch` (including `ch` itself)."""
    return _variants().get(ch, ch)
