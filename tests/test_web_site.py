"""Site-wide qualities: Atom feeds, English interface, static caching, CSP, no third-party requests."""
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from web import create_app

ATOM = "{http://www.w3.org/2005/Atom}"
PAGES = ["/", "/search?q=国务院", "/search?q=&agency=国务院办公厅&year=2019&page=1", "/search?q=量子纠缠",
         "/?lang=en", "/search?q=国务院&lang=en", "/nope"]


def some_doc(client):
    return client.get("/api/search?q=国务院").get_json()["hits"][0]["id"]


def test_feed_for_a_search_is_atom_of_public_documents(client):
    resp = client.get("/feed?q=国务院&agency=国务院办公厅")
    assert resp.status_code == 200 and resp.mimetype == "application/atom+xml"
    feed = ET.fromstring(resp.data)
    entries = feed.findall(f"{ATOM}entry")
    api = client.get("/api/search?q=国务院&agency=国务院办公厅&sort=date&limit=30").get_json()
    assert [e.find(f"{ATOM}title").text for e in entries] == [h["title"] for h in api["hits"]]
    assert all("国务院办公厅" in e.find(f"{ATOM}author/{ATOM}name").text.split("、") for e in entries)
    assert feed.find(f"{ATOM}updated").text == max(e.find(f"{ATOM}updated").text for e in entries)
    html = client.get("/search?q=国务院&agency=国务院办公厅").get_data(as_text=True)
    link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html).group(1)
    assert link.replace("&amp;", "&").startswith("/feed?q=")


def test_feed_never_shows_restricted_documents(laws):
    a, docs = laws
    client = create_app(archive=a).test_client()
    hidden = {f"http://localhost/doc/{d['id']}" for d in docs if d["disclosure"] != "主动公开"}
    feed = ET.fromstring(client.get("/feed?q=").data)
    ids = {e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")}
    assert ids and not ids & hidden


def test_feed_escapes_document_text(archive, tmp_path):
    from ingest.pipeline import ingest

    f = tmp_path / "x.txt"
    f.write_text('关于<b>征地</b>&补偿]]>的通知\n\n征地补偿 <script>x</script>', encoding="utf-8")
    ingest(archive, [f])
    feed = ET.fromstring(create_app(archive=archive).test_client().get("/feed?q=征地补偿").data)
    entry = feed.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text == '关于<b>征地</b>&补偿]]>的通知'
    assert "&lt;script&gt;" in entry.find(f"{ATOM}summary").text  # html summary shows it as text


def test_english_interface_keeps_the_page_state(client):
    zh = client.get("/search?q=国务院&agency=国务院办公厅&sort=date").get_data(as_text=True)
    assert '<html lang="zh-CN">' in zh and "检索结果" in zh
    switch = re.search(r'<a href="([^"]+)" lang="en" hreflang="en">English</a>', zh).group(1)
    switch = switch.replace("&amp;", "&")
    assert "agency=" in switch and "sort=date" in switch and "lang=en" in switch
    en = client.get(switch).get_data(as_text=True)
    assert '<html lang="en">' in en and "Results for “国务院”" in en and "Issuing agency" in en
    assert re.search(r'href="/doc/\w+\?q=[^"]*lang=en', en)       # links keep English
    assert '<input type="hidden" name="lang" value="en">' in en
    back = re.search(r'<a href="([^"]+)" lang="zh-CN" hreflang="zh-CN">中文</a>', en).group(1)
    assert "lang=" not in back and "agency=" in back


def test_dates_are_chinese_on_chinese_pages_and_iso_on_english(client):
    i = some_doc(client)
    d = client.get(f"/api/documents/{i}").get_json()["written_date"]
    y, m, day = d.split("-")
    assert f"{y}年{m}月{day}日" in client.get(f"/doc/{i}").get_data(as_text=True)
    en = client.get(f"/doc/{i}?lang=en").get_data(as_text=True)
    assert d in en and f"{y}年{m}月" not in en.split("<table")[1].split("</table>")[0]


def test_every_interface_message_has_an_english_translation():
    from web.i18n_en import EN

    web = Path(__file__).resolve().parents[1] / "web"
    found = set()
    for f in [*web.glob("templates/*"), *web.glob("*.py")]:
        found |= {a or b for a, b in re.findall(r'''(?:\b_|gettext)\(\s*(?:"([^"]+)"|'([^']+)')''', f.read_text())}
    missing = sorted(m for m in found if m not in EN)
    assert not missing, missing


def test_static_files_are_versioned_cached_and_conditional(client):
    html = client.get("/").get_data(as_text=True)
    for name in ("style.css", "app.js"):
        url = re.search(rf'"(/static/{name}\?v=[0-9a-f]+)"', html).group(1)
        resp = client.get(url)
        assert resp.status_code == 200
        assert "immutable" in resp.headers["Cache-Control"] and "max-age=31536000" in resp.headers["Cache-Control"]
        etag = resp.headers["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    home = client.get("/")
    assert client.get("/", headers={"If-None-Match": home.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_strict_csp_no_inline_code_and_no_third_party_urls(client, url):
    resp = client.get(url)
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "object-src 'none'" in csp
    html = resp.get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script"
    assert not re.search(r"\son[a-z]+\s*=", html), "inline event handler"
    assert not re.search(r"\sstyle\s*=", html), "inline style"
    for ref in re.findall(r'(?:src|href|action)="([^"]+)"', html):
        assert ref.startswith(("/", "#", "?")) or ref.startswith("http://localhost/"), ref


def test_pages_are_gzipped_but_downloads_are_byte_for_byte(client):
    import gzip

    resp = client.get("/search?q=国务院", headers={"Accept-Encoding": "gzip"})
    assert resp.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in resp.headers["Vary"]
    assert "国务院" in gzip.decompress(resp.data).decode()
    doc = client.get("/api/documents/" + some_doc(client)).get_json()
    original = client.get(doc["originals"][0]["url"], headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in original.headers


def test_the_public_footer_links_to_the_staff_sign_in(client):
    html = client.get("/").get_data(as_text=True)
    footer = html.split('<footer class="site">')[1]
    assert '<a href="/staff/login">工作人员登录</a>' in footer


@pytest.mark.parametrize("lang, hint", [("", "请用中文检索"), ("&lang=en", "search in Chinese")])
def test_an_english_query_that_finds_nothing_says_the_archive_is_chinese(client, lang, hint):
    assert hint in client.get(f"/search?q=land+compensation{lang}").get_data(as_text=True)
    assert hint not in client.get(f"/search?q=国务院{lang}").get_data(as_text=True)            # found something
    assert hint not in client.get(f"/search?q=征地补偿xyzzy无此文件{lang}").get_data(as_text=True)  # Chinese
