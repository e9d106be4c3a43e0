"""Staff review before publishing (待审核): the web uploads waiting out of public sight, each with the personal
information found in it (masked), and one-click 发布 / 设为依申请公开 / 不予公开 per document or for those ticked
(through archive.review: audited edits, the indexes updated). Also the PII notes other staff pages show."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from analyzers import pii
from archive.editing import EditError
from archive.review import DECISIONS, decide, decide_many, findings, findings_of, redact, unredact

from .auth import current_user, login_required, visibility
from .i18n import gettext
from .params import archive

bp = Blueprint("staff_review", __name__, url_prefix="/staff")
PER_PAGE = 50          # documents per page (and at most per bulk decision)
MAX_PAGE = 100_000       # a larger ?page= is read as this (SQLite offsets are 64-bit)
SHOWN_PER_DOC = 6      # findings shown with their context per document
DECISION_DONE = {"publish": "已发布 %(n)s 个文件。", "publish_redacted": "已遮蔽个人信息后发布 %(n)s 个文件。",
                 "on_request": "已将 %(n)s 个文件设为依申请公开。",
                 "withhold": "已将 %(n)s 个文件设为不予公开。"}


def shown(doc_id: str, found: list[dict], limit: int = SHOWN_PER_DOC) -> list[dict]:
    """The first `limit` findings of a document as pages show them: kind, page, masked value and the text on
    either side (its own numbers masked too)."""
    if not found:
        return []
    pages = archive().catalog.pages(doc_id)
    out = []
    for f in found[:limit]:
        text = pages[f["page"] - 1] if 0 < f["page"] <= len(pages) else ""
        before, masked, after = pii.context(text, f["offset"], f["length"], f["masked"])
        out.append({**f, "label": pii.KINDS.get(f["kind"], f["kind"]), "before": before, "after": after})
    return out


def note(found: list[dict]) -> str:
    """含个人信息：身份证号 1、手机号 2 ('' when nothing identifying was found: a name alone is no finding)."""
    counts = pii.summary(found)
    if not any(counts.get(k) for k in pii.IDENTIFIERS):
        return ""
    return gettext("含个人信息") + "：" + pii.describe(counts)


@bp.app_context_processor
def review_helpers() -> dict:
    """For staff templates: the pending count (home page) and a document's PII findings (edit page)."""
    def pending_review_count() -> int:
        return archive().catalog.count_pending_reviews()

    def pii_findings(doc_id: str) -> list[dict]:
        return shown(doc_id, findings(archive(), doc_id), limit=20)

    def review_of(doc_id: str) -> dict | None:
        return archive().catalog.review(doc_id)

    return {"pending_review_count": pending_review_count, "pii_findings": pii_findings, "review_of": review_of}


@bp.get("/review")
@login_required("editor")
def pending():
    """The documents waiting for review, oldest upload first, with their PII findings."""
    page = min(max(1, request.args.get("page", 1, type=int) or 1), MAX_PAGE)
    total, docs = archive().catalog.pending_reviews(PER_PAGE, (page - 1) * PER_PAGE)
    found = findings_of(archive(), [d["id"] for d in docs])
    rows = [(d, shown(d["id"], found[d["id"]]), len(found[d["id"]]), note(found[d["id"]])) for d in docs]
    return render_template("staff_review.html", total=total, rows=rows, page=page,
                           pages=max(1, -(-total // PER_PAGE)))


@bp.post("/review")
@login_required("editor")
def decide_form():
    """One document's decision (a row's button: decide=<decision>:<id>) or the same decision for the ticked
    ones (bulk=<decision>); 不予公开 takes the form's 法定理由."""
    page = min(max(1, request.args.get("page", 1, type=int) or 1), MAX_PAGE)
    reason = request.form.get("disclosure_reason", "").strip()
    actor = current_user()["username"]
    one = request.form.get("decide", "")
    if one:
        decision, _, doc_id = one.partition(":")
        ids = [doc_id]
    else:
        decision, ids = request.form.get("bulk", ""), request.form.getlist("doc")[:PER_PAGE]
    if decision not in DECISIONS:
        flash(gettext("请选择审核决定。"))
    elif not ids:
        flash(gettext("没有选中文件。"))
    elif decision == "withhold" and not reason:
        flash(gettext("不予公开须注明法定理由。"))
    elif len(ids) == 1:
        try:
            decide(archive(), ids[0], decision, actor, reason)
            flash(gettext(DECISION_DONE[decision], n=1))
        except EditError as e:
            flash(f"{_title(ids[0])}：{gettext(str(e))}")
    else:
        done, errors = decide_many(archive(), ids, decision, actor, reason)
        flash(gettext(DECISION_DONE[decision], n=done))
        for doc_id, error in errors.items():
            flash(f"{_title(doc_id)}：{gettext(error)}")
    return redirect(url_for("staff_review.pending", page=page), 303)


@bp.post("/doc/<doc_id>/redact")
@login_required("editor")
def redact_form(doc_id: str):
    """Redact a document's personal information in the text everyone is shown (undo=1: put it back); then its
    edit page."""
    doc = archive().document(doc_id, visibility())
    if doc is None:
        abort(404)
    actor = current_user()["username"]
    if request.form.get("undo"):
        flash(gettext("已撤销遮蔽。") if unredact(archive(), doc_id, actor) else gettext("这个文件没有遮蔽。"))
    else:
        n = redact(archive(), doc_id, actor)
        flash(gettext("已遮蔽 %(n)s 处个人信息。", n=n) if n else gettext("没有找到须遮蔽的个人信息。"))
    return redirect(url_for("staff.edit", doc_id=doc_id), 303)


def _title(doc_id: str) -> str:
    doc = archive().catalog.documents([doc_id]).get(doc_id)
    return (doc or {}).get("title") or doc_id


def with_pii(result: tuple[int, list[tuple[dict, list[str]]]]) -> tuple[int, list[tuple[dict, list[str]]]]:
    """An attention list (archive.editing.needing_attention) with 含个人信息：… among each document's reasons."""
    total, docs = result
    found = findings_of(archive(), [doc["id"] for doc, _ in docs])
    return total, [(doc, [*why, n] if (n := note(found[doc["id"]])) else why) for doc, why in docs]
