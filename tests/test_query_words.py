"""Queries typed as people type them, on both backends: unspaced words, synonyms on word boundaries, the named
document first, and the other reading of a query offered with its count."""
import pytest
from conftest import BACKENDS, SAMPLES, backend_settings, close_archive

from analyzers import highlight
from analyzers.query import parse_query, run_words
from analyzers.titles import key
from archive import Archive, Search

# Small pages that reproduce the structures seen on real ones (not copies of them).
PAGES = {
    "word.txt": "国务院办公厅关于印发有关工作方案的通知\n\n各省人民政府：经国办同意，现将方案印发给你们。",
    "inside.txt": "外国办理签证须知\n\n外国人办理签证，请向中华人民共和国办理机关提出申请。",
    "broken.txt": "关于转发国务院办公厅\n通知的通知\n\n现将国务院办公\n厅的通知转发给你们，请遵照执行。",
    "law.txt": "中华人民共和国统计法\n\n（2009年6月27日第十一届全国人民代表大会常务委员会第九次会议修订）\n\n"
               "第一条 为了科学、有效地组织统计工作，制定本法。\n"
               "第二条 本法适用于各级人民政府、县级以上人民政府统计机构和有关部门组织实施的统计活动。",
    "law-1996.txt": "中华人民共和国统计法\n\n（1996年5月15日第八届全国人民代表大会常务委员会第十九次会议修正）\n\n"
                    "第一条 为了有效地、科学地组织统计工作，制定本法。\n第二条 本法适用于统计活动。",
    "local.txt": "上海市统计条例\n\n第一条 为了有效地组织统计工作，根据《中华人民共和国统计法》，制定本条例。",
    "mention.txt": "统计\n\n统计工作的通知：各单位做好统计报表报送工作，统计数据按时上报。",
}


@pytest.fixture(scope="module", params=BACKENDS)
def small(request, tmp_path_factory):
    from ingest.pipeline import ingest

    src = tmp_path_factory.mktemp("pages")
    for name, text in PAGES.items():
        (src / name).write_text(text, encoding="utf-8")
    a = Archive(backend_settings(request.param, tmp_path_factory.mktemp("small")))
    assert not ingest(a, [src]).failed
    yield a
    close_archive(a)


@pytest.fixture(scope="module", params=BACKENDS)
def gov(request, corpus, tmp_path_factory):
    from ingest.pipeline import ingest

    a = Archive(backend_settings(request.param, tmp_path_factory.mktemp("gov")))
    assert not ingest(a, [corpus / "govcn-2019-zhouynf" / "html", SAMPLES / "html", SAMPLES / "txt"]).failed
    yield a
    close_archive(a)


def hits(a, q, **kw):
    return a.search(Search(q=q, limit=100, **kw))["hits"]


def filenames(a, q, **kw):
    return [h["filename"] for h in hits(a, q, **kw)]


def test_a_run_is_cut_into_verbatim_pieces():
    assert run_words("双随机一公开") == ["双随机", "一公开"]     # a lone character joins the word after it
    assert run_words("双随机、一公开") == ["双随机", "一公开"]    # punctuation between words does not matter
    assert run_words("2019年预算执行") == ["2019年", "预算", "执行"]
    assert run_words("关于安全生产工作的通知")[-1] == "通知"    # 的 is left out
    assert run_words("环境保护") == [] and run_words("GB/T7714") == []   # one word, or no Chinese: one string
    assert run_words("国务院关于在市场监管领域全面推行部门联合双随机一公开监管的意见") == []   # pasted: exact
    for q in ("双随机一公开", "双随机、一公开", "2019年预算执行", "征地补偿标准"):
        assert all(w in q for w in run_words(q))


def test_the_name_a_title_gives():
    assert key("中华人民共和国环境保护法（2014年修订）") == key("环境保护") == key("广东省环境保护条例") == "环境保护"
    assert key("中华人民共和国森林法实施条例") == "森林法"    # one kind ending only: not the law itself
    assert key("国务院办公厅关于印发政务公开工作要点的通知") == "政务公开工作要点"
    assert key("中山大学") == "中山大学"   # a short place name inside a word is not a place
    assert key("法") == "" and key("GB/T 7714") == ""


def test_unspaced_words_find_what_spaced_words_find(gov):
    spaced = {h["id"] for h in hits(gov, "征地 补偿 标准")}
    unspaced = hits(gov, "征地补偿标准")
    exact = {h["id"] for h in hits(gov, '"征地补偿标准"')}
    assert exact and exact < {h["id"] for h in unspaced} <= spaced
    assert {h["id"] for h in unspaced[:len(exact)]} == exact   # the words side by side rank first
    state_council = hits(gov, "双随机一公开")
    assert "国发〔2019〕5号" in [h["doc_number"] for h in state_council[:2]]   # (beside a city's own notice)
    assert {h["id"] for h in hits(gov, '"双随机、一公开"')} <= {h["id"] for h in state_council}


def test_the_other_reading_is_offered_with_its_count(gov):
    from web.app import create_app

    app = create_app(archive=gov)
    with app.test_client() as c:
        r = c.get("/api/search", query_string={"q": "征地补偿标准"}).get_json()
        exact = gov.search(Search(q='"征地补偿标准"'))["total"]
        assert {"kind": "narrower", "q": '"征地补偿标准"', "total": exact, "label": "“征地补偿标准”"} in r["readings"]
        r = c.get("/api/search", query_string={"q": '"双随机一公开"'}).get_json()
        assert r["total"] < 5 and r["readings"][0]["kind"] == "broader"
        assert r["readings"][0]["total"] == gov.search(Search(q="双随机一公开"))["total"]
        page = c.get("/search", query_string={"q": "征地补偿标准"}).get_data(as_text=True)
        assert f"只看完整包含“征地补偿标准”的 {exact} 件" in page
    assert parse_query("环境保护").narrower is None and parse_query('"环境保护"').broader is None


def test_synonyms_match_on_word_boundaries_only(small):
    found = filenames(small, "国办")
    assert "word.txt" in found and "broken.txt" in found
    assert "inside.txt" not in filenames(small, "国务院办公厅")   # 外国办理, 中华人民共和国办理: no 国办 there
    assert "word.txt" in filenames(small, "国务院办公厅")          # 国办 as a word
    assert "broken.txt" in filenames(small, "国办")                # 国务院办公\n厅: a word across a line break
    assert "inside.txt" in filenames(small, "国办")                # what the user typed is matched verbatim


def test_the_document_page_marks_what_the_results_page_marks(small):
    needles = small.searcher.needles("国务院办公厅")
    for h in hits(small, "国务院办公厅"):
        text = "\n".join(small.catalog.texts([h["id"]])[h["id"]])
        marked = [text[s:e] for s, e in highlight.find_spans(text, needles)]
        assert marked and all(m.replace("\n", "") in ("国务院办公厅", "国办") for m in marked)
        assert "<mark>" in h["snippet"]
    inside = next(h for h in hits(small, "办理") if h["filename"] == "inside.txt")
    text = "\n".join(small.catalog.texts([inside["id"]])[inside["id"]])
    assert highlight.find_spans(text, needles) == []   # nothing marked inside 外国办理


def test_the_named_document_comes_first(small):
    for q in ("统计", "统计法", "中华人民共和国统计法"):
        assert filenames(small, q, versions="all")[:3] == ["law.txt", "law-1996.txt", "local.txt"], q
        # named and national, the version in force before the older one, then the local one: then mentions
        assert filenames(small, q)[:2] == ["law.txt", "local.txt"], q   # (by default, a law's latest version)
