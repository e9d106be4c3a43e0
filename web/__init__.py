"""The web app factory: public pages and the JSON API over one Archive."""
from __future__ import annotations

from flask import Flask, jsonify, render_template, request

from archive import Archive, Settings
from archive.index import BackendUnavailable


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

    @app.errorhandler(BackendUnavailable)
    def search_unavailable(e):
        app.logger.error("%s", e)
        if request.path.startswith("/api/"):
            return jsonify({"error": "search service unavailable"}), 503
        return render_template("error.html", message="检索服务暂时不可用，请稍后再试。"), 503

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
