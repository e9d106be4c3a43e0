"""Exports: a result list as CSV and Excel (what the results page lists, in its order, for the caller's
visibility, capped), the staff's attention list and the audit log; no cell runs as a formula."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from canary_corpus import MARKERS, documents, load, secrets_of
from conftest import close_archive
from staff_support import add_users, live_server, staff_client

from web import create_app

FORMULAS = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+2", "-3", "@SUM(A1)"]


def formula_doc(folder: Path, i: int, title: str) -> dict:
    """A public document whose title and agency a spreadsheet would run as a formula, left undated."""
    text = f"{title}\n\n监管 通报 资金 第{i}号"
    path = folder / f"formula-{i}.txt"
    path.write_text(text, encoding="utf-8")
    sha = hashlib.sha256(text.encode()).hexdigest()
    return {"id": sha[:16], "metadata": {"title": title, "agency": title, "topic": "财政\\预算"},
            "pages": [text], "disclosure": "主动公开", "path": path,
            "original": {"sha256": sha, "filename": path.name, "source": str(path), "mime": "text/plain",
                         "size": len(text.encode()), "extractor": "text"}}


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    """(full app, twin app, public docs, restricted docs): the canary corpus plus documents titled like
    formulas; the twin holds the public documents only."""
    from archive import Archive, Settings

    folder = tmp_path_factory.mktemp("export-files")
    public, restricted = documents(folder)
    public += [formula_doc(folder, i, t) for i, t in enumerate(FORMULAS)]
    full = Archive(Settings(data_dir=tmp_path_factory.mktemp("export-full")))
    twin = Archive(Settings(data_dir=tmp_path_factory.mktemp("export-twin")))
    load(full, public + restricted)
    load(twin, public)
    add_users(full)
    cfg = {"SECRET_KEY": "export"}
    yield create_app(archive=full, config=cfg), create_app(archive=twin, config=cfg), public, restricted
    close_archive(full)
    close_archive(twin)


def read_csv(resp) -> list[list[str]]:
    text = resp.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def read_xlsx(resp) -> list[tuple]:
    from openpyxl import load_workbook

    return list(load_workbook(io.BytesIO(resp.get_data()), read_only=True).active.iter_rows(values_only=True))


def test_csv_export_is_the_result_list_in_its_order(apps):
    full, *_ = apps
    client = full.test_client()
    q = "q=" + quote("资金") + "&sort=date"
    hits = client.get(f"/api/search?{q}&limit=100").get_json()["hits"]
    resp = client.get(f"/export?{q}")
    assert resp.status_code == 200 and resp.is_streamed
    assert resp.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(r'attachment; filename="gongkai-search-\d{8}-\d{4}\.csv"', resp.headers["Content-Disposition"])
    rows = read_csv(resp)
    assert rows[0] == ["标题", "发文字号", "发文机关", "成文日期", "发布日期", "公文种类", "主题分类", "链接", "摘要"]
    assert [r[7].rsplit("/", 1)[1] for r in rows[1:]] == [h["id"] for h in hits]
    first = dict(zip(rows[0], rows[1]))
    assert first["标题"] == hits[0]["title"] and first["链接"] == f"http://localhost/doc/{hits[0]['id']}"
    assert all("<" not in r[8] and "资金" in r[8] for r in rows[1:])  # snippets as plain text
    assert "公开属性" not in rows[0]


def test_excel_export_reads_back_with_dates_and_english_headings(apps):
    full, *_ = apps
    resp = full.test_client().get("/export?format=xlsx&lang=en&q=" + quote("资金"))
    assert resp.status_code == 200
    assert resp.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = read_xlsx(resp)
    assert rows[0][:3] == ("Title", "Document number", "Issuing agency") and rows[0][-2:] == ("Link", "Snippet")
    dated = [r for r in rows[1:] if r[0] == "关于财政资金绩效管理的意见"][0]
    assert dated[3].date().isoformat() == "2020-06-18"                       # a real date a spreadsheet sorts


def test_no_cell_runs_as_a_formula(apps):
    full, *_ = apps
    client = full.test_client()
    rows = read_csv(client.get("/export?q=" + quote("监管 通报")))
    cells = {c for r in rows[1:] for c in r[:3]}
    for f in FORMULAS:
        assert "'" + f in cells and f not in cells
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(client.get("/export?format=xlsx&q=" + quote("监管 通报")).get_data())).active
    titles = [c for c in sheet["A"][1:]]
    assert sorted(c.value for c in titles) == sorted(FORMULAS) and {c.data_type for c in titles} == {"s"}
    assert "财政 › 预算" in {c.value for c in sheet["G"]}


def test_exports_are_capped_by_the_setting(apps):
    full, *_ = apps
    archive = full.extensions["gongkai"]
    before = archive.settings.export_max_rows
    archive.settings.export_max_rows = 3
    try:
        client = full.test_client()
        assert len(read_csv(client.get("/export"))) == 4
        assert len(read_xlsx(client.get("/export?format=xlsx"))) == 4
        page = client.get("/search").get_data(as_text=True)
        assert "（前 3 件）" in page
    finally:
        archive.settings.export_max_rows = before


def test_an_unknown_format_is_not_found(apps):
    full, *_ = apps
    assert full.test_client().get("/export?format=pdf").status_code == 404


def test_the_public_export_never_holds_a_restricted_document(apps):
    """The export is the public search, page after page: equal to an archive without the restricted
    documents, for every canary shape; a signed-in viewer's export has them, with 公开属性."""
    full, twin, _, restricted = apps
    secrets = secrets_of(restricted)
    a, b = full.test_client(), twin.test_client()
    shapes = ["", "q=" + quote("资金"), "q=" + quote("海域 OR 矿区") + "&sort=date", "year=1931",
              "agency=" + quote("犇羴鱻管理局"), "disclosure=" + quote("不予公开"), "topic=" + quote("国家安全"),
              "limit=1&offset=5", "page=3"]
    shapes += ["q=" + quote(m) for m in MARKERS]
    for qs in shapes:
        for fmt in ("csv", "xlsx"):
            url = f"/export?format={fmt}&{qs}"
            read = read_csv if fmt == "csv" else read_xlsx
            mine = a.get(url)   # (each streamed answer read before the next request)
            assert mine.status_code == 200, url
            body = read(mine)
            theirs = b.get(url)
            assert theirs.status_code == 200 and read(theirs) == body, url
            text = repr(body)
            for secret, trigger in secrets:
                assert trigger in unquote(url) or secret not in text, (secret, url)
    staff = read_csv(staff_client(full, "viewer").get("/export?q=" + quote("饕餮岭")))
    assert "公开属性" in staff[0] and [r[7] for r in staff[1:]] == ["不予公开"]


def test_staff_export_the_attention_list_and_the_audit_log(apps):
    full, _, public, _ = apps
    anon, viewer, editor, admin = (full.test_client(), staff_client(full, "viewer"), staff_client(full, "editor"),
                                   staff_client(full, "admin"))
    assert anon.get("/staff/attention?format=csv").status_code == 302
    assert viewer.get("/staff/attention?format=csv").status_code == 403
    listed = editor.get("/staff/attention").get_data(as_text=True)
    assert "format=csv" in listed and "format=xlsx" in listed
    rows = read_csv(editor.get("/staff/attention?format=csv"))
    assert rows[0][-3:] == ["公开属性", "原因", "链接"]
    undated = {r[0]: r for r in rows[1:]}
    assert {"'" + f for f in FORMULAS} <= set(undated) and "无日期" in undated["'" + FORMULAS[0]][-2]
    assert len(read_xlsx(editor.get("/staff/attention?format=xlsx"))) == len(rows)

    doc = public[0]
    full.extensions["gongkai"].audit.record('=HYPERLINK("http://x")', "view", doc["id"])
    assert editor.get("/staff/audit?format=csv").status_code == 403
    audit = read_csv(admin.get("/staff/audit?format=csv"))
    assert audit[0] == ["时间", "用户", "操作", "文件编号", "标题", "详情"]
    assert audit[1][1:5] == ["'=HYPERLINK(\"http://x\")", "view", doc["id"], doc["metadata"]["title"]]  # newest first
    assert any(r[2] == "login" for r in audit[1:])
    only = read_xlsx(admin.get("/staff/audit?format=xlsx&action=login&lang=en"))
    assert only[0][0] == "Time" and {r[2] for r in only[1:]} == {"login"}
    page = admin.get("/staff/audit").get_data(as_text=True)
    assert "format=xlsx" in page and "/staff/audit.csv" in page


def test_export_a_result_list_in_a_browser_and_read_the_csv_back(apps, browser, tmp_path):
    full, *_ = apps
    with live_server(full) as base:
        context = browser.new_context(accept_downloads=True)
        tab = context.new_page()
        tab.goto(base + "/search?q=" + quote("海域"))
        shown = [a.inner_text() for a in tab.locator(".hit h2 a").all()]
        with tab.expect_download() as info:
            tab.get_by_role("link", name="导出为 CSV").click()
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
        assert saved.suffix == ".csv" and len(shown) >= 3 and [r[0] for r in rows[1:]] == shown
        with tab.expect_download() as info:
            tab.get_by_role("link", name="导出为 Excel").click()
        assert info.value.suggested_filename.endswith(".xlsx")
        context.close()
