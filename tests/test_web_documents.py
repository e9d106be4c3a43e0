"""Document pages: metadata table, marked and numbered hits, related documents, citation, downloads."""
import hashlib
import re
from urllib.parse import unquote

from conftest import load, page

from web import create_app
from web.documents import content_disposition, family, title_keywords


def doc_id(client, q):
    return client.get("/api/search", query_string={"q": q}).get_json()["hits"][0]["id"]


def test_document_page_metadata_hits_and_original_download(client, corpus):
    hit = client.get("/api/search?q=国办发〔2019〕6号").get_json()["hits"][0]
    assert hit["doc_number"] == "国办发〔2019〕6号"
    html = page(client, f"/doc/{hit['id']}?q=融资担保")
    table = re.search(r'<table class="meta-table">.*?</table>', html, re.S).group(0)
    for label in ("索引号", "主题分类", "发文机关", "成文日期", "标题", "发文字号", "发布日期"):
        assert f">{label}</th>" in table
    assert "国办发〔2019〕6号" in table and re.search(r"\d{4}年\d{2}月\d{2}日", table)
    marks = re.findall(r'<mark id="hit-(\d+)" tabindex="-1">融资担保</mark>', html)
    assert marks == [str(i) for i in range(1, len(marks) + 1)] and len(marks) > 1
    assert f"“融资担保”在文中出现 {len(marks)} 处" in html
    assert f'href="#hit-{len(marks)}"' in html      # no-JS jump links to every hit
    doc = client.get(f"/api/documents/{hit['id']}").get_json()
    resp = client.get(doc["originals"][0]["url"])
    assert resp.status_code == 200 and resp.mimetype == doc["originals"][0]["mime"]
    src = corpus / "govcn-2019-zhouynf" / "html" / "002_content_5365711.html"
    assert hashlib.sha256(resp.data).hexdigest() == hashlib.sha256(src.read_bytes()).hexdigest()
    assert 'filename="002_content_5365711.html"' in resp.headers["Content-Disposition"]
    assert "sandbox" in resp.headers["Content-Security-Policy"]


def test_same_family_lists_only_the_same_agency_code_and_year(client):
    data = client.get(f"/api/documents/{doc_id(client, '国办发〔2019〕6号')}/related").get_json()
    assert data["family_key"] == "国办发〔2019〕"
    assert len(data["family"]) >= 2
    assert all(family(d["doc_number"]) == ("国办发", "2019") for d in data["family"])
    assert "国办发〔2019〕6号" not in [d["doc_number"] for d in data["family"]]
    html = page(client, f"/doc/{doc_id(client, '国办发〔2019〕6号')}")
    assert "同一文号系列（国办发〔2019〕）" in html and "相似文件" in html


def test_citation_names_agency_title_number_and_url(client):
    i = doc_id(client, "国办发〔2019〕6号")
    html = page(client, f"/doc/{i}")
    cite = re.search(r'<textarea id="citation"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    assert cite.startswith("国务院办公厅. ") and "国办发〔2019〕6号[EB/OL]" in cite
    assert cite.endswith(f"http://localhost/doc/{i}")
    assert 'for="citation"' in html


def test_family_and_title_keywords():
    assert family("国办发〔2019〕6号") == ("国办发", "2019")
    assert family("示政發[2018]7號") == ("示政發", "2018")
    assert family("国务院令第708号") is None
    kw = title_keywords("国务院办公厅关于进一步加强政务公开标准化规范化工作的通知", "国务院办公厅")
    assert "政务公开" in kw and not {"通知", "关于", "国务院办公厅", "进一步"} & set(kw)


def test_content_disposition_keeps_chinese_names_exactly():
    name = '示政发〔2016〕4号_表彰 "先进".pdf'
    header = content_disposition(name, "document-abc")
    assert header.startswith('attachment; filename="document-abc.pdf"; ')
    encoded = re.search(r"filename\*=UTF-8''(\S+)$", header).group(1)
    assert unquote(encoded, encoding="utf-8") == name and encoded.isascii() and '"' not in encoded


def test_download_of_a_chinese_named_file(archive, tmp_path):
    from ingest.pipeline import ingest

    f = tmp_path / "示政发〔2016〕4号_征地补偿.txt"
    f.write_text("关于征地补偿的通知\n\n征地补偿标准。", encoding="gb18030")
    assert ingest(archive, [f]).ingested == 1
    client = create_app(archive=archive).test_client()
    doc = client.get(f"/api/documents/{doc_id(client, '征地补偿')}").get_json()
    resp = client.get(doc["originals"][0]["url"])
    assert resp.data == f.read_bytes()
    assert resp.mimetype.startswith("text/")
    cd = resp.headers["Content-Disposition"]
    assert cd.startswith('attachment; filename="document-') and cd.endswith(
        "filename*=UTF-8''%E7%A4%BA%E6%94%BF%E5%8F%91%E3%80%942016%E3%80%954%E5%8F%B7_"
        "%E5%BE%81%E5%9C%B0%E8%A1%A5%E5%81%BF.txt")
    html = client.get(f"/doc/{doc['id']}").get_data(as_text=True)
    assert 'download="示政发〔2016〕4号_征地补偿.txt"' in html


def test_validity_shows_when_known_and_multi_page_documents_link_pages(archive):
    load(archive, [{
        "id": "v1", "metadata": {"title": "关于征地补偿标准的通知", "agency": "示例市人民政府",
                                 "doc_number": "示政发〔2020〕1号", "validity": "已废止"},
        "pages": ["第一页 征地补偿", "第二页", "第三页 征地补偿 又一处"],
        "original": {"sha256": "a" * 64, "filename": "v1.pdf", "source": "/x/v1.pdf",
                     "mime": "application/pdf", "size": 10, "extractor": "pdf"},
        "disclosure": "主动公开"}])
    client = create_app(archive=archive).test_client()
    html = client.get("/doc/v1?q=征地补偿").get_data(as_text=True)
    assert ">有效性</th>" in html and "已废止" in html
    assert 'id="page-3"' in html and 'href="#page-3"' in html
    assert "（本页 1 处命中）" in html and 'id="hit-2"' in html
    assert client.get("/api/documents/v1").get_json()["validity"] == "已废止"
    assert client.get("/doc/v1/original/" + "a" * 64).status_code == 404  # blob never stored


def test_restricted_documents_are_invisible_everywhere(laws):
    a, docs = laws
    client = create_app(archive=a).test_client()
    hidden = [d for d in docs if d["disclosure"] != "主动公开"]
    shown = [d for d in docs if d["disclosure"] == "主动公开"]
    assert hidden
    for d in hidden:
        assert client.get(f"/doc/{d['id']}").status_code == 404
        assert client.get(f"/api/documents/{d['id']}").status_code == 404
        assert client.get(f"/api/documents/{d['id']}/related").status_code == 404
        assert client.get(f"/doc/{d['id']}/original/{d['original']['sha256']}").status_code == 404
    hidden_ids = {d["id"] for d in hidden}
    for d in shown[:10]:
        rel = client.get(f"/api/documents/{d['id']}/related").get_json()
        assert not hidden_ids & {x["id"] for x in rel["family"] + rel["similar"]}
    everything = client.get("/api/search?q=&limit=100").get_json()
    assert everything["total"] == len(shown) and not hidden_ids & {h["id"] for h in everything["hits"]}
    title = hidden[0]["metadata"]["title"]
    html = client.get("/search", query_string={"q": title}).get_data(as_text=True)
    assert f"/doc/{hidden[0]['id']}" not in html


def test_script_payloads_in_documents_stay_text(archive, tmp_path):
    from ingest.pipeline import ingest

    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    f = tmp_path / "payload.md"   # a Markdown heading is the title, whatever it holds
    f.write_text(f"# {payload}关于征地补偿的通知\n\n征地补偿{payload}标准", encoding="utf-8")
    assert ingest(archive, [f]).ingested == 1
    client = create_app(archive=archive).test_client()
    i = doc_id(client, "征地补偿")
    for url in ["/search?q=征地补偿", "/search?q=script", f"/doc/{i}?q=征地补偿", f"/doc/{i}?q=script",
                "/feed?q=征地补偿", "/?lang=en", f"/doc/{i}?lang=en", "/"]:
        html = client.get(url).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "&lt;" in html, url
