"""Public pages: home, search results, document, original download."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, request, send_file

from analyzers import highlight
from analyzers.query import parse, terms
from archive import Search

from .params import archive, search_from_args

bp = Blueprint("public", __name__)


@bp.get("/")
def home():
    """Search box, browse by facet, newest documents."""
    overview = archive().search(Search(sort="date", limit=10))
    return render_template("home.html", overview=overview)


@bp.get("/search")
def search():
    """Results page with facets, snippets and pagination."""
    s = search_from_args(request.args)
    result = archive().search(s)
    page = s.offset // s.limit + 1
    pages = max(1, -(-min(result["total"], archive().settings.max_offset + s.limit) // s.limit))
    return render_template("search.html", r=result, s=s, page=page, pages=pages)


@bp.get("/doc/<doc_id>")
def document(doc_id: str):
    """Metadata table, full text with the query's hits marked, download links."""
    doc = archive().document(doc_id)
    if doc is None:
        abort(404)
    q = request.args.get("q", "")
    needles = [t.units for t in terms(parse(q, archive().settings.max_query_chars))]
    pages = [highlight.mark(text, highlight.find_spans(text, needles)) for text in doc["pages"]]
    return render_template("document.html", doc=doc, pages=pages, q=q)


@bp.get("/doc/<doc_id>/original/<sha256>")
def original(doc_id: str, sha256: str):
    """The original file byte for byte, under its original name."""
    doc = archive().document(doc_id)
    if doc is None:
        abort(404)
    orig = next((o for o in doc["originals"] if o["sha256"] == sha256), None)
    if orig is None or not archive().blobs.has(sha256):
        abort(404)
    return send_file(archive().blobs.path(sha256), mimetype=orig["mime"], as_attachment=True,
                     download_name=orig["filename"], max_age=86400, etag=sha256)


@bp.app_errorhandler(404)
def not_found(_e):
    return render_template("error.html", message="找不到这个页面或文件。"), 404
