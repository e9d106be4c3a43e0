"""Staff edits of a document's metadata, disclosure (公开属性) and validity (有效性)."""
from __future__ import annotations

import re

DISCLOSURES = ("主动公开", "依申请公开", "不予公开")
VALIDITIES = ("", "现行有效", "已修改", "已废止")
EDITABLE = ("title", "doc_number", "agency", "written_date", "published_date", "doc_type",
            "index_number", "topic", "disclosure")
EXTRA = ("disclosure_reason", "validity")  # kept in the document's `extra`
DATES = ("written_date", "published_date")
_ISO_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


class EditError(ValueError):
    """An edit that would leave the document inconsistent (unknown value, missing reason)."""


def edit_document(archive, doc_id: str, changes: dict[str, str], actor: str) -> dict[str, list[str]]:
    """Apply `changes` to the catalog (with their change for the indexes, in one transaction), record them
    in the audit log, and bring the indexes up to date if they can be written now (else the change waits
    in the outbox: a restriction holds at once either way); returns {field: [old, new]}."""
    doc = archive.catalog.document(doc_id)
    if doc is None:
        raise EditError(f"no document {doc_id}")
    changes = {k: (v or "").strip() for k, v in changes.items() if k in EDITABLE + EXTRA}
    new = {**{k: doc[k] for k in EDITABLE}, **{k: doc["extra"].get(k, "") for k in EXTRA}, **changes}
    if not new["title"]:
        raise EditError("标题不能为空")
    if new["disclosure"] not in DISCLOSURES:
        raise EditError(f"公开属性须为 {'、'.join(DISCLOSURES)} 之一")
    if new["disclosure"] == "不予公开" and not new["disclosure_reason"]:
        raise EditError("不予公开须注明法定理由")
    for k in DATES:
        if k in changes and changes[k] != doc[k] and changes[k] and not _ISO_DATE.match(changes[k]):
            raise EditError("日期须为 YYYY-MM-DD 格式")
    if new["validity"] not in VALIDITIES:
        raise EditError(f"有效性须为 {'、'.join(v for v in VALIDITIES if v)} 之一")
    old = {**{k: doc[k] for k in EDITABLE}, **{k: doc["extra"].get(k, "") for k in EXTRA}}
    diff = {k: [old[k], new[k]] for k in new if new[k] != old[k]}
    if not diff:
        return {}
    extra = {**doc["extra"], **{k: new[k] for k in EXTRA}}
    archive.catalog.update_document(doc_id, {k: new[k] for k in EDITABLE}, extra)
    archive.audit.record(actor, "edit", doc_id, changes=diff)
    if "disclosure" in diff:
        archive.audit.record(actor, "disclosure", doc_id, old=diff["disclosure"][0],
                             new=diff["disclosure"][1], reason=new["disclosure_reason"])
    archive.sync.apply(only={doc_id}, wait_s=archive.settings.edit_index_wait_s)
    return diff


def record_reason(archive, doc_ids: list[str], reason: str) -> int:
    """Store the legal reason on 不予公开 documents that lack one (e.g. a whole ingest run's);
    no reindex is needed (the reason is not searched). Returns how many documents got it."""
    done = 0
    for doc_id, doc in archive.catalog.documents(doc_ids).items():
        if doc["disclosure"] == "不予公开" and not doc["extra"].get("disclosure_reason"):
            archive.catalog.set_extra(doc_id, {**doc["extra"], "disclosure_reason": reason})
            done += 1
    return done
