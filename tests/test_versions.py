"""Versions and validity (有效性), on both backends: versions of one document grouped and shown as one entry with
the count of the others (newest first), repeals making a document 已废止 with their sentence as evidence, a staff
setting winning and surviving `reindex`, the index entries of older documents rewritten when a new version or a
repeal arrives, and the public never learning of a restricted version or a restricted document's evidence."""
from __future__ import annotations

import csv
import hashlib
import shutil
import subprocess

import pytest
from conftest import BACKENDS, backend_settings, close_archive

from archive import Archive, Search
from archive.catalog.versions import clusters, valid_until, versioned
from archive.editing import edit_document

PUBLIC, STAFF, SECRET = ("主动公开",), ("主动公开", "依申请公开", "不予公开"), "不予公开"
NPCSC = "全国人民代表大会常务委员会"
LAW = "第一条 为了规范甲事项，制定本法。\n第二条 本法自公布之日起施行。"
REPEALING = ("第一条 为了规范甲事项的管理，根据《中华人民共和国甲法》，制定本条例。\n"
             "第三十条 本条例自2015年7月1日起施行。2001年3月1日市人民政府发布的《丙市甲事项管理办法》同时废止。")


def add(a: Archive, title: str, text: str, date: str, agency: str = "", disclosure: str = "主动公开") -> str:
    """Store a one-page document as ingest does (catalog.add_document); returns its id."""
    sha = hashlib.sha256(f"{title}{date}{text}{disclosure}".encode()).hexdigest()
    a.catalog.add_document(
        sha[:16], {"title": title, "written_date": date, "agency": agency}, [f"{title}\n{text}"],
        {"sha256": sha, "filename": f"{title}.txt", "source": "test", "mime": "text/plain", "size": len(text),
         "extractor": "text"}, [], disclosure)
    return sha[:16]


@pytest.fixture(params=BACKENDS)
def fresh(request, tmp_path):
    a = Archive(backend_settings(request.param, tmp_path / "data"))
    yield a
    close_archive(a)


def hits(a: Archive, q: str, visibility=PUBLIC, **kw) -> list[dict]:
    return a.search(Search(q=q, limit=50, **kw), visibility)["hits"]


def test_the_documents_of_a_version_group():
    row = {"title": "", "agency": "", "date": ""}
    rows = [{**row, "id": "a", "title": "中华人民共和国甲法", "agency": NPCSC, "date": "2010-01-01"},
            {**row, "id": "b", "title": "中华人民共和国甲法（2018年修正）", "agency": "全国人民代表大会", "date": "2018-01-01"},
            {**row, "id": "c", "title": "中华人民共和国甲法", "agency": "", "date": ""},
            {**row, "id": "d", "title": "中华人民共和国甲法", "agency": "国务院", "date": "2012-01-01"}]
    groups = clusters("甲法", rows)
    assert groups["a"] == groups["b"] != "" and groups["d"] == ""   # a congress and its committee are one issuer
    assert groups["c"] == ""           # of no issuer, with two issuers of the title: no one's version
    assert clusters("甲法", rows[:3])["c"] == groups["a"]   # with one: a version of theirs
    same_day = [{**row, "id": str(i), "title": "中华人民共和国民法典", "date": "2020-05-28"} for i in range(3)]
    assert set(clusters("民法典", same_day).values()) == {""}   # parts (or copies) of one text: no versions
    assert not versioned("国务院关于修改部分行政法规的决定") and not versioned("中华人民共和国宪法修正案")
    assert versioned("丙市甲事项管理办法（试行）") and versioned("最高人民法院关于适用《民法典》的解释")


def test_a_text_says_until_when_it_is_valid():
    assert valid_until("本通知自印发之日起施行，有效期至2020年12月31日。") == "2020-12-31"
    assert valid_until("本办法自2018年1月1日起施行，有效期五年。") == "2022-12-31"
    assert valid_until("许可证有效期至2030年1月1日。") == ""   # a licence's term, not the document's


def test_versions_are_one_entry_newest_first_with_the_count_of_the_others(fresh):
    a = fresh
    old = add(a, "中华人民共和国甲法", LAW, "2010-01-01", NPCSC)
    mid = add(a, "中华人民共和国甲法", LAW + "\n第三条 新增甲项。", "2018-01-01", NPCSC)
    new = add(a, "中华人民共和国甲法", LAW + "\n第三条 新增甲项。\n第四条 新增乙项。", "2022-01-01", NPCSC)
    other = add(a, "丁市甲事项规定", "第一条 规范甲事项。", "2019-01-01", "丁市人民政府")
    assert not a.sync.catch_up().failed
    r = a.search(Search(q="甲事项"))
    assert [h["id"] for h in r["hits"] if h["id"] != other] == [new]
    latest = next(h for h in r["hits"] if h["id"] == new)
    assert latest["versions"] == 2 and latest["validity"] == "现行有效" and r["versions"]["older"] == 2
    assert r["total"] == 2
    every = a.search(Search(q="甲事项", versions="all"))
    assert every["total"] == 4 and every["versions"]["older"] == 0
    group = a.search(Search(group=latest["version_group"], sort="date"))
    assert [h["id"] for h in group["hits"]] == [new, mid, old]
    assert [h["validity"] for h in group["hits"]] == ["现行有效", "已修改", "已修改"]
    st = a.status(old)
    assert st["value"] == "已修改" and st["evidence"][0]["document_id"] == new
    assert [v["id"] for v in st["versions"]] == [new, mid, old]
    # only the latest is current: the switch finds it, not its earlier versions
    current = a.search(Search(q="甲事项", filters={"validity": ["现行有效"]}, versions="all"))
    assert {h["id"] for h in current["hits"]} == {new, other}


def test_a_repeal_makes_a_document_repealed_with_its_sentence_as_evidence(fresh):
    a = fresh
    reg = add(a, "丙市甲事项管理条例", REPEALING, "2015-06-01", "丙市人民代表大会常务委员会")
    assert not a.sync.catch_up().failed
    measure = add(a, "丙市甲事项管理办法", "第一条 规范甲事项。", "2001-03-01", "丙市人民政府")  # stored after
    assert not a.sync.catch_up().failed
    st = a.status(measure)
    assert st["value"] == "已废止" and st["source"] == "derived"
    assert st["evidence"][0]["document_id"] == reg and "同时废止" in st["evidence"][0]["sentence"]
    assert [h["id"] for h in hits(a, "甲事项", filters={"validity": ["已废止"]})] == [measure]
    assert a.status(reg)["value"] == "现行有效"
    # the repealing document is edited so that it names another one: the repeal goes, in the index too
    a.catalog.update_document(reg, {"title": "丙市乙事项管理条例"}, {})
    with a.catalog.tx() as db:
        db.execute("UPDATE pages SET text = replace(text, '甲事项管理办法', '乙事项管理办法') WHERE doc_id = ?", (reg,))
    a.catalog.update_document(reg, {}, {})
    assert not a.sync.catch_up().failed
    assert a.status(measure)["value"] == "现行有效"
    assert hits(a, "甲事项", filters={"validity": ["已废止"]}) == []


def test_a_staff_setting_wins_and_survives_reindex(fresh, gongkai):
    a = fresh
    old = add(a, "中华人民共和国甲法", LAW, "2010-01-01", NPCSC)
    add(a, "中华人民共和国甲法", LAW + "\n第三条 新增。", "2018-01-01", NPCSC)
    assert not a.sync.catch_up().failed
    assert a.status(old)["value"] == "已修改"
    edit_document(a, old, {"validity": "现行有效"}, "zhang")
    st = a.status(old)
    assert (st["value"], st["source"], st["evidence"]) == ("现行有效", "staff", [])
    every = {h["id"]: h["validity"] for h in hits(a, "甲事项", versions="all", filters={"validity": ["现行有效"]})}
    assert every.get(old) == "现行有效"
    assert not a.reindex().failed
    if a.settings.backend == "embedded":   # and as staff run it
        done = subprocess.run([*gongkai, "--data", str(a.settings.data_dir), "reindex"], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr
    assert a.status(old)["value"] == "现行有效" and a.catalog.document(old)["extra"]["validity"] == "现行有效"
    assert old in {h["id"] for h in hits(a, "甲事项", versions="all", filters={"validity": ["现行有效"]})}
    edit_document(a, old, {"validity": ""}, "zhang")   # cleared: the derived value is back
    assert a.status(old)["value"] == "已修改"
    assert old not in {h["id"] for h in hits(a, "甲事项", versions="all", filters={"validity": ["现行有效"]})}


def test_the_public_never_sees_a_restricted_version_or_its_evidence(fresh):
    a = fresh
    public_old = add(a, "中华人民共和国甲法", LAW, "2010-01-01", NPCSC)
    public_new = add(a, "中华人民共和国甲法", LAW + "\n第三条 新增。", "2018-01-01", NPCSC)
    secret_newest = add(a, "中华人民共和国甲法", LAW + "\n第三条 新增。\n第九条 内部。", "2022-01-01", NPCSC, SECRET)
    measure = add(a, "丙市甲事项管理办法", "第一条 规范甲事项。", "2001-03-01", "丙市人民政府")
    secret_repeal = add(a, "丙市甲事项内部条例", REPEALING, "2015-06-01", "丙市人民代表大会常务委员会", SECRET)
    assert not a.sync.catch_up().failed
    # the public: the newest public version is current, with one earlier version; the办法 is not repealed
    r = a.search(Search(q="甲事项"))
    shown = {h["id"]: h for h in r["hits"]}
    assert set(shown) == {public_new, measure}
    assert shown[public_new]["versions"] == 1 and shown[public_new]["validity"] == "现行有效"
    assert shown[measure]["validity"] != "已废止" and r["versions"]["older"] == 1
    assert {b["value"] for b in r["facets"]["validity"]} == {"现行有效"}
    for doc_id in (public_new, public_old, measure):
        st = a.status(doc_id)
        assert all(e["document_id"] not in (secret_newest, secret_repeal) for e in st["evidence"])
        assert all(v["id"] != secret_newest for v in st["versions"]) and not st["amendments"]
    assert a.search(Search(group=shown[public_new]["version_group"]))["total"] == 2
    # staff: the restricted version is the latest, the public ones 已修改; the 办法 is repealed
    staff = {h["id"]: h for h in hits(a, "甲事项", STAFF)}
    assert set(staff) == {secret_newest, measure, secret_repeal}
    assert staff[secret_newest]["versions"] == 2 and staff[measure]["validity"] == "已废止"
    assert a.status(public_new, STAFF)["value"] == "已修改"
    assert a.status(measure, STAFF)["evidence"][0]["document_id"] == secret_repeal
    # the web: neither the page nor the API of a public document names a restricted one
    from web import create_app

    app = create_app(archive=a)
    app.testing = True
    client = app.test_client()
    for doc_id in (public_new, public_old, measure):
        for url in (f"/doc/{doc_id}", f"/api/documents/{doc_id}", f"/api/documents/{doc_id}/related"):
            text = client.get(url).get_data(as_text=True)
            assert secret_newest not in text and secret_repeal not in text and "内部条例" not in text, url
    page = client.get("/search?q=甲事项").get_data(as_text=True)
    assert "另有 1 个历史版本" in page and "只看现行有效" in page
    api = client.get(f"/api/documents/{measure}").get_json()
    assert api["validity"] == api["validity_detail"]["value"] == "现行有效"


def test_a_public_document_restricted_later_leaves_the_public_count(fresh):
    a = fresh
    old = add(a, "中华人民共和国甲法", LAW, "2010-01-01", NPCSC)
    new = add(a, "中华人民共和国甲法", LAW + "\n第三条 新增。", "2018-01-01", NPCSC)
    assert not a.sync.catch_up().failed
    assert {h["id"]: h["versions"] for h in hits(a, "甲事项")} == {new: 1}
    edit_document(a, new, {"disclosure": SECRET, "disclosure_reason": "涉及国家秘密"}, "zhang")
    assert not a.sync.catch_up().failed
    shown = {h["id"]: h for h in hits(a, "甲事项")}
    assert set(shown) == {old} and shown[old]["versions"] == 0 and shown[old]["validity"] == "现行有效"
    assert a.status(old, STAFF)["value"] == "已修改"


LAWREFBOOK = "lawrefbook-laws"
# Real repeals in the corpus: (repealed, repealing) paths; the repealing text says 《…》同时废止.
REPEALS = [("DLC/浙江地方法规/地方性法规/浙江/浙江省信息化促进条例(2010-07-30).md",
            "DLC/浙江地方法规/地方性法规/浙江/浙江省数字经济促进条例(2020-12-24).md"),
           ("行政法规/个体工商户条例(2016-02-06).md", "行政法规/促进个体工商户发展条例(2022-10-01).md")]


@pytest.fixture(scope="module")
def versions_corpus(corpus, tmp_path_factory):
    """The lawrefbook files of every title the manifest lists with several dates, and real repeal pairs,
    ingested through the pipeline: (archive, manifest rows of those titles)."""
    from ingest.pipeline import ingest

    root = corpus / LAWREFBOOK
    rows = list(csv.DictReader(open(root / "manifest.csv", encoding="utf-8")))
    by_title: dict = {}
    for row in rows:
        by_title.setdefault((row["title"], row["region"]), []).append(row)
    several = {k: v for k, v in by_title.items() if len({r["version_date_from_filename"] for r in v}) > 1}
    src = tmp_path_factory.mktemp("lawrefbook")
    paths = {r["path"] for v in several.values() for r in v} | {p for pair in REPEALS for p in pair}
    for path in paths:
        if (root / path).is_file():
            (src / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(root / path, src / path)
    a = Archive(backend_settings("embedded", tmp_path_factory.mktemp("versions")))
    assert not ingest(a, [src]).failed
    yield a, several, src
    a.close()


def test_every_title_with_several_dates_is_one_group_with_the_right_latest(versions_corpus):
    a, several, src = versions_corpus
    docs = {r["source"]: r for r in a.catalog._db().execute(
        "SELECT o.source, d.version_group, d.latest, coalesce(nullif(d.written_date, ''), d.published_date) AS date"
        " FROM originals o JOIN documents d ON d.id = o.doc_id")}
    checked = 0
    for (title, _), rows in several.items():
        members = [docs[str(src / r["path"])] for r in rows if str(src / r["path"]) in docs]
        if len({m["date"] for m in members}) < 2:
            continue
        newest = max(m["date"] for m in members)
        assert len({m["version_group"] for m in members}) == 1 and members[0]["version_group"], title
        assert [m["latest"] for m in members] == [int(m["date"] == newest) for m in members], title
        checked += 1
    assert checked >= 90


def test_real_repeals_in_the_corpus_make_documents_repealed(versions_corpus):
    a, _, src = versions_corpus
    ids = {r[0]: r[1] for r in a.catalog._db().execute("SELECT source, doc_id FROM originals")}
    for repealed, repealing in REPEALS:
        st = a.status(ids[str(src / repealed)])
        assert st["value"] == "已废止", repealed
        assert st["evidence"][0]["document_id"] == ids[str(src / repealing)] and "同时废止" in st["evidence"][0]["sentence"]
