"""Synonym tables: plain text a person can edit, read into {units of a term: alternatives}."""
from __future__ import annotations

from .normalize import normalize
from .segment import units


def parse_synonyms(text: str) -> dict[str, list[str]]:
    """Read `a, b, c` (all equivalent) and `a => b, c` (one way) lines; # starts a comment."""
    table: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if "=>" in line:
            left, right = line.split("=>", 1)
            sources, targets = _items(left), _items(right)
        else:
            sources = targets = _items(line)
        for source in sources:
            key = units(normalize(source))
            alternatives = table.setdefault(key, [])
            for target in targets:
                if units(normalize(target)) != key and target not in alternatives:
                    alternatives.append(target)
    return {k: v for k, v in table.items() if k and v}


def _items(part: str) -> list[str]:
    return [x.strip() for x in part.replace("，", ",").split(",") if x.strip()]
