"""Jinja helpers: Chinese dates, facet labels, and links that add or remove one filter."""
from __future__ import annotations

from flask import Flask, request, url_for

FACET_LABELS = {"agency": "发文机关", "doc_type": "公文种类", "year": "年份", "topic": "主题分类"}


def zh_date(iso: str) -> str:
    """2019-01-22 → 2019年01月22日; anything else unchanged."""
    if len(iso) == 10 and iso[4] == "-" and iso[7] == "-":
        return f"{iso[:4]}年{iso[5:7]}月{iso[8:]}日"
    return iso


def search_url(add: tuple[str, str] | None = None, remove: tuple[str, str] | None = None,
               **overrides) -> str:
    """The current search's URL with one filter added/removed or params replaced; page resets."""
    params = {k: request.args.getlist(k) for k in request.args if k != "page"}
    if add:
        params.setdefault(add[0], [])
        if str(add[1]) not in params[add[0]]:
            params[add[0]].append(str(add[1]))
    if remove:
        params[remove[0]] = [v for v in params.get(remove[0], []) if v != str(remove[1])]
    for k, v in overrides.items():
        params[k] = [str(v)]
    return url_for("public.search", **{k: v for k, v in params.items() if v})


def init_app(app: Flask) -> None:
    app.jinja_env.filters["zh_date"] = zh_date
    app.jinja_env.globals.update(search_url=search_url, FACET_LABELS=FACET_LABELS)
