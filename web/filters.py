"""Jinja helpers: facet labels and values (hierarchy and English glosses), links that add or remove one
filter, the pager's window, failure reasons in words, and document titles for staff lists."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Flask, request, url_for

from analyzers.fields import LABELS, PUBLIC_FACETS

from . import glosses, reasons
from .i18n import gettext
from .jobs import display_name
from .params import archive


def facet_label(name: str) -> str:
    """A facet's (or field's) name in the interface language (analyzers.fields)."""
    return gettext(LABELS.get(name, name))


def search_url(add: tuple[str, object] | None = None, remove: tuple[str, object] | None = None,
               endpoint: str = "public.search", **overrides) -> str:
    """The current search's URL with one filter added/removed or params replaced; page resets."""
    params = {k: request.args.getlist(k) for k in request.args if k != "page"}
    if add:
        params.setdefault(add[0], [])
        if str(add[1]) not in params[add[0]]:
            params[add[0]].append(str(add[1]))
    if remove:
        params[remove[0]] = [v for v in params.get(remove[0], []) if v != str(remove[1])]
    for k, v in overrides.items():
        params[k] = [] if v is None else [str(v)]
    if params.get("page") == ["1"]:
        del params["page"]
    return url_for(endpoint, **{k: v for k, v in params.items() if v})


def pager(page: int, pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to link: first, last and `around` either side of `page`; None is a gap."""
    shown = sorted({1, pages, *range(max(1, page - around), min(pages, page + around) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] > 1:
            out.append(None)
        out.append(n)
    return out


def doc_titles(ids) -> dict[str, str]:
    """Titles of these catalog documents by id (for staff lists that name documents; missing ids absent)."""
    wanted = sorted({i for i in ids if i})
    return {i: d["title"] for i, d in archive().catalog.documents(wanted).items()} if wanted else {}


def run_inputs(args: str | None, shown: int = 2) -> str:
    """What a run was given, as staff know it: 'a.pdf、b.zip 等 5 个' (file names, not server paths)."""
    try:
        names = [Path(display_name(str(a))).name for a in json.loads(args or "[]")]
    except ValueError:
        return ""
    more = gettext(" 等 %(n)s 个", n=len(names)) if len(names) > shown else ""
    return "、".join(names[:shown]) + more


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(search_url=search_url, facet_label=facet_label, pager=pager,
                                 PUBLIC_FACETS=PUBLIC_FACETS, doc_titles=doc_titles)
    app.jinja_env.filters.update(facet_value=glosses.shown, topic_path=glosses.path, reason=reasons.shown,
                                 stage=reasons.stage, run_inputs=run_inputs)
