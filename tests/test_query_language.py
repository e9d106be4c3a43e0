"""The query language on real documents, on both backends: fields, ranges, 文号 forms, synonyms."""
import pytest
from conftest import BACKENDS, SAMPLES, backend_settings, close_archive
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analyzers.query import Range, parse
from archive import Archive, Search

ALL = ("主动公开", "依申请公开", "不予公开")


@pytest.fixture(scope="module", params=BACKENDS)
def gov(request, corpus, tmp_path_factory):
    """The 40 gov.cn pages and the bundled samples, ingested, on each backend."""
    from ingest.pipeline import ingest

    a = Archive(backend_settings(request.param, tmp_path_factory.mktemp("gov")))
    s = ingest(a, [corpus / "govcn-2019-zhouynf" / "html", SAMPLES / "html", SAMPLES / "pdf",
                   SAMPLES / "txt", SAMPLES / "md"])
    assert not s.failed
    yield a
    close_archive(a)


def ids(a, q, **kw):
    return [h["id"] for h in a.search(Search(q=q, limit=100, **kw))["hits"]]


def docs(a, **where):
    """Catalog documents matching all `where` fields exactly."""
    rows = a.catalog._db().execute("SELECT * FROM documents").fetchall()
    return [dict(r) for r in rows if all(dict(r)[k] == v for k, v in where.items())]


@pytest.mark.parametrize("typed", ["国办发〔2019〕6号", "国办发[2019]6号", "国办发【2019】6号",
                                   "国办发(2019)6号", "国办发2019年6号", "国办发 2019 6", "国办发〔２０１９〕６号",
                                   "文号:国办发[2019]6号",
                                   # mixed or wrong brackets, as OCR reads them (regression)
                                   "国办发〔2019]6号", "国办发[2019〕6号", "国办发（2019）6号", "国办发〔2019〉6号"])
def test_doc_number_in_any_form_finds_it_first(gov, typed):
    target = docs(gov, doc_number="国办发〔2019〕6号")[0]["id"]
    assert ids(gov, typed)[0] == target


def test_doc_number_does_not_match_neighbours(gov):
    found = set(ids(gov, "国发〔2019〕5号"))
    target = docs(gov, doc_number="国发〔2019〕5号")[0]["id"]
    assert target in found
    assert ids(gov, "国发〔2019〕5号")[0] == target


def test_title_and_body_fields(gov):
    in_title = set(ids(gov, "标题:政务公开"))
    anywhere = set(ids(gov, "政务公开"))
    assert in_title and in_title < anywhere
    for h in gov.search(Search(q="title:政务公开", limit=100))["hits"]:
        assert "<mark>" in h["title_html"]
    assert set(ids(gov, "正文:政务公开")) <= anywhere


def test_agency_type_topic_fields(gov):
    by_agency = set(ids(gov, "机关:财政局"))
    want = {d["id"] for d in docs(gov) if "财政局" in d["agency"]}
    assert by_agency == want and want
    assert set(ids(gov, "类型:通知")) == {d["id"] for d in docs(gov, doc_type="通知")}
    assert set(ids(gov, "agency:国务院办公厅 type:意见")) == \
        {d["id"] for d in docs(gov, agency="国务院办公厅", doc_type="意见")}


def test_year_and_date_ranges(gov):
    def year(d):
        return int((d["written_date"] or d["published_date"] or "0")[:4])

    want = {d["id"] for d in docs(gov) if 2019 <= year(d) <= 2021}
    assert set(ids(gov, "2019..2021")) == want
    assert set(ids(gov, "年份:2019..2021")) == want
    months = {d["id"] for d in docs(gov) if "2019-01-01" <= (d["written_date"] or d["published_date"]) <= "2019-02-28"}
    assert set(ids(gov, "成文日期:2019-01..2019-02")) == months and months


def test_traditional_query_finds_simplified_text_and_back(gov):
    assert set(ids(gov, "政務公開")) == set(ids(gov, "政务公开"))
    big5 = [d for d in docs(gov) if "decoded as cp950" in d["warnings"]]
    assert len(big5) == 2, "the bundled Big5 notices should be there"
    for d in big5:  # written in traditional characters, found with a simplified query
        assert "關於" in d["title"]
        assert d["id"] in ids(gov, '"关于做好2018年政务公开工作的通知" OR "2021年秋季学期中小学收费项目"')


def test_synonyms_expand_abbreviations(gov):
    # 三公经费 also finds documents that only name one of the three kinds of spending.
    base = set(ids(gov, '"三公经费"'))
    expanded = set(ids(gov, "三公经费"))
    items = set(ids(gov, '"公务接待费" OR "公务用车购置及运行费" OR "因公出国(境)费"'))
    assert expanded == base | items
    assert expanded - base, "documents that name only the items (e.g. “三公”经费 … 公务接待费) are added"
    # 住建局 finds 住房和城乡建设局 documents whose text never abbreviates it; quotes stay exact.
    full = set(ids(gov, '"住房和城乡建设局"'))
    assert full and set(ids(gov, "住建局")) == full | set(ids(gov, '"住建局"'))
    assert not full <= set(ids(gov, '"住建局"'))


def test_staff_synonyms_file_is_read(gov):
    path = gov.settings.data_dir / "synonyms.txt"
    assert not set(ids(gov, "示例甲乙丙"))
    path.write_text("示例甲乙丙, 营商环境\n", encoding="utf-8")
    try:
        assert set(ids(gov, "示例甲乙丙")) == set(ids(gov, '"营商环境"'))
    finally:
        path.unlink()


@pytest.mark.parametrize("q", ["预算 公开", "信息 公开", "政府 信息"])
def test_words_side_by_side_rank_first(gov, q):
    from analyzers.normalize import normalize
    from analyzers.segment import units

    hits = gov.search(Search(q=q, limit=100))["hits"]
    texts = gov.catalog.texts([h["id"] for h in hits])
    phrase = units(normalize(q))
    together = [phrase in units(normalize(h["title"] + "\n".join(texts[h["id"]]))) for h in hits]
    n = sum(together)
    assert 0 < n < len(hits)
    assert sum(together[:n]) >= 0.8 * n  # the documents with the words as typed fill the top


def test_range_parsing():
    assert parse("成文日期:2020-01..2020-06") == Range("date", 20200101, 20200630)
    assert parse("date:2020-02") == Range("date", 20200201, 20200229)
    assert parse("年份:2019") == Range("year", 2019, 2019)
    assert parse("2019..") == Range("year", 2019, None)


QUERY_TEXT = st.text(alphabet=st.sampled_from(list('国务院办公厅关于政务公开通知 "()-:：OR〔〕[]2019年号..\x00\t') +
                                              [chr(c) for c in range(0x20, 0x7f)]), max_size=60)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=QUERY_TEXT)
def test_any_query_gives_a_result(gov, q):
    r = gov.search(Search(q=q, limit=5), ALL)
    assert len(r["hits"]) == min(r["total"], 5)
    assert r["total"] <= gov.catalog.count_documents()


def test_huge_query_is_cut_with_a_notice(gov):
    r = gov.search(Search(q="政务公开" + " " * 10000 + "鹬蚌湾"))   # the second word is past the cut
    assert "查询过长，只使用了前 500 个字符。" in r["notices"]
    assert r["total"] == gov.search(Search(q="政务公开"))["total"] > 0


@pytest.mark.parametrize("typo,fixed", [("营商环竟", "营商环境"), ("征地补尝", "征地补偿")])
def test_did_you_mean_for_a_one_character_slip(gov, typo, fixed):
    r = gov.search(Search(q=typo))
    assert r["total"] == 0 and r["suggestion"] == fixed
    assert gov.search(Search(q=r["suggestion"]))["total"] > 0
    assert gov.search(Search(q="营商环境"))["suggestion"] is None


def test_no_suggestion_from_documents_the_public_cannot_see(gov):
    """Regression guard: a word only in a restricted document is never suggested to the public."""
    from archive.index.base import IndexDoc

    doc = {"id": "restricted-canary", "title": "内部资料", "pages": ["雪龙号科考船的内部资料"],
           "written_date": "", "published_date": "", "agency": "", "doc_type": "", "topic": "",
           "doc_number": "", "disclosure": "不予公开"}
    staff_index = gov.indexes["restricted"]
    applied = staff_index.state().applied
    staff_index.write([IndexDoc.from_catalog(doc)], [], applied=applied)
    try:
        staff = gov.search(Search(q="雪龙亏"), ALL)
        assert staff["total"] == 0 and staff["suggestion"] == "雪龙号"
        public = gov.search(Search(q="雪龙亏"))
        assert public["total"] == 0 and public["suggestion"] is None
    finally:
        staff_index.write([], ["restricted-canary"], applied=applied)


def test_hits_in_paged_documents_name_the_page(gov):
    from analyzers.normalize import normalize
    from analyzers.segment import units

    checked = 0
    for q in ["工作要点", "附件", "预算", "PM2.5"]:
        for h in gov.search(Search(q=q, limit=100))["hits"]:
            pages = gov.catalog.pages(h["id"])
            if len(pages) < 2:
                assert h["page"] is None
                continue
            assert units(normalize(q)) in units(normalize(pages[h["page"] - 1]))
            checked += 1
    assert checked >= 3
