"""The embedded engine's top hits without scoring every match (archive.index.embedded_topk) are the hits scoring
every match finds: same documents, order and scores, whatever the query, filters, page or candidate count.

Real laws (tests/conftest.law_documents); the candidate counts are shrunk so that a few hundred documents
exercise what a million do: candidates cut short, tiers cut short, a second round, giving up.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest
import tantivy
from conftest import law_documents, load

from archive import Archive, Settings
from archive.index import embedded_topk as topk
from archive.index.base import SearchRequest
from archive.index.embedded import EmbeddedIndex
from archive.index.embedded_query import conjunction, const, render, search_filters

LABELS = Path(__file__).parent / "data" / "ranking" / "named_documents.tsv"
QUERIES = ["人民政府", "管理", "规定", "部门", "环境 保护", "行政 许可", "安全 生产", "人民法院 审理",
           '"县级以上人民政府"', '"依法给予处分"', "县级以上人民政府", "行政许可事项", "环境 OR 保护",
           "管理 -规定", "标题:管理", "正文:人民政府 规定", '"人民政府" 管理 OR 部门', "安全 生产 -煤矿"]


@pytest.fixture(scope="module")
def laws(corpus, tmp_path_factory):
    a = Archive(Settings(data_dir=tmp_path_factory.mktemp("topk")))
    load(a, law_documents(corpus, n=240))
    yield a
    a.close()


def _snapshot(archive: Archive, name: str) -> tuple:
    index = archive.indexes[name]
    assert isinstance(index, EmbeddedIndex)
    return index._snapshot()


def _queries() -> list[str]:
    labelled = [r["query"] for r in csv.DictReader(open(LABELS, encoding="utf-8"), delimiter="\t")]
    return list(dict.fromkeys(QUERIES + labelled[::4]))


def _compare(archive: Archive, filters: dict, window: int, visibility: tuple[str, ...] = ("主动公开",),
             index: str = "public") -> tuple[int, int]:
    """(queries answered without scoring every match, queries searched whole); asserts they agree."""
    searcher, _ = _snapshot(archive, index)
    df = searcher.doc_freq
    answered = whole = 0
    for text in _queries():
        tree = archive.searcher.parse(text).tree
        request = SearchRequest(query=tree, visibility=visibility, filters=filters)
        def scored(within: tantivy.Query | None = None) -> tantivy.Query:
            return conjunction(render(tree, df, within=within), const(search_filters(request)))  # noqa: B023
        found = topk.best(searcher, tree, scored, df, window)
        if found is None:
            whole += 1
            continue
        answered += 1
        every = searcher.search(scored(), window, count=False).hits
        assert [(round(s, 4), a.segment_ord, a.doc) for s, a in found] == \
               [(round(s, 4), a.segment_ord, a.doc) for s, a in every], text
    return answered, whole


@pytest.mark.parametrize("first", [2, 0])
def test_the_best_hits_are_those_of_scoring_every_match(laws, monkeypatch, first):
    monkeypatch.setattr(topk, "MIN_CANDIDATES", 3)
    monkeypatch.setattr(topk, "FIRST", first)   # 0: a first round of 3 candidates, a second of 24
    for filters, window in (({"public_latest": ["1"]}, 10), ({}, 5), ({"public_latest": ["1"]}, 30)):
        answered, _ = _compare(laws, filters, window)
        assert answered > 10


def test_filters_and_visibility_are_inside_the_candidates_search(laws, monkeypatch):
    """Candidates are chosen without filters; the page is scored with them (a narrow filter that leaves few
    candidates makes it give up, never show a filtered-out document)."""
    monkeypatch.setattr(topk, "MIN_CANDIDATES", 3)
    monkeypatch.setattr(topk, "FIRST", 1)
    answered, whole = _compare(laws, {"year": [2019]}, 5)
    assert answered + whole > 10
    _compare(laws, {}, 5, visibility=("主动公开", "依申请公开", "不予公开"), index="restricted")
    searcher, _ = _snapshot(laws, "restricted")
    df = searcher.doc_freq
    for text in ("人民政府", "管理", "规定"):
        tree = laws.searcher.parse(text).tree
        assert searcher.search(render(tree, df), 1).hits, text   # restricted documents match ...
        public = SearchRequest(query=tree, visibility=("主动公开",))
        found = topk.best(searcher, tree, lambda w: conjunction(render(tree, df, within=w),  # noqa: B023
                                                                const(search_filters(public))), df, 5)
        assert found in (None, []), text                         # ... and none reaches the public


def test_a_second_round_takes_more_only_of_the_lists_that_failed(laws, monkeypatch):
    """人民法院 审理: its first page is proven against the documents in no tier but not against a cut tier, so the
    second round takes more of that tier's candidates only (before, every list grew: 8 times the candidates), and
    finds the page scoring every match finds."""
    monkeypatch.setattr(topk, "MIN_CANDIDATES", 3)
    monkeypatch.setattr(topk, "FIRST", 1)
    rounds = []
    any_id = topk._any_id
    monkeypatch.setattr(topk, "_any_id", lambda ids: (rounds.append(len(ids)), any_id(ids))[1])
    searcher, _ = _snapshot(laws, "public")
    df = searcher.doc_freq
    tree = laws.searcher.parse("人民法院 审理").tree
    request = SearchRequest(query=tree, visibility=("主动公开",), filters={"public_latest": ["1"]})
    def scored(within: tantivy.Query | None = None) -> tantivy.Query:
        return conjunction(render(tree, df, within=within), const(search_filters(request)))
    found = topk.best(searcher, tree, scored, df, 5)
    assert found == searcher.search(scored(), 5, count=False).hits
    assert len(rounds) == 2 and rounds[1] < topk.GROWTH * 5


def test_what_cannot_be_bounded_is_searched_whole(laws):
    searcher, _ = _snapshot(laws, "public")
    for text in ("国办发〔2019〕6号", "年份:2019", "国", "机关:全国 管理", ""):
        tree = laws.searcher.parse(text).tree
        assert topk.bound(tree, searcher.doc_freq, searcher.num_docs) is None, text


def test_the_bound_holds_for_every_matching_document(laws):
    """Every document the query matches scores at most the bound (less its tiers) and holds one of its terms."""
    searcher, _ = _snapshot(laws, "public")
    df = searcher.doc_freq
    for text in QUERIES:
        tree = laws.searcher.parse(text).tree
        bounded = topk.bound(tree, df, searcher.num_docs)
        assert bounded, text
        upper = topk.disjunction(bounded)
        tiered = topk.tiers(tree, df)
        every = searcher.search(render(tree, df), 1000, count=False).hits
        bounds = {(a.segment_ord, a.doc): s for s, a in searcher.search(upper, 1000, count=False).hits}
        for score, a in every:
            in_tier = any(searcher.search(topk._within(docs, topk._any_id([searcher.doc(a)["id"][0]])), 1).hits
                          for docs, _ in tiered)
            assert in_tier or score <= bounds[(a.segment_ord, a.doc)] * (1 + 1e-5), text


def test_a_page_is_the_same_through_the_service(laws, monkeypatch):
    """The results page (hits, order, scores) does not change when the engine takes this way for every query."""
    from archive import Search

    before = {q: laws.search(Search(q=q))["hits"] for q in QUERIES}
    monkeypatch.setattr("archive.index.embedded.WORTH", 0)
    monkeypatch.setattr(topk, "MIN_CANDIDATES", 3)
    monkeypatch.setattr(topk, "FIRST", 1)
    for q, hits in before.items():
        assert laws.search(Search(q=q))["hits"] == hits, q


def test_a_sample_pushed_into_each_leaf_counts_the_same(laws):
    """Restricting every leaf of the query to the sample (embedded_count.push_sample) counts exactly the sampled
    matches the query restricted as a whole counts: estimates do not change, only their cost."""
    from archive.index.embedded_query import SCHEMA

    searcher, _ = _snapshot(laws, "public")
    df = searcher.doc_freq
    for prefix in ("[0-7]", "[0-3]", "0"):
        sample = tantivy.Query.regex_query(SCHEMA, "id", prefix + ".*")
        for text in QUERIES:
            tree = laws.searcher.parse(text).tree
            whole = searcher.search(conjunction(render(tree, df, scoring=False), sample), 1).count
            pushed = searcher.search(conjunction(render(tree, df, scoring=False, within=sample), sample), 1).count
            assert pushed == whole, (prefix, text)


def test_pushing_the_sample_is_for_frequent_phrases(laws):
    from archive.index.embedded_count import push_sample

    parse = laws.searcher.parse
    assert push_sample(parse("人民政府").tree, n=1_000_000, scale=64, bound=600_000)
    assert not push_sample(parse("管理").tree, n=1_000_000, scale=128, bound=950_000)   # terms: cheap as they are
    assert not push_sample(parse("环境 保护").tree, n=1_000_000, scale=64, bound=300_000)  # four leaves
