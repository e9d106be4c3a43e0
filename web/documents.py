"""One document as the document page and the API show it: marked text, related documents,
citation, and the original file as a download. Lookups go through archive.document and
archive.search with the caller's visibility (web.auth.visibility); nothing lists catalog rows
directly. Staff reading or downloading a restricted document is recorded in the audit log."""
from __future__ import annotations

import re
from datetime import date
from urllib.parse import quote

from flask import abort, send_file, url_for

from analyzers.docnumber import parse_doc_number
from analyzers.fields import BY_NAME, FIELDS, brief_fields
from analyzers.references import TYPES
from analyzers.segment import words
from archive import Search

from . import fulltext
from .auth import audit, visibility
from .params import archive

# 机关代字〔年份〕序号号, with any of the bracket forms found in the wild.
TITLE_STOPWORDS = frozenset(
    "关于 印发 转发 通知 通报 通告 公告 决定 意见 批复 报告 请示 函 纪要 办法 规定 实施 实施方案 方案"
    " 进一步 加强 做好 开展 推进 全面 有关 事项 工作 年度 我市 本市 全市 示例 示例市 的".split())
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# Headings of the document page's relations: what this document does to the one it names (本文引用), and
# what the naming document does to this one (被引用).
CITES_LABELS = {"cites": "引用", "implements": "贯彻实施", "amends": "修改", "amended_by": "被以下文件修改",
                "repeals": "废止", "interprets": "解释"}
CITED_BY_LABELS = {"cites": "引用本文的文件", "implements": "贯彻实施本文的文件", "amends": "修改本文的文件",
                   "amended_by": "经本文修改的文件", "repeals": "废止本文的文件", "interprets": "解释本文的文件"}


def get(doc_id: str) -> dict:
    """The document if the caller may see it; 404 otherwise (the same 404 as for no such id)."""
    doc = archive().document(doc_id, visibility())
    if doc is None:
        abort(404)
    return doc


def restricted(doc: dict) -> bool:
    """Whether the document is anything but 主动公开 (only staff ever get such a document)."""
    return doc["disclosure"] != "主动公开"


def audited(doc: dict, action: str = "view", **detail) -> dict:
    """`doc`, after recording in the audit log that staff viewed it, if it is restricted."""
    if restricted(doc):
        audit(action, doc["id"], disclosure=doc["disclosure"], **detail)
    return doc


def marked_pages(doc: dict, q: str) -> dict:
    """Each page escaped with the query's hits marked (the terms the search service marks on the results
    page) and numbered hit-1…hit-N across pages; for a law or regulation also its outline, article anchors
    and links from citations of its own articles (web.fulltext)."""
    return fulltext.body(doc["pages"], archive().searcher.needles(q))


def field_value(doc: dict, name: str) -> str:
    """A field's value, from its column or from the document's `extra` (analyzers.fields says which)."""
    return (doc["extra"].get(name, "") if BY_NAME[name].extra else doc.get(name, "")) or ""


def metadata_rows(doc: dict) -> list[tuple]:
    """(field, value) of the document page's metadata table: the title, then every other field shown on
    pages that has a value (analyzers.fields, in its order)."""
    rows = [(f, field_value(doc, f.name)) for f in FIELDS if f.on_page and f.name != "title"]
    return [(BY_NAME["title"], doc["title"])] + [(f, v) for f, v in rows if v]


def family(doc_number: str) -> tuple[str, str] | None:
    """(机关代字, 年份) of a 发文字号 such as 国办发〔2019〕6号, else None."""
    parsed = parse_doc_number(doc_number) if doc_number else None
    return (parsed["agency_code"], str(parsed["year"])) if parsed and parsed["year"] else None


def brief(hit: dict) -> dict:
    """The few fields a related-documents list shows (those of a hit, analyzers.fields)."""
    return {k: hit.get(k, "") for k in ("id", *brief_fields(staff=False))}


def related(doc: dict) -> dict:
    """Same 文号 family (same 机关代字 and year) and similar documents (title key words)."""
    seen, limit = visibility(), archive().settings.related_limit
    fam = []
    key = family(doc["doc_number"])
    if key:
        r = archive().search(Search(q=f'"{key[0]}〔{key[1]}〕"', sort="date", limit=50), seen)
        fam = [brief(h) for h in r["hits"] if h["id"] != doc["id"] and family(h["doc_number"]) == key]
    similar = []
    keywords = title_keywords(doc["title"], doc["agency"])
    if keywords:
        r = archive().search(Search(q=" OR ".join(keywords), limit=limit + len(fam) + 1), seen)
        skip = {doc["id"], *(h["id"] for h in fam)}
        similar = [brief(h) for h in r["hits"] if h["id"] not in skip][:limit]
    return {"family": fam[:limit * 2], "family_key": "{}〔{}〕".format(*key) if key else "",
            "similar": similar, "keywords": keywords, "relations": relation_groups(relations(doc))}


def relations(doc: dict) -> dict:
    """What the document cites and what cites it, as the caller may see them (archive.relations: a relation
    to or from a document they may not see is left out, counts included)."""
    return archive().relations(doc["id"], visibility()) or {"cites": [], "cited_by": [], "counts": {}, "citing": 0}


def relation_groups(rel: dict) -> dict:
    """The document page's 本文引用 and 被引用: (type, heading, relations) per relation type, in TYPES order;
    the number of documents citing this one per type (`count_of`) and in all (`citing`)."""
    def grouped(items: list[dict], labels: dict[str, str]) -> list[tuple[str, str, list[dict]]]:
        return [(t, labels[t], [r for r in items if r["type"] == t]) for t in TYPES if any(r["type"] == t for r in items)]

    return {"cites": grouped(rel["cites"], CITES_LABELS), "cited_by": grouped(rel["cited_by"], CITED_BY_LABELS),
            "count_of": rel["counts"], "citing": rel["citing"]}


def title_keywords(title: str, agency: str = "", n: int = 4) -> list[str]:
    """The longest content words of a title: no agency name, 公文种类 or filler words."""
    ws = [w for w in dict.fromkeys(words(title)) if len(w) >= 2 and not w.isdigit()]
    maximal = [w for w in ws if not any(w != o and w in o for o in ws)]
    keep = [w for w in maximal if w not in TITLE_STOPWORDS and not (agency and w in agency)]
    return sorted(keep, key=len, reverse=True)[:n]


def citation(doc: dict, url: str, today: date | None = None) -> str:
    """A GB/T 7714-style reference: 责任者. 题名: 文号[EB/OL]. (日期)[引用日期]. URL."""
    today = today or date.today()
    title = doc["title"] + (f": {doc['doc_number']}" if doc["doc_number"] else "")
    when = doc["published_date"] or doc["written_date"]
    parts = [f"{doc['agency']}. " if doc["agency"] else "", f"{title}[EB/OL]. ",
             f"({when})" if when else "", f"[{today.isoformat()}]. ", url]
    return "".join(parts)


def content_disposition(filename: str, fallback_stem: str) -> str:
    """attachment with an ASCII fallback and the exact name as RFC 5987 filename*."""
    ext = re.search(r"\.[A-Za-z0-9]{1,8}$", filename)
    plain = filename if re.fullmatch(r"[A-Za-z0-9._ -]+", filename) else fallback_stem + (ext[0] if ext else "")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download(doc: dict, sha256: str):
    """The original file byte for byte, typed by its stored MIME and named as it came."""
    orig = next((o for o in doc["originals"] if o["sha256"] == sha256), None)
    if orig is None or not archive().blobs.has(sha256):
        abort(404)
    audited(doc, "download", sha256=sha256, filename=orig["filename"])
    name = _CONTROL.sub("_", orig["filename"])  # a ZIP member name may hold CR/LF: never in a header
    resp = send_file(archive().blobs.path(sha256), mimetype=orig["mime"] or "application/octet-stream",
                     as_attachment=True, download_name=name, max_age=86400, etag=sha256)
    resp.headers["Content-Disposition"] = content_disposition(name, f"document-{doc['id']}")
    resp.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return resp


def as_json(doc: dict) -> dict:
    """The API's view of a document: metadata, page texts and links to its originals; for a
    restricted one (only staff get it) also its 公开属性 and the reason."""
    out = {
        "id": doc["id"],
        **{f.name: field_value(doc, f.name) for f in FIELDS if not f.staff_only},
        "url": url_for("public.document", doc_id=doc["id"]),
        "pages": doc["pages"],
        "originals": [
            {"filename": o["filename"], "mime": o["mime"], "size": o["size"], "sha256": o["sha256"],
             "url": url_for("api.original", doc_id=doc["id"], sha256=o["sha256"])}
            for o in doc["originals"]
        ],
    }
    if restricted(doc):  # the staff-only fields (公开属性 and its reason): only staff ever get such a document
        out.update((f.name, field_value(doc, f.name)) for f in FIELDS if f.staff_only)
    rel = relations(doc)
    out["relations"] = [_relation_json(r) for r in rel["cites"] + rel["cited_by"]]
    return out


def relations_json(doc: dict) -> dict:
    """The relations endpoint: both directions and the counts per type of the documents citing this one."""
    rel = relations(doc)
    return {"id": doc["id"], "cites": [_relation_json(r) for r in rel["cites"]],
            "cited_by": [_relation_json(r) for r in rel["cited_by"]], "counts": rel["counts"]}


def _relation_json(r: dict) -> dict:
    return {"type": r["type"], "direction": r["direction"], "document_id": r["document_id"],
            "url": url_for("public.document", doc_id=r["document_id"]) if r["document_id"] else None,
            "title": r["title"], "text": r["text"], "evidence": r["evidence"], "article": r["article"],
            "cited_article": r["cited_article"]}
