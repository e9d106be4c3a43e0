"""The audit log as staff read it: one row per staff action (an edit's own 公开属性 row and the look at the
document it redirects to folded into the edit), the action and what changed in words, documents by title.
The log itself (archive.audit) keeps every row; its CSV export is unchanged."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from analyzers import pii
from analyzers.fields import BY_NAME

from .i18n import fmt_date, gettext

CST = timezone(timedelta(hours=8), "CST")
ACTIONS = {
    "edit": "修改文件", "disclosure": "更改公开属性", "view": "查看不公开的文件", "download": "下载不公开的原件",
    "ingest": "导入文件", "review": "审核上传的文件",
    "redact": "遮蔽个人信息", "unredact": "撤销遮蔽", "login": "登录", "logout": "退出登录", "login_failed": "登录失败", "user": "管理用户",
}
ROLES = {"viewer": "查看者", "editor": "编辑者", "admin": "管理员"}
FOLD_S = 10.0   # an edit's 公开属性 row and the view after its redirect come within this many seconds
SLACK = 5       # rows read beyond a page on either side, so that an edit is never split across pages


def action_label(action: str) -> str:
    """An action code in words (an unknown code as it is)."""
    return gettext(ACTIONS[action]) if action in ACTIONS else action


def local_time(ts: float) -> str:
    """A Unix time in China Standard Time, as 'YYYY-MM-DD HH:MM:SS'."""
    return datetime.fromtimestamp(ts, CST).strftime("%Y-%m-%d %H:%M:%S")


def _follows(edit: dict, row: dict) -> bool:
    """Whether `row` was written by the edit `edit` (its 公开属性 row) or right after it (the redirect's view)."""
    return (row["action"] in ("disclosure", "view") and row["actor"] == edit["actor"]
            and row["doc_id"] == edit["doc_id"] and 0 <= row["at"] - edit["at"] <= FOLD_S
            and (row["action"] == "view" or "disclosure" in edit["detail"].get("changes", {})))


def group(rows: list[dict]) -> list[list[dict]]:
    """Rows (newest first) as actions (newest first): each edit with the rows that belong to it."""
    groups: list[list[dict]] = []
    open_edits: list[list[dict]] = []
    for row in sorted(rows, key=lambda r: r["id"]):  # oldest first: an edit comes before its rows
        owner = next((g for g in reversed(open_edits) if _follows(g[0], row)
                      and not any(r["action"] == row["action"] for r in g[1:])), None)
        if owner is not None:
            owner.append(row)
            continue
        groups.append([row])
        if row["action"] == "edit":
            open_edits.append(groups[-1])
    return list(reversed(groups))


def page(log, catalog, number: int, size: int, action: str = "") -> list[dict]:
    """The actions on page `number` (`size` log rows a page, newest first) ready for the table."""
    offset = (number - 1) * size
    start = max(0, offset - SLACK)
    rows = log.entries(limit=size + SLACK + (offset - start), offset=start, action=action)
    on_page = {r["id"] for r in rows[offset - start:offset - start + size]}
    groups = [g for g in group(rows) if max(r["id"] for r in g) in on_page]  # a group lives where its newest row is
    titles = {i: d["title"] for i, d in catalog.documents(sorted({g[0]["doc_id"] for g in groups
                                                                  if g[0]["doc_id"]})).items()}
    return [described(g, titles) for g in groups]


def described(rows: list[dict], titles: dict[str, str]) -> dict:
    """One action (its first row, plus the rows folded into it) in words."""
    head = rows[0]
    d = head["detail"]
    out = {"id": head["id"], "time": local_time(head["at"]), "actor": head["actor"], "action": head["action"],
           "label": action_label(head["action"]), "doc_id": head["doc_id"],
           "title": titles.get(head["doc_id"], ""), "changes": [], "notes": [], "run": None}
    changes, notes = out["changes"], out["notes"]
    act = head["action"]
    if act == "edit":
        for name, (old, new) in d.get("changes", {}).items():
            changes.append((_field(name), _value(name, old), _value(name, new)))
        reason = next((r["detail"].get("reason") for r in rows if r["action"] == "disclosure"), "")
        if reason and "disclosure_reason" not in d.get("changes", {}):
            notes.append(gettext("理由：") + reason)
    elif act == "disclosure":
        changes.append((_field("disclosure"), _value("disclosure", d.get("old", "")),
                        _value("disclosure", d.get("new", ""))))
        if d.get("reason"):
            notes.append(gettext("理由：") + d["reason"])
    elif act == "review":   # the decision, who uploaded it, how much personal information (counts only)
        notes.append(gettext("决定：") + gettext(d.get("decision", "")))
        if d.get("uploaded_by"):
            notes.append(gettext("上传者：") + d["uploaded_by"])
        _pii_note(d, notes)
        if "redacted" in d:
            notes.append(gettext("已遮蔽 %(n)s 处", n=d["redacted"]))
    elif act == "redact":
        notes.append(gettext("已遮蔽 %(n)s 处", n=d.get("spans", 0)))
        _pii_note(d, notes)
    elif act in ("view", "download"):
        if d.get("disclosure"):
            notes.append(gettext(d["disclosure"]))
        if d.get("filename"):
            notes.append(d["filename"])
    elif act == "ingest":
        out["run"] = d.get("run")
        files = d.get("files") or []
        notes.append(gettext("%(n)s 个文件", n=len(files)) + (gettext("：") + gettext("、").join(files[:3]) if files else "")
                     + ("…" if len(files) > 3 else ""))
        if d.get("disclosure"):
            notes.append(gettext("公开属性：") + gettext(d["disclosure"]))
        if d.get("retry_of"):
            notes.append(gettext("重试批次 #%(n)s 的失败文件", n=d["retry_of"]))
        if d.get("resume_of"):
            notes.append(gettext("继续批次 #%(n)s", n=d["resume_of"]))
        if d.get("error"):
            notes.append(gettext("出错：") + str(d["error"]))
    elif act == "user":
        notes.append(gettext("用户 %(u)s", u=d.get("user", "")))
        if d.get("change") == "add":
            notes.append(gettext("新建，角色：") + _role(d.get("role", "")))
        elif d.get("change") == "password":
            notes.append(gettext("重设密码"))
        else:
            role = d.get("role")
            if isinstance(role, list) and len(role) == 2 and role[0] != role[1]:
                changes.append((gettext("角色"), _role(role[0]), _role(role[1])))
            off = d.get("disabled")
            if isinstance(off, list) and len(off) == 2 and off[0] != off[1]:
                notes.append(gettext("停用账号") if off[1] else gettext("启用账号"))
            if d.get("password_changed"):
                notes.append(gettext("重设密码"))
    elif act in ("login", "login_failed"):
        if d.get("client"):
            notes.append(gettext("来自 %(c)s", c=d["client"]))
    else:  # an action this page does not know yet: its details as they are
        notes += [f"{k}: {v}" for k, v in d.items()]
    return out


def _field(name: str) -> str:
    return gettext(BY_NAME[name].label) if name in BY_NAME else name


def _role(role: str) -> str:
    return gettext(ROLES[role]) if role in ROLES else role


def _value(name: str, value: object) -> str:
    text = "" if value is None else str(value)
    if not text:
        return gettext("（空）")
    field = BY_NAME.get(name)
    if field and field.kind == "date":
        return fmt_date(text)
    if field and field.kind == "choice":
        return gettext(text)
    return text


def _pii_note(detail: dict, notes: list[str]) -> None:
    """个人信息：身份证号 1、手机号 1 (counts only: an entry never holds a value)."""
    found = detail.get("pii") or {}
    if isinstance(found, dict) and found:
        notes.append(gettext("个人信息：") + "、".join(f"{gettext(pii.KINDS.get(k, k))} {n}" for k, n in found.items()))
