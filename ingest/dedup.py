"""Same document, different file: the hash of a text's normalized units, for conservative merging."""
from __future__ import annotations

import hashlib

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
