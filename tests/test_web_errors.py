"""Errors people and programs see: the site's own page in their language, JSON for the API, one log entry
with the traceback; and no server path in any public answer."""
from __future__ import annotations

import logging
import re

import pytest
from conftest import SAMPLES


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The bundled samples as `gongkai serve --demo` ingests them, and an app over them."""
    from archive import Archive, Settings
    from ingest.pipeline import ingest
    from web import create_app

    a = Archive(Settings(data_dir=tmp_path_factory.mktemp("demo")))
    summary = ingest(a, [p for p in sorted(SAMPLES.rglob("*")) if p.is_file()
                         and p.name not in ("README.md", "manifest.csv")])
    assert not summary.failed
    app = create_app(archive=a)

    def boom():
        raise RuntimeError("a bug in a view")

    app.add_url_rule("/boom", "boom", boom)
    app.add_url_rule("/api/boom", "api_boom", boom)
    yield a, app
    a.close()


def test_an_unexpected_error_renders_the_site_page_and_logs_once(demo, caplog):
    _, app = demo
    client = app.test_client()
    with caplog.at_level(logging.ERROR):
        resp = client.get("/boom")
    assert resp.status_code == 500
    html = resp.get_data(as_text=True)
    assert "服务器出错了" in html and "返回首页" in html and "Traceback" not in html
    logged = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(logged) == 1 and logged[0].name == "web.errors" and logged[0].exc_info
    assert "a bug in a view" in caplog.text
    en = client.get("/boom?lang=en").get_data(as_text=True)
    assert "Something went wrong on the server" in en
    assert client.get("/api/boom").get_json() == {"error": "internal error"}


def test_http_errors_are_pages_or_json_by_caller(demo):
    _, app = demo
    client = app.test_client()
    assert "找不到这个页面或文件。" in client.get("/nope").get_data(as_text=True)
    assert client.get("/api/nope").get_json() == {"error": "not found"}
    resp = client.post("/search")
    assert resp.status_code == 405 and "GET" in resp.headers["Allow"]
    assert client.post("/api/search").get_json() == {"error": "method not allowed"}


_ROUTE = re.compile(r"^/(?:doc|api|search|feed|static|staff)(?:/|\?|$)")


def _strings(value):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def test_public_json_holds_no_server_path(demo):
    """Every string of every public API answer on the demo archive: no data directory, no upload or sample
    path, nothing that looks like an absolute file path other than this site's own URLs."""
    archive, app = demo
    client = app.test_client()
    answers = [client.get("/api/openapi.json").get_json()]
    for q in ("", "政务公开", "示政办发〔2023〕12号", "征地 补偿"):
        answers.append(client.get(f"/api/search?q={q}&limit=100").get_json())
        answers.append(client.get(f"/api/facets?q={q}").get_json())
    ids = {h["id"] for h in answers[1]["hits"]}
    assert len(ids) == archive.catalog.count_documents() == 40
    for doc_id in sorted(ids):
        answers.append(client.get(f"/api/documents/{doc_id}").get_json())
        answers.append(client.get(f"/api/documents/{doc_id}/related").get_json())
    server = (str(archive.settings.data_dir), str(SAMPLES), str(SAMPLES.resolve()))
    checked = 0
    for answer in answers:
        for s in _strings(answer):
            checked += 1
            assert not any(p in s for p in server), s
            assert not (s.startswith("/") and not _ROUTE.match(s)), s
    assert checked > 1000
