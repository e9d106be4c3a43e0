"""Mojibake: Chinese text whose bytes were decoded with the wrong charset (鍏充簬 for 关于).

repair() undoes it when re-encoding with the wrong charset and decoding with the right one round-trips
without a single error and gives much more common Chinese (GB2312 level-1 characters) than before; or,
when a few bytes were lost on the way (U+FFFD, '?'), when the reading is clearly better Chinese by
quality(): common characters and common two-character words (jieba's dictionary). What a lossy repair
lost is said in a warning; the archive keeps the original bytes anyway.
"""
from __future__ import annotations

import codecs
import functools
import logging
import re
from pathlib import Path
from typing import NamedTuple

log = logging.getLogger(__name__)

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SAMPLE = 1 << 16           # characters looked at to decide
_MIN_CJK = 4                # a repair must yield at least this many Chinese characters
_MIN_COMMON = 0.6           # ... of which at least this share are common (GB2312 level 1)
_MIN_GAIN = 0.3             # ... and this much more than before
_MAX_LOST = 1.0             # a lossy reading is flagged if it loses at most as many characters as it recovers
_REPAIR_LOST = 0.3          # ... and made if it loses at most this share of what it recovers
_MIN_QUALITY = 1.0          # ... reads at least this well (quality(): 0 to 2)
_QUALITY_GAIN = 0.6         # ... and this much better than before
_MIN_PAIRS = 3              # quality() of fewer adjacent Chinese pairs counts common characters only
_WORD_FREQ = 50             # two-character words at least this frequent in jieba's dictionary are common
_LOST = re.compile("\ufffd+")
_CJK_RUN = re.compile("[\u4e00-\u9fff]{2,}")
_MANY_REPLACED = 10         # this many U+FFFD (and 1% of the text) mean it was damaged before it was saved
_MAX_ROUNDS = 3             # text garbled more than once is repaired up to this many times
_LINE_MIN_NON_ASCII = 4     # lines with fewer non-ASCII characters are not tried one by one


def _level1() -> frozenset[str]:
    """The 3,755 GB2312 level-1 characters: the most common simplified Chinese characters."""
    chars = set()
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes((hi, lo)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return frozenset(chars)


_COMMON = _level1()
_SINGLE_BYTE = ("cp1252", "cp437")
def _cp1252_c1(exc: UnicodeError):
    """Encode error handler: C1 controls (U+0080-U+009F) go back to their byte values, so that text read
    as Latin-1, or as cp1252 by decoders that keep its five undefined bytes, re-encodes too."""
    bad = exc.object[exc.start:exc.end]
    if isinstance(exc, UnicodeEncodeError) and all("\x80" <= ch <= "\x9f" for ch in bad):
        return bad.encode("latin-1"), exc.end
    raise exc


def _cp1252_c1_replace(exc: UnicodeError):
    try:
        return _cp1252_c1(exc)
    except UnicodeEncodeError:
        return b"?" * (exc.end - exc.start), exc.end


codecs.register_error("gongkai-cp1252-c1", _cp1252_c1)
codecs.register_error("gongkai-cp1252-c1-replace", _cp1252_c1_replace)


class Reading(NamedTuple):
    """A wrong decoding: the codec the text was wrongly read with, the real one, and how to say it."""

    wrong: str
    right: str
    label: str

    def fits(self, text: str) -> bool:
        """Whether `text` can be this mojibake at all: single-byte readings hold no Chinese characters."""
        return self.wrong not in _SINGLE_BYTE or _CJK.search(text) is None


READINGS = (
    Reading("gb18030", "utf-8", "UTF-8 read as GBK"),        # 鍏充簬 -> 关于 (GB18030 keeps odd pairs in PUA)
    Reading("gbk", "utf-8", "UTF-8 read as GBK"),
    Reading("cp1252", "gb18030", "GBK read as Windows-1252"),  # ¹ØÓÚ -> 关于 (Latin-1 too)
    Reading("cp1252", "utf-8", "UTF-8 read as Windows-1252"),  # å…³äºŽ -> 关于
    Reading("cp437", "gb18030", "GBK read as CP437"),          # ╣╪╙┌ -> 关于 (zip member names)
)


class Repaired(NamedTuple):
    text: str
    warnings: list[str]


def common_share(text: str) -> tuple[float, int]:
    """(share of Chinese characters that are GB2312 level 1, number of Chinese characters) in `text`."""
    cjk = _CJK.findall(text)
    return (sum(ch in _COMMON for ch in cjk) / len(cjk) if cjk else 0.0), len(cjk)


@functools.cache
def _words() -> frozenset[str]:
    """Common two-character words (frequency >= _WORD_FREQ in jieba's dictionary, about 33,000)."""
    try:
        import jieba

        path = Path(jieba.__file__).parent / "dict.txt"
        with open(path, encoding="utf-8") as f:
            return frozenset(word for word, freq, *_ in (line.split() for line in f)
                             if len(word) == 2 and freq.isdigit() and int(freq) >= _WORD_FREQ
                             and _CJK_RUN.fullmatch(word))
    except (ImportError, OSError, ValueError) as err:   # the system's fault: judged by characters alone
        log.warning("jieba dictionary unreadable (%s): mojibake quality by characters only", err)
        return frozenset()


def quality(text: str) -> float:
    """How much `text` reads like Chinese, 0 to 2: the share of its Chinese characters that are common plus
    the share of adjacent pairs that are common words (with few pairs, the character share counted twice)."""
    share, count = common_share(text)
    if not count:
        return 0.0
    words = _words()
    pairs = hits = 0
    for run in _CJK_RUN.findall(text):
        pairs += len(run) - 1
        hits += sum(run[i:i + 2] in words for i in range(len(run) - 1))
    return share + (hits / pairs if pairs >= _MIN_PAIRS and words else share)


def _encode(text: str, codec: str, errors: str = "strict") -> bytes:
    if codec == "cp1252":
        return text.encode(codec, "gongkai-cp1252-c1" if errors == "strict" else "gongkai-cp1252-c1-replace")
    return text.encode(codec, errors)


def _reread(text: str, reading: Reading) -> str | None:
    """`text` re-encoded with the wrong codec and decoded with the right one; None if either step fails."""
    try:
        return _encode(text, reading.wrong).decode(reading.right)
    except (UnicodeError, LookupError):
        return None


def _better(before: str, after: str) -> bool:
    """Whether `after` is clearly more common Chinese than `before`."""
    share_after, count_after = common_share(after)
    share_before, _ = common_share(before)
    return count_after >= _MIN_CJK and share_after >= max(_MIN_COMMON, share_before + _MIN_GAIN)


def _certain(text: str) -> tuple[str, list[Reading]] | None:
    """The repair of all of `text`, if one reading (or two in a row: garbled twice) round-trips exactly
    and reads much better."""
    if text.isascii():
        return None
    sample = text[:_SAMPLE]
    seconds = []
    for reading in READINGS:
        fixed = _reread(sample, reading) if reading.fits(sample) else None
        if fixed is None or fixed == sample:
            continue
        if _better(sample, fixed):
            return _apply(text, [reading])
        seconds.append((reading, fixed))
    for first, middle in seconds:
        for reading in READINGS:
            fixed = _reread(middle, reading) if reading.fits(middle) else None
            if fixed is not None and fixed != middle and _better(sample, fixed):
                return _apply(text, [first, reading])
    return None


def _apply(text: str, readings: list[Reading]) -> tuple[str, list[Reading]] | None:
    """`text` re-read under `readings` in turn (all of it, not just the sample); None if that fails."""
    for reading in readings:
        text = _reread(text, reading)
        if text is None:
            return None
    return text, readings


def _reread_lossy(text: str, reading: Reading) -> str:
    """`text` re-read under `reading`, U+FFFD where bytes were lost (a U+FFFD already there becomes a byte
    no reading decodes, 0xFF, not what the wrong codec makes of it)."""
    if "\ufffd" not in text:
        return _encode(text, reading.wrong, "replace").decode(reading.right, "replace")
    data = b"\xff".join(_encode(part, reading.wrong, "replace") for part in text.split("\ufffd"))
    return data.decode(reading.right, "replace")


class _Lossy(NamedTuple):
    reading: Reading
    text: str       # the text re-read, with U+FFFD where bytes were lost
    lost: int       # characters lost
    clear: bool     # whether it reads clearly better than before, so that the loss is worth it


def _lossy(text: str) -> _Lossy | None:
    """A reading under which `text` becomes good Chinese with a few characters lost."""
    for reading in READINGS:
        if not reading.fits(text):
            continue
        fixed = _reread_lossy(text, reading)
        replaced, recovered = fixed.count("\ufffd"), common_share(fixed)[1]
        # one to three U+FFFD a lost character: a cheap bound first
        if not 0 < replaced <= 3 * _MAX_LOST * recovered or not _better(text, fixed):
            continue
        fixed = _LOST.sub("\ufffd", fixed)
        lost = fixed.count("\ufffd")
        if lost <= _MAX_LOST * recovered:
            good = quality(fixed)
            clear = (lost <= _REPAIR_LOST * recovered and good >= _MIN_QUALITY
                     and good >= quality(text) + _QUALITY_GAIN)
            return _Lossy(reading, fixed, lost, clear)
    return None


def _whole(text: str) -> Repaired | None:
    """The whole text repaired (repeatedly, for text garbled more than once), or None."""
    warnings: list[str] = []
    for _ in range(_MAX_ROUNDS):
        found = _certain(text)
        if found is None:
            break
        text, readings = found
        warnings += [f"mojibake repaired ({reading.label})" for reading in readings]
    return Repaired(text, warnings) if warnings else None


def repair(text: str) -> Repaired:
    """`text` with mojibake undone (the whole text, else line by line), and warnings saying what was
    repaired, how many characters a repair lost, and what looks garbled but was kept."""
    if text.isascii():
        return Repaired(text, [])
    whole = _whole(text)
    if whole is not None:
        return whole
    lines = text.split("\n")
    repaired: dict[str, int] = {}
    lost: dict[str, int] = {}
    kept: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if len(line) - len(line.encode("ascii", "ignore")) < _LINE_MIN_NON_ASCII:
            continue
        found = _certain(line)
        if found is not None:
            lines[i] = found[0]
            label = " then ".join(reading.label for reading in found[1])
            repaired[label] = repaired.get(label, 0) + 1
            continue
        lossy = _lossy(line[:_SAMPLE])
        if lossy is None:
            continue
        label = lossy.reading.label
        if lossy.clear:
            lines[i] = lossy.text if len(line) <= _SAMPLE else _LOST.sub("\ufffd", _reread_lossy(line, lossy.reading))
            repaired[label] = repaired.get(label, 0) + 1
            lost[label] = lost.get(label, 0) + lossy.lost
        else:
            kept.setdefault(label, []).append(lossy.lost)
    warnings = [f"mojibake repaired on {n} lines ({label})" + (f": {lost[label]} characters lost" if lost.get(label)
                                                                 else "") for label, n in repaired.items()]
    warnings += [f"possible mojibake on {len(n)} lines ({label}), not repaired: {sum(n)} characters "
                 f"would be lost" for label, n in kept.items()]
    text = "\n".join(lines) if repaired else text
    replaced = text.count("\ufffd") - sum(lost.values())
    if replaced >= _MANY_REPLACED and replaced >= 0.01 * len(text):
        warnings.append(f"{replaced} replacement characters (U+FFFD): text damaged by a wrong decoding")
    return Repaired(text, warnings)


