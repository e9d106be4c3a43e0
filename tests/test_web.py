"""The web app over real gov.cn pages: pages and API from one service call, facets, downloads."""
import hashlib
import re
from urllib.parse import unquote

import pytest

from web import create_app


@pytest.fixture(scope="module")
def client(govcn):
    app = create_app(archive=govcn)
    app.testing = True
    return app.test_client()


def page(client, url):
    resp = client.get(url)
    assert resp.status_code == 200, url
    return resp.get_data(as_text=True)


def test_home_offers_search_and_browsing(client):
    html = page(client, "/")
    assert 'name="q"' in html and "共收录 <strong>40</strong>" in html
    assert "国务院办公厅" in html


def test_results_page_and_api_agree(client):
    html = page(client, "/search?q=国务院")
    data = client.get("/api/search?q=国务院").get_json()
    assert f'<strong id="total">{data["total"]}</strong>' in html
    for hit in data["hits"]:
        assert f'/doc/{hit["id"]}' in html
    assert "<mark>国务院</mark>" in html
    assert {"id", "title", "doc_number", "agency", "written_date", "doc_type", "source", "score",
            "snippet"} <= set(data["hits"][0])


def test_facet_link_narrows_and_chip_removes(client):
    html = page(client, "/search?q=通知")
    total = int(re.search(r'id="total">(\d+)<', html).group(1))
    link = re.search(r'<a href="(/search\?[^"]*agency=[^"]+)">国务院办公厅</a>\s*<span class="count">(\d+)</span>', html)
    narrowed = page(client, link.group(1).replace("&amp;", "&"))
    assert f'id="total">{link.group(2)}<' in narrowed
    assert int(link.group(2)) < total
    chip = re.search(r'<ul class="chips active".*?<a href="([^"]+)"', narrowed, re.S).group(1)
    assert f'id="total">{total}<' in page(client, chip.replace("&amp;", "&"))


def test_paging_is_stable(client):
    first = client.get("/api/search?q=&limit=15").get_json()
    second = client.get("/api/search?q=&limit=15&offset=15").get_json()
    ids = [h["id"] for h in first["hits"] + second["hits"]]
    assert len(ids) == len(set(ids)) == 30
    html = page(client, "/search?q=&page=2")
    assert 'rel="prev"' in html and "第 2 / 2 页" in html


def test_document_page_and_original_download(client, govcn, corpus):
    data = client.get("/api/search?q=国办发〔2019〕6号").get_json()
    hit = data["hits"][0]
    assert hit["doc_number"] == "国办发〔2019〕6号"
    html = page(client, f"/doc/{hit['id']}?q=融资担保")
    assert "发文字号" in html and "国办发〔2019〕6号" in html and "<mark>融资担保</mark>" in html
    doc = client.get(f"/api/documents/{hit['id']}").get_json()
    resp = client.get(doc["originals"][0]["url"])
    assert resp.status_code == 200
    src = corpus / "govcn-2019-zhouynf" / "html" / "002_content_5365711.html"
    assert hashlib.sha256(resp.data).hexdigest() == hashlib.sha256(src.read_bytes()).hexdigest()
    assert unquote(resp.headers["Content-Disposition"]).endswith("002_content_5365711.html")


def test_bad_requests_never_error(client):
    for url in ['/search?q="', "/search?q=((", "/search?q=" + "征" * 5000, "/search?page=abc",
                "/search?page=-3&limit=0", "/search?year=abcd", "/search?sort=evil", "/search?q=%00",
                "/api/search?offset=99999999&limit=99999"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/doc/nope").status_code == 404
    assert client.get("/api/documents/nope").status_code == 404
    assert client.get("/doc/nope/original/" + "0" * 64).status_code == 404


def test_pages_send_a_content_security_policy(client):
    resp = client.get("/search?q=国务院")
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]


def test_script_payloads_in_documents_stay_text(archive, tmp_path):
    from ingest.pipeline import ingest

    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    f = tmp_path / "payload.txt"
    f.write_text(f"{payload}关于征地补偿的通知\n\n征地补偿{payload}标准", encoding="utf-8")
    assert ingest(archive, [f]).ingested == 1
    client = create_app(archive=archive).test_client()
    doc_id = client.get("/api/search?q=征地补偿").get_json()["hits"][0]["id"]
    for url in ["/search?q=征地补偿", "/search?q=script", f"/doc/{doc_id}?q=征地补偿", f"/doc/{doc_id}?q=script"]:
        html = page(client, url)
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;script&gt;" in html or "&lt;" in html
