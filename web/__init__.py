"""The web app factory: public pages and the JSON API over one Archive."""
from __future__ import annotations

from flask import Flask

from archive import Archive, Settings


def create_app(settings: Settings | None = None, archive: Archive | None = None) -> Flask:
    """A Flask app serving `archive` (opened from `settings` if not given)."""
    app = Flask(__name__)
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False
    app.extensions["gongkai"] = archive or Archive(settings or Settings())

    from . import api, filters, public

    filters.init_app(app)
    app.register_blueprint(public.bp)
    app.register_blueprint(api.bp)

    @app.after_request
    def security_headers(resp):
        resp.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            " object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        )
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        return resp

    return app
