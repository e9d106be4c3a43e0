"""User query syntax → a small tree the backends render. A raw user string never reaches an engine.

Syntax: words (implicit AND), "exact phrase", OR, -exclude, (grouping). The parser is
lenient: unbalanced quotes and parentheses are closed, stray operators are ignored, and
anything that cannot be searched (e.g. only punctuation) drops out.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .normalize import normalize
from .segment import bigrams, units, words


@dataclass(frozen=True)
class Term:
    """Documents containing `text` verbatim (after normalization, ignoring punctuation)."""

    text: str
    phrase: bool = False

    @property
    def units(self) -> str:
        return units(normalize(self.text))

    @property
    def bigrams(self) -> list[str]:
        return bigrams(self.units)

    @property
    def words(self) -> list[str]:
        return words(normalize(self.text))


@dataclass(frozen=True)
class And:
    children: tuple


@dataclass(frozen=True)
class Or:
    children: tuple


@dataclass(frozen=True)
class Not:
    child: object


@dataclass(frozen=True)
class MatchAll:
    """The empty query: every (visible) document."""


@dataclass(frozen=True)
class MatchNone:
    """A query with nothing searchable in it."""


_TOKEN = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def parse(query: str, max_chars: int = 1000):
    """Parse a user query into a tree; never raises. Text past `max_chars` is ignored."""
    query = _CONTROL.sub(" ", query or "")[:max_chars]
    if not query.strip():
        return MatchAll()
    tokens = _TOKEN.findall(query)
    node, _ = _parse_or(tokens, 0)
    return node if node is not None else MatchNone()


def _parse_or(tokens, i):
    branches, i = _parse_and(tokens, i)
    alternatives = [branches] if branches is not None else []
    while i < len(tokens) and tokens[i] == "OR":
        nxt, i = _parse_and(tokens, i + 1)
        if nxt is not None:
            alternatives.append(nxt)
    if not alternatives:
        return None, i
    return (alternatives[0] if len(alternatives) == 1 else Or(tuple(alternatives))), i


def _parse_and(tokens, i):
    parts = []
    while i < len(tokens) and tokens[i] != "OR":
        tok = tokens[i]
        if tok == ")":
            if parts or i + 1 >= len(tokens):
                break
            i += 1  # stray closing parenthesis
            continue
        node, i = _parse_unary(tokens, i)
        if node is not None:
            parts.append(node)
    positives = [p for p in parts if not isinstance(p, Not)]
    if not positives:
        # A query of exclusions only has nothing to search for.
        return None, i
    return (parts[0] if len(parts) == 1 else And(tuple(parts))), i


def _parse_unary(tokens, i):
    tok = tokens[i]
    if tok == "(":
        node, i = _parse_or(tokens, i + 1)
        if i < len(tokens) and tokens[i] == ")":
            i += 1
        return node, i
    if tok.startswith("-") and len(tok) > 1:
        inner = _term(tok[1:])
        return (Not(inner) if inner is not None else None), i + 1
    return _term(tok), i + 1


def _term(tok: str):
    phrase = tok.startswith('"')
    text = tok.strip('"') if phrase else tok
    term = Term(text, phrase)
    return term if term.units else None


def terms(node) -> list[Term]:
    """The positive terms of a tree (what highlighting should mark)."""
    if isinstance(node, Term):
        return [node]
    if isinstance(node, (And, Or)):
        return [t for c in node.children for t in terms(c)]
    return []
