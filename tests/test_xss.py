"""XSS: documents whose titles, bodies, 文号, agencies, file names and reasons carry script payloads,
searched so that the payloads are highlighted: in HTML, JSON and Atom nothing becomes markup, and
in a real browser (public and staff pages) no payload runs."""
from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from conftest import BACKENDS, backend_settings, close_archive
from staff_support import PASSWORD, add_users, live_server, staff_client

from web import create_app

PAYLOADS = [
    '<script>alert("xss1")</script>',
    '<img src=x onerror=alert("xss2")>',
    '"><svg onload=alert("xss3")>',
    "</textarea><script>alert('xss4')</script>",
    'javascript:alert("xss5")',
    '&lt;script&gt;alert("xss6")&lt;/script&gt;',
    '<a href="javascript:alert(\'xss7\')">点我</a>',
    '<!--<script>alert("xss8")</script>-->',
    ']]><script>alert("xss9")</script>',
    "'><iframe srcdoc=\"<script>alert('xss10')</script>\">",
    '<style>body{display:none}</style>',
    '{{ 7*7 }}<math><mtext><table><mglyph><style><img src=x onerror=alert("xss11")>',
]
ATOM = "{http://www.w3.org/2005/Atom}"


def payload_docs() -> list[dict]:
    docs = []
    for n, p in enumerate(PAYLOADS):
        title = f"关于征地补偿{p}的通知"
        body = f"征地补偿标准{p}。第二段 script alert onerror 征地补偿 {p} 结束。"
        raw = (title + "\n\n" + body).encode()
        sha = hashlib.sha256(raw).hexdigest()
        docs.append({
            "id": sha[:16], "pages": [title + "\n\n" + body], "disclosure": "不予公开" if n % 4 == 3 else "主动公开",
            "metadata": {"title": title, "doc_number": f"示政发〔2020〕{n + 1}号{p}", "agency": f"示例{n}局{p}",
                         "doc_type": "通知", "topic": f"城乡建设{p}", "written_date": f"2020-01-{n + 1:02d}",
                         "disclosure_reason": f"理由{p}", "validity": "现行有效"},
            "original": {"sha256": sha, "filename": f"{p}.txt", "source": f"/x/{n}.txt", "mime": "text/plain",
                         "size": len(raw), "extractor": "text"},
            "raw": raw,
        })
    return docs


@pytest.fixture(scope="module", params=BACKENDS)
def site(request, tmp_path_factory):
    from archive import Archive

    a = Archive(backend_settings(request.param, tmp_path_factory.mktemp("xss")))
    docs = payload_docs()
    folder = tmp_path_factory.mktemp("xss-files")
    for d in docs:
        path = folder / d["id"]
        path.write_bytes(d["raw"])
        a.blobs.put(path, d["original"]["sha256"])
        a.catalog.add_document(d["id"], d["metadata"], d["pages"], d["original"], [f"警告{PAYLOADS[0]}"],
                               d["disclosure"])
    a.sync.catch_up()
    add_users(a)
    run = a.catalog.start_run([f"/x/{PAYLOADS[1]}.zip"])
    a.catalog.record_file(run, f"/x/批量.zip!/{PAYLOADS[1]}.pdf", "failed", stage="extract", reason=PAYLOADS[0])
    a.catalog.finish_run(run)
    a.audit.record(PAYLOADS[2], "login_failed", client=PAYLOADS[3])
    app = create_app(archive=a)
    yield app, docs, run
    close_archive(a)


class Tags(HTMLParser):
    """Every element and attribute of a page, to find any that a payload could have made."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


DANGEROUS = {"script", "iframe", "img", "math", "style", "object", "embed", "base", "meta", "form"}
URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
VERBATIM = ["<script>alert", "<img src=x", "<svg onload", "<iframe", "<style>body", "</textarea><script>", "<a href=\"javascript",
            '&lt;script&gt;alert("xss6")', "<math>"]


def markup_problems(html: str, allowed: set[str] | None = None) -> list:
    """Elements or attributes in `html` that only a payload would have put there (our own pages have
    scripts only from /static/, forms only that post to this site, and no handlers or styles)."""
    p = Tags()
    p.feed(html)
    bad = [s for s in VERBATIM if s in html]
    for tag, attrs in p.found:
        if allowed is not None and tag not in allowed:
            bad.append(tag)
        ours = (tag == "script" and (attrs.get("src") or "").startswith("/static/")) or (
            tag == "form" and (attrs.get("action") or "").startswith("/")) or (
            tag == "meta" and set(attrs) <= {"charset", "name", "content", "http-equiv"}
            and "url" not in (attrs.get("content") or "").lower())
        if tag in DANGEROUS and not ours:
            bad.append((tag, attrs))
        for name, value in attrs.items():
            if name.startswith("on") or name in ("srcdoc", "style") or (
                    name in URL_ATTRS and (value or "").strip().lower().startswith(("javascript:", "data:text"))):
                bad.append((tag, name, value))
    return bad


def pages(docs, run) -> list[str]:
    ids = [d["id"] for d in docs]
    urls = ["/", "/?lang=en", "/search?q=征地补偿", "/search?q=script", "/search?q=alert", "/search?q=onerror",
            "/search?q=" + quote("征地补偿 <script>"), "/search?q=" + quote('"><svg onload=alert(1)>'),
            "/search?q=" + quote("示例0局" + PAYLOADS[0]) + "&agency=" + quote("示例0局" + PAYLOADS[0]),
            "/search?q=&agency=" + quote(f"示例1局{PAYLOADS[1]}") + "&sort=date",
            "/search?q=征地补偿&lang=en", "/search?q=量子纠缠" + quote(PAYLOADS[0])]
    for i in ids:
        urls += [f"/doc/{i}?q=征地补偿", f"/doc/{i}?q=script", f"/doc/{i}?q=" + quote(PAYLOADS[3]), f"/doc/{i}"]
    return urls + ["/staff/", "/staff/audit", "/staff/audit?action=login_failed", f"/staff/runs/{run}",
                   "/staff/ingest", f"/staff/doc/{ids[3]}/edit", f"/staff/doc/{ids[2]}/edit"]


def test_no_payload_becomes_markup_in_html_json_or_atom(site):
    app, docs, run = site
    anon, admin = app.test_client(), staff_client(app, "admin")
    for client in (anon, admin):
        for url in pages(docs, run):
            resp = client.get(url)
            if client is anon and url.startswith(("/staff", "/doc/")) and resp.status_code != 200:
                continue
            assert resp.status_code == 200, url
            html = resp.get_data(as_text=True)
            assert not markup_problems(html), (url, markup_problems(html))
        for q in ["征地补偿", "script", "alert onerror", "svg onload", "xss6"]:
            data = client.get("/api/search?q=" + quote(q) + "&limit=50").get_json()
            assert data["hits"] or client is anon, q
            for h in data["hits"]:
                assert not markup_problems(h["title_html"], {"mark"}), h["title_html"]
                assert not markup_problems(h["snippet"], {"mark"}), h["snippet"]
            raw = client.get("/api/search?q=" + quote(q)).get_data(as_text=True)
            assert json.loads(raw) and client.get("/api/search").mimetype == "application/json"
        for url in ["/feed?q=征地补偿", "/feed?q=script", "/feed?q=" + quote(PAYLOADS[0]), "/feed"]:
            feed = ET.fromstring(client.get(url).data)
            entries = feed.findall(f"{ATOM}entry")
            assert entries or "script" not in url, url
            for e in entries:
                summary = e.find(f"{ATOM}summary")
                assert summary.get("type") == "html"
                assert not markup_problems(summary.text, {"mark"}), summary.text
                assert e.find(f"{ATOM}title").get("type") in (None, "text")


def test_edits_with_payloads_stay_text(site):
    app, docs, _ = site
    editor = staff_client(app, "editor")
    d = docs[0]
    from staff_support import csrf

    form = editor.get(f"/staff/doc/{d['id']}/edit").get_data(as_text=True)
    resp = editor.post(f"/staff/doc/{d['id']}/edit", data={
        "csrf_token": csrf(form), "title": "关于征地补偿" + PAYLOADS[3] + PAYLOADS[2], "agency": PAYLOADS[1]})
    assert resp.status_code == 302
    for url in [f"/doc/{d['id']}", f"/staff/doc/{d['id']}/edit", "/search?q=征地补偿"]:
        html = editor.get(url).get_data(as_text=True)
        assert not markup_problems(html), url
    audit = staff_client(app, "admin").get("/staff/audit?action=edit").get_data(as_text=True)
    assert not markup_problems(audit)


def test_no_payload_runs_in_the_browser(site, browser):
    app, docs, run = site
    with live_server(app) as base:
        for signed_in in (False, True):
            context = browser.new_context()
            tab = context.new_page()
            fired = []
            tab.on("dialog", lambda d: (fired.append(d.message), d.dismiss()))
            tab.on("console", lambda m: "xss" in m.text and fired.append(m.text))
            tab.on("pageerror", lambda e: fired.append(str(e)))
            if signed_in:
                tab.goto(base + "/staff/login")
                tab.get_by_label("用户名").fill("admin")
                tab.get_by_label("密码").fill(PASSWORD)
                tab.get_by_role("button", name="登录").click()
                tab.wait_for_url(base + "/staff/")
            for url in pages(docs, run):
                resp = tab.goto(base + url)
                if not signed_in and resp.status != 200:
                    continue
                tab.wait_for_load_state("load")
                assert tab.evaluate("document.querySelectorAll('script:not([src]), iframe, img, style').length") == 0, url
                assert tab.evaluate("[...document.querySelectorAll('*')].filter(e => [...e.attributes]"
                                    ".some(a => a.name.startsWith('on'))).length") == 0, url
                if "?q=" in url and "征地补偿" in url and resp.status == 200:
                    assert tab.locator("mark").count() > 0, url
            tab.goto(base + "/feed?q=" + quote("征地补偿"))
            context.close()
            assert not fired, fired
