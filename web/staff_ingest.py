"""Staff ingest: upload files or a ZIP to start a run with a default 公开属性, watch it live,
read a run's failures with their reasons and retry them (editors and admins)."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for

from archive.editing import DISCLOSURES, EditError, edit_document
from archive.review import held

from .auth import current_user, login_required
from .i18n import gettext
from .jobs import JobBusy, jobs, retry_paths, safe_filename
from .params import archive

bp = Blueprint("staff_ingest", __name__, url_prefix="/staff")
RUNS_SHOWN = 20


def recent_runs(limit: int = RUNS_SHOWN) -> list[dict]:
    """The newest ingest runs in the catalog (web or command line) with counts per outcome."""
    return archive().catalog.recent_runs(limit)


def _form_error(message: str, status: int = 400):
    return render_template("staff_ingest.html", error=message, runs=recent_runs(), jobs=jobs().recent(),
                           disclosures=DISCLOSURES, running=jobs().running()), status


@bp.get("/ingest")
@login_required("editor")
def ingest_form():
    """The upload form (files or a ZIP, a 公开属性 for the run), runs in progress and recent runs."""
    return render_template("staff_ingest.html", error=None, runs=recent_runs(), jobs=jobs().recent(),
                           disclosures=DISCLOSURES, running=jobs().running())


def disclosure_from_form() -> tuple[str, str, str | None]:
    """(公开属性, legal reason, error message or None) of an ingest or retry form."""
    disclosure = request.form.get("disclosure", "")
    reason = request.form.get("disclosure_reason", "").strip()
    if disclosure not in DISCLOSURES:
        return disclosure, reason, gettext("请为这次导入选择公开属性。")
    if disclosure == "不予公开" and not reason:
        return disclosure, reason, gettext("不予公开须注明法定理由。")
    return disclosure, reason, None


@bp.post("/ingest")
@login_required("editor")
def upload():
    """Save the uploaded files and start a background run over them; go to its progress page."""
    files = [f for f in request.files.getlist("files") if f and f.filename]
    disclosure, reason, error = disclosure_from_form()
    if error:
        return _form_error(error)
    if not files:
        return _form_error(gettext("请选择要上传的文件。"))
    if jobs().running():
        return _form_error(gettext("另一次导入仍在进行，请等它结束后再上传。"), 409)
    job_id, folder = jobs().new_upload_dir()
    paths = []
    for n, f in enumerate(files):
        (folder / str(n)).mkdir()
        path = folder / str(n) / safe_filename(f.filename)
        f.save(path)
        paths.append(path)
    try:
        jobs().start(job_id, paths, disclosure, current_user()["username"], reason=reason)
    except JobBusy:
        return _form_error(gettext("另一次导入仍在进行，请等它结束后再上传。"), 409)
    if held(archive(), paths, disclosure):  # (ingest.pipeline holds them: the files are under <data>/uploads)
        flash(gettext("这些文件将先进入“待审核”，由工作人员审核发布后才对公众显示。"))
    return redirect(url_for("staff_ingest.job", job_id=job_id), 303)


@bp.get("/jobs/<job_id>")
@login_required("editor")
def job(job_id: str):
    """A run started here: progress (live with JavaScript, a refreshing page without), failures."""
    j = jobs().get(job_id)
    if j is None:
        abort(404)
    return render_template("staff_job.html", job=j, p=j.as_json())


@bp.post("/jobs/<job_id>/restrict")
@login_required("editor")
def restrict_conflicts(job_id: str):
    """Give the documents a job found archived more openly the job's own 公开属性 (audited edits)."""
    j = jobs().get(job_id)
    if j is None:
        abort(404)
    reason = request.form.get("disclosure_reason", j.reason).strip()
    changed = 0
    for _, doc_id, _, _ in j.conflicts:
        try:
            changed += bool(edit_document(archive(), doc_id, {"disclosure": j.disclosure, "disclosure_reason": reason},
                                          current_user()["username"]))
        except EditError as e:
            flash(str(e))
            return redirect(url_for("staff_ingest.job", job_id=job_id), 303)
    flash(gettext("已把 %(n)s 个已存档的文件改为“%(d)s”。", n=changed, d=gettext(j.disclosure)))
    return redirect(url_for("staff_ingest.job", job_id=job_id), 303)


@bp.get("/jobs/<job_id>/progress.json")
@login_required("editor")
def progress(job_id: str):
    """The run's progress as JSON, polled by static/staff.js."""
    j = jobs().get(job_id)
    if j is None:
        return jsonify({"error": "not found"}), 404
    return jsonify(j.as_json())


@bp.get("/runs/<int:run_id>")
@login_required("editor")
def run(run_id: int):
    """One run from the catalog: its inputs, every file's outcome, failures with stage and reason."""
    row = archive().catalog.run(run_id)
    if row is None:
        abort(404)
    files = archive().catalog.run_files(run_id)
    failed = [f for f in files if f["status"] == "failed"]
    counts: dict[str, int] = {}
    for f in files:
        counts[f["status"]] = counts.get(f["status"], 0) + 1
    return render_template("staff_run.html", run=row, args=json.loads(row["args"] or "[]"), files=files,
                           failed=failed, counts=counts, retryable=retry_paths([f["path"] for f in failed]),
                           resumable=_resumable(row), options=json.loads(row.get("options") or "{}"),
                           disclosures=DISCLOSURES, running=jobs().running())


def _resumable(row: dict) -> list[Path]:
    """The inputs of an interrupted run still on the server (files already archived are skipped again)."""
    if row["state"] != "interrupted":
        return []
    return [Path(a) for a in json.loads(row["args"] or "[]") if Path(a).exists()]


@bp.post("/runs/<int:run_id>/resume")
@login_required("editor")
def resume(run_id: int):
    """Start a new background run over an interrupted run's inputs: what was archived is skipped."""
    row = archive().catalog.run(run_id)
    if row is None:
        abort(404)
    disclosure, reason, error = disclosure_from_form()
    paths = _resumable(row)
    if error or not paths or jobs().running():
        flash(error or gettext("没有可继续导入的文件，或另一次导入仍在进行。"))
        return redirect(url_for("staff_ingest.run", run_id=run_id), 303)
    job_id = jobs().new_id()
    try:
        jobs().start(job_id, paths, disclosure, current_user()["username"], reason=reason,
                     audit_detail={"resume_of": run_id})
    except JobBusy:
        return redirect(url_for("staff_ingest.run", run_id=run_id), 303)
    return redirect(url_for("staff_ingest.job", job_id=job_id), 303)


@bp.post("/runs/<int:run_id>/retry")
@login_required("editor")
def retry(run_id: int):
    """Read the run's failed files again (those still on the server) in a new background run."""
    if archive().catalog.run(run_id) is None:
        abort(404)
    disclosure, reason, error = disclosure_from_form()
    if error:
        flash(error)
        return redirect(url_for("staff_ingest.run", run_id=run_id), 303)
    paths = retry_paths([f["path"] for f in archive().catalog.run_files(run_id, "failed")])
    if not paths or jobs().running():
        flash(gettext("没有可重试的文件，或另一次导入仍在进行。"))
        return redirect(url_for("staff_ingest.run", run_id=run_id), 303)
    job_id = jobs().new_id()
    try:
        jobs().start(job_id, paths, disclosure, current_user()["username"], retry=True, reason=reason,
                     audit_detail={"retry_of": run_id})
    except JobBusy:
        return redirect(url_for("staff_ingest.run", run_id=run_id), 303)
    return redirect(url_for("staff_ingest.job", job_id=job_id), 303)
