"""Pure functions that read 公文 metadata (title, 发文字号, 成文日期, 发文机关, 公文种类) out of plain text."""
from __future__ import annotations

import datetime
import re

from analyzers.docnumber import DOC_NUMBER as _DOCNUM
from analyzers.docnumber import DOC_NUMBER_LABEL as _DOCNUM_LABEL
from analyzers.docnumber import (
    canonical_doc_number,
    parse_doc_number,  # noqa: F401  (part of this module's API)
)
from analyzers.normalize import simplified

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_CLEAN = {**_ZERO_WIDTH, **_FULLWIDTH_DIGITS}
_UNCLEAN = re.compile("[{}]".format("".join(map(chr, _CLEAN))))
_DOCNUM_FILENAME = re.compile(rf"(?P<code>[{_CJK}]{{1,20}})(?P<year>(?:19|20)\d\d)[-_](?P<serial>\d+)号")
_PROMULGATED = re.compile(  # 2019年6月20日示例市人民政府令第18号公布 / …令第707号第四次修订
    rf"(?P<date>\d{{4}}年\d{{1,2}}月\d{{1,2}}日)\s*(?P<doc>(?P<agency>[{_CJK}、]{{2,40}})令第\d+号)")

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "Ｏ": 0, "O": 0, "0": 0, "一": 1, "二": 2, "三": 3, "四": 4,
             "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_YEAR = "〇○零Ｏ0O一二三四五六七八九"
_CN_NUM = "一二三四五六七八九十"
_DATE = re.compile(
    rf"(?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*日"
    rf"|(?P<cy>[{_CN_YEAR}]{{4}})\s*年\s*(?P<cm>[{_CN_NUM}]{{1,2}})\s*月\s*(?P<cd>[{_CN_NUM}]{{1,3}})\s*日"
    r"|(?P<iy>\d{4})[-/.](?P<im>\d{1,2})[-/.](?P<id>\d{1,2})(?!\d)")
_DATE_LINE = re.compile(rf"[（(]?(?:\d{{4}}|[{_CN_YEAR}]{{4}})年[\d{_CN_NUM}]{{1,3}}月[\d{_CN_NUM}]{{1,3}}日[)）]?")

_WS_NEAR_CJK = re.compile(rf"\s+(?=[{_CJK}“”《》（）〔〕])|(?<=[{_CJK}“”《》（）〔〕])\s+")
_WS = re.compile(r"\s+")
_SPACES = re.compile(r"[^\S\t]+")
_SENTENCE = re.compile(r"[。，；！？]|^[、，。；：）》”]")
_BODY_START = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇\d]+[章条节]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.、．])")
_TRAILING_PAREN = re.compile(r"[（(][^（）()]*[)）]$")
_AGENCY_CUE = re.compile(r"关于|转发|批转|印发|对(?!外)")  # 对外 belongs to names like 对外联络部
_AGENCY_SUFFIX = re.compile(
    r"(?:院|厅|部|委|会|局|署|办|室|府|行|处|所|组|队|站|中心|公司|总社|社|馆|团|校|军区|党组|中央)$")

# Title endings -> 公文种类; the 15 GB/T 9704 kinds plus common document names, longest first.
_DOC_TYPES = sorted({
    "决议": "决议", "决定": "决定", "命令": "命令", "令": "令", "公报": "公报", "公告": "公告", "通告": "通告",
    "意见": "意见", "通知": "通知", "通报": "通报", "报告": "报告", "请示": "请示", "批复": "批复", "议案": "议案",
    "函": "函", "复函": "函", "答复": "函", "纪要": "纪要",
    "条例": "条例", "规定": "规定", "办法": "办法", "细则": "细则", "规则": "规则", "规划": "规划", "方案": "方案",
    "计划": "计划", "纲要": "纲要", "要点": "要点", "指南": "指南", "公示": "公示", "章程": "章程", "准则": "准则",
    "决算": "决算", "预算": "预算",
}.items(), key=lambda kv: -len(kv[0]))

_HEAD_LINES = 40


def _clean(s: str) -> str:
    """Drop zero-width characters, make digits half-width, collapse whitespace other than tabs."""
    return _SPACES.sub(" ", s.translate(_CLEAN)).strip()


def _squash(s: str) -> str:
    """Remove whitespace next to CJK characters (titles spaced out like 通　知), collapse the rest."""
    return _WS_NEAR_CJK.sub("", _clean(s))


_simp = simplified  # traditional characters simplified, same length (OpenCC's single-character table)


def _cn_number(s: str) -> int:
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


def _match_date(m: re.Match) -> str | None:
    if m["y"]:
        return _iso(int(m["y"]), int(m["m"]), int(m["d"]))
    if m["cy"]:
        try:
            year = int("".join(str(_CN_DIGIT[c]) for c in m["cy"]))
            return _iso(year, _cn_number(m["cm"]), _cn_number(m["cd"]))
        except KeyError:
            return None
    return _iso(int(m["iy"]), int(m["im"]), int(m["id"]))


def parse_date(s: str) -> str | None:
    """First valid date in `s` (2019年1月22日, 二〇一九年一月二十二日, 2019-01-22, 2019/1/22) as ISO YYYY-MM-DD."""
    for m in _DATE.finditer(s.translate(_FULLWIDTH_DIGITS)):
        iso = _match_date(m)
        if iso:
            return iso
    return None


def _head_doc_number(line: str) -> str | None:
    """The 发文字号 a header line starts with (as written), e.g. '国发〔2019〕5号  签发人：…'."""
    compact = _WS.sub("", line.translate(_ZERO_WIDTH))
    label = _DOCNUM_LABEL.match(_simp(compact))
    compact = compact[label.end():] if label else compact
    m = _DOCNUM.match(_simp(compact.translate(_FULLWIDTH_DIGITS)))
    return compact[: m.end()] if m and m["hao"] else None


def _filename_doc_number(filename: str) -> str | None:
    name = filename.translate(_FULLWIDTH_DIGITS)
    m = _DOCNUM.search(_simp(name))
    if m and m["hao"]:
        return name[m.start(): m.end()]
    m = _DOCNUM_FILENAME.search(_simp(name))
    return f"{name[m.start('code'): m.end('code')]}〔{m['year']}〕{m['serial']}号" if m else None


def _is_date_line(line: str) -> bool:
    return len(line) <= 24 and _DATE_LINE.fullmatch(_WS.sub("", line)) is not None


def _title_lines(lines: list[str], start: int) -> tuple[list[str], int]:
    """Consecutive short header lines from `start` that make up the title, and the index after them."""
    out: list[str] = []
    for i in range(start, len(lines)):
        line = lines[i]
        if not line:
            if out:
                break
            continue
        if ("：" in line or ":" in line or "\t" in line or len(line) > 80 or _SENTENCE.search(line)
                or _head_doc_number(line) or _is_date_line(line) or _BODY_START.match(line)):
            break
        if out or not (line.endswith("文件") and _AGENCY_SUFFIX.search(_simp(line[:-2]))):  # 发文机关标志 XX文件
            out.append(line)
        if len(out) == 4:
            return out, i + 1
    else:
        i = len(lines)
    return out, i


def _find_title(head: list[str]) -> tuple[str | None, str | None]:
    """(title, header 发文字号) from the first lines of a 公文; the number may precede or follow the title."""
    nonblank = [i for i, line in enumerate(head) if line]
    if not nonblank:
        return None, None
    if head[nonblank[0]].startswith("# "):
        return _squash(head[nonblank[0]][2:]) or None, None
    doc_number, start = None, nonblank[0]
    for i in nonblank[:12]:
        doc_number = _head_doc_number(head[i])
        if doc_number:
            before = _squash("".join(head[:i]))
            if not (before and ("关于" in _simp(before) or _doc_type(before))):
                start = i + 1  # what precedes the number is the 发文机关标志, the title follows it
            break
    lines, end = _title_lines(head, start)
    following = next((line for line in head[end:] if line), "")
    title = _squash("".join(lines))
    if (not 4 <= len(title) <= 120 or following.startswith(tuple("。，；、）》”"))
            or any(len(_squash(line)) < 4 for line in lines[:-1])):  # table cells, not a wrapped title
        return None, doc_number
    return title, doc_number


def _doc_type(title: str) -> str | None:
    t = _simp(title.strip())
    while _TRAILING_PAREN.search(t):
        t = _TRAILING_PAREN.sub("", t).rstrip()
    for word, kind in _DOC_TYPES:
        if t.endswith(word):
            return kind
    return None


def _title_agency(title: str) -> str | None:
    """The issuing agency a title starts with: 国务院办公厅关于… -> 国务院办公厅."""
    for m in _AGENCY_CUE.finditer(_simp(title)):
        prefix = title[: m.start()].strip()
        if 2 <= len(prefix) <= 40 and _AGENCY_SUFFIX.search(_simp(prefix)):
            return prefix
    return None


def _promulgation(head: list[str]) -> tuple[str, str, str] | None:
    """(date, 令 number, agency) of the latest '2019年6月20日XX人民政府令第18号公布/修订' in a regulation's header."""
    last = None
    for line in head:
        for m in _PROMULGATED.finditer(_simp(line)):
            last = parse_date(m["date"]), line[m.start("doc"): m.end("doc")], line[m.start("agency"): m.end("agency")]
    return last


def _signature(lines: list[str]) -> tuple[str | None, str | None, str | None]:
    """(成文日期, 发文机关署名) of the first signature block after the body starts, else (None, None, last date line)."""
    body_started, prev, last_date = False, "", None
    for line in lines:
        if not line:
            continue
        if _is_date_line(line):
            iso = parse_date(line)
            if iso:
                if body_started and prev and len(prev) <= 40 and not _SENTENCE.search(prev):
                    agency = "、".join(prev.split()) if _AGENCY_SUFFIX.search(_simp(prev)) else None
                    return iso, agency, None
                last_date = iso
        elif not body_started and (_SENTENCE.search(line) or line.endswith(("：", ":"))):
            body_started = True
        prev = line
    return None, None, last_date


def extract_metadata(text: str, known: dict[str, str], *, filename: str | None = None) -> dict[str, str]:
    """Copy of `known` with empty or missing title/doc_number/written_date/agency/doc_type filled from `text`.

    title: the header lines (or '# ' heading); doc_number: the header, else a 令 promulgation line, else
    `filename`; written_date: the first signature block, else the promulgation date, else the last date line;
    agency: the title prefix (XX关于…), else the signature, else the promulgation line; doc_type: the title's end.
    """
    result = dict(known)
    if _UNCLEAN.search(text):  # looking first is ten times faster than translating
        text = text.translate(_CLEAN)
    lines = [_SPACES.sub(" ", line).strip() for line in text.splitlines()]  # _clean, line by line
    head = lines[:_HEAD_LINES]
    title, doc_number = _find_title(head)
    if title and not result.get("title"):
        result["title"] = title
    signed, signer, last_date = _signature(lines)
    promulgated = _promulgation(head) or (None, None, None)
    found = {
        "doc_number": doc_number or promulgated[1] or (filename and _filename_doc_number(filename)),
        "written_date": signed or promulgated[0] or last_date,
        "agency": (result.get("title") and _title_agency(result["title"])) or signer or promulgated[2],
    }
    for key, value in found.items():
        if value and not result.get(key):
            result[key] = value
    if result.get("doc_number"):  # one form whatever the brackets (OCR mixes them: 〔2023])
        result["doc_number"] = canonical_doc_number(result["doc_number"])
    if not result.get("doc_type") and result.get("title"):
        kind = _doc_type(result["title"])
        if kind:
            result["doc_type"] = kind
    return result
