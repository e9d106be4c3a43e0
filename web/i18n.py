"""Interface language: Chinese by default, English with ?lang=en; dates in each language's form.

The language lives in the URL (not a cookie), so every page state stays one shareable link;
links built with url_for carry it on. Messages are the Chinese text itself, looked up in
the English table (web/i18n_en.py); a missing entry shows the Chinese (tests list them).
"""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, g, has_request_context, request

from .i18n_en import EN

LANGS = ("zh", "en")
HTML_LANG = {"zh": "zh-CN", "en": "en"}
# Endpoints whose links keep ?lang=en (pages and feeds, not static files or the JSON API).
_LOCALIZED = ("public.", "feed.", "staff.", "staff_ingest.", "staff_admin.", "staff_review.", "staff_prior.", "export.")


def lang() -> str:
    """The current request's interface language: 'en' when ?lang=en, else 'zh'."""
    if not has_request_context():
        return "zh"
    if "lang" not in g:
        g.lang = "en" if request.args.get("lang") == "en" else "zh"
    return g.lang


def gettext(message: str, **params) -> str:
    """`message` (Chinese) in the current language, with %(name)s parameters filled in."""
    text = EN.get(message, message) if lang() == "en" else message
    return text % params if params else text


def fmt_date(iso: str | None) -> str:
    """2019-01-22 → 2019年01月22日 on Chinese pages, unchanged on English ones; '' stays ''."""
    iso = iso or ""
    if lang() == "zh" and len(iso) == 10 and iso[4] == "-" and iso[7] == "-":
        return f"{iso[:4]}年{iso[5:7]}月{iso[8:]}日"
    return iso


def fmt_year(year) -> str:
    """2019 → 2019年 (Chinese) / 2019 (English)."""
    return f"{year}年" if lang() == "zh" else str(year)


def switch_url(to: str) -> str:
    """This very page (path and every parameter) in language `to`."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    if to == "en":
        args.append(("lang", "en"))
    return request.path + ("?" + urlencode(args) if args else "")


def init_app(app: Flask) -> None:
    @app.url_defaults
    def keep_language(endpoint: str, values: dict) -> None:
        if endpoint.startswith(_LOCALIZED) and "lang" not in values and lang() == "en":
            values["lang"] = "en"

    app.jinja_env.globals.update(_=gettext, lang=lang, switch_url=switch_url, HTML_LANG=HTML_LANG)
    app.jinja_env.filters.update(date=fmt_date, zh_date=fmt_date, year=fmt_year)
