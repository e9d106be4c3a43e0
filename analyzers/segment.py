"""Tokens for indexing and querying: jieba words, and units/bigrams for verbatim recall.

All functions take *normalized* text (see normalize.py), so offsets are offsets into the
original text as well.
"""
from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

import jieba

DICT_DIR = Path(__file__).with_name("dict")

# A unit is one letter, digit or CJK character; everything else (punctuation, spaces,
# line breaks) is skipped, so a phrase also matches across a PDF line break.
_NON_UNIT = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]")


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    for path in sorted(DICT_DIR.glob("*.txt")):
        tk.load_userdict(str(path))
    return tk


MAX_WORD = 64  # longer "words" are junk (hashes, URLs); engines cap token length too


def words(text: str) -> list[str]:
    """jieba search-mode words of `text` (overlapping sub-words included), punctuation dropped."""
    return [w for w, _s, _e in _tokenizer().tokenize(text, mode="search")
            if _WORD.match(w) and len(w) <= MAX_WORD]


def units(text: str) -> str:
    """The units of `text` (letters, digits, CJK characters) in order, nothing else."""
    return _NON_UNIT.sub("", text)


def bigrams(unit_text: str) -> list[str]:
    """Consecutive pairs of units: position i holds units i and i+1."""
    return [unit_text[i : i + 2] for i in range(len(unit_text) - 1)]
