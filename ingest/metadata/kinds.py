"""What a title says: its 公文种类 (the word it ends with) and the agency it starts with (XX关于…)."""
from __future__ import annotations

import re

from analyzers.agencies import SUFFIX

from .text import WS, simp

# Title endings -> 公文种类; the 15 GB/T 9704 kinds plus the names laws, plans and disclosures take.
_DOC_TYPES = sorted({
    "决议": "决议", "决定": "决定", "命令": "命令", "令": "令", "公报": "公报", "公告": "公告", "通告": "通告",
    "意见": "意见", "通知": "通知", "通报": "通报", "报告": "报告", "请示": "请示", "批复": "批复", "议案": "议案",
    "函": "函", "复函": "函", "答复": "答复", "纪要": "纪要",
    "法": "法", "法典": "法典", "条例": "条例", "规定": "规定", "办法": "办法", "细则": "细则", "规则": "规则",
    "解释": "解释", "规划": "规划", "方案": "方案", "计划": "计划", "纲要": "纲要", "要点": "要点", "指南": "指南",
    "公示": "公示", "章程": "章程", "准则": "准则", "决算": "决算", "预算": "预算",
    "公开表": "表", "公示表": "表", "信息表": "表", "一览表": "表", "列表": "表", "登记表": "表",
}.items(), key=lambda kv: -len(kv[0]))
_NOT_LAW = re.compile(r"(?:方法|说法|做法|立法|执法|司法|用法|手法)$")   # …法 that is not a law's name
_TRAILING = re.compile(r"(?:[（(][^（）()]*[)）]|\s+)$")
_AGENCY_CUE = re.compile(r"关于|转发|批转|印发|对(?!外)")  # 对外 belongs to names like 对外联络部
_YEAR = re.compile(r"(?:19|20)\d\d年")


def doc_type(title: str) -> str | None:
    """The kind a title names itself by (…的通知 → 通知, …实施细则 → 细则, 中华人民共和国XX法 → 法)."""
    t = simp(title.strip())
    while _TRAILING.search(t):
        t = _TRAILING.sub("", t).rstrip()
    for word, kind in _DOC_TYPES:
        if t.endswith(word):
            if kind == "法" and (_NOT_LAW.search(t) or len(t) < 3) or kind == "议案" and "关于" not in t:
                continue  # (…协议案 is a court case, not a 议案)
            return kind
    return None


def title_agency(title: str) -> str | None:
    """The issuing agency a title starts with: 国务院办公厅关于… → 国务院办公厅; 上海市普陀区财政局2024年度
    部门决算 → 上海市普陀区财政局 (not a body named inside 《》, not words before it)."""
    title = WS.sub("", title)
    t = simp(title)
    cues = [m.start() for m in _AGENCY_CUE.finditer(t)] + [m.start() for m in _YEAR.finditer(t)]
    for end in sorted(cues):
        prefix = title[:end].strip()
        if 2 <= len(prefix) <= 40 and "《" not in prefix and all(
                SUFFIX.search(simp(p)) for p in re.split("[、，]", prefix) if p):
            return prefix
    return None
