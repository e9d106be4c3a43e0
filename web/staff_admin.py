"""Admin pages: user management (add, role, disable, new password) and the audit log
(filter by action, page through, export as CSV or Excel)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for

from archive.accounts import ROLES, AccountError

from . import audit_view, export
from .auth import audit, current_user, login_required
from .i18n import gettext
from .params import archive

bp = Blueprint("staff_admin", __name__, url_prefix="/staff")
AUDIT_PAGE = 100


def _users_page(error: str | None = None, status: int = 200):
    return render_template("staff_users.html", users=archive().accounts.all(), roles=ROLES, error=error,
                           me=current_user()["username"]), status


@bp.get("/users")
@login_required("admin")
def users():
    """Every account with its role and state, a form per account, and the add-user form."""
    return _users_page()


@bp.post("/users")
@login_required("admin")
def add_user():
    """Create an account (name, role, initial password); recorded in the audit log."""
    name = request.form.get("username", "").strip()
    role = request.form.get("role", "")
    try:
        archive().accounts.add(name, request.form.get("password", ""), role)
    except AccountError as e:
        return _users_page(str(e), 400)
    audit("user", user=name, change="add", role=role)
    flash(gettext("已添加用户 %(u)s。", u=name))
    return redirect(url_for("staff_admin.users"), 303)


@bp.post("/users/<username>")
@login_required("admin")
def update_user(username: str):
    """Change an account's role, disable or enable it, or set a new password (not one's own role)."""
    user = next((u for u in archive().accounts.all() if u["username"] == username), None)
    if user is None:
        abort(404)
    role = request.form.get("role", user["role"])
    disabled = request.form.get("disabled") == "1"
    password = request.form.get("password", "")
    if username == current_user()["username"] and (role != user["role"] or disabled):
        return _users_page(gettext("不能更改自己的角色或停用自己的账号。"), 400)
    try:
        if password:
            archive().accounts.set_password(username, password)
        if (role, disabled) != (user["role"], bool(user["disabled"])):
            archive().accounts.set_role(username, role, disabled=disabled)
    except AccountError as e:
        return _users_page(str(e), 400)
    if username == current_user()["username"] and password:
        session["key"] = archive().accounts.session_key(username)  # stay signed in here only
    audit("user", user=username, change="update", role=[user["role"], role],
          disabled=[bool(user["disabled"]), disabled], password_changed=bool(password))
    flash(gettext("已更新用户 %(u)s。", u=username))
    return redirect(url_for("staff_admin.users"), 303)


@bp.get("/audit")
@login_required("admin")
def audit_log():
    """The audit log as a table, newest first (one row per staff action, in words), filtered by action,
    AUDIT_PAGE log entries a page; ?format=csv|xlsx: the filtered log as a download."""
    action = request.args.get("action", "")
    if request.args.get("format"):  # the entries shown, newest first, as CSV or Excel (web.export)
        return export.download(export.audit_table(action), request.args["format"])
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), 10**9)  # deeper pages are empty, not errors
    log = archive().audit
    total = log.count(action)
    rows = audit_view.page(log, archive().catalog, page, AUDIT_PAGE, action)
    return render_template("staff_audit.html", rows=rows, actions=log.actions(), action=action,
                           action_label=audit_view.action_label, page=page,
                           pages=max(1, -(-total // AUDIT_PAGE)), total=total)


@bp.get("/audit.csv")
@login_required("admin")
def audit_csv():
    """The audit log (or one action's entries) as a CSV download."""
    action = request.args.get("action", "")
    name = f"gongkai-audit{'-' + action if action.isascii() and action.isalnum() else ''}.csv"
    body = "\ufeff" + archive().audit.csv(action)  # BOM: spreadsheet programs then read UTF-8
    return body, 200, {"Content-Type": "text/csv; charset=utf-8",
                       "Content-Disposition": f'attachment; filename="{name}"'}
