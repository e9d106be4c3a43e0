"""What an anonymous attacker can throw at the service: deep nesting, expensive queries, huge bodies,
parallel password guesses, hostile names and control characters, huge numbers in URLs. Each answer is
a notice or a clean refusal, never a 500 and never unbounded work."""
from __future__ import annotations

import socket
import threading
import time
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from canary_corpus import documents, load
from conftest import BACKENDS, backend_settings, close_archive
from staff_support import PASSWORD, add_users, staff_client

from archive import Search
from web import create_app


@pytest.fixture(scope="module", params=BACKENDS)
def site(request, tmp_path_factory):
    from archive import Archive

    tmp = tmp_path_factory.mktemp("abuse")
    public, restricted = documents(tmp / "files")
    a = Archive(backend_settings(request.param, tmp / "data"))
    load(a, public + restricted)
    add_users(a)
    yield create_app(archive=a, config={"SECRET_KEY": "abuse"}), a
    close_archive(a)


def test_deeply_nested_parentheses_answer_with_a_notice(site):
    """Regression guard: ~400 nested parentheses crashed every search route with RecursionError (500)."""
    app, _ = site
    client = app.test_client()
    q = "(" * 240 + "海域" + ")" * 240
    for route in ("/search", "/api/search", "/api/facets", "/feed"):
        resp = client.get(f"{route}?q={quote(q)}")
        assert resp.status_code == 200, route
    r = client.get(f"/api/search?q={quote(q)}").get_json()
    assert r["total"] >= 1 and any("括号嵌套过深" in n for n in r["notices"])


def test_expensive_queries_are_bounded_with_a_notice(site):
    """Regression guard: ~250 space-separated single characters cost ~2 s each."""
    app, archive = site
    q = " ".join("的了是在和有我这人中大为上个国"[i % 14] for i in range(250))
    started = time.perf_counter()
    r = app.test_client().get(f"/api/search?q={quote(q)}").get_json()
    assert time.perf_counter() - started < 2.0  # (bounded work, not a timing claim: the query is cut)
    assert any("单字检索词过多" in n for n in r["notices"])
    many = " ".join(f"词语{i}" for i in range(80))
    r = app.test_client().get(f"/api/search?q={quote(many)}").get_json()
    assert any("检索词过多" in n for n in r["notices"])


def test_a_search_over_its_time_budget_says_so(site):
    app, archive = site
    if archive.settings.backend == "embedded":
        # Counting (in the engine's thread pool) is made to outlast the budget; ranking stays real.
        index = archive.indexes["public"]
        pool = index._pool

        class Late:
            def submit(self, fn, *args):
                return pool.submit(lambda: time.sleep(0.5) or fn(*args))
        index.__dict__["_pool"] = Late()
    budget = archive.settings.search_timeout_s
    archive.settings.search_timeout_s = 0.1 if archive.settings.backend == "embedded" else 0.0
    try:
        r = archive.search(Search(q="资金 管理"))
    finally:
        archive.settings.search_timeout_s = budget
        if archive.settings.backend == "embedded":
            index.__dict__["_pool"] = pool
    if archive.settings.backend == "embedded":  # (Elasticsearch may answer within 0 ms on this tiny index)
        assert any("检索用时超过" in n for n in r["notices"]) and r["total"] == 0
    assert archive.search(Search(q="资金 管理"))["total"] > 0


def test_password_guesses_in_parallel_are_counted_atomically(site, monkeypatch):
    """Regression guard: 60 concurrent wrong passwords got 12 evaluated against a limit of 5."""
    import archive.accounts as accounts_module

    app, archive = site
    evaluated = []
    real = accounts_module.check_password_hash
    monkeypatch.setattr(accounts_module, "check_password_hash",
                        lambda h, p: evaluated.append(1) or real(h, p))
    archive.accounts.add("target", PASSWORD, "viewer")
    barrier = threading.Barrier(60)
    outcomes = []

    def guess(n):
        barrier.wait()
        try:
            outcomes.append(archive.accounts.authenticate("target", f"wrong guess {n}", client=f"10.0.0.{n}"))
        except accounts_module.Throttled:
            outcomes.append("throttled")

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(60)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(evaluated) <= archive.accounts.max_failures
    assert outcomes.count("throttled") >= 60 - archive.accounts.max_failures


def test_control_characters_never_break_the_feed(site):
    """Regression guard: C0 control characters in q or in titles made the Atom feed ill-formed."""
    app, _ = site
    for q in ("海域\x01", "\x1b[31m资金", "项目\x00管理", "\ufffe"):
        resp = app.test_client().get(f"/feed?q={quote(q)}")
        assert resp.status_code == 200
        ET.fromstring(resp.get_data())  # well-formed XML


def test_huge_numbers_in_staff_urls_are_not_errors(site):
    """Regression guard: /staff/audit?page=<huge> and /staff/runs/<huge> answered 500."""
    app, _ = site
    admin = staff_client(app, "admin")
    assert admin.get("/staff/audit?page=" + "9" * 40).status_code == 200
    assert admin.get("/staff/runs/" + "9" * 40).status_code == 404
    assert admin.get("/staff/runs/9223372036854775808").status_code == 404


def _raw_request(port: int, head: bytes, body: bytes = b"", timeout: float = 10.0) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(head + body)
        s.shutdown(socket.SHUT_WR) if body else None
        data = b""
        while chunk := s.recv(65536):
            data += chunk
        return data


def test_large_bodies_are_refused_before_they_are_read(site):
    """Regression guard: any route accepted 1 GiB anonymously (a 300 MB POST to /staff/login used 600 MB of
    disk before the CSRF refusal). The limit is decided from the request line, headers and session."""
    from web.serving import make_server

    app, archive = site
    server = make_server(app, "127.0.0.1", 0, 2)
    port = server.effective_port
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    try:
        huge = 300 * 1024 * 1024
        for path in ("/staff/login", "/staff/ingest", "/search"):
            head = (f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    f"Content-Length: {huge}\r\n\r\n").encode()
            started = time.monotonic()
            answer = _raw_request(port, head)  # no body sent: the refusal comes from the headers alone
            assert answer.startswith(b"HTTP/1.1 413"), (path, answer[:200])
            assert time.monotonic() - started < 5
        # A signed-in editor may upload more than the small limit (here 2 MiB).
        editor = staff_client(app, "editor")
        cookie = editor.get_cookie("gongkai_session").value
        from web.serving import body_limit

        assert body_limit(app, "POST", "/staff/ingest", f"gongkai_session={cookie}") == archive.settings.max_upload_bytes
        assert body_limit(app, "POST", "/staff/login", f"gongkai_session={cookie}") == archive.settings.max_request_bytes
        assert body_limit(app, "POST", "/staff/ingest", "gongkai_session=forged.value.sig") == \
            archive.settings.max_request_bytes
        viewer = staff_client(app, "viewer").get_cookie("gongkai_session").value
        assert body_limit(app, "POST", "/staff/ingest", f"gongkai_session={viewer}") == archive.settings.max_request_bytes
    finally:
        server.close()


def test_a_zip_member_name_with_newlines_downloads(site, tmp_path):
    """Regression guard: a ZIP member name with CR/LF made its original's download answer 500."""
    import zipfile

    from ingest.pipeline import ingest

    app, archive = site
    bundle = tmp_path / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.writestr("坏\r\n名字\x07.txt", "关于渔港码头维修的通知\n\n渔港 码头 维修 资金 安排 事项。")
    assert ingest(archive, [bundle]).ingested == 1
    archive.sync.catch_up()
    hit = archive.search(Search(q="渔港码头维修"))["hits"][0]
    doc = app.test_client().get(f"/api/documents/{hit['id']}").get_json()
    resp = app.test_client().get(doc["originals"][0]["url"])
    assert resp.status_code == 200 and "\n" not in resp.headers["Content-Disposition"]
    assert resp.get_data().decode().startswith("关于渔港码头维修的通知")
