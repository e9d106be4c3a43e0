"""Every document field, declared once: how the catalog stores it, whether staff may edit it, how the
query syntax names and matches it, whether it is a facet, and how pages and the API label it.

The catalog's columns and migrations, both index backends' schemas, the query parser's field names,
the facets, the OpenAPI schema, the CLI's filter options, the staff edit form and the document page's
metadata table are all generated from FIELDS and FACETS. To add a field, add it here (and, if it is
extracted, teach ingest.metadata to fill it).

Pure data (no I/O but the agency authority list it canonicalizes issuers with): every package may import it.
"""
from __future__ import annotations

from dataclasses import dataclass

from . import agencies

PUBLIC = "主动公开"   # the one 公开属性 the public may see
DISCLOSURES = (PUBLIC, "依申请公开", "不予公开")
VALIDITIES = ("", "现行有效", "已修改", "已废止", "失效")


@dataclass(frozen=True)
class Field:
    """A document field."""

    name: str                      # catalog column / API key
    label: str                     # as pages show it (Chinese; English through web.i18n)
    label_en: str
    kind: str = "text"             # text | date (ISO YYYY-MM-DD) | choice
    extra: bool = False            # kept in the document's `extra` (not a column of its own)
    editable: bool = True          # staff may edit it
    required: bool = False
    choices: tuple[str, ...] = ()
    query: tuple[str, ...] = ()    # its names in the query syntax (标题:…, title:…)
    match: str = ""                # how such a query matches: text, docno, date, contains, equals, agency
    #                                (agency: contains the canonical name of an alias, 国办 → 国务院办公厅)
    staff_only: bool = False       # shown to signed-in staff only (page, API)
    on_page: bool = True           # a row of the document page's metadata table
    brief: bool = False            # in every hit of a result list (and related-documents lists)


@dataclass(frozen=True)
class Facet:
    """A facet: counted for every search, filterable by its values (several values OR)."""

    name: str                      # the index field and the URL / API parameter
    label: str
    label_en: str
    source: str                    # the document field its values come from
    kind: str = "keyword"          # keyword | year (an integer from the document's date)
    staff_only: bool = False       # counted and filterable only for signed-in staff
    query: tuple[str, ...] = ()    # query syntax names for the facet itself (年份:2019)
    audience: bool = False         # derived per audience (archive.catalog.versions): staff's value is indexed as
    #                                <name>, the public's (from public documents only) as public_<name>


FIELDS: tuple[Field, ...] = (
    Field("title", "标题", "Title", required=True, query=("标题", "题名", "title"), match="text", brief=True),
    Field("doc_number", "发文字号", "Document number", query=("文号", "发文字号", "docno", "doc_number"), match="docno",
          brief=True),
    Field("agency", "发文机关", "Issuing agency", query=("机关", "发文机关", "agency"), match="agency", brief=True),
    Field("written_date", "成文日期", "Date written", kind="date", query=("成文日期", "日期", "date"), match="date",
          brief=True),
    Field("published_date", "发布日期", "Date published", kind="date", brief=True),
    Field("effective_date", "施行日期", "In force from", kind="date", extra=True),
    Field("revised", "修订", "Revised", extra=True),
    Field("doc_type", "公文种类", "Document type", query=("类型", "文种", "公文种类", "type", "doc_type"),
          match="equals", brief=True),
    Field("index_number", "索引号", "Index number"),
    Field("topic", "主题分类", "Topic", query=("主题", "主题分类", "topic"), match="contains"),
    Field("region", "地区", "Region", query=("地区", "region"), match="contains"),
    Field("level", "层级", "Level", kind="choice", choices=("", *agencies.LEVELS), query=("层级", "level"), match="equals"),
    Field("recipients", "主送机关", "Addressed to", extra=True),
    Field("copied_to", "抄送机关", "Copied to", extra=True),
    Field("printed_by", "印发机关", "Printed by", extra=True),
    Field("printed_date", "印发日期", "Date printed", kind="date", extra=True),
    Field("agency_printed", "署名原文", "Agency as printed", extra=True, editable=False),
    Field("validity", "有效性", "Validity", kind="choice", extra=True, choices=VALIDITIES),
    Field("disclosure", "公开属性", "Disclosure", kind="choice", choices=DISCLOSURES, staff_only=True, on_page=False,
          brief=True),
    Field("disclosure_reason", "不予公开的法定理由", "Legal reason for not disclosing", extra=True, staff_only=True,
          on_page=False),
)

FACETS: tuple[Facet, ...] = (
    Facet("agency", "发文机关", "Issuing agency", "agency"),
    Facet("doc_type", "公文种类", "Document type", "doc_type"),
    Facet("year", "年份", "Year", "written_date", kind="year", query=("年份", "年度", "year")),
    Facet("topic", "主题分类", "Topic", "topic"),
    Facet("region", "地区", "Region", "region"),
    Facet("level", "层级", "Level", "level"),
    Facet("validity", "有效性", "Validity", "validity", audience=True),
    Facet("disclosure", "公开属性", "Disclosure", "disclosure", staff_only=True),
)

# Where a metadata value came from (ingest.metadata records one per value; staff edits are "staff"):
# source -> (how staff pages name it, in English, how far it is trusted). Under LOW_CONFIDENCE: needs a look.
SOURCES: dict[str, tuple[str, str, float]] = {
    "staff": ("人工编辑", "staff edit", 1.0), "given": ("导入时给定", "given at import", 1.0),
    "label table": ("信息公开目录表", "disclosure table", 0.95), "header": ("版头", "document header", 0.9),
    "题注": ("题注", "legislative note", 0.9), "落款": ("落款", "signature", 0.9),
    "heading": ("标题行", "heading line", 0.9), "title": ("标题前缀", "start of the title", 0.85),
    "speech": ("报告署名", "report by-line", 0.85), "版记": ("版记", "colophon", 0.8), "text": ("正文中", "body text", 0.8),
    "meta tag": ("网页元标签", "web page meta tag", 0.7), "properties": ("文件属性", "file properties", 0.6),
    "DocInfo": ("OFD 文档信息", "OFD document info", 0.6), "file name": ("文件名", "file name", 0.5),
}
LOW_CONFIDENCE = 0.7
# Index keywords that are no facet, derived per audience like `audience` facets: a document's version group
# and whether it is the latest of it ("1"/"0"); results show the latest of each group unless asked for all.
VERSION_KEYWORDS = ("version_group", "latest")
AUDIENCE_KEYWORDS = (*(f.name for f in FACETS if f.audience), *VERSION_KEYWORDS)
BY_NAME = {f.name: f for f in FIELDS}
COLUMNS = tuple(f.name for f in FIELDS if not f.extra and f.name != "disclosure")  # plain text columns
EDITABLE = tuple(f.name for f in FIELDS if f.editable)
DATES = tuple(f.name for f in FIELDS if f.kind == "date")
PUBLIC_FACETS = tuple(f.name for f in FACETS if not f.staff_only)
STAFF_FACETS = tuple(f.name for f in FACETS)
KEYWORD_FACETS = tuple(f.name for f in FACETS if f.kind == "keyword")
LABELS = {**{f.name: f.label for f in FIELDS}, **{f.name: f.label for f in FACETS}}
LABELS_EN = {**{zh: en for zh, en, _ in SOURCES.values()},
             **{f.label: f.label_en for f in FIELDS}, **{f.label: f.label_en for f in FACETS}}
# Query syntax: name -> (target, how). Title and body are the two searched texts; the rest are fields.
QUERY_FIELDS: dict[str, tuple[str, str]] = {
    "正文": ("body", "text"), "全文": ("body", "text"), "body": ("body", "text"),
    **{alias: (f.name, f.match) for f in FIELDS for alias in f.query},
    **{alias: (f.name, "year") for f in FACETS for alias in f.query},
}


def brief_fields(staff: bool) -> tuple[str, ...]:
    """The fields every hit carries, for the public or for signed-in staff."""
    return tuple(f.name for f in FIELDS if f.brief and (staff or not f.staff_only))


def facet_values(facet: Facet, doc: dict) -> list[str]:
    """The values a keyword facet takes for a catalog document: each of several issuers by canonical
    name, a region and its province (河北省\\邯郸市 → 河北省, 河北省\\邯郸市), the top level of a 主题分类."""
    value = (doc.get(facet.source) or "").strip()
    if not value:
        return []
    if facet.name == "agency":
        return [a.name for a in agencies.canonical(value)] or [value]
    if facet.name == "region":
        parts = [p.strip() for p in value.split("\\") if p.strip()]
        return ["\\".join(parts[:i + 1]) for i in range(len(parts))]
    if facet.name == "topic":
        value = value.split("\\")[0].strip()
    return [value] if value else []


def audience_field(name: str, public: bool) -> str:
    """The index field a facet or version keyword is searched in for the public or for staff."""
    return f"public_{name}" if public and name in AUDIENCE_KEYWORDS else name
