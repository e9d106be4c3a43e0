"""Staff edits of a document's metadata, disclosure (公开属性) and validity (有效性)."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from analyzers.fields import DISCLOSURES, FIELDS, VALIDITIES  # noqa: F401  (DISCLOSURES, VALIDITIES: API)

if TYPE_CHECKING:
    from . import Archive

COLUMNS = tuple(f.name for f in FIELDS if f.editable and not f.extra)   # documents columns (+ disclosure)
EXTRA = tuple(f.name for f in FIELDS if f.editable and f.extra)          # kept in the document's `extra`
_ISO_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")


class EditError(ValueError):
    """An edit that would leave the document inconsistent (unknown value, missing reason)."""


def edit_document(archive: Archive, doc_id: str, changes: dict[str, str], actor: str) -> dict[str, list[str]]:
    """Apply `changes` to the catalog (with their change for the indexes, in one transaction), record them
    in the audit log, and bring the indexes up to date if they can be written now (else the change waits
    in the outbox: a restriction holds at once either way); returns {field: [old, new]}."""
    doc = archive.catalog.document(doc_id)
    if doc is None:
        raise EditError(f"no document {doc_id}")
    old = current_values(doc)
    changes = {k: (v or "").strip() for k, v in changes.items() if k in old}
    new = {**old, **changes}
    for f in FIELDS:  # each field's own rule, as analyzers.fields declares it
        value = new.get(f.name, "")
        if f.required and not value:
            raise EditError(f"{f.label}不能为空")
        if f.choices and value not in f.choices:
            raise EditError(f"{f.label}须为 {'、'.join(c for c in f.choices if c)} 之一")
        if f.kind == "date" and value and value != old[f.name] and not _ISO_DATE.match(value):
            raise EditError("日期须为 YYYY-MM-DD 格式")
    if new["disclosure"] == "不予公开" and not new["disclosure_reason"]:
        raise EditError("不予公开须注明法定理由")
    diff = {k: [old[k], new[k]] for k in new if new[k] != old[k]}
    if not diff:
        return {}
    extra = {**doc["extra"], **{k: new[k] for k in EXTRA}}
    archive.catalog.update_document(doc_id, {k: new[k] for k in COLUMNS}, extra)
    archive.audit.record(actor, "edit", doc_id, changes=diff)
    if "disclosure" in diff:
        archive.audit.record(actor, "disclosure", doc_id, old=diff["disclosure"][0],
                             new=diff["disclosure"][1], reason=new["disclosure_reason"])
    archive.sync.apply(only={doc_id}, wait_s=archive.settings.edit_index_wait_s)
    return diff


def current_values(doc: dict) -> dict[str, str]:
    """The editable fields of a catalog document as the edit form shows them."""
    return {**{k: doc[k] for k in COLUMNS}, **{k: doc["extra"].get(k, "") for k in EXTRA}}


def record_reason(archive: Archive, doc_ids: list[str], reason: str) -> int:
    """Store the legal reason on 不予公开 documents that lack one (e.g. a whole ingest run's);
    no reindex is needed (the reason is not searched). Returns how many documents got it."""
    done = 0
    for doc_id, doc in archive.catalog.documents(doc_ids).items():
        if doc["disclosure"] == "不予公开" and not doc["extra"].get("disclosure_reason"):
            archive.catalog.set_extra(doc_id, {**doc["extra"], "disclosure_reason": reason})
            done += 1
    return done
