"""The JSON API: the same service calls as the pages, as data; described at /api/openapi.json."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, jsonify, request

from . import documents, results
from .openapi import spec
from .params import search_from_args

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    """Hits, facet counts (multi-select), timeline and relaxations, exactly as the results page."""
    return jsonify(results.run(search_from_args(request.args)))


@bp.get("/facets")
def facets():
    """Only the counts of a search: total, facets and per-year timeline."""
    r = results.run(replace(search_from_args(request.args), offset=0, limit=1))
    return jsonify({k: r[k] for k in ("query", "total", "filters", "facets", "timeline", "took_ms")})


@bp.get("/documents/<doc_id>")
def document(doc_id: str):
    """One document's metadata, page texts, original download links and relations to other documents."""
    return jsonify(documents.as_json(documents.audited(documents.get(doc_id))))


@bp.get("/documents/<doc_id>/related")
def related(doc_id: str):
    """The same 文号 family and similar documents, as on the document page."""
    return jsonify(documents.related(documents.audited(documents.get(doc_id))))


@bp.get("/documents/<doc_id>/relations")
def relations(doc_id: str):
    """What the document cites, amends or repeals and what does so to it, as far as the caller may see."""
    return jsonify(documents.relations_json(documents.audited(documents.get(doc_id))))


@bp.get("/documents/<doc_id>/originals/<sha256>")
def original(doc_id: str, sha256: str):
    """An original file byte for byte (Content-Disposition keeps its name)."""
    return documents.download(documents.get(doc_id), sha256)


@bp.get("/openapi.json")
def openapi():
    """This API's OpenAPI 3.0 description."""
    resp = jsonify(spec())
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp
