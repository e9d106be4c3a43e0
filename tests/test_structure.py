"""Structure of laws and regulations: 编/分编/章/节 headings, 第X条 articles, and citations of the document's
own articles, on small texts written for each case and on the real laws of the corpus."""
import csv
import re

import pytest

from analyzers.structure import cn_number, outline, references
from ingest.extractors.text import markdown_text

REGULATION = """示例市公共数据开放管理办法

（2019年6月20日示例市人民政府令第18号公布　自2019年8月1日起施行）

2006年2月21日《国务院关于修改〈示例条例〉的决定》第一次修订
2011年1月8日《国务院关于修改〈示例条例〉第十二条的决定》第二次修订
第三十一条的决定》第一次修正

第一章　总　则

第一条　为了规范公共数据开放，制定本办法。

第二条　本办法适用于本市。依照本办法第十二条规定开放的数据除外。

第二章 开放

第一节 一般规定

第十二条　数据开放应当遵守本办法第二条、第十七条之一和第十三条的规定。
违反前款规定的，依照《中华人民共和国网络安全法》第十二条处理；依照民法典第十二条、第十三条的规定承担责任。
第十二条规定的数据，依照第十三条办理。

第十三条 开放目录由市大数据部门编制，本办法第九十九条另有规定的除外。

第十七条之一【目录更新】　开放目录每年更新。

第五章法律责任

第二十条
违反本办法第十三条规定的，由市大数据部门责令改正。
"""


def test_chinese_numerals():
    cases = {"一": 1, "十": 10, "十二": 12, "二十": 20, "一百零五": 105, "一百二十": 120, "九百八十九": 989,
             "一千二百六十": 1260, "两": 2, "12": 12, "１２": 12}
    assert {s: cn_number(s) for s in cases} == cases
    assert cn_number("") is None and cn_number("十x") is None


def test_headings_and_articles_of_a_regulation_with_history_lines():
    """History lines (题注, 修订 lines, a 修正 line broken before 第三十一条的决定) are not articles; a line that
    begins with 第十二条规定 (a sentence) is not one either; headings may be spaced, tight or bare."""
    sections = outline(REGULATION)
    found = [(s.kind, s.number, s.sub, s.title, s.anchor) for s in sections]
    assert found == [
        ("章", 1, 0, "总　则", "ch-1"), ("条", 1, 0, "", "art-1"), ("条", 2, 0, "", "art-2"),
        ("章", 2, 0, "开放", "ch-2"), ("节", 1, 0, "一般规定", "ch-2-sec-1"), ("条", 12, 0, "", "art-12"),
        ("条", 13, 0, "", "art-13"), ("条", 17, 1, "", "art-17-1"), ("章", 5, 0, "法律责任", "ch-5"),
        ("条", 20, 0, "", "art-20")]
    lines = REGULATION.splitlines()
    for s in sections:
        assert REGULATION[s.start:s.start + len(s.label)] == s.label
        assert lines[s.line].lstrip().startswith(s.label)
    first = sections[1]
    assert REGULATION[first.start:first.end] == "第一条"
    chapter = sections[0]
    assert REGULATION[chapter.start:chapter.end] == "第一章　总　则"


def test_citations_of_own_articles_are_found_and_other_laws_left_alone():
    sections = outline(REGULATION)
    refs = [(REGULATION[r.start - 5:r.start], REGULATION[r.start:r.end], r.anchor) for r in references(REGULATION, sections)]
    assert refs == [
        ("依照本办法", "第十二条", "art-12"),        # 本办法第十二条
        ("遵守本办法", "第二条", "art-2"),
        ("法第二条、", "第十七条之一", "art-17-1"),     # a list continues what it began with
        ("七条之一和", "第十三条", "art-13"),
        ("担责任。\n", "第十二条", "art-12"),          # a sentence that begins a line
        ("数据，依照", "第十三条", "art-13"),           # bare 第十三条: this document's
        ("违反本办法", "第十三条", "art-13"),
    ]
    cited = {REGULATION[r.start - 12:r.end] for r in references(REGULATION, sections)}
    assert not any("网络安全法》" in c or "民法典" in c for c in cited)   # other laws, and their lists
    assert not any("〉" in c for c in cited)                             # a title in 《》 is no citation
    assert "第九十九条" not in {REGULATION[r.start:r.end] for r in references(REGULATION, sections)}  # not held


def test_a_text_holding_two_regulations_keeps_anchors_unique_and_citations_in_their_own():
    text = "第一条 甲办法。\n第二条 依照第一条。\n\n附件\n\n第一条 乙办法。\n第二条 依照本办法第一条。\n"
    sections = outline(text)
    assert [s.anchor for s in sections] == ["art-1", "art-2", "art-1_2", "art-2_2"]
    assert [r.anchor for r in references(text, sections)] == ["art-1", "art-1_2"]


def test_a_table_row_citing_an_article_is_no_article():
    """Regression: 罪名 tables (Markdown rendered as tab-separated rows) begin rows with 第236条; a stray tab far
    into a real article's sentence does not make it a row."""
    text = "刑法条文\t罪名\n第236条\t强奸罪\n第291条之一 （《刑法修正案（三）》第8条）\t投放虚假危险物质罪\n" \
           "第十八条 地方性法规案在审议中有重大问题需要进一步研究的，经主席团提出，由大会全体会议决定；\t也可以授权。\n"
    assert [s.label for s in outline(text)] == ["第十八条"]


def test_a_sentence_is_no_heading():
    text = "第七节相应改为第八节，第一百二十三条至第一百三十八条相应改为第一百二十八条至第一百四十三条。\n" \
           "第一章 增加一条，作为第五条：\n第三章 审查和批准决算，听取和审议国民经济和社会发展计划\n"
    assert [(s.kind, s.number) for s in outline(text)] == [("章", 3)]


LAW = "lawrefbook-laws"


def law_text(corpus, path: str) -> str:
    return markdown_text((corpus / LAW / path).read_text(encoding="utf-8"))[0]


def test_criminal_law_outline(corpus):
    text = law_text(corpus, "刑法/刑法.md")
    sections = outline(text)
    parts = [s for s in sections if s.kind == "编"]
    assert [(s.label, s.title) for s in parts] == [("第一编", "总则"), ("第二编", "分则")]
    articles = [s for s in sections if not s.heading]
    assert articles[0].anchor == "art-1" and any(s.anchor == "art-17-1" for s in articles)
    assert len({s.anchor for s in sections}) == len(sections)
    assert [(a.number, a.sub) for a in articles] == sorted((a.number, a.sub) for a in articles)
    chapter = next(s for s in sections if s.kind == "章" and s.title == "犯罪")
    assert chapter.anchor == "part-1-ch-2"
    assert next(s for s in sections if s.kind == "节" and s.title == "共同犯罪").anchor == "part-1-ch-2-sec-3"
    cited = {(text[r.start - 2:r.start], r.anchor) for r in references(text, sections)}
    assert ("本法", "art-313") in cited and ("本法", "art-69") in cited


def test_civil_code_book_with_sub_books_starts_at_its_own_article(corpus):
    sections = outline(law_text(corpus, "民法典/物权编.md"))
    assert [s.label for s in sections if s.kind == "分编"][:2] == ["第一分编", "第二分编"]
    first = next(s for s in sections if not s.heading)
    assert first.label == "第二百零五条" and first.number == 205
    assert next(s for s in sections if s.kind == "章").anchor == "subpart-1-ch-1"


ARTICLE_LINE = re.compile(r"^(?:\*\*)?第[零〇一二两三四五六七八九十百千0-9]+条(?:之[一二三四五六七八九十]+)?(?:\*\*)?[ \u3000]", re.M)


def test_every_article_line_of_the_corpus_laws_is_found(corpus):
    """Every 10th law of the corpus: the articles found are exactly the lines its Markdown begins with 第X条,
    and every heading line (## 第X章 …) is found as a heading (宪法修正案 also quotes one as plain text)."""
    with open(corpus / LAW / "manifest.csv", encoding="utf-8") as f:
        paths = [row["path"] for row in csv.DictReader(f)][::10]
    assert len(paths) > 300
    for path in paths:
        source = (corpus / LAW / path).read_text(encoding="utf-8")
        sections = outline(markdown_text(source)[0])
        assert sum(not s.heading for s in sections) == len(ARTICLE_LINE.findall(source)), path
        headings = re.findall(r"^#+\s*(第[零〇一二三四五六七八九十百]+(?:分编|编|章|节))", source, re.M)
        found = iter(s.label for s in sections if s.heading)
        assert all(h in found for h in headings), path   # in order; a plain-text heading may come in between


@pytest.mark.parametrize("text", ["", "没有结构的通知。\n", "第一条"])
def test_texts_without_structure(text):
    sections = outline(text)
    assert len(sections) == (1 if text == "第一条" else 0)
    assert references(text, sections) == []
