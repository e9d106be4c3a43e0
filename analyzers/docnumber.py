"""发文字号 (document numbers): recognize one in any common written form, split and normalize it."""
from __future__ import annotations

import re

from .normalize import normalize

CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Any opening and any closing bracket, paired or not: OCR and typists mix them (〔2023], （2023）, 〔2023〉).
OPEN, CLOSE = re.escape("〔[【(（［﹝〖〈<《{｛"), re.escape("〕]】)）］﹞〗〉>》}｝")
_WS = re.compile(r"\s+")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))

# 机关代字 + bracketed year + 序号 (ranges like 89-93 kept) + 号 (optional here).
DOC_NUMBER = re.compile(
    rf"(?P<code>[{CJK}]{{1,20}})[{OPEN}](?P<year>(?:19|20)\d\d)[{CLOSE}]"
    r"第?(?P<serial>\d+(?:[-—－~～至]\d+)?)(?P<hao>号)?")
DOC_NUMBER_LING = re.compile(rf"(?P<code>[{CJK}]{{0,19}}令)第(?P<serial>\d+)号")                 # 国令第707号
DOC_NUMBER_YEAR = re.compile(rf"(?P<code>[{CJK}]{{1,20}}?)(?P<year>(?:19|20)\d\d)年第(?P<serial>\d+)号")  # 公告2018年第14号
DOC_NUMBER_LABEL = re.compile(r"^(?:发文字号|发文文号|文号|字号)[:：]?")
# What people type instead of brackets: 国办发2019年6号, 国办发 2019 6, 国办发2019-6.
_TYPED = re.compile(
    rf"^(?P<code>[{CJK}]{{1,12}}?[发函字令电办规通])\s*(?P<year>(?:19|20)\d\d)\s*(?:年|-|\s)\s*第?\s*"
    r"(?P<serial>\d{1,5})\s*号?$")


def parse_doc_number(s: str, whole: bool = False) -> dict | None:
    """Split a 发文字号 into {agency_code, year (int|None), serial, normalized}; None if it is not one
    (with `whole`, if `s` holds anything besides one 文号 and its label).

    normalized: 〔〕 brackets, half-width digits, 号, no spaces or 第 before the serial, leading zeros dropped.
    """
    raw = _WS.sub("", s.translate(_ZERO_WIDTH))
    t = normalize(raw)
    label = DOC_NUMBER_LABEL.match(t)
    if label:
        raw, t = raw[label.end():], t[label.end():]
    find = (lambda pattern: pattern.fullmatch(t)) if whole else (lambda pattern: pattern.search(t))
    m = find(DOC_NUMBER)
    if m:
        code = raw[m.start("code"): m.end("code")]
        serial = re.sub(r"\d+", lambda d: str(int(d[0])), re.sub("[—－~～至]", "-", m["serial"]))
        return {"agency_code": code, "year": int(m["year"]), "serial": serial,
                "normalized": f"{code}〔{m['year']}〕{serial}号"}
    m = find(DOC_NUMBER_LING)
    if m and m["code"] != "令":
        code, serial = raw[m.start("code"): m.end("code")], str(int(m["serial"]))
        return {"agency_code": code, "year": None, "serial": serial, "normalized": f"{code}第{serial}号"}
    m = find(DOC_NUMBER_YEAR)
    if m:
        code, serial = raw[m.start("code"): m.end("code")], str(int(m["serial"]))
        return {"agency_code": code, "year": int(m["year"]), "serial": serial,
                "normalized": f"{code}{m['year']}年第{serial}号"}
    return None


def canonical_doc_number(s: str) -> str:
    """A 文号 as the catalog stores and pages show it (〔〕 brackets, half-width digits, no spaces; a
    traditional 號 stays), or `s` stripped when it does not parse as one."""
    parsed = parse_doc_number(s, whole=True) if s else None
    if parsed is None:
        return (s or "").strip()
    return parsed["normalized"][:-1] + "號" if "號" in s else parsed["normalized"]


def typed_doc_number(s: str) -> str | None:
    """The normalized 文号 a user typed (any common form, whole string), for matching; else None."""
    parsed = parse_doc_number(s)
    if parsed is None:
        m = _TYPED.match(normalize(s.strip()))
        if m:
            parsed = parse_doc_number(f"{m['code']}〔{m['year']}〕{m['serial']}号")
    return match_key(parsed["normalized"]) if parsed else None


def match_key(normalized: str) -> str:
    """The form stored in and looked up from the index: normalized characters, no spaces."""
    return normalize(normalized)
