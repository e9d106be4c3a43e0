"""One search as the results page, the API and the feed show it, built on Archive.search.

On top of the service result: facet counts for multi-select (each facet counted as if its
own selection were absent, so other values can still be added), a continuous per-year
timeline, and, when nothing matched, ways to relax the search with their hit counts.
Every call goes through archive.search with the caller's visibility (web.auth.visibility).
"""
from __future__ import annotations

import re
from dataclasses import replace

from flask import has_request_context, request

from analyzers.query import Or, Parsed, typed_terms
from archive import Search
from archive.collapse import ALL

from .auth import visibility as caller_visibility
from .params import archive

_LATIN = re.compile("[A-Za-z]{2,}")
_CJK = re.compile("[\u3400-\u9fff\uf900-\ufaff]")
_GROUP = re.compile("[0-9a-f]{16}")
MAX_TIMELINE_SPAN = 80  # years; a wider range is drawn with only the years that have hits


def run(s: Search) -> dict:
    """The service result for `s` plus multi-select facets, `timeline` and (if empty) `relax`;
    for staff, each hit also says its 公开属性 (`disclosure`)."""
    visibility = caller_visibility()
    s = with_versions(s)
    if has_request_context() and request.args.get("exact") == "1":  # (honoured for staff only: archive.search)
        s = replace(s, exact_total=True)
    r = archive().search(s, visibility)
    r.setdefault("suggestion", None)
    for name, selected in r["filters"].items():  # (counted without their own selection by the backend)
        seen = {b["value"] for b in r["facets"][name]}
        r["facets"][name] += [{"value": v, "count": 0} for v in selected if v not in seen]
    r["timeline"] = timeline(r["facets"].get("year", []))
    simple = r.pop("simple")
    parsed = archive().searcher.parse(s.q) if simple else None   # (once, for both)
    r["relax"] = relax(s, r, visibility, parsed) if parsed and r["total"] == 0 else []
    r["readings"] = readings(s, r, visibility, parsed) if parsed else []
    # an English query in a Chinese archive finds nothing: say so (a page may never say it silently)
    r["latin_only"] = r["total"] == 0 and bool(_LATIN.search(s.q or "")) and not _CJK.search(s.q or "")
    return r


def with_versions(s: Search) -> Search:
    """`s` with the versions the request asks for: `versions=all` (every version, not only the latest of each
    group) or `group=<version_group>` (one group's versions, newest first)."""
    if not has_request_context():
        return s
    versions = request.args.get("versions", "")
    group = request.args.get("group", "")
    return replace(s, versions=versions if versions == ALL else s.versions,
                   group=group if _GROUP.fullmatch(group) else s.group,
                   sort="date" if _GROUP.fullmatch(group) and "sort" not in request.args else s.sort)


def timeline(buckets: list[dict]) -> list[dict]:
    """Year buckets in year order, with missing years in between filled in as 0."""
    counts = {int(b["value"]): b["count"] for b in buckets if str(b["value"]).isdigit()}
    if not counts:
        return []
    lo, hi = min(counts), max(counts)
    years = range(lo, hi + 1) if hi - lo <= MAX_TIMELINE_SPAN else sorted(counts)
    return [{"year": y, "count": counts.get(y, 0)} for y in years]


FEW = 5  # fewer hits than this: a quoted run of several words is also offered without quotes


def readings(s: Search, r: dict, visibility: tuple[str, ...], parsed: Parsed) -> list[dict]:
    """The query (`parsed`) read the other way, with its count: `narrower` (the runs searched as words, each
    as one exact string) when it finds fewer, `broader` (quoted runs as words) when few were found."""
    out = []
    if parsed.narrower and r["total"]:
        total = _count(s, visibility, q=parsed.narrower)["total"]
        if 0 < total < r["total"]:
            out.append({"kind": "narrower", "q": parsed.narrower, "total": total,
                        "label": re.sub(r'"([^"]*)"', r"“\1”", parsed.narrower)})
    if parsed.broader and r["total"] < FEW:
        total = _count(s, visibility, q=parsed.broader)["total"]
        if total > r["total"]:
            out.append({"kind": "broader", "q": parsed.broader, "total": total, "label": parsed.broader})
    return out


def relax(s: Search, r: dict, visibility: tuple[str, ...], parsed: Parsed) -> list[dict]:
    """Searches one step looser than `s` (parsed as `parsed`) that find something: drop one filter, or any word."""
    out = []
    pairs = [(name, v) for name, values in r["filters"].items() for v in values]
    for name, value in pairs:
        rest = {k: [x for x in vs if not (k == name and x == value)] for k, vs in r["filters"].items()}
        total = _count(s, visibility, filters={k: v for k, v in rest.items() if v})["total"]
        if total:
            out.append({"remove": [name, value], "total": total})
    if len(pairs) > 1:
        total = _count(s, visibility, filters={})["total"]
        if total:
            out.append({"remove_all": True, "total": total})
    tree = parsed.tree
    found = typed_terms(tree)   # (a run of words as typed: 量子纠缠, not 量子 OR 纠缠)
    words = [f'"{t.text}"' if t.phrase else t.text for t in found]
    if len(words) > 1 and not isinstance(tree, Or) and not any(getattr(t, "field", None) for t in found):
        q = " OR ".join(dict.fromkeys(words))
        total = _count(s, visibility, q=q)["total"]
        if total:
            out.append({"q": q, "total": total})
    return out


def _count(s: Search, visibility: tuple[str, ...], **changes) -> dict:
    """`s` with `changes`, first page of one hit: for its total and facet counts."""
    return archive().search(replace(s, offset=0, limit=1, **changes), visibility)
