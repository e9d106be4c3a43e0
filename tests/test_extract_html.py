"""HTML extraction: gov.cn label tables, main content with paragraphs, charsets, and content sniffing."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.extractors.html import HtmlExtractor
from ingest.metadata import extract_metadata, parse_date

FIELDS = ("title", "doc_number", "agency", "written_date")
# Pages where the extracted value cannot equal metadata.csv; none so far (the csv was read from the same table).
GOVCN_EXCEPTIONS: set[tuple[str, str]] = set()


def extract(path: Path):
    return HtmlExtractor().extract(path)


def page(tmp_path: Path, html: str | bytes, name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_bytes(html.encode("utf-8") if isinstance(html, str) else html)
    return path


@pytest.fixture(scope="module")
def govcn(corpus):
    """(csv row, extraction) for the 40 gov.cn pages."""
    root = corpus / "govcn-2019-zhouynf"
    with open(root / "metadata.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [(row, extract(root / row["file"])) for row in rows]


def test_govcn_metadata_matches_the_csv(govcn):
    """Extractor + extract_metadata give the csv's title, 发文字号, 发文机关 and 成文日期 on all 40 pages."""
    matched = dict.fromkeys(FIELDS, 0)
    mismatches = set()
    for row, extraction in govcn:
        m = extract_metadata(extraction.text, extraction.metadata, sources=extraction.sources)
        expected = {"title": row["title"].strip(), "doc_number": row["doc_number"].strip(),
                    "agency": row["issuing_agency"].strip(), "written_date": parse_date(row["written_date_from_page"])}
        for key in FIELDS:
            if m.get(key) == expected[key]:
                matched[key] += 1
            else:
                mismatches.add((row["id"], key))
    assert len(govcn) == 40
    assert mismatches == GOVCN_EXCEPTIONS, matched


def test_govcn_table_gives_every_label(govcn):
    row, e = govcn[1]
    assert e.metadata == {
        "index_number": "000014349/2019-00006", "topic": "财政、金融、审计\\\\银行", "agency": "国务院办公厅",
        "written_date": "2019-01-22", "doc_number": "国办发〔2019〕6号", "published_date": "2019-02-14",
        "title": "国务院办公厅关于有效发挥政府性融资担保基金作用切实支持小微企业和“三农”发展的指导意见"}
    assert all(e.metadata["published_date"] == r["pub_date_from_url"] for r, e in govcn)
    assert all(e.warnings == [] for _, e in govcn)


def test_govcn_body_is_the_content_cell_with_paragraph_lines(govcn):
    _, e = govcn[1]
    lines = e.text.splitlines()
    assert lines[:4] == ["国务院办公厅关于有效发挥政府性", "融资担保基金作用切实支持小微企业和", "“三农”发展的指导意见",
                         "国办发〔2019〕6号"]
    assert lines[-3:] == ["国务院办公厅", "2019年1月22日", "（此件公开发布）"]
    assert "" not in lines
    for _, e in govcn:   # the label table, print/close links and the iframe stay out of the body
        assert "索 引 号" not in e.text and "关闭窗口" not in e.text and "打印本页" not in e.text


def test_big_content_tables_keep_one_row_per_line(govcn):
    _, e = govcn[9]   # 010: table of reform measures
    assert any(line.count("\t") >= 3 for line in e.text.splitlines())


def test_gb2312_word_export(corpus):
    """GB2312 declared in <META http-equiv>; the stale Word <title> (述职报告) is not taken as the title."""
    e = extract(corpus / "handan-renmin-portal" / "邯组通字2018-39号_word-export_gb2312.html")
    assert e.warnings == [] and "\ufffd" not in e.text
    assert "title" not in e.metadata
    assert e.text.splitlines()[:3] == ["中共邯郸市委组织部", "邯组通字〔2018〕39号", "中共邯郸市委组织部"]
    assert "“七一”主题党日活动" in e.text   # &ldquo; entities resolved
    m = extract_metadata(e.text, e.metadata, sources=e.sources)
    assert m == {"title": "中共邯郸市委组织部关于开展纪念建党97周年系列活动的通知", "doc_number": "邯组通字〔2018〕39号",
                 "agency": "中共邯郸市委组织部", "written_date": "2018-06-16", "doc_type": "通知",
                 "level": "市", "region": "河北省\\邯郸市", "printed_by": "中共邯郸市委组织部办公室",
                 "printed_date": "2018-06-16",
                 "recipients": "各县（市、区）委组织部、市直各党（工）委组织部（处），冀南新区、经济开发区组织人事局"}


def test_nfra_word_table_fragment_rows(corpus):
    e = extract(corpus / "nfra-penalty-disclosures" / "html" / "nfra_penalty_table_fragment2.html")
    lines = e.text.splitlines()
    assert "行政处罚决定书文号\t金罚决字〔2024〕36号" in lines
    assert "作出处罚决定的日期\t2024年7月8日" in lines
    assert "title" not in extract_metadata(e.text, e.metadata, sources=e.sources)


def test_big5_page_without_charset_is_detected(corpus):
    e = extract(corpus / "chardet-legacy-encodings" / "Big5" / "_chromium_Big5_with_no_encoding_specified.html")
    assert e.warnings == ["decoded as cp950"]
    assert "台北看守所" in e.text


def test_xhtml_with_xml_declaration(corpus):
    e = extract(corpus / "chardet-legacy-encodings" / "GB2312" / "_chromium_gb18030_with_no_encoding_specified.html.xml")
    assert e.metadata["title"] == "中国制造的领军者3名"
    assert "马兴瑞" in e.text


@pytest.mark.parametrize("folder, name, score", [
    ("GB2312", "cnblog.org.xml", 0),                                   # RSS/Atom feed: not HTML
    ("Big5", "sinica.edu.tw.xml", 0),
    ("Big5", "_ude_1.txt", 0),                                         # plain text
    ("GB2312", "_chromium_gb18030_with_no_encoding_specified.html.xml", 2),   # <!DOCTYPE html> despite .xml
    ("GB2312", "_mozilla_bug171813_text.html", 2),                      # starts with <body>
])
def test_sniffing_real_files(corpus, folder, name, score):
    path = corpus / "chardet-legacy-encodings" / folder / name
    assert HtmlExtractor().match(path, path.read_bytes()[:2048]) == score


@pytest.mark.parametrize("head, score", [
    (b"\xef\xbb\xbf  \r\n<!DOCTYPE HTML PUBLIC>", 2),
    (b"<!-- saved from url=(0023)http://www.gov.cn/ -->\n<html>", 2),
    ("<html><body>国务院</body></html>".encode("utf-16"), 2),
    (b'<div class="wrap">', 2),
    (b'<?xml version="1.0"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml">', 2),
    (b'<?xml version="1.0"?><rss version="2.0">', 0),
    (b"plain words <b>not at the start</b>", 0),
])
def test_sniffing(head, score):
    assert HtmlExtractor().match(Path("file.txt"), head) == score


def test_markdown_starting_with_html_stays_markdown():
    assert HtmlExtractor().match(Path("README.md"), b'<div align="center">') == 0


def test_meta_tags_and_site_title(tmp_path):
    html = """<html><head><title>国务院关于河北雄安新区总体规划（2018—2035年）的批复_政府信息公开专栏</title>
    <meta name="ArticleTitle" content=""><meta name="PubDate" content="2019-01-02 16:50">
    <meta name="ContentSource" content="中国政府网"></head>
    <body><div id="UCAP-CONTENT"><p>国务院关于河北雄安新区总体规划（2018—2035年）的批复</p><p>国函〔2018〕159号</p></div></body>
    </html>"""
    e = extract(page(tmp_path, html))
    assert e.metadata == {"title": "国务院关于河北雄安新区总体规划（2018—2035年）的批复", "published_date": "2019-01-02",
                          "agency": "中国政府网"}
    # ContentSource names the website (or a newspaper): not an issuer; the title names the agency
    m = extract_metadata(e.text, e.metadata, sources=e.sources)
    assert (m["agency"], m["doc_number"], m["published_date"]) == ("国务院", "国函〔2018〕159号", "2019-01-02")


def test_boilerplate_is_dropped_and_the_main_block_kept(tmp_path):
    html = """<!doctype html><html><head><style>p{color:red}</style><script>var x = "脚本";</script></head><body>
    <header>中国政府网 首页</header><nav><a>首页</a> <a>政策</a></nav>
    <div class="main"><div class="side">相关链接</div><div class="article">
    <p>　　示例市人民政府关于做好政务公开工作的通知</p><p>各县区人民政府：</p>
    <p>为深入推进政务公开，现就有关事项通知如下。一是加强解读，二是回应关切，三是做好平台建设与管理工作。</p>
    <p>示例市人民政府<br>2019年5月6日</p></div></div><footer>版权所有 网站标识码</footer></body></html>"""
    text = extract(page(tmp_path, html)).text
    assert text.splitlines() == ["示例市人民政府关于做好政务公开工作的通知", "各县区人民政府：",
                                 "为深入推进政务公开，现就有关事项通知如下。一是加强解读，二是回应关切，三是做好平台建设与管理工作。",
                                 "示例市人民政府", "2019年5月6日"]


def test_source_newlines_inside_chinese_text_do_not_become_spaces(tmp_path):
    text = extract(page(tmp_path, "<p>国务院办公厅关于\n    有效发挥 role\n of 政府</p>")).text
    assert text == "国务院办公厅关于有效发挥 role of 政府"


def test_wrong_declared_charset_falls_back_with_a_warning(tmp_path):
    html = '<html><head><meta charset="gb2312"></head><body><p>国务院办公厅关于印发的通知 — 𠀀</p></body></html>'
    e = extract(page(tmp_path, html))
    assert e.text == "国务院办公厅关于印发的通知 — 𠀀"
    assert e.warnings == ["declared charset gb2312 does not match the content"]


def test_label_value_in_the_same_cell(tmp_path):
    html = ("<table><tr><td>发文字号：示政发〔2021〕8号</td><td>成文日期：2021年03月26日</td></tr>"
            "<tr><td><span>发布机构：</span>示例市人民政府</td><td>发布日期：2021-03-30</td></tr></table><p>正文</p>")
    assert extract(page(tmp_path, html)).metadata == {
        "doc_number": "示政发〔2021〕8号", "written_date": "2021-03-26", "agency": "示例市人民政府",
        "published_date": "2021-03-30"}


def test_unparsable_date_label_is_dropped_with_a_warning(tmp_path):
    e = extract(page(tmp_path, "<table><tr><td>成文日期：</td><td>见附件</td></tr></table>"))
    assert "written_date" not in e.metadata
    assert e.warnings == ["unparsable written_date: 见附件"]


def test_empty_and_binary_pages(tmp_path):
    assert extract(page(tmp_path, b"  \n ")).warnings == ["empty document"]
    assert extract(page(tmp_path, "<html><body><script>x()</script></body></html>")).warnings == ["no text"]
    with pytest.raises(IngestError, match="binary content"):
        extract(page(tmp_path, b"\x00\x01\x02\x03" * 200))


def test_govcn_body_found_without_the_content_id_and_label_table(govcn, corpus, tmp_path):
    """Sites without UCAP-CONTENT or a label table: the generic search finds the same body on the 40 real pages."""
    for row, e in govcn:
        markup = (corpus / "govcn-2019-zhouynf" / row["file"]).read_text(encoding="utf-8")
        markup = re.sub(r'<table[^>]*class="bd1".*?</table>', "", markup.replace('id="UCAP-CONTENT"', 'id="c"'),
                        flags=re.S)
        assert "索 引 号" not in markup
        assert extract(page(tmp_path, markup)).text == e.text, row["file"]


ARTICLE = """<div class="content"><p>　　示例市人民政府关于做好政务公开工作的通知</p><p>各县区人民政府：</p>
<p>为深入推进政务公开，现就有关事项通知如下。一是加强解读，二是回应关切，三是做好平台建设与管理工作。</p>
<p>示例市人民政府<br>2019年5月6日</p></div>"""
ARTICLE_LINES = ["示例市人民政府关于做好政务公开工作的通知", "各县区人民政府：",
                 "为深入推进政务公开，现就有关事项通知如下。一是加强解读，二是回应关切，三是做好平台建设与管理工作。",
                 "示例市人民政府", "2019年5月6日"]
HEADER_INCLUDE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>head.html</title></head><body>
<div class="top"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/zwfw">政务服务</a> <a href="/hdjl">互动交流</a>
<a href="/zcwj">政策文件</a> <a href="/zcjd">政策解读</a> <a href="/en">English</a></div></body></html>"""


def test_article_after_a_header_include_ending_in_html_close(tmp_path):
    """Regression: an include's stray </html> made lxml start a second tree; only the first (navigation, title =
    the include's file name) was read."""
    html = (HEADER_INCLUDE + "\n<html><head><title>示例市人民政府关于做好政务公开工作的通知_示例市人民政府</title>"
            '<meta name="PubDate" content="2019-05-07"></head><body>' + ARTICLE + "</body></html>")
    e = extract(page(tmp_path, html))
    assert e.text.splitlines() == ARTICLE_LINES
    assert e.metadata == {"title": "示例市人民政府关于做好政务公开工作的通知", "published_date": "2019-05-07"}
    assert e.warnings == []


def test_article_in_a_second_body_element(tmp_path):
    """Regression: <body> written twice (navigation closed its own body); the second body was never read."""
    html = ('<html><head><title>通知</title></head><body><div class="nav"><a href="/">首页</a> <a href="/a">政务公开</a>'
            '</div></body>\n<body>' + ARTICLE + '<div class="foot">版权所有：示例市人民政府</div></body></html>')
    assert extract(page(tmp_path, html)).text.splitlines() == ARTICLE_LINES


def spa_page(article: str, menu: list[str]) -> str:
    """An Angular page source: a side menu of document titles (links and <a>-less click items) beside the article."""
    items = "".join(f'<li class="menu-item" _ngcontent-c1><a href="#/zcwj/{i}">{t}</a></li>' if i % 2 else
                    f'<li class="menu-item" _ngcontent-c1 (click)="open({i})"><span>{t}</span></li>'
                    for i, t in enumerate(menu))
    return ('<!DOCTYPE html><html><head><title>政策文件库</title></head><body><app-root _nghost-c0>'
            '<div class="layout"><div class="left-panel"><div class="panel-title">政策文件</div>'
            f'<ul class="menu">{items}</ul></div><div class="right-panel"><router-outlet></router-outlet>'
            f'<app-detail><div class="detail">{article}</div></app-detail></div></div></app-root>'
            '<script src="main.js"></script></body></html>')


def test_spa_navigation_panel_holding_most_text_is_not_the_body(tmp_path):
    """Regression: an Angular page whose side menu held ~80 % of the text gave the menu as the body, the same for
    every decision of the site."""
    menu = [f"示例市人民政府关于印发示例市第{n}批行政许可事项清单和公共服务事项目录的通知" for n in range(1, 9)] * 2
    other = ('<h2>示例市人民政府关于废止部分规范性文件的决定</h2><p>经市人民政府研究，决定废止《示例市城市管理办法》等'
             '三件规范性文件，自公布之日起施行。</p><p>示例市人民政府</p><p>2020年3月2日</p>')
    first = extract(page(tmp_path, spa_page(ARTICLE, menu), "a.html"))
    second = extract(page(tmp_path, spa_page(other, menu), "b.html"))
    assert sum(map(len, menu)) > 4 * len("".join(ARTICLE_LINES))
    assert first.text.splitlines() == ARTICLE_LINES
    assert second.text.splitlines() == ["示例市人民政府关于废止部分规范性文件的决定",
                                        "经市人民政府研究，决定废止《示例市城市管理办法》等三件规范性文件，自公布之日起施行。",
                                        "示例市人民政府", "2020年3月2日"]
    assert first.warnings == second.warnings == []


def test_page_without_label_table_keeps_its_headline(tmp_path):
    """No gov.cn label table and no known content id: the article block, led by the headline set above it."""
    html = """<html><head><title>示例市人民政府门户网站</title></head><body>
    <div class="header"><h1 class="logo"><a href="/">示例市人民政府门户网站</a></h1></div>
    <div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zcwj">政策文件</a></div>
    <div class="main"><h1 class="title">示例市人民政府关于做好政务公开工作的通知</h1>
    <div class="info">发布时间：2019-05-07　来源：市政府办公室</div>
    <div class="text"><p>各县区人民政府：</p>
    <p>为深入推进政务公开，现就有关事项通知如下。一是加强解读，二是回应关切，三是做好平台建设与管理工作。</p>
    <p>示例市人民政府<br>2019年5月6日</p></div></div>
    <div class="related"><h3>相关文件</h3><ul><li><a href="/1">示例市2019年政务公开工作要点</a></li></ul></div></body></html>"""
    e = extract(page(tmp_path, html))
    assert e.text.splitlines() == ARTICLE_LINES
    m = extract_metadata(e.text, e.metadata, sources=e.sources)
    assert (m["title"], m["agency"], m["written_date"]) == ("示例市人民政府关于做好政务公开工作的通知", "示例市人民政府",
                                                            "2019-05-06")


def test_navigation_only_page_is_kept_with_a_low_quality_warning(tmp_path):
    """The header include alone (what the body was before the stray </html> fix): text kept, flagged."""
    e = extract(page(tmp_path, HEADER_INCLUDE))
    assert e.text == "首页 政务公开 政务服务 互动交流 政策文件 政策解读 English"
    assert e.warnings == ["low quality: body looks like navigation"]


def test_login_page_is_kept_with_a_low_quality_warning(tmp_path):
    html = """<html><body><div class="login"><h2>政务服务网 用户登录</h2><form><label>用户名</label><input name="u">
    <label>密码</label><input type="password"><label>验证码</label><input name="c"><a href="/f">忘记密码？</a>
    <a href="/r">立即注册</a></form></div></body></html>"""
    e = extract(page(tmp_path, html))
    assert "用户名" in e.text
    assert e.warnings == ["low quality: body looks like a login page"]
