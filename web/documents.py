"""One document as the document page and the API show it: marked text, related documents,
citation, and the original file as a download. Lookups go through archive.document and
archive.search with the caller's visibility (web.auth.visibility); nothing lists catalog rows
directly. Staff reading or downloading a restricted document is recorded in the audit log."""
from __future__ import annotations

import logging
import re
import threading
from datetime import date
from urllib.parse import quote

from flask import abort, current_app, send_file, url_for

from analyzers import highlight, titles
from analyzers.docnumber import parse_doc_number
from analyzers.fields import BY_NAME, FIELDS, brief_fields
from analyzers.references import TYPES
from analyzers.segment import words
from archive import Search
from archive.page_images import PAGE_WIDTH, THUMB_WIDTH, WIDTHS, NoSuchPage, PageImageError, PageImages, spans_to_boxes

from . import fulltext, versions
from .auth import audit, visibility
from .errors import error_response
from .params import archive

log = logging.getLogger(__name__)

# 机关代字〔年份〕序号号, with any of the bracket forms found in the wild.
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
    rows = [(f, versions.status(doc)["value"] if f.name == "validity" else field_value(doc, f.name))
            for f in FIELDS if f.on_page and f.name != "title"]   # (validity: as set, else as derived)
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
            "similar": similar, "keywords": keywords, "relations": relation_groups(relations(doc)),
            **validity_view(doc)}


def validity_view(doc: dict) -> dict:
    """The document page's 有效性 (`validity`: value, source, evidence) and 修订沿革 (`timeline`), web.versions."""
    st = versions.status(doc)
    return {"validity": {"value": st["value"], "source": st["source"], "source_label": versions.SOURCES[st["source"]],
                         "evidence": [{**e, "label": versions.EVIDENCE[e["kind"]]} for e in st["evidence"]]},
            "timeline": [{**e, "label": versions.EVENTS[e["kind"]]} for e in versions.timeline(doc, st)]}


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
    keep = [w for w in maximal if w not in titles.GENERIC and not (agency and w in agency)]
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


# Originals and page images: kept by caches but asked for again each time (a cheap 304 by ETag), so a document
# restricted or redacted later is not served from a shared cache for a day.
REVALIDATE = "public, no-cache"


def download(doc: dict, sha256: str):
    """The original file byte for byte, typed by its stored MIME and named as it came."""
    orig = next((o for o in doc["originals"] if o["sha256"] == sha256), None)
    if orig is None or not archive().blobs.has(sha256):
        abort(404)
    audited(doc, "download", sha256=sha256, filename=orig["filename"])
    name = _CONTROL.sub("_", orig["filename"])  # a ZIP member name may hold CR/LF: never in a header
    resp = send_file(archive().blobs.path(sha256), mimetype=orig["mime"] or "application/octet-stream",
                     as_attachment=True, download_name=name, etag=sha256)
    resp.headers["Cache-Control"] = REVALIDATE
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
        "redacted": bool(doc.get("redaction")),
    }
    if restricted(doc):  # the staff-only fields (公开属性 and its reason): only staff ever get such a document
        out.update((f.name, field_value(doc, f.name)) for f in FIELDS if f.staff_only)
    rel = relations(doc)
    out["relations"] = [_relation_json(r) for r in rel["cites"] + rel["cited_by"]]
    out["validity_detail"] = versions.as_json(doc)   # (`validity`: its value, as set or else as derived)
    out["validity"] = out["validity_detail"]["value"]
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


# -- page images of PDF and OFD originals (archive.page_images): the document page's image view and the image route

PDF_MIME = "application/pdf"
OFD_MIME = "application/ofd"
IMAGED_MIMES = (PDF_MIME, OFD_MIME)   # originals with page images (an OFD drawn from its layout: archive.ofd_render)
THUMBS_AROUND = 40   # a long document's thumbnail strip shows this many pages either side of the current one
_pages_lock = threading.Lock()


def page_images() -> PageImages:
    """The app's PageImages (made on first use; one render process per app)."""
    ext = current_app.extensions
    with _pages_lock:
        if "gongkai.page_images" not in ext:
            ext["gongkai.page_images"] = PageImages(archive().blobs, archive().settings)
    return ext["gongkai.page_images"]


def page_original(doc: dict) -> dict | None:
    """The document's first stored original with page images (a PDF, else an OFD), else None."""
    stored = [o for o in doc["originals"] if o["mime"] in IMAGED_MIMES and archive().blobs.has(o["sha256"])]
    return next((o for o in stored if o["mime"] == PDF_MIME), stored[0] if stored else None)


def page_image(doc: dict, sha256: str, page_arg: str | None, width_arg: str | None):
    """A page of one of the document's PDF or OFD originals as PNG, under the same rules as the original itself (404 for
    anything the caller may not see or that is not there; revalidated on each use, private for staff); 422 if the file
    cannot be drawn. Staff viewing a restricted document's page at reading size is recorded in the audit log."""
    orig = next((o for o in doc["originals"] if o["sha256"] == sha256), None)
    page, width = _int(page_arg, 1), _int(width_arg, PAGE_WIDTH)
    if orig is None or orig["mime"] not in IMAGED_MIMES or not archive().blobs.has(sha256) or page is None \
            or width not in WIDTHS:
        abort(404)
    try:
        path = page_images().image(sha256, page, width)
    except NoSuchPage:
        abort(404)
    except PageImageError as e:
        log.warning("page image of document %s, original %s, page %d: %s", doc["id"], sha256, page, e.reason)
        return error_response(422 if e.recorded else 503, UNRENDERABLE if e.recorded else None)
    if width == PAGE_WIDTH:
        audited(doc, "view", sha256=sha256, page=page)
    resp = send_file(path, mimetype="image/png", etag=f"{sha256}-{page}-{width}", conditional=True)
    resp.headers["Cache-Control"] = REVALIDATE
    return resp


UNRENDERABLE = ("这一页无法显示为图像（文件可能已损坏、加密或过大），请下载原件查看。", "page cannot be rendered")


def _int(value: str | None, default: int) -> int | None:
    if value is None or value == "":
        return default
    return int(value) if value.isdigit() and len(value) < 7 else None


def page_viewer(doc: dict, q: str, page_arg: str | None, hits_per_page: list[int]) -> dict:
    """What the document page's image view shows: the page (the one asked for, else the first with a hit, else
    the first), its image and thumbnail URLs and sizes, the query's hits on it as boxes over the image, and a
    reason instead where there is no image (no PDF or OFD original, a file that cannot be drawn); `ofd` when the
    image is an OFD's, drawn from its layout."""
    orig = page_original(doc)
    out: dict = {"available": orig is not None, "error": "", "boxes": [], "positions": True,
                 "ofd": orig is not None and orig["mime"] == OFD_MIME}
    if orig is None:
        return out
    sha = orig["sha256"]
    try:
        info = page_images().info(sha)
    except PageImageError as e:
        log.warning("page images of document %s, original %s: %s", doc["id"], sha, e.reason)
        return {**out, "available": False, "error": e.reason}
    n = info["pages"]
    aligned = doc["originals"][0]["sha256"] == sha and len(hits_per_page) == n  # the stored text is this PDF's
    counts = hits_per_page if aligned else [0] * n
    page = _int(page_arg, 0) or next((k for k, c in enumerate(counts, 1) if c), 1)
    page = min(max(page, 1), n)
    w, h = info["sizes"][page - 1]
    lo, hi = max(1, page - THUMBS_AROUND), min(n, page + THUMBS_AROUND)
    out.update(sha256=sha, pages=n, page=page, hit_pages=[k for k, c in enumerate(counts, 1) if c], first=lo, last=hi,
               width=PAGE_WIDTH, height=round(PAGE_WIDTH * h / w) if w else PAGE_WIDTH,
               thumbs=[{"page": k, "height": round(THUMB_WIDTH * th / tw) if tw else THUMB_WIDTH, "hits": counts[k - 1]}
                       for k, (tw, th) in enumerate(info["sizes"][lo - 1:hi], lo)])
    needles = archive().searcher.needles(q) if q else []
    if needles:
        try:
            lay = page_images().layout(sha, page)
        except (PageImageError, NoSuchPage):
            lay = {"text": "", "boxes": []}
        out["positions"] = any(lay["boxes"])
        out["boxes"] = spans_to_boxes(lay["boxes"], highlight.find_spans(lay["text"], needles))
    return out
