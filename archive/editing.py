"""Staff edits of a document's metadata, disclosure (公开属性) and validity (有效性)."""
from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from analyzers import agencies
from analyzers.fields import BY_NAME, DISCLOSURES, FIELDS, LOW_CONFIDENCE, SOURCES, VALIDITIES  # noqa: F401

if TYPE_CHECKING:
    from . import Archive

COLUMNS = tuple(f.name for f in FIELDS if f.editable and not f.extra)   # documents columns (+ disclosure)
EXTRA = tuple(f.name for f in FIELDS if f.editable and f.extra)          # kept in the document's `extra`
# The ways people write a day: 2024-07-08, 2024/7/8, 2024.7.8, 2024年7月8日, 20240708 (full-width digits too).
_WRITTEN_DATE = re.compile(r"(\d{4})\s*(?:[-/.．、]|年)\s*(\d{1,2})\s*(?:[-/.．、]|月)\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2})")
_FULLWIDTH = str.maketrans("０１２３４５６７８９／－", "0123456789/-")


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
    if new["agency"] != old["agency"]:  # stored by canonical name; level and region follow it
        _derive_from_agency(new, old)
    for f in FIELDS:  # each field's own rule, as analyzers.fields declares it
        value = new.get(f.name, "")
        if f.required and not value:
            raise EditError(f"{f.label}不能为空")
        if f.choices and value not in f.choices and value != old[f.name]:  # (an old value may stay as it is)
            raise EditError(f"{f.label}须为 {'、'.join(c for c in f.choices if c)} 之一")
        if f.kind == "date" and value and value != old[f.name]:
            iso = written_date(value)
            if iso is None:
                raise EditError(f"{f.label}“{value}”不是有效的日期，请写成 2024-07-08 或 2024年7月8日")
            new[f.name] = iso
    if new["disclosure"] == "不予公开" and not new["disclosure_reason"]:
        raise EditError("不予公开须注明法定理由")
    diff = {k: [old[k], new[k]] for k in new if new[k] != old[k]}
    if not diff:
        return {}
    sources = {**doc["extra"].get("sources", {}), **dict.fromkeys(diff, "staff")}  # staff edits always win
    extra = {**doc["extra"], **{k: new[k] for k in EXTRA}, "sources": sources}
    if "agency" in diff:
        extra.pop("agency_printed", None)  # the signature as printed belonged to the old value
    archive.catalog.update_document(doc_id, {k: new[k] for k in COLUMNS}, extra)
    archive.audit.record(actor, "edit", doc_id, changes=diff)
    if "disclosure" in diff:   # a staff member decided: an upload waiting for review no longer waits
        archive.catalog.settle_review(doc_id)
        archive.audit.record(actor, "disclosure", doc_id, old=diff["disclosure"][0],
                             new=diff["disclosure"][1], reason=new["disclosure_reason"])
    archive.sync.apply(only={doc_id}, wait_s=archive.settings.edit_index_wait_s)
    return diff


MAX_YEARS_AHEAD = 10   # a later year is a typo (3024), not a date a document bears (施行日期 may lie ahead)


def written_date(text: str) -> str | None:
    """A day as people write it (2024年7月8日, 2024.7.8, 2024/07/08, 20240708, 2024-07-08) in ISO form
    (2024-07-08); None if it is not one real calendar day."""
    m = _WRITTEN_DATE.fullmatch(text.strip().translate(_FULLWIDTH))
    if not m:
        return None
    y, mo, d = (int(g) for g in (m.groups()[:3] if m[1] else m.groups()[3:]))
    try:
        return date(y, mo, d).isoformat() if 1000 <= y <= date.today().year + MAX_YEARS_AHEAD else None
    except ValueError:
        return None


def _derive_from_agency(new: dict[str, str], old: dict[str, str]) -> None:
    """An edited agency in canonical form (国办 → 国务院办公厅; joint issuers joined by 、; a name the
    authority list does not know is kept as typed), and the level and region of its first known body
    unless the same edit sets them (an unknown body leaves them as they were)."""
    bodies = agencies.canonical(new["agency"])
    new["agency"] = "、".join(a.name for a in bodies)
    first = next((a for a in bodies if a.level), None)
    for key in ("level", "region"):
        if first and new[key] == old[key]:
            new[key] = getattr(first, key)


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


def needing_attention(archive: Archive, visibility: tuple[str, ...], limit: int = 50,
                      offset: int = 0) -> tuple[int, list[tuple[dict, list[str]]]]:
    """Documents staff should look at (no title, agency or date; low-quality text; a title, agency or date
    from a weak source), newest first, each with why; and how many there are."""
    weak = tuple(s for s, (_, _, trust) in SOURCES.items() if trust < LOW_CONFIDENCE)
    total, docs = archive.catalog.needing_attention(visibility, weak, limit, offset)
    out = []
    for doc in docs:
        sources = doc["extra"].get("sources", {})
        why = [f"无{BY_NAME[k].label}" for k in ("title", "agency") if not doc[k]]
        why += ["无日期"] if not (doc["written_date"] or doc["published_date"]) else []
        why += [f"{BY_NAME[k].label}取自{SOURCES[sources[k]][0]}" for k in ("title", "agency", "written_date")
                if doc[k] and sources.get(k) in weak]
        why += [w for w in doc["warnings"] if w.startswith("low quality")]
        out.append((doc, why))
    return total, out


def edit_documents(archive: Archive, doc_ids: list[str], changes: dict[str, str],
                   actor: str) -> tuple[int, dict[str, str]]:
    """The same `changes` (empty values ignored) applied to several documents, each as one audited edit;
    returns how many changed and, per document that could not be, why."""
    changes = {k: v.strip() for k, v in changes.items() if v and v.strip()}
    changed, errors = 0, {}
    for doc_id in doc_ids:
        try:
            changed += bool(edit_document(archive, doc_id, changes, actor))
        except EditError as e:
            errors[doc_id] = str(e)
    return changed, errors
