"""Same document, different file: the hash of a text's normalized units, for conservative merging."""
from __future__ import annotations

import hashlib

from analyzers.fields import LOW_CONFIDENCE, SOURCES
from analyzers.normalize import normalize
from analyzers.segment import units


def text_hash(pages: list[str], min_units: int) -> str:
    """sha256 of the normalized units (letters, digits, CJK) of all pages; '' when too short to trust.

    Two files with this hash hold the same text up to layout, punctuation, spacing, width and
    case: a PDF and its HTML notice, or a .txt copy. Texts under `min_units` units never merge.
    """
    u = units(normalize("".join(pages)))
    if len(u) < max(1, min_units):
        return ""
    return hashlib.sha256(u.encode("utf-8", "surrogatepass")).hexdigest()


def conflicts(new: dict, old: dict) -> list[str]:
    """The fields in which two documents of the same text disagree (文号, 成文日期, title; a value from a
    weak source such as a file name does not count): a PDF and its HTML notice agree; two decisions
    whose pages gave the same shared text do not."""
    new_sources, old_sources = new.get("sources") or {}, (old.get("extra") or {}).get("sources") or {}
    out = []
    for key in ("doc_number", "written_date", "title"):
        a, b = (new.get(key) or "").strip(), (old.get(key) or "").strip()
        if not a or not b or _weak(new_sources.get(key)) or _weak(old_sources.get(key)):
            continue
        if key == "title":
            a, b = units(normalize(a)), units(normalize(b))
            if a in b or b in a:
                continue
        if a != b:
            out.append(key)
    return out


def _weak(source: str | None) -> bool:
    return source is not None and SOURCES.get(source, ("", "", 1.0))[2] < LOW_CONFIDENCE
