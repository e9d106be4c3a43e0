"""What every metadata rule shares: cleaning lines, Chinese numerals, and dates in their written forms."""
from __future__ import annotations

import datetime
import re

from analyzers.normalize import simplified

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CLEAN = {**ZERO_WIDTH, **FULLWIDTH_DIGITS}
UNCLEAN = re.compile("[{}]".format("".join(map(chr, _CLEAN))))
WS = re.compile(r"\s+")
SPACES = re.compile(r"[^\S\t]+")
_WS_NEAR_CJK = re.compile(rf"\s+(?=[{CJK}“”《》（）〔〕])|(?<=[{CJK}“”《》（）〔〕])\s+")
SENTENCE = re.compile(r"[。，；！？]|^[、，。；：）》”]")

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_YEAR = "〇○零Ｏ0O一二三四五六七八九"
CN_NUM = "一二三四五六七八九十"
DATE = re.compile(
    rf"(?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日"
    rf"|(?P<cy>[{CN_YEAR}]{{4}})\s*年\s*(?P<cm>[{CN_NUM}]{{1,2}})\s*月\s*(?P<cd>[{CN_NUM}]{{1,3}})\s*日"
    r"|(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?!\d)")
_DATE_LINE = re.compile(rf"[（(]?(?:\d{{4}}|[{CN_YEAR}]{{4}})年[\d{CN_NUM}]{{1,3}}月[\d{CN_NUM}]{{1,3}}日[)）]?")


def clean(s: str) -> str:
    """Drop zero-width characters, make digits half-width, collapse whitespace other than tabs."""
    return SPACES.sub(" ", s.translate(_CLEAN)).strip()


def squash(s: str) -> str:
    """Remove whitespace next to CJK characters (titles spaced out like 通　知), collapse the rest."""
    return _WS_NEAR_CJK.sub("", clean(s))


simp = simplified  # traditional characters simplified, same length (OpenCC's single-character table)


def cn_number(s: str) -> int:
    """Value of a Chinese numeral from 一 to 三十九 (十, 十二, 二十, 二十二 ...)."""
    if "十" not in s:
        return _CN_DIGIT[s]
    tens, _, ones = s.partition("十")
    return (_CN_DIGIT[tens] if tens else 1) * 10 + (_CN_DIGIT[ones] if ones else 0)


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def match_date(m: re.Match) -> str | None:
    """The ISO date of a DATE match, or None if it is not a real day."""
    if m["y"]:
        return _iso(int(m["y"]), int(m["m"]), int(m["d"]))
    if m["cy"]:
        try:
            year = int("".join(str(_CN_DIGIT[c]) for c in m["cy"]))
            return _iso(year, cn_number(m["cm"]), cn_number(m["cd"]))
        except KeyError:
            return None
    return _iso(int(m["iy"]), int(m["im"]), int(m["id"]))


def parse_date(s: str) -> str | None:
    """First valid date in `s` (2019年1月22日, 二〇一九年一月二十二日, 2019-01-22, 2019/1/22) as ISO YYYY-MM-DD."""
    for m in DATE.finditer(s.translate(FULLWIDTH_DIGITS)):
        iso = match_date(m)
        if iso:
            return iso
    return None


def is_date_line(line: str) -> bool:
    """A line that is only a date (a signature's or a 题注's), brackets allowed."""
    return len(line) <= 24 and _DATE_LINE.fullmatch(WS.sub("", line)) is not None
