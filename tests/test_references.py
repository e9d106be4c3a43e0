"""Reference extraction (analyzers.references): titles and 文号 found in a text, keyed the way people write
them, with their sentence, article and relation type; and its quality on the labelled real documents."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from analyzers.references import document_keys, extract, is_document_title, relation_type, title_key

REPO = Path(__file__).resolve().parents[1]


def only(text: str, **kw):
    refs = extract(text, **kw)
    assert len(refs) == 1, refs
    return refs[0]


@pytest.mark.parametrize("a, b", [
    ("中华人民共和国民事诉讼法", "民事诉讼法"),
    ("中华人民共和国行政复议法（2017年修正）", "行政复议法"),
    ("国务院关于修改〈中华人民共和国X条例〉的决定", "国务院关于修改<X条例>的决定"),
    ("最高人民法院 最高人民检察院关于办理案件的解释", "最高人民法院、最高人民检察院关于办理案件的解释"),
    ("国務院關於加強管理的通知", "国务院关于加强管理的通知"),
])
def test_titles_written_differently_have_one_key(a, b):
    assert title_key(a) == title_key(b)


def test_a_trial_title_keeps_its_qualifier():
    assert title_key("某某管理办法（试行）") != title_key("某某管理办法")


def test_a_publishing_notice_is_also_found_by_what_it_publishes():
    keys = dict(document_keys("国务院关于印发〈个人所得税专项附加扣除暂行办法〉的通知", "国发〔2018〕41号"))
    assert keys[title_key("个人所得税专项附加扣除暂行办法")] == "inner"
    assert "docno" in keys.values()


@pytest.mark.parametrize("title, is_doc", [
    ("中华人民共和国民法典", True), ("营业执照", False), ("人民日报", False), ("诉讼要素表", False),
    ("决定", False), ("医院处方点评管理规范（试行）", True), ("〈北京市水资源管理条例〉罚款处罚办法", True),
])
def test_only_document_titles_count(title, is_doc):
    assert is_document_title(title) is is_doc


@pytest.mark.parametrize("before, after, kind", [
    ("第一条 为了规范管理，根据", "，制定本条例。", "cites"),
    ("各单位要认真贯彻落实", "。", "implements"),
    ("决定对", "作如下修改：", "amends"),
    ("2009年8月27日 第十一届全国人民代表大会常务委员会第十次会议", "第一次修正", "amended_by"),
    ("本条例自2004年1月1日起施行。1992年3月18日国务院发布的", "同时废止。", "repeals"),
    ("1991年通过的", "、1992年发布的《乙办法》同时废止。", "repeals"),  # the first of a list
    ("自本通知印发之日起，", "（国办发〔2016〕82号）停止执行。", "repeals"),
    ("全国人民代表大会常务委员会关于", "第三十条的解释", "interprets"),
    ("本办法代替", "。", "repeals"),
    ("其他事项参见", "。", "cites"),
])
def test_relation_type_is_read_from_the_sentence(before, after, kind):
    assert relation_type(before, after) == kind


def test_title_with_its_number_date_and_article():
    text = ("第十五条 本解释自2014年3月1日起施行。\n第十六条 2004年10月22日通过的"
            "《最高人民法院关于审理融资租赁合同纠纷案件若干问题的规定》（法发〔1996〕19号）第三条同时废止。")
    r = only(text)
    assert (r.type, r.article, r.cited_article, r.date) == ("repeals", "第十六条", "第三条", "2004-10-22")
    assert r.docno_key == "法发〔1996〕19号" and r.sentence.startswith("第十六条 2004年10月22日")


def test_the_documents_own_number_is_no_reference():
    text = "国务院办公厅关于做好工作的通知\n国办发〔2019〕6号\n各省人民政府：\n按照国办发〔2018〕15号文件要求，做好工作。"
    r = only(text)
    assert (r.kind, r.text, r.type) == ("docno", "国办发〔2018〕15号", "cites")
    assert extract("按照国办发〔2018〕15号文件要求。", doc_number="国办发〔2018〕15号") == []


def test_abbreviations_and_forms_are_not_references():
    text = ("按照《国务院关于投资体制改革的决定》（国发〔2004〕20号，以下简称《决定》）精神办理。"
            "按照《决定》精神，填写《申请表》。")
    r = only(text)
    assert (r.text, r.docno_key, r.type) == ("国务院关于投资体制改革的决定", "国发〔2004〕20号", "cites")


def test_a_title_wrapped_over_two_lines_is_found():
    r = only("国务院关于暂时调整实施《中华人民共和国药品管理法\n实施条例》有关规定的决定")
    assert r.title_key == title_key("药品管理法实施条例")


def test_quality_on_the_labelled_set(corpus):
    """The labelled real documents (tests/data/references/labels.tsv, read by hand): every target found, and
    the type right for nine in ten (bench/references.py prints the figures)."""
    sys.path.insert(0, str(REPO / "bench"))
    from references import score

    c = score(corpus)
    assert c["labelled"] >= 60
    assert c["right_target"] / c["extracted"] >= 0.95
    assert c["right_target"] / c["labelled"] >= 0.95
    assert c["right_type"] / c["right_target"] >= 0.9
