"""Labelled values: `发文机关：国务院` lines and `作出决定机关<TAB>福建金融监管局` table rows.

The label words of government pages and disclosure tables (gov.cn's 索引号/发文机关/成文日期 table, the
行政处罚信息公开表 of financial regulators, …) mapped to fields; HTML tables arrive as tab-separated rows
(ingest.extractors.html), so one reader serves pages, text files and converted documents.
"""
from __future__ import annotations

import re

from .text import WS

# Label (spaces removed, trailing colon dropped) -> field.
LABELS = {
    "索引号": "index_number", "主题分类": "topic", "主题词": "keywords",
    "发文机关": "agency", "发布机构": "agency", "发文单位": "agency", "发布机关": "agency", "制发机关": "agency",
    "作出决定机关": "agency", "作出处罚决定的机关名称": "agency", "处罚机关": "agency", "颁布机关": "agency",
    "成文日期": "written_date", "发文日期": "written_date", "签发日期": "written_date",
    "作出处罚决定的日期": "written_date", "作出决定日期": "written_date", "处罚决定日期": "written_date",
    "决定日期": "written_date", "开票日期": "written_date", "填开日期": "written_date", "发证日期": "written_date",
    "标题": "title", "名称": "title", "文件名称": "title",
    "发文字号": "doc_number", "文号": "doc_number", "行政处罚决定书文号": "doc_number", "决定书文号": "doc_number",
    "处罚决定书文号": "doc_number",
    "发布日期": "published_date", "发布时间": "published_date", "公开日期": "published_date", "公布日期": "published_date",
    "施行日期": "effective_date", "生效日期": "effective_date", "实施日期": "effective_date",
    "有效性": "validity",
}
_LINE = re.compile(r"^(?P<label>[^\t:：]{2,24}?)\s*(?:\t+|[:：])\s*(?P<value>.*)$")
_MAX_LINES = 200


_AMBIGUOUS = {"名称"}  # a title in gov.cn tables, a buyer's or a party's name in invoices and forms


def labelled(lines: list[str]) -> dict[str, str]:
    """field -> value of the first `label: value` / `label<TAB>value` line for each known label."""
    found: dict[str, str] = {}
    for line in lines[:_MAX_LINES]:
        m = _LINE.match(line)
        if not m:
            continue
        label = WS.sub("", m["label"])
        field = LABELS.get(label) if label not in _AMBIGUOUS else None
        value = m["value"].split("\t")[0].strip()
        if field and value and field not in found:
            found[field] = value
    return found
