"""Close spellings: what a one-character slip in a query could have meant."""
from __future__ import annotations


def one_edit_apart(a: str, b: str) -> bool:
    """True if b differs from a by exactly one substituted, inserted or deleted character."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b)) == 1
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long_[i]:
        i += 1
    return short[i:] == long_[i + 1:]


def best_alternative(word: str, candidates: list[tuple[str, int]]) -> str | None:
    """The most frequent candidate one edit away from `word` (ties: alphabetical), or None."""
    close = [(count, term) for term, count in candidates if one_edit_apart(word, term)]
    if not close:
        return None
    return sorted(close, key=lambda c: (-c[0], c[1]))[0][1]
