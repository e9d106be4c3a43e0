"""The production server: waitress, with request-body limits decided from the request line and headers,
before any of the body is read or buffered to disk.

Only a POST to the staff upload with the session cookie of a signed-in editor may send a large body
(settings.max_upload_bytes); every other request gets settings.max_request_bytes. waitress reads a
whole body before the app sees the request, so the limit must be set in its parser.
"""
from __future__ import annotations

import logging
from http.cookies import SimpleCookie

import waitress
from flask import Flask
from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser

from archive.accounts import can

log = logging.getLogger(__name__)
UPLOAD_PATHS = ("/staff/ingest",)


class _Limit:
    """waitress adjustments with one request's body limit."""

    def __init__(self, adj, max_body: int):
        self._adj, self.max_request_body_size = adj, max_body

    def __getattr__(self, name):
        return getattr(self._adj, name)


def body_limit(app: Flask, method: str, path: str, cookie_header: str) -> int:
    """The largest body this request may send: the upload limit for a signed-in editor's upload, else small."""
    st = app.extensions["gongkai"].settings
    if method == "POST" and path in UPLOAD_PATHS and signed_in_role(app, cookie_header) in ("editor", "admin"):
        return st.max_upload_bytes
    return st.max_request_bytes


def signed_in_role(app: Flask, cookie_header: str) -> str | None:
    """The role of the user whose valid, current session the cookie carries, else None."""
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    try:
        morsel = SimpleCookie(cookie_header or "").get(name)
        if morsel is None:
            return None
        serializer = app.session_interface.get_signing_serializer(app)
        data = serializer.loads(morsel.value, max_age=int(app.permanent_session_lifetime.total_seconds()))
    except Exception:  # malformed, forged or expired: anonymous
        return None
    accounts = app.extensions["gongkai"].accounts
    user = accounts.get(data.get("user", "")) if isinstance(data, dict) else None
    if user is None or data.get("key") != accounts.session_key(user["username"]):
        return None
    return user["role"] if can(user["role"], "viewer") else None


def make_server(app: Flask, host: str, port: int, threads: int):
    """A waitress server for `app` whose parser applies body_limit() per request (raises OSError if the
    address cannot be bound)."""

    class Parser(HTTPRequestParser):
        def parse_header(self, header_plus):
            super().parse_header(header_plus)
            limit = body_limit(app, self.command, self.path, self.headers.get("COOKIE", ""))
            self.adj = _Limit(self.adj, limit)

    class Channel(HTTPChannel):
        parser_class = Parser

    st = app.extensions["gongkai"].settings
    server = waitress.create_server(app, host=host, port=port, threads=threads, ident="gongkai",
                                    max_request_body_size=max(st.max_upload_bytes, st.max_request_bytes))
    server.channel_class = Channel
    return server
