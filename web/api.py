"""The JSON API: the same service calls as the pages, as data."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, request, url_for

from .params import archive, search_from_args

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    """Search results and facet counts as JSON."""
    return jsonify(archive().search(search_from_args(request.args)))


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    """One document's metadata, page texts and original download links."""
    doc = archive().document(doc_id)
    if doc is None:
        abort(404)
    return jsonify({
        **{k: doc[k] for k in ("id", "title", "doc_number", "agency", "written_date",
                               "published_date", "doc_type", "index_number", "topic")},
        "pages": doc["pages"],
        "originals": [
            {"filename": o["filename"], "mime": o["mime"], "size": o["size"], "sha256": o["sha256"],
             "url": url_for("public.original", doc_id=doc_id, sha256=o["sha256"], _external=False)}
            for o in doc["originals"]
        ],
    })


@bp.errorhandler(404)
def not_found(_e):
    return jsonify({"error": "not found"}), 404
