"""Public pages: home, search results, document, original download."""
from __future__ import annotations

from flask import Blueprint, render_template, request, url_for

from archive import Search

from . import documents, results
from .auth import visibility
from .feed import added_day
from .params import archive, search_from_args
from .timeline import chart

bp = Blueprint("public", __name__)
RECENT_ON_HOME = 8  # documents under 最近收录 on the home page (as many as under 最新文件)


@bp.get("/")
def home():
    """Search box, browse by facet, newest documents, figures about the archive."""
    overview = archive().search(Search(sort="date", limit=8), visibility())
    facets = overview["facets"]
    facets["year"] = sorted(facets["year"], key=lambda b: b["value"], reverse=True)
    years = [b["value"] for b in facets["year"]]
    figures = {
        "documents": overview["total"],
        "agencies": len(facets["agency"]),
        "agencies_more": len(facets["agency"]) >= archive().settings.facet_size,
        "first_year": min(years) if years else None,
        "last_year": max(years) if years else None,
        "newest": next((h["published_date"] or h["written_date"] for h in overview["hits"]), ""),
    }
    return render_template("home.html", overview=overview, facets=facets, figures=figures,
                           recent=recently_added(RECENT_ON_HOME))


def recently_added(limit: int) -> list[dict]:
    """The documents added to the archive last that the caller may see (only 主动公开 for the public),
    newest first, with `added` (the day, China Standard Time)."""
    docs = archive().catalog.recently_added(visibility(), limit)
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
    url = url_for("public.document", doc_id=doc_id, _external=True, lang=None)
    return render_template("document.html", doc=doc, q=q, view=view,
                           related=documents.related(doc), meta=documents.metadata_rows(doc),
                           restricted=documents.restricted(doc),
                           citation=documents.citation(doc, url))


@bp.get("/doc/<doc_id>/original/<sha256>")
def original(doc_id: str, sha256: str):
    """The original file byte for byte, under its original name."""
    return documents.download(documents.get(doc_id), sha256)
