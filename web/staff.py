"""Staff side: sign in and out, the staff home page, editing a document's metadata, 公开属性 and 有效性,
and the documents needing attention with bulk edit (through archive.editing, which validates, audits and
reindexes)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from analyzers import agencies, pii
from analyzers.fields import BY_NAME, FIELDS, LOW_CONFIDENCE, SOURCES
from archive import Search
from archive.accounts import Throttled
from archive.editing import DISCLOSURES, EditError, current_values, edit_document, edit_documents, needing_attention

from . import export, glosses
from .audit_view import local_time
from .auth import audit, client_address, current_user, login_required, login_user, logout_user, safe_next, visibility
from .i18n import gettext
from .jobs import display_name
from .params import archive
from .staff_ingest import recent_runs
from .staff_review import with_pii

bp = Blueprint("staff", __name__, url_prefix="/staff")
ROLE_LABELS = {"viewer": "查看者", "editor": "编辑者", "admin": "管理员"}


@bp.app_template_filter("role_label")
def role_label(role: str) -> str:
    """viewer → 查看者 (in the interface language)."""
    return gettext(ROLE_LABELS[role]) if role in ROLE_LABELS else role


@bp.app_template_filter("datetime")
def fmt_datetime(ts: float | None) -> str:
    """A Unix time in China Standard Time as 'YYYY-MM-DD HH:MM:SS' ('' for None), whatever the server's zone."""
    return local_time(ts) if ts else ""


bp.add_app_template_filter(display_name, "basename")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The sign-in form; a correct name and password start a session, repeated failures are throttled."""
    nxt = safe_next(request.values.get("next"), url_for("staff.home"))
    if request.method == "GET":
        if current_user():
            return redirect(nxt)
        return render_template("staff_login.html", next=nxt, error=None, username="")
    name = request.form.get("username", "").strip()[:64]
    accounts, client = archive().accounts, client_address()
    try:
        user = accounts.authenticate(name, request.form.get("password", ""), client=client)
    except Throttled:
        minutes = int(accounts.window_s // 60)
        error = gettext("登录失败次数过多，请 %(m)s 分钟后再试。", m=minutes)
        return render_template("staff_login.html", next=nxt, error=error, username=name), 429
    if user is None:
        archive().audit.record(name or "-", "login_failed", client=client)
        error = gettext("用户名或密码不正确。")
        return render_template("staff_login.html", next=nxt, error=error, username=name), 401
    login_user(user)
    audit("login", client=client)
    return redirect(nxt)


@bp.post("/logout")
def logout():
    """End the session (a POST with the form's CSRF token, so no other site can sign anyone out)."""
    user = current_user()
    if user:
        audit("logout")
        archive().accounts.end_sessions(user["username"])  # a copy of the cookie is void too
    logout_user()
    flash(gettext("已退出登录。"))
    return redirect(url_for("public.home"))


@bp.get("/")
@login_required("viewer")
def home():
    """Counts per 公开属性, links into the staff-aware search, and the tools this role may use."""
    r = archive().search(Search(limit=1), visibility())
    counts = {b["value"]: b["count"] for b in r["facets"].get("disclosure", [])}
    return render_template("staff_home.html", total=r["total"], counts=counts, disclosures=DISCLOSURES,
                           runs=recent_runs(5))


@bp.route("/doc/<doc_id>/edit", methods=["GET", "POST"])
@login_required("editor")
def edit(doc_id: str):
    """Edit form: metadata, 公开属性 (不予公开 needs its legal reason) and 有效性; changes are audited."""
    doc = archive().document(doc_id, visibility())
    if doc is None:
        abort(404)
    values = current_values(doc)
    error = None
    if request.method == "POST":
        changes = {k: request.form.get(k, "") for k in values if k in request.form}
        try:
            diff = edit_document(archive(), doc_id, changes, current_user()["username"])
        except EditError as e:
            error, values = str(e), {**values, **changes}
        else:
            flash(gettext("已保存 %(n)s 处修改。", n=len(diff)) if diff else gettext("没有修改。"))
            return redirect(url_for("public.document", doc_id=doc_id))
    return render_template("staff_edit.html", doc=doc, values=values, error=error, disclosures=DISCLOSURES,
                           fields=[f for f in FIELDS if f.editable and not f.name.startswith("disclosure")],
                           sources={k: SOURCES.get(v, (v, v, 0.0)) for k, v in doc["extra"].get("sources", {}).items()},
                           low_confidence=LOW_CONFIDENCE, agency_names=agencies.names(),
                           kinds=(glosses.STANDARD_KINDS, glosses.OTHER_KINDS),
                           preview=_preview(doc["pages"])), (400 if error else 200)


PREVIEW_CHARS = 1500  # of the first page's text beside the edit form


def _preview(pages: list[str]) -> str:
    """The start of the document's first page with text, for checking metadata against it."""
    text = next((p.strip() for p in pages if p.strip()), "")
    shown = pii.hide_numbers(text[:PREVIEW_CHARS])   # personal numbers are never shown whole on a staff page
    return shown + ("…" if len(text) > PREVIEW_CHARS else "")


PER_PAGE = 50   # documents per page of the attention list (and at most per bulk edit)
MAX_PAGE = 100_000   # a larger ?page= is read as this (SQLite offsets are 64-bit)
BULK_FIELDS = ("agency", "doc_type", "written_date", "level", "region", "validity")


@bp.route("/attention", methods=["GET", "POST"])
@login_required("editor")
def attention():
    """Documents that need a look (no title, agency or date; low-quality text; weak sources), newest first,
    with one form to set the same values on those ticked (each an audited edit); ?format=csv|xlsx: all of
    them as a download."""
    page = min(max(1, request.args.get("page", 1, type=int) or 1), MAX_PAGE)
    if request.method == "POST":
        seen = archive().catalog.documents(request.form.getlist("doc")[:PER_PAGE])
        ids = [i for i, d in seen.items() if d["disclosure"] in visibility()]
        changes = {k: request.form.get(k, "") for k in BULK_FIELDS}
        if not ids:
            flash(gettext("没有选中文件。"))
        else:
            changed, errors = edit_documents(archive(), ids, changes, current_user()["username"])
            flash(gettext("已修改 %(n)s 个文件。", n=changed))
            for doc_id, error in errors.items():
                flash(f"{seen[doc_id]['title'] or doc_id}：{error}")
        return redirect(url_for("staff.attention", page=page))
    if request.args.get("format"):  # the whole list as CSV or Excel (web.export)
        return export.download(export.attention_table(
            lambda limit, offset: with_pii(needing_attention(archive(), visibility(), limit, offset))),
            request.args["format"])
    total, docs = with_pii(needing_attention(archive(), visibility(), PER_PAGE, (page - 1) * PER_PAGE))
    return render_template("staff_attention.html", total=total, docs=docs, page=page,
                           pages=max(1, -(-total // PER_PAGE)), fields=[BY_NAME[k] for k in BULK_FIELDS],
                           agency_names=agencies.names())
