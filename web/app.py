"""The web app factory: public pages, Atom feeds, the JSON API and the staff side over one Archive."""
from __future__ import annotations

import gzip
import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask, request

from archive import Archive, Settings

CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
       " object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
STATIC_MAX_AGE = 365 * 24 * 3600  # versioned static URLs (?v=<content hash>) never change
GZIP_TYPES = ("text/html", "application/json", "application/atom+xml", "text/css", "text/javascript")
GZIP_MIN_BYTES = 1024


@lru_cache(maxsize=64)
def _static_version(path: Path, mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def create_app(settings: Settings | None = None, archive: Archive | None = None,
               config: dict | None = None, upkeep: bool = False) -> Flask:
    """A Flask app serving `archive` (opened from `settings` if not given); `config` overrides
    Flask settings such as SECRET_KEY or SESSION_COOKIE_SECURE. With `upkeep` (as `gongkai serve`
    runs it), a thread keeps the indexes in step with the catalog (web.upkeep)."""
    app = Flask(__name__)
    app.config["JSON_AS_ASCII"] = False
    archive = archive or Archive(settings or Settings.load())
    app.config["MAX_CONTENT_LENGTH"] = archive.settings.max_request_bytes
    app.config.update(config or {})
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["gongkai"] = archive

    from archive.accounts import can

    from . import (
        api,
        auth,
        errors,
        export,
        feed,
        filters,
        i18n,
        jobs,
        public,
        serving,
        staff,
        staff_admin,
        staff_ingest,
        staff_prior,
        staff_review,
    )

    errors.init_app(app)

    @app.before_request  # before CSRFProtect's hook, which reads the form
    def body_limit():
        """Large bodies only for a signed-in editor's upload (web.serving enforces it before buffering)."""
        if request.method == "POST" and request.path in serving.UPLOAD_PATHS and auth.current_user() \
                and can(auth.current_user()["role"], "editor"):
            request.max_content_length = archive.settings.max_upload_bytes

    auth.init_app(app, archive.settings.data_dir, archive.settings.session_hours)
    i18n.init_app(app)
    filters.init_app(app)
    jobs.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(feed.bp)
    app.register_blueprint(export.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(staff_ingest.bp)
    app.register_blueprint(staff_admin.bp)
    app.register_blueprint(staff_review.bp)
    app.register_blueprint(staff_prior.bp)
    if upkeep:
        from . import upkeep as upkeep_module

        upkeep_module.init_app(app, archive.settings.sync_interval_s)

    @app.url_defaults
    def version_static(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            path = Path(app.static_folder) / values["filename"]
            if path.is_file():
                values["v"] = _static_version(path, path.stat().st_mtime)

    @app.after_request
    def headers(resp):
        auth.private_if_signed_in(resp)
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        if request.endpoint == "static" and resp.status_code in (200, 304):
            versioned = "v" in request.args
            resp.headers["Cache-Control"] = (f"public, max-age={STATIC_MAX_AGE}, immutable" if versioned
                                             else "public, max-age=3600")
        elif request.method == "GET" and resp.status_code == 200 and resp.mimetype in (
                "text/html", "application/json") and not resp.direct_passthrough:
            resp.headers.setdefault("Cache-Control", "no-cache")
            resp.add_etag(weak=True)
            resp.make_conditional(request)
        return compress(resp)

    return app


def compress(resp):
    """gzip a page, API answer, feed or static text file when the client accepts it (not downloads)."""
    if (resp.mimetype not in GZIP_TYPES or resp.status_code != 200 or "Content-Encoding" in resp.headers
            or resp.headers.get("Content-Disposition", "").startswith("attachment")):
        return resp
    resp.vary.add("Accept-Encoding")
    if "gzip" not in request.accept_encodings:
        return resp
    resp.direct_passthrough = False
    body = resp.get_data()
    if len(body) < GZIP_MIN_BYTES:
        return resp
    resp.set_data(gzip.compress(body, compresslevel=6))
    resp.headers["Content-Encoding"] = "gzip"
    resp.headers.pop("Accept-Ranges", None)
    if resp.get_etag()[0] and not resp.get_etag()[1]:
        resp.set_etag(resp.get_etag()[0] + "-gz")
    return resp
