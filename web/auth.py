"""Who is asking: staff sign-in over a signed session cookie, roles, CSRF, and the one visibility rule.

`visibility()` is the only place that turns the current request into the disclosure values it
may see: PUBLIC for anonymous visitors, STAFF for any signed-in role. Every page, API answer,
feed, related-documents list and download asks it; nothing else in web/ decides visibility.
"""
from __future__ import annotations

import os
import secrets
from functools import wraps
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, has_request_context, jsonify, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect, generate_csrf

from archive import PUBLIC, STAFF
from archive.accounts import can

from .errors import wants_json

SECRET_FILE = "secret_key"          # in the data directory, mode 0600, made on first start
csrf = CSRFProtect()


def _archive():
    return current_app.extensions["gongkai"]


def current_user() -> dict | None:
    """The signed-in, enabled user of this request ({username, role}), else None."""
    if not has_request_context():
        return None
    if "user" not in g:
        g.user = None
        name = session.get("user")
        if name:
            accounts = _archive().accounts
            user = accounts.get(name)
            if user and secrets.compare_digest(session.get("key", ""), accounts.session_key(name) or "-"):
                g.user = user
            else:  # disabled, deleted or password changed since sign-in: the session is void
                session.clear()
    return g.user


def visibility() -> tuple[str, ...]:
    """The disclosure values the current request may see: STAFF when signed in, else PUBLIC."""
    return STAFF if current_user() else PUBLIC


def login_user(user: dict) -> None:
    """Start a fresh session for `user` (a new cookie and CSRF token: no session fixation)."""
    session.clear()
    session.permanent = True
    session["user"] = user["username"]
    session["key"] = _archive().accounts.session_key(user["username"])
    g.user = user


def logout_user() -> None:
    session.clear()
    g.user = None


def login_required(needed: str):
    """Decorator: anonymous → login page (401 for JSON); a role below `needed` → 403."""
    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = current_user()
            if user is None:
                if wants_json():
                    return jsonify({"error": "login required"}), 401
                return redirect(url_for("staff.login", next=request.full_path.rstrip("?")))
            if not can(user["role"], needed):
                abort(403)
            return view(*args, **kwargs)

        wrapper.required_role = needed
        return wrapper

    return decorate


def safe_next(target: str | None, default: str) -> str:
    """`target` if it is a path on this site (no scheme, host or //), else `default`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else default


def client_address() -> str:
    return request.remote_addr or ""


def audit(action: str, doc_id: str = "", **detail) -> None:
    """Record `action` by the current user (or by 'anonymous') in the audit log."""
    user = current_user()
    _archive().audit.record(user["username"] if user else "anonymous", action, doc_id, **detail)


class _SessionInterface(SecureCookieSessionInterface):
    """The signed cookie session; Secure whenever the request came over https (or always if set)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or (has_request_context() and request.is_secure)


def secret_key(data_dir: Path) -> str:
    """The key that signs sessions: $GONGKAI_SECRET_KEY, else <data>/secret_key, made once (0600)."""
    if os.environ.get("GONGKAI_SECRET_KEY"):
        return os.environ["GONGKAI_SECRET_KEY"]
    path = Path(data_dir) / SECRET_FILE
    if not path.exists():
        # Written whole to a private temp file, then published with link(): of two servers starting
        # at once, one key wins and neither ever reads a half-written file.
        tmp = path.with_name(f".{SECRET_FILE}.{os.getpid()}.{secrets.token_hex(4)}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32) + "\n")
                f.flush()
                os.fsync(f.fileno())
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text().strip()


def private_if_signed_in(resp):
    """Responses differ by session: caches key them on the cookie and never store a staff answer."""
    if request.endpoint == "static":
        return resp
    resp.vary.add("Cookie")
    if current_user() is not None or request.path.startswith("/staff"):
        resp.headers["Cache-Control"] = "private, no-store"
        resp.headers.pop("Expires", None)
    return resp


def init_app(app: Flask, data_dir: Path, hours: float) -> None:
    """Session cookie settings (a sign-in lasts `hours`), the secret key, CSRF protection and template helpers."""
    from datetime import timedelta

    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(data_dir)
    secure = os.environ.get("GONGKAI_SECURE_COOKIES", "").lower() in ("1", "true", "yes")
    app.config.setdefault("SESSION_COOKIE_SECURE", False)
    app.config["SESSION_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"] or secure
    app.config.update(SESSION_COOKIE_NAME="gongkai_session", SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", PERMANENT_SESSION_LIFETIME=timedelta(hours=hours),
                      WTF_CSRF_TIME_LIMIT=int(hours * 3600))
    app.session_interface = _SessionInterface()
    csrf.init_app(app)
    app.jinja_env.globals.update(current_user=current_user, csrf_token=generate_csrf, can=can)
