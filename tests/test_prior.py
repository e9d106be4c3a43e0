"""The staff page of a document's prior decisions: the chain of what it cites, what cites it, and the same
agency's earlier documents on the same matter, newest first; staff only."""
from __future__ import annotations

import hashlib

import pytest
from staff_support import add_users, staff_client

from archive import Archive, Settings
from archive.prior import prior_decisions

PUBLIC, ALL = ("主动公开",), ("主动公开", "依申请公开", "不予公开")


def add(a, title: str, text: str, date: str, agency: str = "", disclosure: str = "主动公开") -> str:
    sha = hashlib.sha256(f"{title}{date}{text}".encode()).hexdigest()
    a.catalog.add_document(sha[:16], {"title": title, "written_date": date, "agency": agency}, [f"{title}\n{text}"],
                           {"sha256": sha, "filename": f"{title}.txt", "source": "test", "mime": "text/plain",
                            "size": len(text), "extractor": "text"}, [], disclosure)
    return sha[:16]


@pytest.fixture
def site(tmp_path):
    a = Archive(Settings(data_dir=tmp_path / "data"))
    ids = {
        "law": add(a, "中华人民共和国渔业法", "第一条 为了加强渔业资源的保护，制定本法。", "2010-01-01"),
        "reg": add(a, "邯郸市渔港管理条例", "第一条 根据《中华人民共和国渔业法》，制定本条例。", "2015-01-01",
                   "邯郸市人民代表大会常务委员会"),
        "old": add(a, "邯郸市人民政府关于加强渔港管理的通知", "渔港管理工作要求。", "2012-03-01", "邯郸市人民政府"),
        "mid": add(a, "邯郸市人民政府关于进一步加强渔港管理的意见", "渔港管理进一步要求。", "2018-05-01", "邯郸市人民政府"),
        "other": add(a, "邯郸市人民政府关于做好防汛工作的通知", "防汛。", "2019-01-01", "邯郸市人民政府"),
        "later": add(a, "邯郸市人民政府关于渔港管理的补充通知", "渔港管理补充。", "2023-01-01", "邯郸市人民政府"),
        "secret": add(a, "邯郸市人民政府渔港管理内部规定", "渔港管理内部。", "2016-01-01", "邯郸市人民政府", "不予公开"),
    }
    ids["doc"] = add(a, "邯郸市人民政府关于印发邯郸市渔港管理办法的通知",
                     "为贯彻《邯郸市渔港管理条例》，制定本办法。", "2021-06-01", "邯郸市人民政府")
    ids["notice"] = add(a, "邯郸市渔港办关于执行渔港管理办法的通知", "请执行《邯郸市渔港管理办法》。", "2022-01-01")
    assert not a.sync.catch_up().failed
    add_users(a)
    yield a, ids
    a.close()


def test_the_chain_goes_back_through_what_it_cites(site):
    a, ids = site
    prior = prior_decisions(a, ids["doc"], ALL)
    assert [(x.id, x.type, x.depth) for x in prior.cites] == [(ids["reg"], "implements", 1), (ids["law"], "cites", 2)]
    assert prior.cites[1].via == "邯郸市渔港管理条例"
    assert [x.id for x in prior.cited_by] == [ids["notice"]]


def test_the_agencys_earlier_documents_on_the_matter_newest_first(site):
    a, ids = site
    staff = prior_decisions(a, ids["doc"], ALL)
    assert [h["id"] for h in staff.earlier] == [ids["mid"], ids["secret"], ids["old"]]   # not later, not off-topic
    public = prior_decisions(a, ids["doc"], PUBLIC)
    assert ids["secret"] not in [h["id"] for h in public.earlier]
    assert prior_decisions(a, ids["secret"], PUBLIC) is None


def test_the_page_is_for_staff(site):
    from web import create_app

    a, ids = site
    app = create_app(archive=a)
    anon = app.test_client()
    assert anon.get(f"/staff/doc/{ids['doc']}/prior").status_code in (302, 401)
    viewer = staff_client(app, "viewer")
    page = viewer.get(f"/staff/doc/{ids['doc']}/prior").get_data(as_text=True)
    assert "邯郸市渔港管理条例" in page and "中华人民共和国渔业法" in page and "经由《邯郸市渔港管理条例》" in page
    assert page.index("进一步加强渔港管理") < page.index("关于加强渔港管理的通知")   # newest first
    assert "前序文件和引用链" in viewer.get(f"/doc/{ids['doc']}").get_data(as_text=True)   # linked from the page
    assert "前序文件和引用链" not in anon.get(f"/doc/{ids['doc']}").get_data(as_text=True)
    data = viewer.get(f"/staff/doc/{ids['doc']}/prior", headers={"Accept": "application/json"}).get_json()
    assert [x["id"] for x in data["cites"]] == [ids["reg"], ids["law"]]
    assert viewer.get("/staff/doc/0000000000000000/prior").status_code == 404
