"""Totals above exact_total_limit are estimated (marked as such in the result, the JSON API and the results
page); totals within it are exact; staff, and only staff, can ask for the exact count.

The archive is generated: 2,400 short documents whose words occur at known rates, so every true count is known,
and a small limit (100) so that estimates happen at this size.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import replace

import pytest
from conftest import BACKENDS, backend_settings, close_archive, load
from staff_support import add_users, staff_client

from archive import PUBLIC, STAFF, Archive, Search, Settings
from web import create_app

N = 2400
LIMIT = 100
ERROR = 0.3   # the estimates here come from 50-70 sampled matches: ±12-14 % (one standard error)


def _text(i: int) -> str:
    words = ["公开"]                      # in every document
    if i % 8:
        words.append("管理办法")          # 7 in 8
    if i % 3 == 0:
        words.append("环境保护")          # 1 in 3
    words.append("财政资金" if i % 2 else "审计报告")  # one or the other: never both
    if i % 32 == 0:
        words.append("征地补偿")          # 1 in 32: within the limit
    return "。".join(f"本文件第{i}号规定了{w}的有关事项" for w in words) + "。"


def _docs() -> list[dict]:
    docs = []
    for i in range(N):
        text = _text(i)
        sha = hashlib.sha256(f"totals#{i}".encode() + text.encode()).hexdigest()
        docs.append({
            "id": sha[:16], "pages": [text], "disclosure": "不予公开" if i % 10 == 7 else "主动公开",
            "metadata": {"title": f"示例文件{i}", "agency": f"示例局{i % 5}", "doc_type": "通知",
                         "written_date": f"{2010 + i % 12}-03-01"},
            "original": {"sha256": sha, "filename": f"{i}.txt", "source": f"{i}.txt", "mime": "text/plain",
                         "size": len(text.encode()), "extractor": "text"},
        })
    return docs


DOCS = _docs()


def truth(word: str, public_only: bool = True) -> int:
    return sum(1 for d in DOCS if word in d["pages"][0] and (d["disclosure"] == "主动公开" or not public_only))


@pytest.fixture(scope="module", params=BACKENDS)
def archive(request, tmp_path_factory):
    from archive import Archive

    settings = backend_settings(request.param, tmp_path_factory.mktemp("totals"))
    a = Archive(replace(settings, exact_total_limit=LIMIT))
    load(a, DOCS)
    yield a
    close_archive(a)


def test_a_total_within_the_limit_is_exact(archive):
    r = archive.search(Search(q="征地补偿"))
    assert r["total"] == truth("征地补偿") and r["total_exact"] and not r["total_bound"]
    assert truth("征地补偿") <= LIMIT


def test_a_small_total_of_frequent_words_is_exact(archive):
    """Each word is in half the documents, both in none: the sample finds none, so it is counted exactly."""
    r = archive.search(Search(q="财政资金 审计报告"))
    assert r["total"] == 0 and r["total_exact"]


def test_a_large_total_is_marked_and_close(archive):
    for word in ("管理办法", "公开"):
        true = truth(word)
        assert true > 2 * LIMIT
        r = archive.search(Search(q=word))
        assert not r["total_exact"], word
        if archive.settings.backend == "elasticsearch":   # counted up to the limit: a lower bound
            assert r["total_bound"] and r["total"] == LIMIT
        else:
            assert abs(r["total"] - true) <= ERROR * true, (word, r["total"], true)
            agencies = sum(b["count"] for b in r["facets"]["agency"])   # facets from the same sample
            assert abs(agencies - true) <= ERROR * true


def test_staff_can_ask_for_the_exact_count_and_the_public_cannot(archive):
    staff = archive.search(Search(q="管理办法", exact_total=True), STAFF)
    assert staff["total_exact"] and staff["total"] == truth("管理办法", public_only=False)
    public = archive.search(Search(q="管理办法", exact_total=True), PUBLIC)
    assert not public["total_exact"]


def test_an_estimate_is_the_same_without_the_restricted_documents(archive, tmp_path):
    """The sample is drawn from public documents by their ids: a twin archive holding only the public documents
    estimates the very same totals and facet counts (Elasticsearch: the same lower bound and facets)."""
    from archive import Archive

    twin = Archive(replace(backend_settings(archive.settings.backend, tmp_path / "twin"), exact_total_limit=LIMIT))
    try:
        load(twin, [d for d in DOCS if d["disclosure"] == "主动公开"])
        for q in ("管理办法", "公开", "公开 管理办法"):
            mine, theirs = archive.search(Search(q=q)), twin.search(Search(q=q))
            assert not mine["total_exact"]
            assert (mine["total"], mine["facets"]) == (theirs["total"], theirs["facets"]), q
    finally:
        close_archive(twin)


def test_the_results_page_says_about_and_offers_staff_the_exact_count(archive):
    app = create_app(archive=archive)
    add_users(archive)
    public = app.test_client()
    page = public.get("/search?q=管理办法").get_data(as_text=True)
    assert ("约" if archive.settings.backend == "embedded" else "超过") in page
    assert "精确计数" not in page
    forced = public.get("/api/search?q=管理办法&exact=1").get_json()
    assert not forced["total_exact"]                      # the public cannot force an exact count
    assert not public.get("/api/search?q=管理办法").get_json()["total_exact"]
    english = public.get("/search?q=管理办法&lang=en").get_data(as_text=True)
    assert "about " in english or "more than " in english
    staff = staff_client(app, "viewer")
    page = staff.get("/search?q=管理办法").get_data(as_text=True)
    assert "精确计数" in page and "exact=1" in page
    exact = staff.get("/api/search?q=管理办法&exact=1").get_json()
    assert exact["total_exact"] and exact["total"] == truth("管理办法", public_only=False)


def test_a_restriction_not_yet_indexed_is_counted_out_of_exact_totals_and_estimates(tmp_path):
    """A document taken out of public sight whose index update is still pending (the guard's `deny`) counts
    neither in an exact total nor in an estimate, which are drawn from the public documents alone."""
    a = Archive(Settings(data_dir=tmp_path / "a", exact_total_limit=LIMIT))
    try:
        load(a, DOCS)
        before = a.search(Search(q="征地补偿"))["total"]
        gone = next(d for d in DOCS if d["disclosure"] == "主动公开" and "征地补偿" in d["pages"][0])
        a.catalog.update_document(gone["id"], {"disclosure": "不予公开"}, a.catalog.document(gone["id"])["extra"])
        assert gone["id"] in a.indexes["public"].present([gone["id"]])   # (the index has not followed yet)
        r = a.search(Search(q="征地补偿"))
        assert r["total"] == before - 1 and r["total_exact"] and r["ranked"] == "date"
        assert gone["id"] not in [h["id"] for h in r["hits"]]
        estimate = a.search(Search(q="公开"))
        assert not estimate["total_exact"] and abs(estimate["total"] - (truth("公开") - 1)) <= ERROR * truth("公开")
    finally:
        a.close()


def test_an_embedded_index_of_an_older_layout_is_rebuilt_with_the_sample(tmp_path):
    """An embedded index written before the indexed sample key (its state file has no "layout") is rebuilt from
    the catalog on the next catch-up, and estimates are drawn from the rebuilt one."""
    settings = Settings(data_dir=tmp_path / "a", exact_total_limit=LIMIT)
    a = Archive(settings)
    load(a, DOCS)
    before = a.search(Search(q="公开"))
    for index in a.indexes.values():
        state = index.root / ((index.root / "CURRENT").read_text().strip() + ".state")
        raw = json.loads(state.read_text())
        assert raw.pop("layout") >= 1
        state.write_text(json.dumps(raw))
    a.close()
    a = Archive(settings)
    try:
        assert not a.indexes["public"].state().built
        done = a.sync.catch_up()
        assert not done.failed and set(done.rebuilt) == {"public", "restricted"}
        after = a.search(Search(q="公开"))
        assert not after["total_exact"] and (after["total"], after["facets"]) == (before["total"], before["facets"])
    finally:
        a.close()
