"""Request arguments → a Search, shared by the HTML pages and the JSON API."""
from __future__ import annotations

from flask import current_app
from werkzeug.datastructures import MultiDict

from archive import PUBLIC, Archive, Search
from archive.index import FACETS, STAFF_FACETS

from .auth import visibility


def archive() -> Archive:
    return current_app.extensions["gongkai"]


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def search_from_args(args: MultiDict) -> Search:
    """Read q, facet filters (repeatable; 公开属性 too for staff), sort, page or offset/limit."""
    settings = archive().settings
    limit = _int(args.get("limit"), settings.page_size)
    limit = min(max(limit, 1), settings.max_page_size)
    if "offset" in args:
        offset = _int(args.get("offset"), 0)
    else:
        offset = (max(_int(args.get("page"), 1), 1) - 1) * limit
    return Search(
        q=args.get("q", ""),
        filters={f: args.getlist(f) for f in facets() if args.getlist(f)},
        sort=args.get("sort", "relevance"),
        offset=max(offset, 0),
        limit=limit,
    )


def facets() -> tuple[str, ...]:
    """The facets the current request may count and filter by."""
    return FACETS if visibility() == PUBLIC else STAFF_FACETS
