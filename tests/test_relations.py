"""Relations between stored documents: references written with a document, resolved both ways (by 文号,
by title preferring the version in force), kept up to date by edits, computed for an older archive by
`reindex`, and shown on the document page and the API only as far as the caller may see both ends."""
from __future__ import annotations

import hashlib
import re

import pytest
from staff_support import add_users, staff_client

PUBLIC, SECRET = "主动公开", "不予公开"


def add(archive, title: str, text: str, date: str = "", doc_number: str = "", disclosure: str = PUBLIC) -> str:
    """Store a one-page document as ingest does (catalog.add_document); returns its id."""
    sha = hashlib.sha256(f"{title}{date}{text}".encode()).hexdigest()
    archive.catalog.add_document(
        sha[:16], {"title": title, "written_date": date, "doc_number": doc_number}, [f"{title}\n{text}"],
        {"sha256": sha, "filename": f"{title}.txt", "source": "test", "mime": "text/plain", "size": len(text),
         "extractor": "text"}, [], disclosure)
    return sha[:16]


def targets(archive, doc_id: str) -> dict[tuple[str, str], str | None]:
    """(text, type) -> resolved document id of the references of `doc_id`, as staff see them."""
    rel = archive.catalog.relations(doc_id, ("主动公开", "依申请公开", "不予公开"))
    return {(r["text"], r["type"]): r["document_id"] for r in rel["cites"]}


LAW = "第一条 为了规范甲事项，制定本法。\n第二条 本法自公布之日起施行。"
REG = ("第一条 为了规范甲事项的管理，根据《中华人民共和国甲法》，制定本条例。\n"
       "第三十条 本条例自2015年7月1日起施行。2001年3月1日市人民政府发布的《丙市甲事项管理办法》同时废止。")


def test_a_title_resolves_to_the_version_in_force_at_the_citing_date(archive):
    old = add(archive, "中华人民共和国甲法", LAW, "2010-01-01")
    new = add(archive, "中华人民共和国甲法", LAW + "\n第三条 新增。", "2018-01-01")
    reg = add(archive, "丙市甲事项管理条例", REG, "2015-06-01")
    later = add(archive, "丁市甲事项管理条例", REG.replace("2015", "2020"), "2020-06-01")
    assert targets(archive, reg)[("中华人民共和国甲法", "cites")] == old
    assert targets(archive, later)[("中华人民共和国甲法", "cites")] == new
    rel = archive.catalog.relations(reg, (PUBLIC,))
    cite = next(r for r in rel["cites"] if r["type"] == "cites")
    assert cite["article"] == "第一条" and "根据《中华人民共和国甲法》" in cite["evidence"]


def test_a_document_stored_later_resolves_earlier_references(archive):
    """Regression guard for one-way resolution: the repealed 办法 arrives after the 条例 that repeals it."""
    reg = add(archive, "丙市甲事项管理条例", REG, "2015-06-01")
    assert targets(archive, reg)[("丙市甲事项管理办法", "repeals")] is None
    old = add(archive, "丙市甲事项管理办法", "第一条 规范甲事项。", "2001-03-01")
    assert targets(archive, reg)[("丙市甲事项管理办法", "repeals")] == old
    newer = add(archive, "中华人民共和国甲法", LAW, "2010-01-01")  # the cited law, also after the citing one
    assert targets(archive, reg)[("中华人民共和国甲法", "cites")] == newer
    cited_by = archive.catalog.relations(old, (PUBLIC,))
    assert cited_by["counts"] == {"repeals": 1} and cited_by["cited_by"][0]["document_id"] == reg


def test_a_later_version_never_answers_an_earlier_text(archive):
    """A text cannot name a version made after it: a 2004 条例 repealing its 1992 namesake is not taken as
    repealing the 2017 version."""
    add(archive, "中华人民共和国进出口关税条例", "第一条 规范关税。", "2017-03-01")
    reg = add(archive, "中华人民共和国进出口关税条例",
              "第六十七条 本条例自2004年1月1日起施行。1992年3月18日国务院修订发布的《中华人民共和国进出口关税条例》同时废止。",
              "2003-11-23")
    assert targets(archive, reg)[("中华人民共和国进出口关税条例", "repeals")] is None


def test_a_number_resolves_exactly_and_before_a_title(archive):
    notice = add(archive, "国务院关于做好丁工作的通知", "各省人民政府：做好丁工作。", "2019-01-27", "国发〔2019〕5号")
    same_title = add(archive, "国务院关于做好丁工作的通知", "另一份同名文件。", "2019-02-01", "国发〔2019〕9号")
    citing = add(archive, "某省关于落实丁工作的意见",
                 "根据《国务院关于做好丁工作的通知》（国发〔2019〕5号）精神，提出意见。\n按照国发〔2019〕5号文件要求办理。",
                 "2019-03-01", "某政发〔2019〕1号")
    t = targets(archive, citing)
    assert t[("国务院关于做好丁工作的通知", "cites")] == notice != same_title
    assert t[("国发〔2019〕5号", "cites")] == notice
    assert not any(text == "某政发〔2019〕1号" for text, _ in t)  # its own 文号 is no reference


def test_an_edit_that_changes_a_title_moves_the_references(archive):
    reg = add(archive, "丙市甲事项管理条例", REG, "2015-06-01")
    doc = add(archive, "丙市甲事项管理办法（草稿名）", "第一条 规范甲事项。", "2001-03-01")
    assert targets(archive, reg)[("丙市甲事项管理办法", "repeals")] is None
    archive.catalog.update_document(doc, {"title": "丙市甲事项管理办法"}, {})
    assert targets(archive, reg)[("丙市甲事项管理办法", "repeals")] == doc
    archive.catalog.update_document(doc, {"title": "丙市乙事项管理办法"}, {})
    assert targets(archive, reg)[("丙市甲事项管理办法", "repeals")] is None


def test_reindex_computes_the_references_of_an_older_archive(archive):
    law = add(archive, "中华人民共和国甲法", LAW, "2010-01-01")
    reg = add(archive, "丙市甲事项管理条例", REG, "2015-06-01")
    with archive.catalog.tx() as db:  # as a catalog written before references were stored holds them
        db.execute("DELETE FROM doc_references")
        db.execute("DELETE FROM doc_keys")
        db.execute("UPDATE documents SET refs_version = 0")
    assert archive.catalog.references_behind() == 2 and targets(archive, reg) == {}
    assert not archive.reindex().failed
    assert archive.catalog.references_behind() == 0
    assert targets(archive, reg)[("中华人民共和国甲法", "cites")] == law
    assert archive.catalog.compute_references() == 0  # done once, not again


def test_references_go_with_their_document(archive):
    law = add(archive, "中华人民共和国甲法", LAW, "2010-01-01")
    reg = add(archive, "丙市甲事项管理条例", REG, "2015-06-01")
    with archive.catalog.tx() as db:
        db.execute("DELETE FROM documents WHERE id = ?", (law,))
    assert targets(archive, reg)[("中华人民共和国甲法", "cites")] is None
    with archive.catalog.tx() as db:
        db.execute("DELETE FROM documents WHERE id = ?", (reg,))
    assert archive.catalog._db().execute("SELECT count(*) FROM doc_references").fetchone()[0] == 0


def relations_section(page: str) -> str:
    """The 本文引用/被引用 section of a document page ('' if it has none)."""
    m = re.search(r'<div class="relations">.*?</section>\s*</div>', page, re.S)
    return m[0] if m else ""


@pytest.fixture
def web(archive):
    """(app, ids): a public law cited by a public regulation and by a restricted one, which also cites a
    public 办法 and is cited by a public notice."""
    from web import create_app

    ids = {
        "law": add(archive, "中华人民共和国甲法", LAW, "2010-01-01"),
        "measure": add(archive, "丙市乙事项办法", "第一条 规范乙事项。", "2012-01-01"),
        "public": add(archive, "丙市甲事项管理条例", REG, "2015-06-01"),
        "secret": add(archive, "丙市甲事项内部规定",
                      "第一条 根据《中华人民共和国甲法》，制定本规定。\n第九条 《丙市乙事项办法》同时废止。", "2016-01-01",
                      disclosure=SECRET),
    }
    ids["notice"] = add(archive, "丙市关于执行内部规定的通知", "请认真贯彻落实《丙市甲事项内部规定》。", "2017-01-01")
    assert not archive.sync.catch_up().failed
    app = create_app(archive=archive)
    app.testing = True
    add_users(archive)
    return app, ids


def test_the_public_sees_nothing_of_a_restricted_document_in_relations(web):
    app, ids = web
    client = app.test_client()
    law = client.get(f"/api/documents/{ids['law']}/relations").get_json()
    assert law["counts"] == {"cites": 1}
    assert [r["document_id"] for r in law["cited_by"]] == [ids["public"]]
    measure = client.get(f"/api/documents/{ids['measure']}/relations").get_json()
    assert measure["cited_by"] == [] and measure["counts"] == {}
    notice = client.get(f"/api/documents/{ids['notice']}").get_json()
    # The title the notice's own (public) text names, unresolved: exactly what a reference to a document the
    # archive does not hold looks like, so the page tells nothing of the restricted one (not even that it exists).
    assert [(r["document_id"], r["title"]) for r in notice["relations"]] == [(None, "")]
    for doc_id in (ids["law"], ids["measure"], ids["notice"]):
        page = client.get(f"/doc/{doc_id}").get_data(as_text=True)
        assert ids["secret"] not in page
    for doc_id in (ids["law"], ids["measure"]):
        assert "内部规定" not in relations_section(client.get(f"/doc/{doc_id}").get_data(as_text=True))
    assert client.get(f"/api/documents/{ids['secret']}/relations").status_code == 404
    page = client.get(f"/doc/{ids['law']}").get_data(as_text=True)
    assert "被引用" in page and "丙市甲事项管理条例" in page and "引用本文的文件（1）" in page and "（1 件文件）" in page


def test_staff_see_relations_of_restricted_documents(web):
    app, ids = web
    staff = staff_client(app, "viewer")
    law = staff.get(f"/api/documents/{ids['law']}/relations").get_json()
    assert law["counts"] == {"cites": 2}
    assert {r["document_id"] for r in law["cited_by"]} == {ids["public"], ids["secret"]}
    measure = staff.get(f"/api/documents/{ids['measure']}").get_json()["relations"]
    assert [(r["direction"], r["type"], r["document_id"]) for r in measure] == [("in", "repeals", ids["secret"])]
    secret = staff.get(f"/api/documents/{ids['secret']}/relations").get_json()
    assert {(r["type"], r["document_id"]) for r in secret["cites"]} == {("cites", ids["law"]), ("repeals", ids["measure"])}
    assert secret["cited_by"][0]["document_id"] == ids["notice"] and secret["counts"] == {"implements": 1}
    assert "（2 件文件）" in staff.get(f"/doc/{ids['law']}").get_data(as_text=True)
    page = staff.get(f"/doc/{ids['measure']}").get_data(as_text=True)
    assert "废止本文" in page and "丙市甲事项内部规定" in page


def test_an_unresolved_reference_shows_its_title(web):
    app, ids = web
    page = app.test_client().get(f"/doc/{ids['public']}").get_data(as_text=True)
    assert "本文引用" in page and "《丙市甲事项管理办法》" in page and "本站无公开全文" in page
    rel = app.test_client().get(f"/api/documents/{ids['public']}/relations").get_json()
    repeal = next(r for r in rel["cites"] if r["type"] == "repeals")
    assert repeal["document_id"] is None and repeal["text"] == "丙市甲事项管理办法" and "同时废止" in repeal["evidence"]


def test_follow_cited_by_to_the_citing_document_and_back_in_a_browser(web, browser):
    from staff_support import live_server

    app, ids = web
    with live_server(app) as base:
        page = browser.new_page()
        page.goto(f"{base}/doc/{ids['law']}")
        page.locator("div.relations ul[data-type=cites] a", has_text="丙市甲事项管理条例").click()
        page.wait_for_url(f"**/doc/{ids['public']}")
        assert page.locator("div.relations").get_by_text("本站无公开全文").count() == 1  # the repealed 办法
        page.locator(f"div.relations a[href='/doc/{ids['law']}']").click()
        page.wait_for_url(f"**/doc/{ids['law']}")
        assert "丙市甲事项内部规定" not in page.locator("div.relations").inner_text()
        page.close()


def test_a_restricted_version_never_takes_a_public_ones_place(archive):
    old = add(archive, "中华人民共和国丁法", "第一条 为了规范丁事项，制定本法。", "2010-01-01")
    new = add(archive, "中华人民共和国丁法", "第一条 为了规范丁事项，制定本法。修订稿。", "2018-01-01", disclosure=SECRET)
    reg = add(archive, "丙市丁事项条例", "第一条 根据《中华人民共和国丁法》，制定本条例。", "2020-01-01")
    staff = archive.catalog.relations(reg, ("主动公开", "依申请公开", "不予公开"))
    assert [r["document_id"] for r in staff["cites"]] == [new]     # staff: the version in force then
    public = archive.catalog.relations(reg, (PUBLIC,))
    assert [r["document_id"] for r in public["cites"]] == [old]    # the public: the public version, linked
    assert archive.catalog.relations(old, (PUBLIC,))["counts"] == {"cites": 1}
    # A change of 公开属性 moves the public link at once.
    archive.catalog.update_document(new, {"disclosure": PUBLIC}, {})
    assert [r["document_id"] for r in archive.catalog.relations(reg, (PUBLIC,))["cites"]] == [new]
    assert archive.catalog.relations(old, (PUBLIC,))["counts"] == {}


def test_an_upgraded_archive_reads_the_references_of_its_documents(archive):
    law = add(archive, "中华人民共和国戊法", "第一条 为了规范戊事项，制定本法。", "2010-01-01")
    reg = add(archive, "丙市戊事项条例", "第一条 根据《中华人民共和国戊法》，制定本条例。", "2020-01-01")
    with archive.catalog.tx() as db:   # as an archive of the previous release holds them: none read
        db.execute("DELETE FROM doc_references")
        db.execute("DELETE FROM doc_keys")
        db.execute("UPDATE documents SET refs_version = 0")
    for ix in archive.indexes.values():   # its indexes were built by the older release too
        ix.drop()
    assert archive.catalog.references_behind() == 2
    archive.sync.catch_up()
    assert archive.catalog.references_behind() == 0
    assert [r["document_id"] for r in archive.catalog.relations(reg, (PUBLIC,))["cites"]] == [law]
