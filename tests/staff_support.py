"""Helpers for the staff-side tests: accounts per role, signing in through the real form with its
CSRF token, and a live server in a thread for the browser (see conftest's `browser`)."""
from __future__ import annotations

import re
import threading
from contextlib import contextmanager

PASSWORD = "correct horse battery staple"
ROLES = ("viewer", "editor", "admin")
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_users(archive) -> None:
    """One account per role, named after it (viewer, editor, admin), password PASSWORD."""
    known = {u["username"] for u in archive.accounts.all()}
    for role in ROLES:
        if role not in known:
            archive.accounts.add(role, PASSWORD, role)


def csrf(html: str) -> str:
    """The CSRF token of the first form on a page."""
    m = _TOKEN.search(html)
    assert m, "no csrf_token on the page"
    return m.group(1)


def token(client) -> str:
    """A valid CSRF token for this client's session (from the sign-in page or the staff home)."""
    resp = client.get("/staff/login")
    if resp.status_code == 302:  # signed in already: any staff page has the sign-out form
        resp = client.get("/staff/")
    return csrf(resp.get_data(as_text=True))


def login(client, username: str, password: str = PASSWORD):
    """Sign in through the form, as a browser would; returns the response to the POST."""
    return client.post("/staff/login", data={"username": username, "password": password,
                                             "csrf_token": token(client)})


def staff_client(app, role: str):
    """A test client signed in as the account named `role`."""
    client = app.test_client()
    resp = login(client, role)
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return client


@contextmanager
def live_server(app):
    """`app` served by werkzeug on a free loopback port in a thread; yields its base URL."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args, **kwargs):
            pass

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)

