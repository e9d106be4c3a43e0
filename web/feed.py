"""Atom feeds: the newest documents the caller may see matching any search, for a feed reader."""
from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Blueprint, render_template, request
from markupsafe import escape

from .auth import visibility
from .params import archive, search_from_args

bp = Blueprint("feed", __name__)
# Characters XML 1.0 forbids even escaped (C0 controls but tab and newlines, surrogates, U+FFFE/F): a query
# or a title holding one must not make the whole feed ill-formed.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def rfc3339(iso_date: str) -> str:
    """2019-01-22 → 2019-01-22T00:00:00+08:00 (documents are dated in China Standard Time)."""
    return f"{iso_date}T00:00:00+08:00"


@bp.app_template_filter("as_html")
def as_html(text: str) -> str:
    """Plain text as HTML source (escaped once here, once more by the XML template)."""
    return str(escape(text))


@bp.get("/feed")
def feed():
    """The search given by the query string, newest first, as application/atom+xml."""
    s = search_from_args(request.args)
    s.sort, s.offset, s.limit = "date", 0, archive().settings.feed_size
    r = archive().search(s, visibility())
    for h in r["hits"]:
        when = h["published_date"] or h["written_date"]
        h["updated"] = rfc3339(when) if len(when) == 10 else None
    dated = [h["updated"] for h in r["hits"] if h["updated"]]
    updated = max(dated) if dated else datetime(2000, 1, 1, tzinfo=UTC).isoformat()
    body = _XML_INVALID.sub("", render_template("feed.xml", r=r, updated=updated))
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8",
                       "Cache-Control": "public, max-age=600"}
