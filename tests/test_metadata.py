"""Metadata from 公文 text: dates (incl. Chinese numerals), 发文字号 parsing, title/agency/date/type heuristics."""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ingest.extractors import choose
from ingest.extractors.html import HtmlExtractor
from ingest.metadata import extract_metadata, parse_date, parse_doc_number

SAMPLES = Path(__file__).resolve().parents[1] / "ingest" / "samples"


@pytest.mark.parametrize("text, iso", [
    ("2019年1月22日", "2019-01-22"),
    ("2019年01月22日", "2019-01-22"),
    ("２０１９年１月２２日", "2019-01-22"),
    ("二〇一九年一月二十二日", "2019-01-22"),
    ("一九九六年六月二十九日", "1996-06-29"),
    ("二○○四年十二月十七日", "2004-12-17"),   # ○ (U+25CB) written for 〇
    ("二零零六年九月七日", "2006-09-07"),
    ("二〇二〇年十月三十一日", "2020-10-31"),
    ("二〇〇四年十一月四日", "2004-11-04"),
    ("成文日期 ：2023-06-14", "2023-06-14"),
    ("2019-02-14 16:50", "2019-02-14"),
    ("2023/09/15", "2023-09-15"),
    ("2019 年 1 月 22 日", "2019-01-22"),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("text", ["二〇二〇年二月三十日", "2019年13月1日", "2019/2/30", "无日期", ""])
def test_parse_date_rejects_impossible_dates(text):
    assert parse_date(text) is None


@pytest.mark.parametrize("raw, code, year, serial, normalized", [
    ("国办发〔2019〕6号", "国办发", 2019, "6", "国办发〔2019〕6号"),
    ("金罚决字〔2024〕36号", "金罚决字", 2024, "36", "金罚决字〔2024〕36号"),
    ("邯组通字〔2018〕39号", "邯组通字", 2018, "39", "邯组通字〔2018〕39号"),
    ("国办发明电〔2018〕15号", "国办发明电", 2018, "15", "国办发明电〔2018〕15号"),
    ("晋政发[2013]35号", "晋政发", 2013, "35", "晋政发〔2013〕35号"),
    ("国发【2019】5号", "国发", 2019, "5", "国发〔2019〕5号"),
    ("晋政发(2007)18号", "晋政发", 2007, "18", "晋政发〔2007〕18号"),
    ("京政发（2019）05号", "京政发", 2019, "5", "京政发〔2019〕5号"),
    ("沪府发﹝2020﹞3号", "沪府发", 2020, "3", "沪府发〔2020〕3号"),
    ("国发〔２０１９〕５号", "国发", 2019, "5", "国发〔2019〕5号"),
    ("豫政办 〔 2021 〕68 号", "豫政办", 2021, "68", "豫政办〔2021〕68号"),
    ("发文字号：渝府发〔2023〕15号", "渝府发", 2023, "15", "渝府发〔2023〕15号"),
    ("\u200b渝府办发〔2019〕103号", "渝府办发", 2019, "103", "渝府办发〔2019〕103号"),
    ("晋政办发〔2012〕18", "晋政办发", 2012, "18", "晋政办发〔2012〕18号"),
    ("吉金罚决字〔2025〕89-93号", "吉金罚决字", 2025, "89-93", "吉金罚决字〔2025〕89-93号"),
    ("示政發〔2018〕7號", "示政發", 2018, "7", "示政發〔2018〕7号"),
    ("国令第707号", "国令", None, "707", "国令第707号"),
    ("重庆市人民政府令第 359 号", "重庆市人民政府令", None, "359", "重庆市人民政府令第359号"),
    ("国家税务总局公告2015年第41号", "国家税务总局公告", 2015, "41", "国家税务总局公告2015年第41号"),
])
def test_parse_doc_number(raw, code, year, serial, normalized):
    assert parse_doc_number(raw) == {"agency_code": code, "year": year, "serial": serial,
                                     "normalized": normalized}


@pytest.mark.parametrize("raw", ["皖ICP备2023006074号-5", "令第5号", "第十四届全国人民代表大会", "2019年1月22日", ""])
def test_parse_doc_number_rejects_non_numbers(raw):
    assert parse_doc_number(raw) is None


def test_doc_numbers_of_nine_governments_parse(corpus):
    """38k real 文号 strings: all parse except the few that are empty or malformed at the source."""
    failed = set()
    total = 0
    for path in sorted((corpus / "policy-transparency-docnumbers" / "csv").glob("*.csv")):
        with open(path, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                raw = row["doc_number_raw"].strip()
                if raw:
                    total += 1
                    if parse_doc_number(raw) is None:
                        failed.add(raw)
    assert total > 33000
    assert failed == {"发文字号：", "豫政 第24号", "发文字号：晋政发〔2014〕号16"}


GOVCN_TEXT = """国务院办公厅关于有效发挥政府性
融资担保基金作用切实支持小微企业和
“三农”发展的指导意见
国办发〔2019〕6号
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
近年来，各地区、各部门认真贯彻落实有关要求，进行了积极探索。
一、总体要求
国务院办公厅
2019年1月22日
（此件公开发布）
"""


def test_title_spanning_lines_above_the_doc_number():
    m = extract_metadata(GOVCN_TEXT, {})
    assert m == {"title": "国务院办公厅关于有效发挥政府性融资担保基金作用切实支持小微企业和“三农”发展的指导意见",
                 "doc_number": "国办发〔2019〕6号", "written_date": "2019-01-22", "agency": "国务院办公厅",
                 "doc_type": "意见", "level": "国家", "recipients": "各省、自治区、直辖市人民政府，国务院各部委、各直属机构"}


def test_issuer_mark_and_number_above_a_spaced_title():
    text = ("中共邯郸市委组织部\n\n邯组通字〔2018〕39号\n\n中共邯郸市委组织部\n关于开展纪念建党97周年系列活动的\n"
            "通      知\n各县（市、区）委组织部：\n今年是中国共产党成立97周年。\n中共邯郸市委组织部\n2018年6月16日\n")
    m = extract_metadata(text, {})
    assert m["title"] == "中共邯郸市委组织部关于开展纪念建党97周年系列活动的通知"
    assert m["doc_number"] == "邯组通字〔2018〕39号"
    assert m["agency"] == "中共邯郸市委组织部"
    assert m["written_date"] == "2018-06-16"
    assert m["doc_type"] == "通知"


def test_issuer_mark_ending_in_wenjian_is_not_the_title():
    text = "示例市人民政府文件\n\n示政发〔2018〕7号\n\n示例市人民政府关于做好2018年政务公开工作的通知\n\n各县（区）人民政府：\n"
    assert extract_metadata(text, {})["title"] == "示例市人民政府关于做好2018年政务公开工作的通知"


def test_signature_date_in_chinese_numerals_before_an_attachment():
    """The first signature block dates the document; later ones belong to forwarded reports."""
    text = ("国务院办公厅转发国家地震局关于加强防震减灾工作意见报告的通知\n国办发〔1996〕2号\n各省人民政府：\n"
            "国家地震局的报告已经国务院同意，现转发给你们。\n国务院办公厅\n一九九六年二月五日\n"
            "关于加强防震减灾工作的意见报告\n国务院：\n以上意见如无不妥，请批转。\n国家地震局\n一九九六年一月二十五日\n")
    m = extract_metadata(text, {})
    assert m["written_date"] == "1996-02-05"
    assert m["agency"] == "国务院办公厅"   # the prefix before 转发, not 国家地震局
    assert m["doc_type"] == "通知"


@pytest.mark.parametrize("title, agency, doc_type", [
    ("国务院关于印发国家职业教育改革实施方案的通知", "国务院", "通知"),
    ("国务院关于河北雄安新区总体规划（2018—2035年）的批复", "国务院", "批复"),
    ("国务院办公厅关于湖北省巴东县地质灾害险情有关问题的复函", "国务院办公厅", "函"),
    ("国务院办公厅对十届全国人大四次会议第7240号建议的答复", "国务院办公厅", "答复"),
    ("国务院办公厅、中央军委办公厅关于加强对侵华日军遗弃化学武器调查和管理工作的通知",
     "国务院办公厅、中央军委办公厅", "通知"),
    ("中共中央对外联络部关于做好外事工作的意见", "中共中央对外联络部", "意见"),
    ("中华人民共和国个人所得税法实施条例", None, "条例"),
    ("个人所得税专项附加扣除暂行办法（试行）", None, "办法"),
    ("示例市人民政府關於做好2018年政務公開工作的通知", "示例市人民政府", "通知"),
])
def test_agency_and_doc_type_from_the_title(title, agency, doc_type):
    m = extract_metadata("", {"title": title})
    assert m.get("agency") == agency
    assert m.get("doc_type") == doc_type


def test_known_values_are_kept_and_empty_ones_filled():
    known = {"title": "格式给出的标题", "doc_number": "", "topic": "财政"}
    m = extract_metadata(GOVCN_TEXT, known)
    assert m["title"] == "格式给出的标题"
    assert m["doc_number"] == "国办发〔2019〕6号"
    assert m["topic"] == "财政"
    assert known == {"title": "格式给出的标题", "doc_number": "", "topic": "财政"}


def test_doc_number_from_the_filename_as_last_resort():
    m = extract_metadata("序号\t5\n当事人名称\t某公司\n", {},
                        filename="国家金融监督管理总局行政处罚信息公开表(金罚决字〔2024〕36号).txt")
    assert m == {"doc_number": "金罚决字〔2024〕36号", "title": "国家金融监督管理总局行政处罚信息公开表", "doc_type": "表"}
    assert extract_metadata("", {}, filename="邯组通字2018-39号_word-export_gb2312.html") == {
        "doc_number": "邯组通字〔2018〕39号", "title": "邯组通字2018-39号_word-export_gb2312"}


def test_markdown_heading_is_the_title():
    m = extract_metadata("# 中华人民共和国刑法修正案（七）\n\n2009年2月28日 第十一届全国人民代表大会常务委员会第七次会议通过\n", {})
    assert m["title"] == "中华人民共和国刑法修正案（七）"
    assert "doc_type" not in m


def test_regulation_promulgation_line_gives_number_agency_and_date():
    text = "# 示例市政务公开办法\n\n（2019年6月20日示例市人民政府令第18号公布　自2019年8月1日起施行）\n\n## 第一章　总则\n"
    m = extract_metadata(text, {})
    assert (m["doc_number"], m["agency"], m["written_date"], m["doc_type"]) == (
        "示例市人民政府令第18号", "示例市人民政府", "2019-06-20", "办法")


@pytest.mark.parametrize("text", [
    "各位代表：\n现在，我代表国务院，向大会作政府工作报告。\n",
    # a sentence broken by the crawler, not a title (Wikisource 决议 texts)
    "第十四届全国人民代表大会第三次会议听取和审议了国务院总理李强所作的\n政府工作报告\n。会议充分肯定国务院过去一年的工作。\n",
    "序号\t5\n当事人名称\t复星联合健康保险股份有限公司\n",
    "序号\n当事人\n名称\n主要违法违规\n",
])
def test_no_title_from_salutations_sentences_or_tables(text):
    assert "title" not in extract_metadata(text, {})


# gov.cn pages whose body text cannot give what metadata.csv (copied from the page's table) says:
TEXT_ONLY_EXCEPTIONS = {
    # the body is signed 二〇〇四年四月二十七日, the page table says 2004年04月17日
    ("24", "written_date"),
    # 国务院令 layout: the header is '中华人民共和国国务院令 / 第707号', the regulation title comes after the
    # signature; the table abbreviates the number as 国令第707号 (the agency, 中华人民共和国国务院, is
    # stored by its canonical name 国务院)
    ("33", "title"), ("33", "doc_number"),
}


def test_govcn_metadata_from_body_text_alone(corpus):
    """Without the page's label table, the body text alone recovers the csv metadata of the 40 gov.cn pages."""
    root = corpus / "govcn-2019-zhouynf"
    mismatches = set()
    with open(root / "metadata.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        m = extract_metadata(HtmlExtractor().extract(root / row["file"]).text, {})
        expected = {"title": row["title"].strip(), "doc_number": row["doc_number"].strip(),
                    "agency": row["issuing_agency"].strip(), "written_date": parse_date(row["written_date_from_page"])}
        mismatches |= {(row["id"], k) for k, v in expected.items() if m.get(k) != v}
    assert len(rows) == 40
    assert mismatches == TEXT_ONLY_EXCEPTIONS


def test_fictional_samples_match_their_manifest():
    """ingest/samples (PDF, GB2312 HTML, GB18030/Big5/UTF-8 text, Markdown 规章) against manifest.csv."""
    if not (SAMPLES / "manifest.csv").is_file():
        pytest.skip(f"no samples at {SAMPLES}")
    with open(SAMPLES / "manifest.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    wrong = []
    for row in rows:
        path = SAMPLES / row["file"]
        extraction = choose(path, path.read_bytes()[:8192]).extract(path)
        m = extract_metadata(extraction.text, extraction.metadata, sources=extraction.sources)
        wrong += [(row["file"], k, m.get(k)) for k in ("title", "doc_number", "agency", "written_date", "doc_type")
                  if (m.get(k) or "") != row[k]]
    assert wrong == []


@pytest.mark.parametrize("written", ["示政办发〔2023]12号", "示政办发[2023〕12号", "示政办发（2023）12号",
                                     "示政办发〔2023〉12号", "示政办发〔２０２３〕１２号"])
def test_doc_number_with_mixed_brackets_is_stored_in_one_form(written):
    """OCR mixes brackets (〔2023]): the header 文号 is stored as 示政办发〔2023〕12号 whatever was read."""
    text = f"示例市人民政府办公室文件\n{written}\n示例市人民政府办公室关于印发2023年政务公开工作要点的通知\n各部门：\n"
    meta = extract_metadata(text, {})
    assert meta["doc_number"] == "示政办发〔2023〕12号"
    assert extract_metadata("", {"doc_number": written})["doc_number"] == "示政办发〔2023〕12号"


def test_a_doc_number_list_is_kept_as_written():
    """Only a value that is one whole 文号 is rewritten; a list keeps every number."""
    assert extract_metadata("", {"doc_number": "示财发〔2019〕1号、2号"})["doc_number"] == "示财发〔2019〕1号、2号"


@pytest.mark.parametrize("source", ["山西日报", "中国政府网", "人民网", "新华社新闻"])
def test_a_trs_content_source_naming_a_newspaper_or_website_is_not_the_agency(source):
    """TRS pages' ContentSource meta tag names where the text was copied from; the title names the issuer."""
    from ingest.metadata import read_metadata

    text = "山西省人民政府办公厅关于做好2024年政务公开工作的通知\n各市人民政府：\n现将有关事项通知如下。\n"
    found = read_metadata(text, {"agency": source}, known_sources={"agency": "meta tag"})
    assert found.values["agency"] == "山西省人民政府办公厅" and found.sources["agency"] == "title"
    assert read_metadata("正文。", {"agency": source}, known_sources={"agency": "meta tag"}).values.get("agency") is None


@pytest.mark.parametrize("written, stored", [("有效", "现行有效"), ("已失效", "已废止"), ("现行有效", "现行有效"),
                                             ("部分有效", None)])
def test_validity_from_a_label_is_one_of_the_choices_or_none(written, stored):
    """A value outside a choice field's choices would make the document uneditable: mapped, or dropped."""
    assert extract_metadata(f"有效性：{written}\n标题：某某办法\n", {}).get("validity") == stored


def test_a_regulation_with_history_lines_gives_its_dates_and_revisions():
    text = ("# 示例市政务公开办法\n\n（2006年3月1日示例市人民政府令第5号公布　根据2012年6月20日示例市人民政府令第18号"
            "第一次修订　根据2019年6月20日示例市人民政府令第30号第二次修订　自2019年8月1日起施行）\n\n"
            "## 第一章　总则\n\n第一条　为了推进政务公开，制定本办法。\n")
    m = extract_metadata(text, {})
    assert (m["title"], m["agency"], m["doc_type"]) == ("示例市政务公开办法", "示例市人民政府", "办法")
    # the text as in force: the last revision's date and 令; every revision listed
    assert (m["written_date"], m["doc_number"], m["effective_date"]) == ("2019-06-20", "示例市人民政府令第30号", "2019-08-01")
    assert m["revised"] == "2012-06-20、2019-06-20"
