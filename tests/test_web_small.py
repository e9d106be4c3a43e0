"""Small things on the public pages: hierarchical topics shown with ›, no junk leading the home lists, home
figures that agree with the lists, every year listed, English glosses of facet values, a 404 that explains
依申请公开 without telling a restricted id from an unknown one, timeline labels and the phone filter panel."""
from __future__ import annotations

import hashlib
import re

import pytest
from staff_support import live_server

from web import create_app


def add(archive, title: str, date: str, body: str, *, doc_type: str = "通知", agency: str = "国务院办公厅",
        topic: str = "", disclosure: str = "主动公开", warnings: tuple = (), title_source: str = "header") -> str:
    """One document straight into the catalog (not yet indexed); returns its id."""
    sha = hashlib.sha256(f"{title}{date}{body}".encode()).hexdigest()
    meta = {"title": title, "written_date": date, "doc_type": doc_type, "agency": agency, "topic": topic,
            "sources": {"title": title_source}}
    original = {"sha256": sha, "filename": f"{sha[:8]}.txt", "source": "", "mime": "text/plain",
                "size": len(body.encode()), "extractor": "text"}
    archive.catalog.add_document(sha[:16], meta, [body], original, list(warnings), disclosure)
    return sha[:16]


@pytest.fixture
def site(archive):
    """An archive with 25 years of notices (1999–2023, one a year, most in 2010 so that the years' top 20 by
    count leave out the newest), a topic written with a doubled backslash, junk titled after its file name
    with the newest date, a low-quality page, and one 依申请公开 document."""
    ids = {}
    for year in range(1999, 2024):
        for n in range(6 if year == 2010 else 1):
            add(archive, f"国务院办公厅关于{year}年第{n + 1}项工作的通知", f"{year}-03-0{n + 1}", f"{year}年 工作 通知 正文。")
    ids["topic"] = add(archive, "关于企业登记管理的通知", "2015-05-05", "企业 登记 管理。", topic="市场监管、安全生产监管\\\\工商")
    ids["junk"] = add(archive, "nfra_penalty_table_fragment2", "2024-07-08", "表格 片段。", title_source="file name")
    ids["thin"] = add(archive, "网站首页", "2024-06-01", "首页 政务公开 政务服务", warnings=("low quality: body looks like navigation",))
    ids["restricted"] = add(archive, "关于内部事项的函", "2022-02-02", "内部 事项。", disclosure="依申请公开", doc_type="函")
    assert not archive.sync.catch_up().failed
    app = create_app(archive=archive)
    app.testing = True
    return app, ids


def text(resp) -> str:
    assert resp.status_code == 200, resp.status_code
    return resp.get_data(as_text=True)


def test_a_topic_is_shown_as_its_hierarchy_not_with_backslashes(site):
    app, ids = site
    client = app.test_client()
    page = text(client.get(f"/doc/{ids['topic']}"))
    assert "市场监管、安全生产监管 › 工商" in page and "\\工商" not in page
    results = text(client.get("/search?topic=市场监管、安全生产监管"))
    assert "\\" not in results.split('class="facets"')[1].split("</aside>")[0]


def test_junk_titles_and_low_quality_pages_do_not_lead_the_home_lists(site):
    app, ids = site
    home = text(app.test_client().get("/"))
    newest = home.split('id="newest-h"')[1].split("</section>")[0]
    recent = home.split('id="recent-h"')[1].split("</section>")[0]
    for junk in ("nfra_penalty_table_fragment2", "网站首页"):
        assert junk not in newest and junk not in recent
    assert "国务院办公厅关于2023年第1项工作的通知" in newest.split("</li>")[0]   # the newest real document


def test_home_figures_agree_with_the_lists_and_count_every_year(site):
    app, _ = site
    home = text(app.test_client().get("/"))
    figures = home.split('class="figures"')[1].split("</dl>")[0]
    assert "1999–2024" in figures                       # every year counted, not the top 20 by count
    assert "2023年03月01日" in figures                    # the newest real document's date, as listed under 最新文件


def test_the_year_facet_lists_every_year(site):
    app, _ = site
    client = app.test_client()
    years = {b["value"] for b in client.get("/api/search?limit=1").get_json()["facets"]["year"]}
    assert years == set(range(1999, 2025))              # 26 years, above facet_size (20)
    agencies = client.get("/api/search?limit=1").get_json()["facets"]["agency"]
    assert len(agencies) <= app.extensions["gongkai"].settings.facet_size
    facet = text(client.get("/search")).split('id="facet-year"')[1].split("</section>")[0]
    assert all(f"{y}年" in facet for y in (1999, 2020, 2021, 2022, 2024))


def test_facet_values_carry_english_glosses_on_english_pages_only(site):
    app, _ = site
    client = app.test_client()
    en = text(client.get("/search?q=通知&lang=en"))
    assert '<span lang="zh-CN">通知</span> <span class="gloss">(Notice)</span>' in en
    assert "(General Office of the State Council)" in en
    assert "(Market and work-safety regulation)" in text(client.get("/search?lang=en"))
    zh = text(client.get("/search?q=通知"))
    assert "(Notice)" not in zh and "General Office" not in zh


def test_every_document_kind_ingest_knows_has_an_english_gloss():
    from ingest.metadata.kinds import _DOC_TYPES
    from web import glosses

    kinds = {kind for _, kind in _DOC_TYPES}
    assert kinds == set(glosses.STANDARD_KINDS) | set(glosses.OTHER_KINDS)
    assert all(glosses.DOC_TYPES.get(k) for k in kinds) and len(glosses.STANDARD_KINDS) == 15
    assert glosses.english("河南省人民代表大会常务委员会", "agency") == "Standing Committee of the People's Congress"
    assert glosses.english("犇羴鱻管理局", "agency") == ""          # no standard name: no gloss
    assert glosses.path("监管\\\\工商") == glosses.path("监管\\工商") == "监管 › 工商"


def test_a_missing_document_explains_disclosure_on_request_the_same_for_restricted_and_unknown_ids(site):
    app, ids = site
    client = app.test_client()
    restricted, unknown = client.get(f"/doc/{ids['restricted']}"), client.get("/doc/0123456789abcdef")
    assert restricted.status_code == unknown.status_code == 404
    a, b = (r.get_data(as_text=True).replace(i, "ID") for r, i in ((restricted, ids["restricted"]),
                                                                  (unknown, "0123456789abcdef")))
    assert a == b and "依申请公开" in a and "第三十三条" in a
    assert "on request" in client.get("/doc/0123456789abcdef?lang=en").get_data(as_text=True)
    assert client.get(f"/api/documents/{ids['restricted']}").get_json() == {"error": "not found"}
    assert "依申请公开" not in client.get("/nope").get_data(as_text=True)


@pytest.mark.parametrize("years, crowded", [(range(1954, 2026), ()), (range(1999, 2024), (2010, 2011))],
                         ids=["72 years", "25 years with 3-digit counts"])
def test_timeline_labels_thin_out_and_do_not_overlap_on_a_phone(archive, browser, years, crowded):
    for year in years:
        for n in range(130 if year in crowded else 1):
            add(archive, f"关于{year}年第{n + 1}项工作的通知", f"{year}-03-01", f"{year}年 工作 {n}。")
    assert not archive.sync.catch_up().failed
    app = create_app(archive=archive)
    svg = text(app.test_client().get("/search")).split("<svg")[1].split("</svg>")[0]
    labels = re.findall(r'<text class="yr( alt)?"', svg)
    assert labels[0] == labels[-1] == "" and "alt" in "".join(labels)   # first and last always shown
    with live_server(app) as base:
        for width in (390, 1280):
            tab = browser.new_page(viewport={"width": width, "height": 800})
            tab.goto(base + "/search")
            svg_box = tab.query_selector("figure.timeline svg").bounding_box()
            for kind in ("yr", "n"):
                boxes = sorted((b for b in (e.bounding_box() for e in tab.query_selector_all(f"svg text.{kind}")) if b),
                               key=lambda b: b["x"])
                assert all(a["x"] + a["width"] <= b["x"] for a, b in zip(boxes, boxes[1:])), (width, kind, boxes)
                assert all(svg_box["x"] - 1 <= b["x"] and b["x"] + b["width"] <= svg_box["x"] + svg_box["width"] + 1
                           for b in boxes), (width, kind, "outside the chart")
            tab.close()


def test_the_phone_filter_panel_stays_open_after_a_filter_is_tapped(site, browser):
    app, _ = site
    with live_server(app) as base:
        tab = browser.new_page(viewport={"width": 390, "height": 800})
        tab.goto(base + "/search")
        assert tab.eval_on_selector("#filters", "d => d.open") is False     # folded at first on a phone
        tab.click("#filters summary")
        tab.click("#facet-doc_type ~ ul a.opt")
        tab.wait_for_url(re.compile(r"doc_type="))
        assert tab.eval_on_selector("#filters", "d => d.open") is True      # still open for the next tap
        tab.goto(base + "/search?q=通知")
        assert tab.eval_on_selector("#filters", "d => d.open") is False     # a new search starts folded
        tab.close()
