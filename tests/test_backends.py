"""Backend contract: hit sets, facets, filters, visibility, paging, sort, delete, rebuild.

Every assertion compares the engine with a direct scan of the same real documents.
"""
import random
import threading
from collections import Counter

import pytest

from analyzers.normalize import normalize
from analyzers.query import parse
from analyzers.segment import sequence, units
from archive import PUBLIC, Search
from archive.index import IndexDoc, SearchRequest

ALL = ("主动公开", "依申请公开", "不予公开")


def unit_text(d):
    """Title and body as verbatim matching sees them (normalized, without whitespace)."""
    return sequence(normalize(d["metadata"]["title"])), sequence(normalize("\n".join(d["pages"])))


def expected(docs, needle, visibility=PUBLIC):
    return {d["id"] for d in docs if d["disclosure"] in visibility
            and any(needle in t for t in unit_text(d))}


def hit_ids(archive, q, visibility=PUBLIC, **kw):
    r = archive.search(Search(q=q, limit=100, **kw), visibility)
    return {h["id"] for h in r["hits"]}, r


def test_phrase_hits_equal_substring_scan(laws):
    archive, docs = laws
    rng = random.Random(7)
    texts = {d["id"]: unit_text(d)[1] for d in docs}
    mismatches = []
    for _ in range(150):
        t = texts[rng.choice(list(texts))]
        n = rng.randint(2, 8)
        start = rng.randrange(0, len(t) - n)
        needle = t[start:start + n]
        if len(needle) < 2 or '"' in needle or not units(needle):
            continue
        got, r = hit_ids(archive, f'"{needle}"', ALL)
        if got != expected(docs, needle, ALL) or r["total"] != len(got):
            mismatches.append(needle)
    assert mismatches == []


def test_and_or_not(laws):
    archive, docs = laws
    a, b = "国务院", "人民政府"
    ea, eb = expected(docs, a), expected(docs, b)
    assert hit_ids(archive, f"{a} {b}")[0] == ea & eb
    assert hit_ids(archive, f"{a} OR {b}")[0] == ea | eb
    assert hit_ids(archive, f"{a} -{b}")[0] == ea - eb


def test_facets_count_the_whole_hit_set(laws):
    archive, docs = laws
    ids, r = hit_ids(archive, "管理")
    matched = [d for d in docs if d["id"] in ids]
    assert_top_counts(r["facets"]["agency"], Counter(d["metadata"]["agency"] for d in matched),
                      archive.settings.facet_size)
    years = Counter(int(d["metadata"]["written_date"][:4]) for d in matched
                    if d["metadata"]["written_date"])
    assert_top_counts(r["facets"]["year"], years, archive.settings.facet_size)


def assert_top_counts(buckets, want: Counter, size: int):
    """Buckets are the `size` most common values with their exact counts."""
    got = {b["value"]: b["count"] for b in buckets}
    assert len(got) == min(size, len(want))
    assert all(want[v] == c for v, c in got.items())
    assert min(got.values()) >= max([c for v, c in want.items() if v not in got], default=0)


def test_filters_narrow_hits_and_facets(laws):
    archive, docs = laws
    agency = Counter(d["metadata"]["agency"] for d in docs if d["disclosure"] in PUBLIC).most_common(1)[0][0]
    ids, r = hit_ids(archive, "", filters={"agency": [agency]})
    assert ids == {d["id"] for d in docs if d["metadata"]["agency"] == agency and d["disclosure"] in PUBLIC}
    # The selected facet is counted as if its selection were absent (multi-select), the others within it.
    agencies = Counter(d["metadata"]["agency"] for d in docs if d["disclosure"] in PUBLIC)
    assert {b["value"]: b["count"] for b in r["facets"]["agency"]} == dict(agencies)
    types = Counter(d["metadata"]["doc_type"] for d in docs if d["id"] in ids and d["metadata"]["doc_type"])
    assert {b["value"]: b["count"] for b in r["facets"]["doc_type"]} == dict(types)
    years = Counter(int(d["metadata"]["written_date"][:4]) for d in docs if d["id"] in ids
                    and d["metadata"]["written_date"][:4].isdigit())
    both = archive.search(Search(filters={"agency": [agency], "year": [years.most_common(1)[0][0]]}, limit=1))
    assert {b["value"]: b["count"] for b in both["facets"]["year"]} == dict(years)  # within the agency


def test_restricted_documents_are_invisible_to_the_public(laws):
    archive, docs = laws
    hidden = [d for d in docs if d["disclosure"] != "主动公开"]
    assert hidden
    for d in hidden:
        title = d["metadata"]["title"]
        ids, r = hit_ids(archive, f'"{title}"')
        assert d["id"] not in ids
        assert archive.document(d["id"]) is None
        assert d["id"] in hit_ids(archive, f'"{title}"', ALL)[0]
    everything = archive.search(Search(limit=1))
    assert everything["total"] == len(docs) - len(hidden)
    visible_types = Counter(d["metadata"]["doc_type"] for d in docs
                            if d["disclosure"] == "主动公开" and d["metadata"]["doc_type"])
    assert {b["value"]: b["count"] for b in everything["facets"]["doc_type"]} == dict(visible_types)


def test_paging_walks_every_hit_once(laws):
    archive, docs = laws
    full = archive.search(Search(q="规定", limit=100))
    seen = []
    for offset in range(0, full["total"], 7):
        seen += [h["id"] for h in archive.search(Search(q="规定", offset=offset, limit=7))["hits"]]
    assert seen == [h["id"] for h in full["hits"]]
    assert len(set(seen)) == full["total"]


def test_sort_by_date(laws):
    archive, docs = laws
    dates = [h["written_date"] for h in archive.search(Search(sort="date", limit=100))["hits"]]
    assert dates == sorted(dates, reverse=True)
    # Staff see the public and the restricted index as one: merged by date, paged across both.
    staff = archive.search(Search(sort="date", limit=100), ALL)["hits"]
    assert [h["written_date"] for h in staff] == sorted((h["written_date"] for h in staff), reverse=True)
    assert {h["disclosure"] for h in staff} == {"主动公开", "不予公开"} and len(staff) == len(docs)
    paged = [h["id"] for k in range(0, len(docs), 9)
             for h in archive.search(Search(sort="date", offset=k, limit=9), ALL)["hits"]]
    assert paged == [h["id"] for h in staff]


def test_title_matches_rank_first(laws):
    archive, docs = laws
    d = next(d for d in docs if d["disclosure"] in PUBLIC and len(d["metadata"]["title"]) >= 6)
    r = archive.search(Search(q=d["metadata"]["title"]))
    assert r["hits"][0]["id"] == d["id"]


def test_snippets_mark_the_query(laws):
    archive, _ = laws
    hits = archive.search(Search(q="人民政府"))["hits"]
    assert hits
    for h in hits:
        assert "<mark>人民政府</mark>" in h["snippet"] or "<mark>" in h["title_html"]


def test_junk_queries_give_results_not_errors(laws):
    archive, docs = laws
    public = sum(1 for d in docs if d["disclosure"] in PUBLIC)
    want = {'"': 0, "((": 0, "OR": 0, "-": 0, "！！！": 0, "\x00": public, "x" * 10000: 0,
            "国务院 OR": len(expected(docs, "国务院")), '"国务院': len(expected(docs, "国务院"))}
    for q, total in want.items():
        ids, r = hit_ids(archive, q)
        assert r["total"] == min(total, 10**9) and len(ids) == min(total, 100), q


def test_upsert_delete_and_rebuild(laws, tmp_path):
    archive, docs = laws
    index = archive.indexes["public"]
    applied = index.state().applied
    before = archive.search(Search(limit=100), ALL)
    d = docs[0]
    doc = archive.catalog.document(d["id"])
    doc["pages"] = d["pages"]
    index.write([IndexDoc.from_catalog(doc)], [], applied=applied)  # same id again: replaced, not duplicated
    assert archive.search(Search(limit=100), ALL)["total"] == before["total"]

    index.write([], [d["id"]], applied=applied)
    assert d["id"] not in hit_ids(archive, "", ALL)[0]

    # A rebuild from the catalog restores it, and searches keep answering meanwhile.
    answers, stop = [], threading.Event()

    def keep_searching():
        while not stop.is_set():
            answers.append(archive.search(Search(q="人民"), ALL)["total"])

    t = threading.Thread(target=keep_searching)
    t.start()
    try:
        done = archive.reindex()
    finally:
        stop.set()
        t.join()
    assert not done.failed and done.rebuilt == ("public", "restricted")
    assert answers and min(answers) > 0
    after = archive.search(Search(limit=100), ALL)
    assert {h["id"] for h in after["hits"]} == {h["id"] for h in before["hits"]}


def test_visibility_is_required():
    with pytest.raises(TypeError):
        SearchRequest(query=parse("x"))  # no default visibility: every caller must say


def test_index_from_another_version_asks_for_reindex(archive, corpus):
    """Regression guard: an index with an older schema gives a clear message, and reindex fixes it."""
    import tantivy

    from archive.index import BackendUnavailable
    from ingest.pipeline import ingest

    ingest(archive, [corpus / "govcn-2019-zhouynf" / "html" / "001_content_5365945.html"])
    archive.close()
    root = archive.settings.data_dir / "index" / "public"
    old = tantivy.SchemaBuilder()
    old.add_text_field("id", stored=True)
    gen = root / "gen-9"
    gen.mkdir()
    tantivy.Index(old.build(), path=str(gen)).writer().commit()
    (root / "gen-9.state").write_text('{"applied": 99, "purge": false}')
    (root / "CURRENT").write_text("gen-9")

    from archive import Archive
    stale = Archive(archive.settings)
    with pytest.raises(BackendUnavailable, match="reindex"):
        stale.search(Search(q="双随机"))
    stale.reindex()
    assert stale.search(Search(q="双随机"))["total"] == 1


def test_impossible_dates_are_left_out_not_fatal():
    """Regression guard: Elasticsearch refused 2019-02-29 as a date; every backend gets 0 instead."""
    doc = {"id": "x", "title": "t", "pages": ["正文"], "written_date": "2019-02-29",
           "published_date": "2019-03-01", "agency": "", "doc_type": "", "topic": "", "doc_number": "",
           "disclosure": "主动公开"}
    assert IndexDoc.from_catalog(doc).date == 20190301
    assert IndexDoc.from_catalog({**doc, "published_date": ""}).year == 0
