"""Agencies by canonical name: joint issuers as several facet values, aliases in queries and staff edits,
level and region derived from the authority list and kept in step with staff edits."""
from __future__ import annotations

import pytest
from staff_support import add_users, csrf, staff_client

from analyzers import agencies
from archive import Search
from web import create_app

ORIGINAL = {"sha256": "b" * 64, "filename": "n.txt", "source": "/n", "mime": "text/plain", "size": 1,
            "extractor": "text"}


@pytest.fixture
def docs(archive):
    """Three documents: a joint notice, one of 国务院办公厅 and one of a city government."""
    for i, (title, agency, level, region) in enumerate([
            ("国务院办公厅、中央军委办公厅关于加强管理工作的通知", "国务院办公厅、中央军事委员会办公厅", "国家", ""),
            ("国务院办公厅关于做好政务公开工作的通知", "国务院办公厅", "国家", ""),
            ("邯郸市人民政府关于做好防汛工作的通知", "邯郸市人民政府", "市", "河北省\\邯郸市")]):
        archive.catalog.add_document(f"d{i}", {"title": title, "agency": agency, "level": level, "region": region},
                                     [title + "。为做好有关工作，现通知如下。"], {**ORIGINAL, "sha256": f"{i}" * 64}, [])
    archive.sync.catch_up()
    return archive


def test_joint_issuers_are_facet_values_of_their_own(docs):
    r = docs.search(Search(limit=10))
    agency = {b["value"]: b["count"] for b in r["facets"]["agency"]}
    assert agency == {"国务院办公厅": 2, "中央军委办公厅": 1, "邯郸市人民政府": 1}
    assert docs.search(Search(filters={"agency": ["中央军委办公厅"]}))["total"] == 1


def test_region_facet_counts_provinces_and_their_cities(docs):
    r = docs.search(Search(limit=10))
    assert {b["value"]: b["count"] for b in r["facets"]["region"]} == {"河北省": 1, "河北省\\邯郸市": 1}
    assert {b["value"]: b["count"] for b in r["facets"]["level"]} == {"国家": 2, "市": 1}
    assert docs.search(Search(q="地区:邯郸"))["total"] == 1


@pytest.mark.parametrize("query", ["机关:国办", "机关:国务院办公厅", "发文机关:中央军委办公厅"])
def test_an_alias_in_a_query_means_the_canonical_agency(docs, query):
    hits = docs.search(Search(q=query, limit=10))["hits"]
    assert hits and all("办公厅" in h["agency"] for h in hits)
    if "军委" not in query:
        assert {h["id"] for h in hits} == {"d0", "d1"}


def test_a_staff_edit_stores_the_canonical_name_with_its_level_and_region(docs):
    from archive.editing import edit_document

    diff = edit_document(docs, "d1", {"agency": "河北省邯郸市人民政府"}, "ed")
    doc = docs.catalog.document("d1")
    assert (doc["agency"], doc["level"], doc["region"]) == ("邯郸市人民政府", "市", "河北省\\邯郸市")
    assert set(diff) == {"agency", "level", "region"}
    assert doc["extra"]["sources"] == {"agency": "staff", "level": "staff", "region": "staff"}
    edit_document(docs, "d1", {"agency": "国办", "level": "省"}, "ed")   # a level set in the same edit wins
    doc = docs.catalog.document("d1")
    assert (doc["agency"], doc["level"], doc["region"]) == ("国务院办公厅", "省", "")
    edit_document(docs, "d1", {"agency": "某某协会"}, "ed")   # unknown: kept as typed, level left alone
    doc = docs.catalog.document("d1")
    assert (doc["agency"], doc["level"]) == ("某某协会", "省")
    docs.reindex()                                                     # staff edits survive a rebuild
    assert docs.search(Search(q="机关:某某协会"))["total"] == 1


def test_the_attention_list_shows_what_needs_a_look_and_edits_in_bulk(archive):
    for i, meta in enumerate([{"title": "标题齐全的通知", "agency": "国务院", "written_date": "2024-01-02",
                               "sources": {"title": "header", "agency": "落款", "written_date": "落款"}},
                              {"title": "扫描件001", "sources": {"title": "file name"}},
                              {"title": "某局关于某事的通知", "agency": "某局", "written_date": "2023-05-06",
                               "sources": {"title": "header", "agency": "title", "written_date": "properties"}}]):
        archive.catalog.add_document(f"a{i}", meta, ["正文内容。"], {**ORIGINAL, "sha256": f"{i}" * 64}, [])
    archive.catalog.add_document("a3", {"title": "登录", "agency": "国务院", "written_date": "2024-01-02"}, ["登录"],
                                 {**ORIGINAL, "sha256": "3" * 64}, ["low quality: body looks like a login page"])
    archive.sync.catch_up()
    add_users(archive)
    app = create_app(archive=archive)
    client = staff_client(app, "editor")
    page = client.get("/staff/attention").get_data(as_text=True)
    assert "a0" not in page and all(f'value="a{i}"' in page for i in (1, 2, 3))
    assert "标题取自文件名" in page and "无发文机关" in page and "成文日期取自文件属性" in page and "login page" in page
    resp = client.post("/staff/attention", data={"csrf_token": csrf(page), "doc": ["a1", "a2", "a0"],
                                                  "agency": "国办", "written_date": "2024-07-08", "doc_type": ""})
    assert resp.status_code == 302
    for i in ("a1", "a2"):
        doc = archive.catalog.document(i)
        assert (doc["agency"], doc["written_date"], doc["level"]) == ("国务院办公厅", "2024-07-08", "国家")
    assert archive.catalog.document("a0")["agency"] == "国务院办公厅"     # ticked: edited too
    assert [e["action"] for e in archive.audit.entries()].count("edit") == 3
    assert 'value="a2"' not in client.get("/staff/attention").get_data(as_text=True)  # title from the header
    assert staff_client(app, "viewer").get("/staff/attention").status_code == 403


def test_the_authority_list_is_of_the_size_the_docs_report():
    size = agencies.size()
    assert size["central bodies"] >= 200 and size["divisions"] >= 3000
    assert "国务院办公厅" in agencies.names()


def test_an_old_value_outside_the_choices_does_not_block_other_edits(docs):
    """Documents stored before 层级 became a choice field keep their value until someone changes it."""
    from archive.editing import EditError, edit_document

    extra = docs.catalog.document("d2")["extra"]
    docs.catalog.update_document("d2", {"level": "地级"}, {**extra, "validity": "有效"})
    assert edit_document(docs, "d2", {"doc_type": "通知"}, "ed") == {"doc_type": ["", "通知"]}
    with pytest.raises(EditError):
        edit_document(docs, "d2", {"level": "乡"}, "ed")
