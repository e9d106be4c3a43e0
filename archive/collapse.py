"""Versions and validity in a search: the index fields each audience searches, one entry per version group
(its latest) unless every version is asked for, and per hit its validity and how many other versions there are.

The public searches the public variants of the per-audience fields (analyzers.fields.AUDIENCE_KEYWORDS: derived
from 主动公开 documents only), staff the full ones; both backends see plain keyword filters and facets.
"""
from __future__ import annotations

from analyzers.fields import audience_field

from .catalog import Catalog

ALL = "all"   # Search.versions: every version, not only the latest of each group


def index_filters(filters: dict[str, list], versions: str, group: str, public: bool) -> dict[str, list]:
    """The user's facet filters as index filters of the audience, with the latest-only filter (unless every
    version, or one group's versions, is asked for) and the group filter."""
    out = {audience_field(k, public): v for k, v in filters.items()}
    if group:
        out[audience_field("version_group", public)] = [group]
    elif versions != ALL:
        out[audience_field("latest", public)] = ["1"]
    return out


def index_facets(facets: tuple[str, ...], versions: str, group: str, public: bool) -> tuple[str, ...]:
    """The facets to count, as index fields of the audience; with the latest flag when results are collapsed
    (counted without its own filter: how many earlier versions also match)."""
    out = tuple(audience_field(f, public) for f in facets)
    return out + ((audience_field("latest", public),) if versions != ALL and not group else ())


def user_facets(counted: dict[str, list], facets: tuple[str, ...], public: bool) -> tuple[dict[str, list], int]:
    """(the facet counts under the user's facet names, how many earlier versions also match)."""
    older = sum(n for v, n in counted.get(audience_field("latest", public), []) if v == "0")
    return {f: counted.get(audience_field(f, public), []) for f in facets}, older


def dress(hits: list[dict], docs: dict[str, dict], catalog: Catalog, visibility: tuple[str, ...],
          public: bool) -> None:
    """Give each hit its validity (`validity`: as the caller may know it) and, when the caller may see other
    versions of it, `versions` (how many) and `version_group` (to list them)."""
    group_col = "public_version_group" if public else "version_group"
    derived_col = "public_derived_validity" if public else "derived_validity"
    groups = {h["id"]: docs[h["id"]][group_col] for h in hits if h["id"] in docs}
    counts = catalog.version_counts(list(groups.values()), visibility)
    for h in hits:
        doc = docs.get(h["id"])
        if doc is None:
            continue
        h["validity"] = (doc["extra"].get("validity") or doc[derived_col] or "")
        n = counts.get(groups[h["id"]], 0)
        h["versions"] = n
        h["version_group"] = groups[h["id"]] if n else ""
