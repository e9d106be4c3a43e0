"""Metadata from a document's text: every rule proposes values with their source, the most trusted wins.

Sources, most trusted first for most fields: a labelled table (gov.cn 发文机关/成文日期, a disclosure
table), the head of a 公文 (发文机关标志, 发文字号, title), the 题注 of a law or resolution, the 落款
(signature), a report's delivery line, the title's own prefix (国务院办公厅关于…), the 版记, the format's
properties (OFD DocInfo, PDF/DOCX properties), and last the file name. Every value carries its source
(`sources`); its confidence follows from the source (analyzers.fields.SOURCES). Agencies are stored by
canonical name (analyzers.agencies), several issuers joined by 、, with their level and region.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from analyzers import agencies
from analyzers.docnumber import canonical_doc_number
from analyzers.docnumber import parse_doc_number as parse_doc_number
from analyzers.fields import BY_NAME

from .closing import closing
from .head import Head, filename_doc_number
from .kinds import doc_type, title_agency
from .labels import labelled
from .notes import effective_from_text, events, facts, speech
from .text import SPACES, UNCLEAN, clean, parse_date

__all__ = ["Found", "extract_metadata", "parse_date", "parse_doc_number", "read_metadata"]

_WEAK = ("meta tag", "properties", "DocInfo")
_HEAD_LINES = 40
_VERSION = re.compile(r"[（(](?P<date>(?:19|20)\d\d-\d\d-\d\d)[)）]")  # 专利代理条例(2018-11-06).md
_MARKDOWN_HEADING = re.compile(r"^#{1,6} +")
_MEDIA = re.compile(r"报社|日报|晚报|时报|新闻|电视台|广播电台|杂志|网$|网站|门户")
_VALIDITY = {"有效": "现行有效", "现行": "现行有效", "失效": "已废止", "已失效": "已废止", "废止": "已废止",
             "修改": "已修改", "已修订": "已修改", "修订": "已修改"}
DATES = ("written_date", "published_date", "effective_date", "printed_date")


@dataclass
class Found:
    """The metadata read from a document and where each value came from."""

    values: dict[str, str] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def offer(self, key: str, value: str | None, source: str) -> None:
        """Keep `value` for `key` unless a value is already there (rules offer in order of trust)."""
        value = (value or "").strip()
        if value and not self.values.get(key):
            self.values[key] = value
            self.sources[key] = source


def read_metadata(text: str, known: dict[str, str], *, known_sources: dict[str, str] | None = None,
                  filename: str | None = None) -> Found:
    """`known` (what the format gave, with `known_sources`; a key without a source there is a format
    property, and without `known_sources` at all every known value is taken as given) completed from the
    text, every value with its source; agencies canonical, 文号 and dates in one form."""
    found = Found()
    default = "properties" if known_sources is not None else "given"
    sources = {key: (known_sources or {}).get(key, default) for key in known}
    weak = {key: value for key, value in known.items() if sources[key] in _WEAK}
    for key, value in known.items():
        if key not in weak:
            found.offer(key, value, sources[key])
    if UNCLEAN.search(text):  # looking first is ten times faster than translating
        text = clean(text) if "\n" not in text else "\n".join(clean(line) for line in text.splitlines())
    lines = [_MARKDOWN_HEADING.sub("", SPACES.sub(" ", line).strip()) for line in text.splitlines()]
    head_lines = lines[:_HEAD_LINES]

    for key, value in labelled(lines).items():
        found.offer(key, value, "label table")
    head = Head(head_lines)
    found.offer("title", head.title, "header")
    found.offer("doc_number", head.doc_number, "header")
    if head.issuer and agencies.is_agency(head.issuer):
        found.offer("agency", head.issuer, "header")
    found.offer("recipients", head.recipients, "header")

    version = _VERSION.search(filename or "")
    notes = facts(events(head_lines), version["date"] if version else "")
    found.offer("written_date", notes.written_date, "题注")
    found.offer("agency", notes.agency, "题注")
    found.offer("doc_number", notes.doc_number, "题注")
    found.offer("published_date", notes.published_date, "题注")
    found.offer("effective_date", notes.effective_date, "题注")
    found.offer("revised", "、".join(notes.revised), "题注")

    end = closing(lines)
    found.offer("written_date", end.signed, "落款")
    title = found.values.get("title", "")
    found.offer("agency", title and title_agency(title), "title")
    found.offer("agency", end.signer, "落款")
    if not (found.values.get("written_date") and found.values.get("agency")):
        talk = speech(head_lines)
        found.offer("written_date", talk.date, "speech")
        found.offer("agency", talk.agency, "speech")
    found.offer("printed_by", end.printed_by, "版记")
    found.offer("printed_date", end.printed_date, "版记")
    found.offer("copied_to", end.copied_to, "版记")
    found.offer("effective_date", effective_from_text(lines[-80:], notes.promulgated), "text")
    for key, value in weak.items():  # a format's properties and meta tags: after what the text says
        found.offer(key, value, sources[key])
    found.offer("agency", title_agency(found.values.get("title", "")), "title")
    found.offer("written_date", end.last_date, "text")
    if filename:
        found.offer("doc_number", filename_doc_number(filename), "file name")
        found.offer("written_date", version["date"] if version else "", "file name")
        found.offer("title", title_from_filename(filename), "file name")
        found.offer("agency", title_agency(found.values["title"]), "file name")
    if found.values.get("title"):
        found.offer("doc_type", doc_type(found.values["title"]), found.sources["title"])
    _normalize(found)
    return found


def _normalize(found: Found) -> None:
    """One form per value: ISO dates (unparsable ones dropped), canonical 文号, canonical agencies with
    their level and region; a 'source' that names a newspaper or website is not an agency."""
    v = found.values
    for key in DATES:
        if key in v:
            iso = parse_date(v[key])
            if iso:
                v[key] = iso
            else:
                del v[key], found.sources[key]
    if v.get("validity"):  # 有效性 as a disclosure table words it (有效, 已失效) → one of analyzers.fields
        v["validity"] = _VALIDITY.get(v["validity"], v["validity"])
    for key in [k for k in v if k in BY_NAME and BY_NAME[k].choices and v[k] not in BY_NAME[k].choices]:
        del v[key], found.sources[key]  # a value outside a choice field's choices would block every edit
    if v.get("doc_number"):  # one form whatever the brackets (OCR mixes them: 〔2023])
        v["doc_number"] = canonical_doc_number(v["doc_number"])
    printed = v.get("agency", "")
    if printed:
        if _MEDIA.search(printed) and not agencies.is_agency(printed):
            del v["agency"], found.sources["agency"]
        else:
            bodies = agencies.canonical(printed)
            v["agency"] = "、".join(a.name for a in bodies)
            if v["agency"] != agencies.clean(printed):
                v["agency_printed"] = printed
            first = next((a for a in bodies if a.level), None)
            if first:
                found.offer("level", first.level, found.sources["agency"])
                found.offer("region", first.region, found.sources["agency"])


def extract_metadata(text: str, known: dict[str, str], *, sources: dict[str, str] | None = None,
                     filename: str | None = None) -> dict[str, str]:
    """Copy of `known` with empty or missing fields filled from `text` (see read_metadata)."""
    return read_metadata(text, known, known_sources=sources, filename=filename).values


def title_from_filename(filename: str) -> str:
    """A title for a document that states none: its file name without extension and bracketed 文号."""
    stem = Path(filename).stem
    return re.sub(r"\s*[（(][^（）()]*号[)）]\s*$|\s+\S*〔\d{4}〕\S*号\S*$", "", stem).strip() or stem
