"""The OpenAPI 3.0 description of the JSON API, as served at /api/openapi.json."""
from __future__ import annotations

from flask import current_app

from analyzers.fields import FACETS as FACET_FIELDS
from analyzers.fields import FIELDS, VALIDITIES, brief_fields
from analyzers.references import TYPES
from archive.index import FACETS


def _str(**kw) -> dict:
    return {"type": "string", **kw}


def _int(**kw) -> dict:
    return {"type": "integer", **kw}


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


def _obj(props: dict, required: tuple = ()) -> dict:
    return {"type": "object", "properties": props, "required": list(required)}


def _json(schema: str) -> dict:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _query(name: str, schema: dict, doc: str) -> dict:
    param = {"name": name, "in": "query", "required": False, "schema": schema, "description": doc}
    if schema.get("type") == "array":
        param.update(style="form", explode=True)
    return param


def _path(name: str, schema: dict) -> dict:
    return {"name": name, "in": "path", "required": True, "schema": schema}


def _search_params(paging: bool) -> list[dict]:
    st = current_app.extensions["gongkai"].settings
    params = [_query("q", _str(), "Query: words (AND), \"phrase\", OR, -exclude, (groups).")] + [
        _query(f.name, _array(_int(minimum=1000, maximum=9999) if f.kind == "year" else _str()),
               f"{f.label_en} ({f.label}); repeat to OR values.")
        for f in FACET_FIELDS if not f.staff_only]
    params += [
        _query("versions", _str(enum=["all"]), "all: every version of a document; by default one entry per version"
               " group, its latest (with `versions` in each hit: how many others there are)."),
        _query("group", _str(pattern="^[0-9a-f]{16}$"), "Only the versions of this group (a hit's `version_group`),"
               " newest first."),
    ]
    if paging:
        params += [
            _query("sort", _str(enum=["relevance", "date"]), "relevance (default) or date, newest first."),
            _query("page", _int(minimum=1), "1-based page of `limit` hits (ignored when offset is given)."),
            _query("offset", _int(minimum=0, maximum=st.max_offset), "Hits to skip."),
            _query("limit", _int(minimum=1, maximum=st.max_page_size), "Hits per page."),
        ]
    return params + [_query("exact", _str(enum=["1"]), f"Count the total exactly however large (signed-in staff"
                            f" only; otherwise totals above {st.exact_total_limit:,} are estimated).")]


_ERRORS = {"404": {"description": "No such (public) document", **_json("Error")},
           "503": {"description": "Search service unavailable", **_json("Error")}}

_BUCKET = _obj({"value": {"oneOf": [_str(), _int()]}, "count": _int(minimum=0)}, ("value", "count"))
_PUBLIC = [f for f in FIELDS if not f.staff_only]
_BRIEF = _obj({k: _str() for k in ("id", *brief_fields(staff=False))}, ("id", "title"))
_TOTAL = {
    "total_exact": {"type": "boolean", "description": "false: `total` and the facet counts are estimates from a"
                    " sample (totals above the archive's exact_total_limit), or `total` is a lower bound"},
    "total_bound": {"type": "boolean", "description": "true: `total` is a lower bound (Elasticsearch counted no"
                    " further); the facet counts are exact"},
}
SCHEMAS = {
    "Error": _obj({"error": _str()}, ("error",)),
    "Bucket": _BUCKET,
    "Facets": _obj({f: _array({"$ref": "#/components/schemas/Bucket"}) for f in FACETS}, FACETS),
    "YearCount": _obj({"year": _int(), "count": _int(minimum=0)}, ("year", "count")),
    "Hit": _obj({
        **{k: _str() for k in ("id", *brief_fields(staff=False), "title_html", "filename", "snippet")},
        "score": {"type": "number"},
        "page": _int(minimum=1, nullable=True, description="1-based page of the best snippet (PDFs)"),
        "validity": _str(enum=list(VALIDITIES), description="有效性 as set on the document, else as derived"
                         " (from public documents only, for the public); empty: unknown"),
        "versions": _int(minimum=0, description="how many other versions of this document the caller may see"),
        "version_group": _str(description="its version group when it has other versions (the `group` parameter)"),
    }, ("id", "title", "snippet")),
    "SearchResult": _obj({
        "query": _str(), "total": _int(minimum=0), **_TOTAL, "offset": _int(minimum=0), "limit": _int(minimum=1),
        "sort": _str(enum=["relevance", "date"]),
        "filters": {"type": "object", "additionalProperties": _array({"oneOf": [_str(), _int()]})},
        "hits": _array({"$ref": "#/components/schemas/Hit"}),
        "versions": _obj({"shown": _str(enum=["latest", "all", "group"]), "group": _str(),
                          "older": _int(minimum=0, description="earlier versions that also match (not shown)")},
                         ("shown", "older")),
        "facets": {"$ref": "#/components/schemas/Facets"},
        "timeline": _array({"$ref": "#/components/schemas/YearCount"}),
        "relax": _array({"type": "object"}),
        "readings": {**_array(_obj({"kind": _str(enum=["narrower", "broader"]), "q": _str(), "label": _str(),
                                    "total": _int(minimum=1)}, ("kind", "q", "total", "label"))),
                     "description": "the query read the other way: runs of words as exact strings (narrower) or"
                                    " quoted runs as words (broader), with the number each finds"},
        "notices": _array(_str()),
        "suggestion": _str(nullable=True),
        "ranked": _str(enum=["relevance", "date"], description="date while a restriction waits for the index"),
        "took_ms": {"type": "number"},
    }, ("query", "total", "offset", "limit", "sort", "filters", "hits", "facets", "timeline")),
    "FacetResult": _obj({
        "query": _str(), "total": _int(minimum=0), **_TOTAL,
        "filters": {"type": "object", "additionalProperties": _array({"oneOf": [_str(), _int()]})},
        "facets": {"$ref": "#/components/schemas/Facets"},
        "timeline": _array({"$ref": "#/components/schemas/YearCount"}),
        "took_ms": {"type": "number"},
    }, ("query", "total", "filters", "facets", "timeline")),
    "Original": _obj({"filename": _str(), "mime": _str(), "size": _int(minimum=0),
                      "sha256": _str(pattern="^[0-9a-f]{64}$"), "url": _str()},
                     ("filename", "mime", "size", "sha256", "url")),
    "Document": _obj({
        "id": _str(), "url": _str(),
        **{f.name: _str(description=f"{f.label_en} ({f.label})" + (f"; one of {', '.join(c for c in f.choices if c)}"
                                                                  " or empty" if f.choices else ""))
           for f in _PUBLIC},
        "pages": _array(_str()),
        "originals": _array({"$ref": "#/components/schemas/Original"}),
        "redacted": {"type": "boolean", "description": "personal information in the text was redacted before"
                     " publishing; the originals, which still hold it, are then not listed for the public"},
        "relations": _array({"$ref": "#/components/schemas/Relation"}),
        "validity_detail": {"$ref": "#/components/schemas/Validity"},
    }, ("id", "title", "pages", "originals", "relations")),
    "Validity": _obj({
        "value": _str(enum=list(VALIDITIES), description="有效性 (also the document's `validity`); empty: unknown"),
        "source": _str(enum=["staff", "document", "derived"], description="set by staff, stated by the document's"
                       " own label table, or derived from repeals, versions, amendments and its 有效期"),
        "evidence": _array(_obj({
            "kind": _str(enum=["repealed", "newer_version", "amended", "expired", "in_force"]),
            "document_id": _str(nullable=True), "url": _str(nullable=True), "title": _str(), "date": _str(),
            "sentence": _str(description="the sentence of the other document that repeals or amends this one")},
            ("kind", "document_id"))),
        "versions": _array(_obj({"id": _str(), "title": _str(), "date": _str(), "latest": {"type": "boolean"},
                                 "url": _str()}, ("id", "latest"))),
    }, ("value", "source", "evidence", "versions")),
    "Relation": _obj({
        "type": _str(enum=list(TYPES), description="what the citing document does to the one it names: cites,"
                     " implements, amends, amended_by (records that the named one amended it), repeals, interprets"),
        "direction": _str(enum=["out", "in"], description="out: this document names the other; in: the other"
                          " names this one"),
        "document_id": _str(nullable=True, description="the other document; null: named but not in the archive"),
        "url": _str(nullable=True), "title": _str(description="the other document's title, if in the archive"),
        "text": _str(description="the title or 文号 as the citing text writes it"),
        "evidence": _str(description="the sentence it stands in"),
        "article": _str(description="the citing text's 第X条 it stands under"),
        "cited_article": _str(description="the 第X条 of the named document it names"),
    }, ("type", "direction", "document_id", "text", "evidence")),
    "Relations": _obj({
        "id": _str(),
        "cites": _array({"$ref": "#/components/schemas/Relation"}),
        "cited_by": _array({"$ref": "#/components/schemas/Relation"}),
        "counts": {"type": "object", "additionalProperties": _int(minimum=1),
                   "description": "documents citing this one, per relation type"},
    }, ("id", "cites", "cited_by", "counts")),
    "Brief": _BRIEF,
    "Related": _obj({
        "family": _array({"$ref": "#/components/schemas/Brief"}),
        "family_key": _str(), "keywords": _array(_str()),
        "similar": _array({"$ref": "#/components/schemas/Brief"}),
        "relations": {"type": "object", "description": "the document page's 本文引用 and 被引用 groups"},
        "validity": {"type": "object", "description": "the document page's 有效性: value, source and evidence"},
        "timeline": _array({"type": "object", "description": "修订沿革: its versions and the documents that amended"
                                                             " or repealed it, newest first"}),
    }, ("family", "similar")),
}


def spec() -> dict:
    """The API description; limits come from the running archive's settings."""
    doc_id = _path("doc_id", _str(minLength=1, maxLength=64, pattern="^[0-9A-Za-z_-]+$"))
    sha = _path("sha256", _str(pattern="^[0-9a-f]{64}$"))
    return {
        "openapi": "3.0.3",
        "info": {"title": "gongkai API", "version": "1",
                 "description": "Full-text search over public (主动公开) government documents."},
        "paths": {
            "/api/search": {"get": {
                "operationId": "search", "summary": "Search: hits, facet counts, timeline",
                "parameters": _search_params(paging=True),
                "responses": {"200": {"description": "Results", **_json("SearchResult")},
                              "503": _ERRORS["503"]}}},
            "/api/facets": {"get": {
                "operationId": "facets", "summary": "Facet counts and timeline of a search",
                "parameters": _search_params(paging=False),
                "responses": {"200": {"description": "Counts", **_json("FacetResult")},
                              "503": _ERRORS["503"]}}},
            "/api/documents/{doc_id}": {"get": {
                "operationId": "document", "summary": "One document: metadata, texts, originals",
                "parameters": [doc_id],
                "responses": {"200": {"description": "The document", **_json("Document")}, **_ERRORS}}},
            "/api/documents/{doc_id}/related": {"get": {
                "operationId": "related", "summary": "Same 文号 family and similar documents",
                "parameters": [doc_id],
                "responses": {"200": {"description": "Related documents", **_json("Related")}, **_ERRORS}}},
            "/api/documents/{doc_id}/relations": {"get": {
                "operationId": "relations", "summary": "What the document cites, amends or repeals, and what does"
                                                       " so to it (only documents the caller may see)",
                "parameters": [doc_id],
                "responses": {"200": {"description": "Relations", **_json("Relations")}, **_ERRORS}}},
            "/api/documents/{doc_id}/originals/{sha256}": {"get": {
                "operationId": "original", "summary": "An original file, byte for byte",
                "parameters": [doc_id, sha],
                "responses": {"200": {"description": "The file, with its name in Content-Disposition",
                                      "content": {"*/*": {"schema": _str(format="binary")}}},
                              **_ERRORS}}},
        },
        "components": {"schemas": SCHEMAS},
    }
