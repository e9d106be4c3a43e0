"""Review before publishing: web uploads wait out of public sight (stored as 依申请公开, the restricted path
every public route already excludes) until a staff member publishes them, keeps them 依申请公开 or withholds
them (不予公开, with its legal reason) or publishes it with its personal information redacted; and the personal
information found in documents (analyzers.pii).

A redacted document's text is replaced by its redacted form everywhere (catalog pages, both indexes, every page and
export); the text as it was and the original files stay for staff only (Archive.document withholds the originals
from anyone who may see only public documents: the file still holds the numbers)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from analyzers import pii
from analyzers.fields import COLUMNS, PUBLIC

from .editing import EditError, edit_document

if TYPE_CHECKING:
    from . import Archive

HOLD = "依申请公开"          # how a document waiting for review is stored
DECISIONS = {"publish": "主动公开", "publish_redacted": "主动公开", "on_request": "依申请公开", "withhold": "不予公开"}
UPLOADS = "uploads"          # <data>/uploads: where web uploads are saved (web.jobs)


def held(archive: Archive, paths: list[Path], disclosure: str, review: bool | None = None) -> bool:
    """Whether a run over `paths` asking for `disclosure` must hold its documents for review: only a 主动公开
    run; `review` if given, else the setting for web uploads (files under <data>/uploads) or for the CLI."""
    if disclosure != PUBLIC:
        return False
    if review is not None:
        return review
    root = (archive.settings.data_dir / UPLOADS).resolve()
    uploaded = bool(paths) and all(Path(p).resolve().is_relative_to(root) for p in paths)
    return archive.settings.review_uploads if uploaded else archive.settings.review_ingest


def decide(archive: Archive, doc_id: str, decision: str, actor: str, reason: str = "") -> dict[str, list[str]]:
    """Settle a pending review: set the document's 公开属性 (an audited edit, the indexes updated) and record
    the decision in the audit log; EditError if it is not pending, the decision unknown or a reason missing."""
    review = archive.catalog.review(doc_id)
    if review is None:
        raise EditError("这个文件不在待审核之列")
    if decision not in DECISIONS:
        raise EditError(f"未知的审核决定：{decision}")
    changes = {"disclosure": DECISIONS[decision]}
    if reason.strip():
        changes["disclosure_reason"] = reason.strip()
    found = findings(archive, doc_id)
    redacted = redact(archive, doc_id, actor) if decision == "publish_redacted" else 0  # before it is public
    diff = edit_document(archive, doc_id, changes, actor)  # validates (不予公开 needs its reason), audits, indexes
    archive.catalog.settle_review(doc_id)
    archive.audit.record(actor, "review", doc_id, decision=DECISIONS[decision], uploaded_by=review["actor"],
                         pii=pii.summary(found), **({"redacted": redacted} if decision == "publish_redacted" else {}))
    return diff


def redact(archive: Archive, doc_id: str, actor: str) -> int:
    """Replace every personal-information finding in a document's text and metadata (title, other columns, the
    strings in `extra`) by its masked form (pii.redact), keeping what they were for staff (catalog.redact_pages),
    audited, the indexes updated; how many spans were masked (0: none found, nothing changed). EditError if there is
    no such document."""
    doc = archive.catalog.document(doc_id)
    if doc is None:
        raise EditError(f"no document {doc_id}")
    pages = archive.catalog.pages(doc_id)
    per_page = [pii.find(text) for text in pages]
    found = [f for fs in per_page for f in fs]
    new_pages = [pii.redact(text, fs) for text, fs in zip(pages, per_page)]
    fields = {}
    for k in COLUMNS:
        if isinstance(doc.get(k), str) and (hits := pii.find(doc[k])):
            fields[k], found = pii.redact(doc[k], hits), found + hits
    extra, in_extra = _redacted(doc["extra"])
    found += in_extra
    if found:
        archive.catalog.redact_pages(doc_id, new_pages, len(found), actor, fields, extra if in_extra else None)
        scan(archive, doc_id)  # what the text now shown holds
        archive.audit.record(actor, "redact", doc_id, spans=len(found), pii=pii.summary(found))
        archive.sync.apply(only={doc_id}, wait_s=archive.settings.edit_index_wait_s)
    return len(found)


def _redacted(value: Any) -> tuple[Any, list]:
    """`value` (a JSON value: metadata's `extra`) with its strings redacted, and the findings in them."""
    if isinstance(value, str):
        hits = pii.find(value)
        return (pii.redact(value, hits) if hits else value), hits
    if isinstance(value, list):
        pairs = [_redacted(v) for v in value]
        return [v for v, _ in pairs], [f for _, fs in pairs for f in fs]
    if isinstance(value, dict):
        items = {k: _redacted(v) for k, v in value.items()}
        return {k: v for k, (v, _) in items.items()}, [f for _, fs in items.values() for f in fs]
    return value, []


def unredact(archive: Archive, doc_id: str, actor: str) -> bool:
    """Put a redacted document's text back as it was (audited, the indexes updated); False if it was not redacted."""
    if not archive.catalog.restore_pages(doc_id):
        return False
    scan(archive, doc_id)
    archive.audit.record(actor, "unredact", doc_id)
    archive.sync.apply(only={doc_id}, wait_s=archive.settings.edit_index_wait_s)
    return True


def decide_many(archive: Archive, doc_ids: list[str], decision: str, actor: str,
                reason: str = "") -> tuple[int, dict[str, str]]:
    """The same decision for several pending documents; (how many were decided, per failed id why)."""
    done, errors = 0, {}
    for doc_id in doc_ids:
        try:
            decide(archive, doc_id, decision, actor, reason)
            done += 1
        except EditError as e:
            errors[doc_id] = str(e)
    return done, errors


def scan(archive: Archive, doc_id: str, pages: list[str] | None = None) -> list[dict]:
    """Read a document's text for personal information and store the (masked) findings; returns them."""
    if pages is None:
        pages = archive.catalog.pages(doc_id)
    found = pii.scan_pages(pages)
    archive.catalog.set_pii(doc_id, pii.VERSION, found, sum(f["kind"] in pii.IDENTIFIERS for f in found))
    return found


def scan_missing(archive: Archive, batch: int = 1000) -> int:
    """Read every document not read yet (or by an older detector); how many were read."""
    done = 0
    while ids := archive.catalog.without_pii(pii.VERSION, batch):
        for doc_id in ids:
            scan(archive, doc_id)
        done += len(ids)
    return done


def findings(archive: Archive, doc_id: str) -> list[dict]:
    """A document's findings, read now if they were not stored (or by an older detector)."""
    stored = archive.catalog.pii([doc_id]).get(doc_id)
    if stored is not None and stored["version"] == pii.VERSION:
        return stored["findings"]
    return scan(archive, doc_id)


def findings_of(archive: Archive, doc_ids: list[str]) -> dict[str, list[dict]]:
    """Findings of several documents (each read now if it was not)."""
    stored = archive.catalog.pii(doc_ids)
    return {i: stored[i]["findings"] if i in stored and stored[i]["version"] == pii.VERSION else scan(archive, i)
            for i in doc_ids}
