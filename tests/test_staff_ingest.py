"""Ingest from the browser: upload files and a ZIP with a 公开属性 for the run, a background run
recorded in the catalog, live progress as JSON, failures with reasons, retry, and the audit log."""
from __future__ import annotations

import io
import time
import zipfile

import pytest
from staff_support import add_users, csrf, staff_client

from web import create_app
from web.jobs import Job

NOTICE = "关于海岛保护规划的通知\n\n示例市人民政府\n\n为加强海岛保护，现将规划印发给你们。海岛保护 规划 实施。"


@pytest.fixture
def app(archive):
    add_users(archive)
    return create_app(archive=archive)


def bundle() -> io.BytesIO:
    """A ZIP with a GBK text notice and a damaged PDF."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("通知/关于渔港建设资金的通知.txt",
                   "关于渔港建设资金的通知\n\n示例县人民政府\n渔港 建设 资金 拨付。".encode("gbk"))
        z.writestr("坏文件/damaged.pdf", b"%PDF-1.4 this is not really a pdf")
    buf.seek(0)
    return buf


def upload(client, disclosure="依申请公开", files=None, **extra):
    page = client.get("/staff/ingest").get_data(as_text=True)
    files = files if files is not None else [(io.BytesIO(NOTICE.encode()), "海岛保护规划.txt"), (bundle(), "批量.zip")]
    return client.post("/staff/ingest", data={"csrf_token": csrf(page), "disclosure": disclosure,
                                              "files": files, **extra}, content_type="multipart/form-data")


def wait(client, job_url: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        p = client.get(job_url + "/progress.json").get_json()
        if p["done"]:
            return p
        time.sleep(0.3)
    pytest.fail(f"run did not finish: {p}")


def test_upload_runs_in_the_background_with_progress_failures_and_retry(app, archive):
    editor, anon = staff_client(app, "editor"), app.test_client()
    resp = upload(editor)
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/staff/jobs/")
    job_url = resp.headers["Location"]
    page = editor.get(job_url).get_data(as_text=True)
    assert 'data-progress="' in page and "/static/staff.js" in page
    p = wait(editor, job_url)
    assert p["state"] == "finished" and p["run_id"] and p["percent"] == 100
    assert (p["seen"], p["ingested"], p["failed_count"]) == (3, 2, 1)
    assert p["failed"] == [{"path": "批量.zip!/坏文件/damaged.pdf", "stage": "extract",
                            "reason": p["failed"][0]["reason"], "kind": "file"}] and p["failed"][0]["reason"]
    page = editor.get(job_url).get_data(as_text=True)
    assert "damaged.pdf" in page and p["failed"][0]["reason"] in page and 'http-equiv="refresh"' not in page

    # The run's disclosure applies: staff find the documents, the public does not.
    staff_hits = editor.get("/api/search?q=海岛保护").get_json()["hits"]
    assert [h["disclosure"] for h in staff_hits] == ["依申请公开"]
    assert anon.get("/api/search?q=海岛保护").get_json()["total"] == 0
    assert editor.get("/api/search?q=渔港").get_json()["total"] == 1

    # The run is in the catalog; archived uploads are deleted, the ZIP with a failure is kept.
    run = editor.get(f"/staff/runs/{p['run_id']}").get_data(as_text=True)
    assert "damaged.pdf" in run and 'id="retry"' in run and "批次 #" in run
    uploads = [f.name for f in (archive.settings.data_dir / "uploads").rglob("*") if f.is_file()]
    assert uploads == ["批量.zip"]
    entry = archive.audit.entries(action="ingest")[0]
    assert entry["actor"] == "editor" and entry["detail"]["run"] == p["run_id"]
    assert entry["detail"]["disclosure"] == "依申请公开" and entry["detail"]["files"] == ["海岛保护规划.txt", "批量.zip"]

    # Retry the failures: a new run reads the kept ZIP again (the damaged member fails again).
    resp = editor.post(f"/staff/runs/{p['run_id']}/retry", data={"csrf_token": csrf(run), "disclosure": "依申请公开"})
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/staff/jobs/")
    again = wait(editor, resp.headers["Location"])
    assert again["run_id"] != p["run_id"] and again["failed_count"] == 1 and again["skipped"] == 1
    assert archive.audit.entries(action="ingest")[0]["detail"]["retry_of"] == p["run_id"]
    recent = editor.get("/staff/ingest").get_data(as_text=True)
    assert f"#{again['run_id']}" in recent and f"#{p['run_id']}" in recent


def test_upload_form_checks_its_input(app):
    editor = staff_client(app, "editor")
    resp = upload(editor, disclosure="")
    assert resp.status_code == 400 and "请为这次导入选择公开属性" in resp.get_data(as_text=True)
    resp = upload(editor, disclosure="不予公开")
    assert resp.status_code == 400 and "不予公开须注明法定理由" in resp.get_data(as_text=True)
    resp = upload(editor, files=[])
    assert resp.status_code == 400 and "请选择要上传的文件" in resp.get_data(as_text=True)
    assert editor.get("/staff/jobs/nope").status_code == 404
    assert editor.get("/staff/jobs/nope/progress.json").status_code == 404
    assert editor.get("/staff/runs/999").status_code == 404


def test_only_one_web_run_at_a_time_and_a_refreshing_page_without_javascript(app):
    from web.jobs import jobs

    editor = staff_client(app, "editor")
    with app.app_context():
        registry = jobs()
    registry.jobs["cafe01"] = Job("cafe01", "editor", "主动公开", ["x.txt"], state="running", seen=1, total=4)
    resp = upload(editor)
    assert resp.status_code == 409 and "另一次导入仍在进行" in resp.get_data(as_text=True)
    page = editor.get("/staff/jobs/cafe01").get_data(as_text=True)
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert 'value="25"' in page and "立即刷新" in page
    assert editor.get("/staff/jobs/cafe01/progress.json").get_json()["percent"] == 25


def test_not_to_be_disclosed_upload_records_its_reason(app, archive):
    editor = staff_client(app, "editor")
    resp = upload(editor, disclosure="不予公开", disclosure_reason="涉及国家秘密",
                  files=[(io.BytesIO(NOTICE.encode()), "海岛.txt")])
    p = wait(editor, resp.headers["Location"])
    assert p["ingested"] == 1
    assert archive.audit.entries(action="ingest")[0]["detail"]["reason"] == "涉及国家秘密"
    hit = editor.get("/api/search?q=海岛保护").get_json()["hits"][0]
    assert hit["disclosure"] == "不予公开"
    assert editor.get(f"/api/documents/{hit['id']}").get_json()["disclosure_reason"] == "涉及国家秘密"


def test_a_restricted_upload_of_a_public_file_says_so_and_restricts_it_in_one_step(app, archive):
    """Regression guard: a file uploaded as 不予公开 that was byte-identical to a public document was silently
    "skipped" and stayed public."""
    editor, anon = staff_client(app, "editor"), app.test_client()
    p = wait(editor, upload(editor, "主动公开", files=[(io.BytesIO(NOTICE.encode()), "海岛保护规划.txt")])
             .headers["Location"])
    doc_id = archive.catalog.doc_for_sha(__import__("hashlib").sha256(NOTICE.encode()).hexdigest())
    assert anon.get(f"/doc/{doc_id}").status_code == 404   # an upload waits for a staff member's release
    from archive.review import decide
    decide(archive, doc_id, "publish", "editor")
    assert anon.get(f"/doc/{doc_id}").status_code == 200
    job = upload(editor, "不予公开", files=[(io.BytesIO(NOTICE.encode()), "副本.txt")],
                 disclosure_reason="涉及个人隐私").headers["Location"]
    p = wait(editor, job)
    assert p["skipped"] == 1 and p["conflicts"] == [{"path": "副本.txt", "doc_id": doc_id, "disclosure": "主动公开",
                                                    "title": "关于海岛保护规划的通知"}]
    page = editor.get(job).get_data(as_text=True)
    assert "公开属性比这次导入的更开放" in page and "把这些已存档的文件改为“不予公开”" in page
    resp = editor.post(job + "/restrict", data={"csrf_token": csrf(page), "disclosure_reason": "涉及个人隐私"})
    assert resp.status_code == 303
    assert anon.get(f"/doc/{doc_id}").status_code == 404
    assert archive.catalog.document(doc_id)["extra"]["disclosure_reason"] == "涉及个人隐私"


def test_an_interrupted_web_run_is_marked_and_can_be_resumed(app, archive, tmp_path):
    """Regression guard: kill -9 during a web upload left the run "进行中" forever and its documents pending."""
    from web.cli import _before_serving

    folder = archive.settings.data_dir / "uploads" / "abc123" / "0"
    folder.mkdir(parents=True)
    files = []
    for i in range(3):
        path = folder / f"通知{i}.txt"
        path.write_text(f"关于第{i}批渔港建设的通知\n\n渔港 建设 第{i}批 资金 安排。", encoding="utf-8")
        files.append(str(path))
    run_id = archive.catalog.start_run(files, {"disclosure": "依申请公开"})  # as the killed server left it
    _before_serving(archive)                                               # what `gongkai serve` does first
    assert archive.catalog.run(run_id)["state"] == "interrupted"
    editor = staff_client(app, "editor")
    page = editor.get(f"/staff/runs/{run_id}").get_data(as_text=True)
    assert "这一批导入被中断了" in page and 'value="依申请公开" required checked' in page
    resp = editor.post(f"/staff/runs/{run_id}/resume", data={"csrf_token": csrf(page), "disclosure": "依申请公开"})
    assert resp.status_code == 303
    p = wait(editor, resp.headers["Location"])
    assert p["state"] == "finished" and p["ingested"] == 3
    assert archive.catalog.count_index_states() == {"indexed": 3}
    assert app.test_client().get("/api/search?q=渔港").get_json()["total"] == 0   # 依申请公开: not public
    assert editor.get("/api/search?q=渔港").get_json()["total"] == 3
