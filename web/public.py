"""Public pages: home, search results, document, original download."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from analyzers.fields import LOW_CONFIDENCE, SOURCES
from archive import Search

from . import documents, results
from .auth import visibility
from .feed import added_day
from .params import archive, search_from_args
from .timeline import chart

bp = Blueprint("public", __name__)
RECENT_ON_HOME = 8  # documents under 最新文件 and under 最近收录 on the home page
LOOK_AHEAD = 4      # candidates read per place in those lists, so that junk passed over does not shorten them


@bp.get("/")
def home():
    """Search box, browse by facet, newest documents, figures about the archive (the years they span and
    the newest date agree with the lists: every year is counted, and the lists lead with real documents)."""
    overview = archive().search(Search(sort="date", limit=RECENT_ON_HOME * LOOK_AHEAD), visibility())
    docs = archive().catalog.documents([h["id"] for h in overview["hits"]])
    overview["hits"] = [h for h in overview["hits"] if presentable(docs.get(h["id"]))][:RECENT_ON_HOME]
    facets = overview["facets"]
    facets["year"] = sorted(facets["year"], key=lambda b: b["value"], reverse=True)
    years = [int(b["value"]) for b in facets["year"] if str(b["value"]).isdigit()]
    newest = next((h["written_date"] or h["published_date"] for h in overview["hits"]
                   if h["written_date"] or h["published_date"]), "")
    figures = {
        "documents": overview["total"],
        "agencies": len(facets["agency"]),
        "agencies_more": len(facets["agency"]) >= archive().settings.facet_size,
        "first_year": min(years) if years else None,
        "last_year": max(years) if years else None,
        "newest": newest,
    }
    return render_template("home.html", overview=overview, facets=facets, figures=figures,
                           recent=recently_added(RECENT_ON_HOME))


def presentable(doc: dict | None) -> bool:
    """Whether a document may lead a home-page list: it has a real title (not a file name or another weak
    source, analyzers.fields.SOURCES) and is not flagged low quality (navigation, a login page, no text)."""
    if doc is None or not doc["title"].strip():
        return False
    source = doc["extra"].get("sources", {}).get("title", "")
    if source in SOURCES and SOURCES[source][2] < LOW_CONFIDENCE:
        return False
    return not any(w.startswith("low quality") for w in doc["warnings"])


def recently_added(limit: int) -> list[dict]:
    """The documents added to the archive last that the caller may see (only 主动公开 for the public) and
    that may lead a list (`presentable`), newest first, with `added` (the day, China Standard Time)."""
    docs = [d for d in archive().catalog.recently_added(visibility(), limit * LOOK_AHEAD) if presentable(d)][:limit]
    return [{**{k: d[k] for k in ("id", "title", "agency", "doc_number", "written_date", "published_date")},
             "added": added_day(d["created_at"])} for d in docs]


@bp.get("/search")
def search():
    """Results page: facets, timeline, chips, sort, snippets and pagination."""
    s = search_from_args(request.args)
    r = results.run(s)
    page = r["offset"] // r["limit"] + 1
    reachable = min(r["total"], archive().settings.max_offset + r["limit"])
    pages = max(1, -(-reachable // r["limit"]))
    return render_template("search.html", r=r, s=s, page=page, pages=pages,
                           export_max=archive().settings.export_max_rows,
                           chart=chart(r["timeline"], r["filters"].get("year", [])))


@bp.get("/doc/<doc_id>")
def document(doc_id: str):
    """Metadata table, full text with every hit marked and navigable, related documents."""
    doc = documents.audited(documents.get(doc_id))
    q = request.args.get("q", "")
    view = documents.marked_pages(doc, q)
    image_view = request.args.get("view") == "image"
    viewer = documents.page_viewer(doc, q, request.args.get("page"), view["hits_per_page"]) if image_view else None
    url = url_for("public.document", doc_id=doc_id, _external=True, lang=None)
    return render_template("document.html", doc=doc, q=q, view=view, viewer=viewer,
                           has_images=documents.page_original(doc) is not None,
                           related=documents.related(doc), meta=documents.metadata_rows(doc),
                           restricted=documents.restricted(doc),
                           citation=documents.citation(doc, url))


@bp.get("/doc/<doc_id>/original/<sha256>")
def original(doc_id: str, sha256: str):
    """The original file byte for byte, under its original name."""
    return documents.download(documents.get(doc_id), sha256)


@bp.get("/doc/<doc_id>/original/<sha256>/page")
def page_image(doc_id: str, sha256: str):
    """One page of a PDF original as PNG (?page=N, default 1; ?width=200 for a thumbnail, default 1000), shown to
    whoever may download the original and to no one else."""
    return documents.page_image(documents.get(doc_id), sha256, request.args.get("page"), request.args.get("width"))
