"""Tokens for indexing and querying: jieba words, and units/bigrams for verbatim recall.

All functions take *normalized* text (see normalize.py), so offsets are offsets into the
original text as well.
"""
from __future__ import annotations

import importlib.util
import logging
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jieba

DICT_DIR = Path(__file__).with_name("dict")


def _dictionaries() -> list[Path]:
    """jieba word lists in dict/ (the synonym table there is not one)."""
    return [p for p in sorted(DICT_DIR.glob("*.txt")) if p.name != "synonyms.txt"]

# A unit is one letter, digit or CJK character (jieba words and keys are made of units).
# For verbatim matching, whitespace is layout (PDF line breaks, spaced-out titles like
# 通　知) and is dropped; every other character, punctuation included, must match.
_NON_UNIT = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _tokenizer() -> jieba.Tokenizer:
    """The reference segmenter: jieba (pure Python) with the domain dictionary, used with HMM off."""
    import jieba  # imported when needed: it pulls in pkg_resources (0.15 s)

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    for path in _dictionaries():
        tk.load_userdict(str(path))
    return tk


def _entries() -> list[tuple[str, int | None, str | None]]:
    """(word, frequency, tag) of every line of the domain dictionaries, in load order."""
    out = []
    for path in _dictionaries():
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if parts:
                out.append((parts[0], int(parts[1]) if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None))
    return out


def _lost_frequency(entries: list[tuple[str, int | None, str | None]]) -> int:
    """What jieba-rs takes off the dictionary total that jieba does not, loading `entries`.

    jieba's add_word adds a word's new frequency to the total without taking its old frequency
    off; jieba-rs replaces it. The old frequencies come from jieba's main dictionary file, read
    directly (building the pure-Python jieba would cost a second and 100 MB per process).
    """
    wanted = {w for w, _f, _t in entries}
    spec = importlib.util.find_spec("jieba")
    assert spec is not None and spec.submodule_search_locations, "jieba is not installed"
    main_dict = Path(spec.submodule_search_locations[0]) / "dict.txt"
    found = re.finditer(r"^({}) (\d+)".format("|".join(map(re.escape, sorted(wanted, key=len, reverse=True)))),
                        main_dict.read_text(encoding="utf-8"), re.M)
    current: dict[str, int] = {m[1]: int(m[2]) for m in found} if wanted else {}
    lost = 0
    for word, freq, _tag in entries:
        lost += current.get(word, 0)
        if freq is not None:
            current[word] = freq
    return lost


@lru_cache(maxsize=1)
def _fast():
    """rjieba (Rust jieba, ~10x faster) set up to cut exactly like _tokenizer(); None if not installed.

    A word no text contains carries the frequency jieba-rs loses (see _lost_frequency), so both
    totals, hence every route probability, are equal; tests/test_segment_parity.py checks the tokens.
    """
    try:
        import rjieba
    except ImportError:
        return None
    entries = _entries()
    rj = rjieba.Jieba()
    for word, freq, tag in entries:
        rj.add_word(word, freq, tag)
    lost = _lost_frequency(entries)
    if lost:
        rj.add_word("\ue000\ue001", lost, None)  # private-use characters: never in a text
    return rj


MAX_WORD = 64  # longer "words" are junk (hashes, URLs); engines cap token length too


def words(text: str) -> list[str]:
    """jieba search-mode words of `text` (overlapping sub-words included, HMM off), punctuation dropped.

    Cut by rjieba when installed, else by jieba: the tokens are the same (see reference_words).
    """
    fast = _fast()
    tokens = fast.tokenize(text, "search", False) if fast is not None else _tokenizer().tokenize(
        text, mode="search", HMM=False)
    return [w for w, _s, _e in tokens if _WORD.match(w) and len(w) <= MAX_WORD]


def cut_words(text: str) -> list[str]:
    """jieba's plain cut of `text` (whole words, no sub-words, HMM off), punctuation dropped.

    Documents are indexed with search-mode words() and queries scored by these, the usual pairing
    (like IK's max_word for indexing, smart for queries): fewer, more telling terms per query.
    """
    fast = _fast()
    tokens = fast.cut(text, False) if fast is not None else _tokenizer().lcut(text, HMM=False)
    return [w for w in tokens if _WORD.match(w) and len(w) <= MAX_WORD]


def word_bounds(text: str) -> set[int]:
    """Offsets in `text` where jieba's plain cut starts or ends a word (0 and len(text) included)."""
    fast = _fast()
    tokens = fast.tokenize(text, "default", False) if fast is not None else _tokenizer().tokenize(text, HMM=False)
    return {0, len(text)} | {i for _w, s, e in tokens for i in (s, e)}


_NOT_WORD = re.compile(rf" (?:(?:[^\w ]|_)[^ ]*|[^ ]{{{MAX_WORD + 1},}})")  # a token words() drops


def word_text(text: str) -> str:
    """words(text) as one string, separated by spaces (sometimes several): what indexes store."""
    fast = _fast()
    if fast is None:
        return " ".join(words(text))
    return _NOT_WORD.sub("", " " + " ".join(fast.cut_for_search(text, False)))


def reference_words(text: str) -> list[str]:
    """words() as pure-Python jieba cuts them: the reference the fast path is tested against."""
    return [w for w, _s, _e in _tokenizer().tokenize(text, mode="search", HMM=False)
            if _WORD.match(w) and len(w) <= MAX_WORD]


_LAYOUT = re.compile(r"(?<=[\u3400-\u9fff\uf900-\ufaff])\s+(?=[\u3400-\u9fff\uf900-\ufaff])")


def unbroken(text: str) -> str:
    """`text` without whitespace between two Chinese characters (line breaks inside a word, 通　知): what
    words are cut from, so that a word broken across lines is still indexed as a word."""
    return _LAYOUT.sub("", text)


def units(text: str) -> str:
    """The units of `text` (letters, digits, CJK characters) in order, nothing else."""
    return _NON_UNIT.sub("", text)


def sequence(text: str) -> str:
    """`text` without whitespace: what verbatim matching compares (see bigrams)."""
    return _SPACES.sub("", text)


def bigrams(unit_text: str) -> list[str]:
    """Consecutive pairs of a unit sequence: position i holds characters i and i+1."""
    return [unit_text[i : i + 2] for i in range(len(unit_text) - 1)]


def bigram_text(unit_text: str) -> str:
    """bigrams(unit_text) as one string, separated by single spaces (an array build, ~20x faster)."""
    if len(unit_text) < 2:
        return ""
    import numpy as np  # (here, not at start-up: ~0.1 s that commands which never index don't pay)

    codes = np.frombuffer(unit_text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    out = np.empty((len(codes) - 1, 3), dtype=np.uint32)
    out[:, 0], out[:, 1], out[:, 2] = codes[:-1], codes[1:], ord(" ")
    return out.tobytes()[:-4].decode("utf-32-le", "surrogatepass")
