"""Staff pages in staff language: the audit log as a table in words (one row per edit, documents by title,
China time), runs with the true state, titles and Chinese failure reasons, and an edit form that takes
dates as people write them, offers the document kinds and shows the text it describes."""
from __future__ import annotations

import csv
import io
import re
import time

import pytest
from canary_corpus import documents, load
from staff_support import PASSWORD, add_users, csrf, live_server, staff_client

from web import create_app
from web.jobs import Job


@pytest.fixture
def site(tmp_path, archive):
    """(app, public docs) over a fresh archive with one account per role."""
    public, restricted = documents(tmp_path / "files")
    load(archive, public + restricted)
    add_users(archive)
    return create_app(archive=archive), public


def edit(client, doc_id: str, **fields):
    url = f"/staff/doc/{doc_id}/edit"
    return client.post(url, data={"csrf_token": csrf(client.get(url).get_data(as_text=True)), **fields})


def rows(html: str) -> list[str]:
    """The audit table's rows as text."""
    body = html.split('<table class="data audit">')[1].split("</tbody>")[0].split("<tbody>")[1]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in body.split("</tr>") if "<td" in r]


def test_the_audit_log_shows_one_row_per_edit_in_words_with_the_title_and_china_time(site):
    app, public = site
    d = public[0]
    editor, admin = staff_client(app, "editor"), staff_client(app, "admin")
    resp = edit(editor, d["id"], disclosure="不予公开", disclosure_reason="涉及商业秘密", written_date="2019年3月6日")
    assert resp.status_code == 302
    editor.get(resp.headers["Location"])       # the document page it lands on: a view of a restricted document
    log = app.extensions["gongkai"].audit
    assert [e["action"] for e in log.entries()[:3]] == ["view", "disclosure", "edit"]   # the log keeps every row
    page = admin.get("/staff/audit").get_data(as_text=True)
    shown = [r for r in rows(page) if d["metadata"]["title"] in r]
    assert len(shown) == 1                                                       # one edit, one row
    row = shown[0]
    assert "修改文件" in row and "editor" in row
    assert "公开属性 ： 主动公开 → 不予公开" in row and "成文日期 ： 2019年03月05日 → 2019年03月06日" in row
    assert "涉及商业秘密" in row and "{" not in page.split("<tbody>")[1]          # no JSON, no action codes
    at = log.entries(action="edit")[0]["at"]
    assert time.strftime("%Y-%m-%d %H:%M", time.gmtime(at + 8 * 3600)) in row    # China Standard Time
    assert f'href="/doc/{d["id"]}"' in page and f">{d['id']}<" not in page       # by title, not by id
    en = admin.get("/staff/audit?lang=en").get_data(as_text=True)
    assert "Edited a document" in en and "Proactively disclosed" in en and "修改文件" not in en
    assert ">修改文件</option>" in page                                           # the filter says actions in words
    raw = list(csv.reader(io.StringIO(admin.get("/staff/audit.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert raw[0] == ["time", "actor", "action", "doc_id", "detail"] and {"edit", "disclosure", "view"} <= {
        r[2] for r in raw[1:]}                                                   # the raw export is unchanged


def test_grouping_folds_only_an_edits_own_rows_and_never_splits_an_edit_across_pages():
    from web.audit_view import group, page

    def row(i, action, at, actor="a", doc="d1", **detail):
        return {"id": i, "action": action, "at": at, "actor": actor, "doc_id": doc, "detail": detail}

    log = [row(1, "edit", 100.0, changes={"disclosure": ["主动公开", "依申请公开"]}),
           row(2, "disclosure", 100.0, old="主动公开", new="依申请公开", reason=""),
           row(3, "view", 100.4, disclosure="依申请公开"),
           row(4, "view", 101.0, actor="b", disclosure="依申请公开"),       # someone else's look
           row(5, "view", 100.9, disclosure="依申请公开"),                   # the editor's second look
           row(6, "edit", 300.0, doc="d2", changes={"title": ["x", "y"]}),
           row(7, "view", 300.5, doc="d2"),
           row(8, "view", 500.0, doc="d2")]                                 # minutes later: a look of its own
    groups = group(list(reversed(log)))
    assert [[r["id"] for r in g] for g in groups] == [[8], [6, 7], [5], [4], [1, 2, 3]]

    class Log:
        def entries(self, limit, offset, action=""):
            return list(reversed(log))[offset:offset + limit]

    class Catalog:
        def documents(self, ids):
            return {i: {"title": f"title {i}"} for i in ids}

    seen = [r["id"] for n in (1, 2, 3, 4) for r in page(Log(), Catalog(), n, 2)]
    assert sorted(seen) == [1, 4, 5, 6, 8]                                     # each action once, on one page


@pytest.mark.parametrize("written, stored", [("2024年7月8日", "2024-07-08"), ("2024.7.8", "2024-07-08"),
                                             ("2024/07/08", "2024-07-08"), ("20240708", "2024-07-08"),
                                             ("２０２４年７月８日", "2024-07-08"), (" 2024-07-08 ", "2024-07-08")])
def test_the_edit_form_takes_dates_as_people_write_them(site, written, stored):
    app, public = site
    editor = staff_client(app, "editor")
    assert edit(editor, public[1]["id"], written_date=written).status_code == 302
    assert app.extensions["gongkai"].catalog.document(public[1]["id"])["written_date"] == stored


def test_an_invalid_date_is_refused_on_the_server_with_a_clear_message(site):
    app, public = site
    editor = staff_client(app, "editor")
    form = editor.get(f"/staff/doc/{public[1]['id']}/edit").get_data(as_text=True)
    assert "pattern=" not in form and 'aria-describedby="date-hint"' in form   # no browser-only rule
    resp = edit(editor, public[1]["id"], written_date="2024年2月30日")
    assert resp.status_code == 400
    assert "成文日期“2024年2月30日”不是有效的日期" in resp.get_data(as_text=True)
    assert app.extensions["gongkai"].catalog.document(public[1]["id"])["written_date"] == public[1]["metadata"][
        "written_date"]


def test_the_edit_form_offers_the_document_kinds_and_shows_the_text_beside_it(site):
    from web.glosses import STANDARD_KINDS

    app, public = site
    editor = staff_client(app, "editor")
    d = public[0]
    form = editor.get(f"/staff/doc/{d['id']}/edit").get_data(as_text=True)
    select = form.split('<select id="f-doc_type"')[1].split("</select>")[0]
    assert all(f'<option value="{k}"' in select for k in STANDARD_KINDS)
    assert '<option value="通知" selected>' in select
    assert 'list="agency-names"' in form                                       # the agency keeps its list
    preview = form.split('class="preview-text"')[1].split("</div>")[0]
    assert d["pages"][0][:30] in preview
    edit(editor, d["id"], doc_type="白皮书")                                     # a kind not in the list stays choosable
    again = editor.get(f"/staff/doc/{d['id']}/edit").get_data(as_text=True)
    assert '<option value="白皮书" selected>白皮书</option>' in again


def test_failure_reasons_are_chinese_for_staff_and_kept_as_stored():
    from web.reasons import zh

    said = {
        "unsupported file type (.csv)": "不支持的文件类型（.csv）",
        "encrypted PDF": "PDF 已加密，无法读取",
        "corrupt PDF: no pages": "PDF 文件已损坏（没有页面）",
        "corrupt OFD: missing OFD.xml": "OFD 文件已损坏（缺少 OFD.xml）",
        "timeout (over 60 s)": "处理超时（超过 60 秒）",
        "timeout (over 60 s), again (also in run 3)": "处理超时（超过 60 秒），第 3 批也是如此",
        "too large (2097152 bytes > limit 1048576)": "文件过大（2.0 MB，上限 1.0 MB）",
        "zip bomb (ratio > 100:1)": "压缩包解压后过大（疑似“压缩炸弹”），未读取",
        "antiword not installed: .doc and .wps files need it (apt-get install antiword)":
            "服务器未安装 antiword，无法读取 .doc/.wps 文件",
        "low quality: body looks like navigation; same text as document 0a1b2c3d4e5f6a7b":
            "质量低：正文像网站导航；与已存档的文件正文相同，已合并",
        "something nobody foresaw": "something nobody foresaw",
    }
    assert {k: zh(k) for k in said} == said


def test_runs_show_titles_chinese_reasons_and_no_empty_failure_table(site):
    from web.jobs import jobs

    app, public = site
    archive = app.extensions["gongkai"]
    d = public[0]
    run_id = archive.catalog.start_run(["/srv/in/a.txt", "/srv/in/b.pdf"], {})
    archive.catalog.record_file(run_id, "/srv/in/a.txt", "ingested", doc_id=d["id"],
                                reason="low quality: body looks like navigation")
    archive.catalog.record_file(run_id, "/srv/in/b.pdf", "failed", stage="extract", reason="encrypted PDF", kind="file")
    editor = staff_client(app, "editor")
    run = editor.get(f"/staff/runs/{run_id}").get_data(as_text=True)
    files = run.split('id="files-h"')[1]
    assert f">{d['metadata']['title']}</a>" in files and f">{d['id']}<" not in files
    assert "PDF 已加密，无法读取" in run and "提取文字" in run and "质量低：正文像网站导航" in run
    assert "encrypted PDF" in run                                              # the stored reason, for reports
    en = editor.get(f"/staff/runs/{run_id}?lang=en").get_data(as_text=True)
    assert "encrypted PDF" in en and "已加密" not in en
    assert "a.txt、b.pdf" in editor.get("/staff/ingest").get_data(as_text=True)  # runs say what they imported
    with app.app_context():
        registry = jobs()
    registry.jobs["feed01"] = Job("feed01", "editor", "主动公开", ["x.txt"], state="finished", seen=1, total=1,
                                  ingested=1, run_id=run_id, finished=time.time())
    job = editor.get("/staff/jobs/feed01").get_data(as_text=True)
    assert 'id="job-failed-box" hidden' in job and "没有失败的文件。" in job


def test_a_job_page_drawn_while_waiting_says_finished_when_it_is(site, browser):
    from playwright.sync_api import expect

    from web.jobs import jobs

    app, _ = site
    with app.app_context():
        registry = jobs()
    job = Job("cafe02", "admin", "主动公开", [f"{n}.txt" for n in range(11)], state="queued")
    registry.jobs[job.id] = job
    with live_server(app) as base:
        tab = browser.new_page(viewport={"width": 390, "height": 800})
        tab.goto(base + "/staff/login")
        tab.fill("#username", "admin")
        tab.fill("#password", PASSWORD)
        tab.press("#password", "Enter")
        tab.wait_for_url(re.compile(r"/staff/$"))
        tab.goto(base + "/staff/jobs/cafe02")
        assert tab.text_content("#job-state").strip() == "等待中"
        job.state, job.seen, job.total = "running", 11, 11              # every file read, the index still writing
        expect(tab.locator("#job-seen")).to_have_text("11")
        expect(tab.locator("#job-state")).to_have_text("进行中")
        job.state, job.finished = "finished", time.time()
        expect(tab.locator("#job-state")).to_have_text("已完成")
        assert tab.text_content("#job-seen") == "11" and not tab.is_visible("#job-failed-box")
        tab.close()
