"""Atom feeds of any search (the newest documents the caller may see), and the page that explains one and
gives its address to copy."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from flask import Blueprint, render_template, request, url_for
from markupsafe import escape

from .auth import visibility
from .params import archive, facets, search_from_args

bp = Blueprint("feed", __name__)
CST = timezone(timedelta(hours=8), "CST")  # documents are dated, and added, in China Standard Time
PAGE_ENTRIES = 10                          # entries the subscription page lists
# Characters XML 1.0 forbids even escaped (C0 controls but tab and newlines, surrogates, U+FFFE/F): a query
# or a title holding one must not make the whole feed ill-formed.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def rfc3339(iso_date: str) -> str:
    """2019-01-22 → 2019-01-22T00:00:00+08:00 (documents are dated in China Standard Time)."""
    return f"{iso_date}T00:00:00+08:00"


def added_day(ts: float) -> str:
    """The day (YYYY-MM-DD, China Standard Time) of a catalog time stamp."""
    return datetime.fromtimestamp(ts, CST).date().isoformat()


@bp.app_template_filter("as_html")
def as_html(text: str) -> str:
    """Plain text as HTML source (escaped once here, once more by the XML template)."""
    return str(escape(text))


def entries(limit: int) -> dict:
    """The request's search, newest first, as the feed lists it: each hit with `date` (its document date,
    or '' when it has none), `added` (the day it was added to the archive) and `updated` (RFC 3339: the
    document date, else the day added)."""
    s = search_from_args(request.args)
    s.sort, s.offset, s.limit = "date", 0, limit
    r = archive().search(s, visibility())
    rows = archive().catalog.documents([h["id"] for h in r["hits"]])  # (hits the caller may see, by id)
    for h in r["hits"]:
        date = h["published_date"] or h["written_date"]
        h["date"] = date if len(date) == 10 else ""
        row = rows.get(h["id"])
        h["added"] = added_day(row["created_at"]) if row else ""
        h["updated"] = rfc3339(h["date"] or h["added"]) if (h["date"] or h["added"]) else ""
    return r


def feed_args() -> dict[str, list[str]]:
    """The parameters that choose a feed's documents: the query and the facet filters."""
    keep = ("q", *facets())
    return {k: request.args.getlist(k) for k in keep if any(v.strip() for v in request.args.getlist(k))}


@bp.get("/feed")
def feed():
    """The search given by the query string, newest first, as application/atom+xml."""
    r = entries(archive().settings.feed_size)
    dated = [h["updated"] for h in r["hits"] if h["updated"]]
    updated = max(dated) if dated else rfc3339(datetime.now(CST).date().isoformat())
    body = _XML_INVALID.sub("", render_template("feed.xml", r=r, updated=updated))
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8",
                       "Cache-Control": "public, max-age=600"}


@bp.get("/subscribe")
def subscribe():
    """A page for people: what subscribing to this search means, the feed address to copy (a plain
    selectable field, with a copy button where JavaScript runs), what it follows, its latest entries."""
    args = feed_args()
    r = entries(PAGE_ENTRIES)
    return render_template("subscribe.html", r=r, feed_url=url_for("feed.feed", _external=True, **args),
                           search_link=url_for("public.search", **args), feed_size=archive().settings.feed_size)
