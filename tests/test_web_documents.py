"""Document pages: metadata table, marked and numbered hits, related documents, citation, downloads."""
import hashlib
import re
import shutil
from html.parser import HTMLParser
from urllib.parse import unquote

import pytest
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
    marks = re.findall(r'<mark id="hit-(\d+)" tabindex="-1">(融资担保|融资|担保)</mark>', html)   # (its words)
    assert [n for n, _ in marks] == [str(i) for i in range(1, len(marks) + 1)] and len(marks) > 1
    assert "融资担保" in [m for _, m in marks]   # side by side: one mark
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


class _Tags(HTMLParser):
    """Start and end tags of an HTML fragment, checked for proper nesting; ids collected."""

    VOID = {"br", "img", "input", "meta", "link", "hr"}

    def __init__(self):
        super().__init__()
        self.stack, self.ids, self.hrefs, self.bad = [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if a.get("href", "").startswith("#"):
            self.hrefs.append(a["href"][1:])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.bad.append(tag)


def nesting(html: str) -> _Tags:
    p = _Tags()
    p.feed(html)
    p.close()
    return p


def body_text(html: str) -> str:
    """The document's body text: the contents of its pages' text blocks."""
    return "\n".join(re.findall(r'<div class="text">(.*?)</div>', html, re.S))


@pytest.fixture(scope="module")
def law_site(corpus, tmp_path_factory):
    """An archive holding the real 刑法 (Markdown) and a small regulation with script payloads, ingested."""
    from archive import Archive, Settings
    from ingest.pipeline import ingest

    src = tmp_path_factory.mktemp("laws-src")
    shutil.copy(corpus / "lawrefbook-laws" / "刑法" / "刑法.md", src / "刑法.md")
    (src / "示例市办法.txt").write_text(
        "示例市<script>alert(1)</script>管理办法\n\n第一章　总则<script>alert(2)</script>\n\n"
        "第一条　为了规范管理<img src=x onerror=alert(3)>，制定本办法。\n\n第二章　管理\n\n"
        "第二条　依照本办法第一条<script>alert(4)</script>的规定执行。\n", encoding="utf-8")
    a = Archive(Settings(data_dir=tmp_path_factory.mktemp("laws-data")))
    assert ingest(a, [src]).ingested == 2
    client = create_app(archive=a).test_client()
    yield client
    a.close()


def test_law_page_has_an_outline_article_anchors_and_links_from_citations(law_site):
    i = doc_id(law_site, "中华人民共和国刑法")
    html = page(law_site, f"/doc/{i}")
    nav = re.search(r'<nav class="outline".*?</nav>', html, re.S).group(0)
    assert 'href="#part-1"' in nav and ">第一编 总则</a>" in nav and "第1–101条" in nav
    assert 'href="#part-1-ch-2-sec-3">第三节 共同犯罪</a>' in nav and 'href="#part-2-ch-1"' in nav
    body = body_text(html)
    assert '<a class="art" id="art-20" href="#art-20">第二十条</a>' in body
    assert 'id="art-17-1"' in body and 'id="part-1-ch-2-sec-3" role="heading"' in body
    assert '依照本法<a class="ref" href="#art-313">第三百一十三条</a>的规定' in body
    assert "刑事诉讼法<a" not in body
    tags = nesting(body)
    assert not tags.bad and not tags.stack
    assert len(tags.ids) == len(set(tags.ids))
    assert set(tags.hrefs) <= set(tags.ids) and body.count('<a class="ref"') > 50   # every link has its target


def test_hits_are_marked_and_numbered_inside_articles_and_headings(law_site):
    """Hits may fall on an article label or a heading, or cross into one: marks stay numbered 1…N,
    one id per hit, and the tags stay properly nested."""
    i = doc_id(law_site, "中华人民共和国刑法")
    for q in ("正当防卫", "第二十条", "共同犯罪"):
        html = page(law_site, f"/doc/{i}?q={q}")
        body = body_text(html)
        numbers = re.findall(r'<mark id="hit-(\d+)" tabindex="-1">', body)
        assert numbers == [str(k) for k in range(1, len(numbers) + 1)] and numbers, q
        assert f"在文中出现 {len(numbers)} 处" in html
        tags = nesting(body)
        assert not tags.bad and not tags.stack, q
    html = page(law_site, f"/doc/{i}?q=第二十条")
    assert re.search(r'<a class="art" id="art-20" href="#art-20"><mark id="hit-\d+" tabindex="-1">第二十条</mark></a>', html)


def test_structure_in_a_document_with_script_payloads_stays_escaped(law_site):
    i = doc_id(law_site, "示例市 管理办法")
    for url in (f"/doc/{i}", f"/doc/{i}?q=管理", f"/doc/{i}?q=script"):
        html = page(law_site, url)
        assert "<script>alert" not in html and "<img src=x" not in html, url
        assert "总则&lt;script&gt;alert(2)&lt;/script&gt;</a>" in html, url           # in the outline
        assert re.search(r'<a class="ref" href="#art-1">第一条</a>&lt;(<mark[^>]*>)?script', html), url
        tags = nesting(body_text(html))
        assert not tags.bad and not tags.stack and "script" not in tags.ids + tags.hrefs, url


def test_render_closes_and_reopens_a_hit_across_a_tag():
    from web.fulltext import _Tag, render

    text = "依照本法第十二条的规定"
    tags = [_Tag(4, 8, '<a class="ref" href="#art-12">', "</a>")]
    html, n = render(text, [(2, 6), (9, 11)], tags, first=3)
    assert n == 2
    assert str(html) == ('依照<mark id="hit-4" tabindex="-1">本法</mark><a class="ref" href="#art-12"><mark>第十</mark>'
                         '二条</a>的<mark id="hit-5" tabindex="-1">规定</mark>')
    assert str(render("<b>", [], [])[0]) == "&lt;b&gt;"


def test_tab_separated_rows_are_shown_as_a_table_with_hits_numbered(archive, tmp_path):
    """Tables as the extractors write them (a row per line, cells split by tabs) read as tables; a cell's
    <script> stays text; hits are numbered across text and cells."""
    from ingest.pipeline import ingest

    f = tmp_path / "表.txt"
    f.write_text("示例市征地补偿标准公示\n\n下表为征地补偿标准：\n地块\t征地补偿（元/亩）\n东区\t52000\n"
                 "<script>x</script>\t1\n以上征地补偿自公布之日起执行。\n", encoding="utf-8")
    ingest(archive, [f])
    client = create_app(archive=archive).test_client()
    i = client.get("/api/search?q=征地补偿").get_json()["hits"][0]["id"]
    html = client.get(f"/doc/{i}?q=征地补偿").get_data(as_text=True)
    table = re.search(r'<div class="cells"><table>(.*?)</table></div>', html).group(1)
    assert table.count("<tr>") == 3 and table.count("<td>") == 6
    assert "<td>&lt;script&gt;x&lt;/script&gt;</td>" in table and "<script>x" not in html
    assert re.findall(r'id="hit-(\d+)"', html) == ["1", "2", "3", "4"]
    assert '<td><mark id="hit-3" tabindex="-1">征地补偿</mark>（元/亩）</td>' in table
