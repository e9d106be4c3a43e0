"""Find query terms in original text and mark them: HTML-escaped first, then <mark>ed."""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from html import escape as _escape

from markupsafe import Markup, escape

from .normalize import variants
from .segment import word_bounds


@dataclass(frozen=True)
class Needle:
    """What to mark: a sequence (segment.sequence); a `bounded` one only where it stands as words (a synonym
    matched on word boundaries: 国办 as a word, not inside 外国办理)."""

    text: str
    bounded: bool = False


def find_spans(text: str, needles: Sequence[str | Needle]) -> list[tuple[int, int]]:
    """Sorted, merged (start, end) spans of `text` where a needle's units occur.

    Needles are sequences (see segment.sequence): matching skips whitespace and accepts
    every form that normalizes to a needle's character, exactly as the index does, so every
    indexed hit can be marked. Works on the original text.
    """
    spans = []
    for needle in dict.fromkeys(n if isinstance(n, Needle) else Needle(n) for n in needles):
        if needle.text:
            found = [m.span() for m in _pattern(needle.text).finditer(text)]
            spans += [sp for sp in found if not needle.bounded or on_word_boundaries(text, *sp)]
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]))
        else:
            merged.append((s, e))
    return merged


@lru_cache(maxsize=512)
def _pattern(needle: str) -> re.Pattern:
    return re.compile(r"\s*".join("[" + re.escape(variants(ch)) + "]" for ch in needle))


def mark(text: str, spans: list[tuple[int, int]], start: int = 0, end: int | None = None) -> Markup:
    """text[start:end] escaped, with each span wrapped in <mark>; spans are clipped to the range."""
    end = len(text) if end is None else end
    out, pos = [], start
    first = max(0, bisect.bisect_left(spans, (start, 0)) - 1)  # the span before may reach in
    for s, e in spans[first:]:
        if s >= end:
            break
        s, e = max(s, start), min(e, end)
        if s >= e:
            continue
        out += [_escape(text[pos:s]), "<mark>", _escape(text[s:e]), "</mark>"]
        pos = e
    out.append(_escape(text[pos:end]))
    return Markup("".join(out))


def on_word_boundaries(text: str, start: int, end: int, margin: int = 8) -> bool:
    """Whether text[start:end] begins and ends where jieba cuts the words around it."""
    lo = max(0, start - margin)
    window = text[lo:end + margin]
    bounds = word_bounds(window)
    return start - lo in bounds and end - lo in bounds


def snippet(text: str, needles: Sequence[str | Needle], width: int = 160) -> tuple[Markup, int]:
    """A window of about `width` characters around the densest hits, escaped and marked,
    and the offset where the window starts (to tell which page it is on).

    Without hits, the start of the text. Line breaks are folded into spaces.
    """
    spans = find_spans(text, needles)
    if not spans:
        return escape(_fold(text[:width])) + ("…" if len(text) > width else ""), 0
    best, best_count = spans[0][0], 0
    j = 0
    for i, (s, _e) in enumerate(spans):
        while j < len(spans) and spans[j][1] <= s + width:
            j += 1
        if j - i > best_count:
            best, best_count = s, j - i
    start = max(0, best - width // 5)
    end = min(len(text), start + width)
    body = mark(text, spans, start, end)
    html = (
        Markup("…" if start > 0 else "")
        + Markup(_fold(str(body)))
        + Markup("…" if end < len(text) else "")
    )
    return html, best


def _fold(s: str) -> str:
    return re.sub(r"\s+", " ", s)
