"""Every error answer of the app, in one place: the site's own page (Chinese or English) for people,
`{"error": …}` for JSON callers; unexpected exceptions are logged once, with their traceback."""
from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from archive.index import BackendUnavailable

from .i18n import gettext

log = logging.getLogger(__name__)

# status -> (message for people, in Chinese, translated by gettext; short English for JSON callers)
MESSAGES = {
    400: ("请求有误，请检查后重试。", "bad request"),
    403: ("您的角色没有权限使用这个页面。", "forbidden"),
    404: ("找不到这个页面或文件。", "not found"),
    405: ("不支持这种请求方式。", "method not allowed"),
    413: ("请求或上传的文件太大。", "request too large"),
    429: ("请求太频繁，请稍后再试。", "too many requests"),
    500: ("服务器出错了。这个问题已记录下来，请稍后再试。", "internal error"),
    503: ("检索服务暂时不可用，请稍后再试。", "search service unavailable"),
}
DOCUMENT_MISSING = "这里没有可以公开显示的文件。"
CSRF_MESSAGE = ("表单已过期或来源不明，请返回刷新页面后重试。", "CSRF token missing or invalid")


def wants_json() -> bool:
    """Whether the caller reads JSON (the API and .json endpoints, or Accept: application/json)."""
    return (request.path.startswith("/api/") or request.path.endswith(".json")
            or request.accept_mimetypes.best == "application/json")


def error_response(status: int, message: tuple[str, str] | None = None, headers: dict | None = None):
    """The answer for an error `status`: a page in the interface language, or JSON."""
    human, short = message or MESSAGES.get(status, MESSAGES[500 if status >= 500 else 400])
    if wants_json():
        return jsonify({"error": short}), status, headers or {}
    if status == 404 and request.path.startswith("/doc/"):  # unknown and not public alike: nothing said of which
        human = DOCUMENT_MISSING
    return render_template("error.html", message=gettext(human), status=status,
                           on_request=status == 404 and request.path.startswith("/doc/")), status, headers or {}


def init_app(app: Flask) -> None:
    """Register the handlers for HTTP errors, CSRF failures, an unreachable search engine and crashes."""

    @app.errorhandler(CSRFError)
    def csrf_failed(_e):
        return error_response(400, CSRF_MESSAGE)

    @app.errorhandler(BackendUnavailable)
    def search_unavailable(e):
        log.error("search backend unavailable: %s", e)
        return error_response(503)

    @app.errorhandler(HTTPException)
    def http_error(e: HTTPException):
        if isinstance(e, InternalServerError) and e.original_exception is not None:
            return crashed(e.original_exception)
        headers = {}
        if e.code == 405 and getattr(e, "valid_methods", None):
            headers["Allow"] = ", ".join(e.valid_methods)
        return error_response(e.code or 500, headers=headers)

    @app.errorhandler(Exception)
    def crashed(e: BaseException):
        log.error("unexpected error on %s %s", request.method, request.path, exc_info=e)
        return error_response(500)
