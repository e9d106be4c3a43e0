"""Uploads waiting for review before they are published, the personal information found in documents, and
documents published with it redacted (see schema.py: `reviews`, `pii_findings`, `redactions`)."""
from __future__ import annotations

import json
import sqlite3
import time

from analyzers.fields import COLUMNS, PUBLIC

from .base import CatalogBase
from .changes import HIDES_TEXT

# A review is pending while its document is out of public sight: published by any path (the edit form too),
# it is settled.
_PENDING = "FROM reviews r JOIN documents d ON d.id = r.doc_id WHERE d.disclosure != ?"


class ReviewMixin(CatalogBase):
    """Reviews and PII findings of the Catalog."""

    def hold_for_review(self, doc_id: str, intended: str, actor: str, run_id: int = 0) -> None:
        """Record that `doc_id` (stored out of public sight) waits for a staff member's release."""
        with self.tx() as db:
            db.execute("INSERT OR IGNORE INTO reviews (doc_id, intended, actor, run_id, at) VALUES (?, ?, ?, ?, ?)",
                       (doc_id, intended, actor, run_id, time.time()))

    def review(self, doc_id: str) -> dict | None:
        """The pending review of a document, or None."""
        row = self._db().execute(f"SELECT r.* {_PENDING} AND r.doc_id = ?", (PUBLIC, doc_id)).fetchone()
        return dict(row) if row else None

    def pending_reviews(self, limit: int | None = 50, offset: int = 0) -> tuple[int, list[dict]]:
        """(how many, the documents waiting for review, oldest upload first, each with `review_*` columns)."""
        db = self._db()
        total = db.execute(f"SELECT count(*) {_PENDING}", (PUBLIC,)).fetchone()[0]
        rows = db.execute(f"SELECT d.*, r.intended AS review_intended, r.actor AS review_actor, r.run_id AS review_run,"
                          f" r.at AS review_at {_PENDING} ORDER BY r.at, r.doc_id LIMIT ? OFFSET ?",
                          (PUBLIC, -1 if limit is None else limit, offset)).fetchall()
        out = []
        for row in rows:
            doc = dict(row)
            doc["extra"], doc["warnings"] = json.loads(doc["extra"]), json.loads(doc["warnings"])
            out.append(doc)
        return total, out

    def count_pending_reviews(self) -> int:
        return self._db().execute(f"SELECT count(*) {_PENDING}", (PUBLIC,)).fetchone()[0]

    def settle_review(self, doc_id: str) -> None:
        """The review of `doc_id` is decided (its disclosure was set by the decision)."""
        with self.tx() as db:
            db.execute("DELETE FROM reviews WHERE doc_id = ?", (doc_id,))

    # -- personal information ---------------------------------------------------

    def set_pii(self, doc_id: str, version: int, findings: list[dict], identifiers: int) -> None:
        """Store the (masked) findings of a document's text."""
        with self.tx() as db:
            db.execute("INSERT OR REPLACE INTO pii_findings (doc_id, version, identifiers, findings) VALUES (?, ?, ?, ?)",
                       (doc_id, version, identifiers, json.dumps(findings, ensure_ascii=False)))

    def pii(self, doc_ids: list[str]) -> dict[str, dict]:
        """id -> {version, identifiers, findings} of those documents read already (others absent)."""
        out: dict[str, dict] = {}
        for i in range(0, len(doc_ids), 500):
            chunk = doc_ids[i:i + 500]
            marks = ", ".join("?" * len(chunk))
            for r in self._db().execute(f"SELECT * FROM pii_findings WHERE doc_id IN ({marks})", chunk):
                out[r["doc_id"]] = {"version": r["version"], "identifiers": r["identifiers"],
                                    "findings": json.loads(r["findings"])}
        return out

    def without_pii(self, version: int, limit: int = 1000) -> list[str]:
        """Documents not read for personal information yet, or read by an older detector (oldest first)."""
        return [r[0] for r in self._db().execute(
            "SELECT d.id FROM documents d LEFT JOIN pii_findings p ON p.doc_id = d.id"
            " WHERE p.doc_id IS NULL OR p.version < ? ORDER BY d.rowid LIMIT ?", (version, limit))]

    # -- redactions ---------------------------------------------------------------

    def redact_pages(self, doc_id: str, pages: list[str], spans: int, actor: str,
                     fields: dict[str, str] | None = None, extra: dict | None = None) -> int:
        """Replace a document's page texts (and metadata `fields` and `extra`, if given) with their redacted form in
        one transaction: what they were kept for staff (the first redaction's: a second one keeps the true
        original), references read again, and a change that keeps public searches off the document until the
        indexes hold the new text; returns the change's seq. KeyError if there is no such document."""
        fields = fields or {}
        unknown = set(fields) - set(COLUMNS)
        if unknown:
            raise ValueError(f"not document fields: {sorted(unknown)}")
        with self.tx() as db:
            row = db.execute(f"SELECT extra{''.join(', ' + k for k in fields)} FROM documents WHERE id = ?",
                             (doc_id,)).fetchone()
            if row is None:
                raise KeyError(doc_id)
            old = [r[0] for r in db.execute("SELECT text FROM pages WHERE doc_id = ? ORDER BY page_no", (doc_id,))]
            if len(old) != len(pages):
                raise ValueError(f"{doc_id}: {len(pages)} pages given for {len(old)}")
            prior = db.execute("SELECT spans, pages, metadata FROM redactions WHERE doc_id = ?", (doc_id,)).fetchone()
            was = json.loads(prior[2]) if prior else {"fields": {}, "extra": None}
            was["fields"] = {**{k: row[k] for k in fields}, **was["fields"]}   # the first value of each stays
            if extra is not None and was["extra"] is None:
                was["extra"] = json.loads(row["extra"])
            db.execute("INSERT OR REPLACE INTO redactions (doc_id, actor, at, spans, pages, metadata)"
                       " VALUES (?, ?, ?, ?, ?, ?)",
                       (doc_id, actor, time.time(), spans + (prior[0] if prior else 0),
                        prior[1] if prior else json.dumps(old, ensure_ascii=False), json.dumps(was, ensure_ascii=False)))
            self._write_back(db, doc_id, pages, fields, extra)
            return self._record_change(db, doc_id, restricts=HIDES_TEXT)  # type: ignore[attr-defined]

    def restore_pages(self, doc_id: str) -> bool:
        """Undo a document's redaction: its page texts and metadata as they were, in one transaction; False if it
        had none."""
        with self.tx() as db:
            row = db.execute("SELECT pages, metadata FROM redactions WHERE doc_id = ?", (doc_id,)).fetchone()
            if row is None:
                return False
            was = json.loads(row[1])
            db.execute("DELETE FROM redactions WHERE doc_id = ?", (doc_id,))
            self._write_back(db, doc_id, json.loads(row[0]), was["fields"], was["extra"])
            self._record_change(db, doc_id)  # type: ignore[attr-defined]
            return True

    def _write_back(self, db: sqlite3.Connection, doc_id: str, pages: list[str], fields: dict[str, str],
                    extra: dict | None) -> None:
        """Within a write transaction: set a document's page texts, `fields` and `extra` (None: as it is), then read
        its keys and references again (its title may have changed)."""
        db.executemany("UPDATE pages SET text = ? WHERE doc_id = ? AND page_no = ?",
                       [(text, doc_id, n) for n, text in enumerate(pages, 1)])
        if fields:
            db.execute(f"UPDATE documents SET {', '.join(f'{k} = ?' for k in fields)} WHERE id = ?",
                       (*fields.values(), doc_id))
        if extra is not None:
            db.execute("UPDATE documents SET extra = ? WHERE id = ?", (json.dumps(extra, ensure_ascii=False), doc_id))
        self._store_references(db, doc_id, pages)  # type: ignore[attr-defined]  # (a cited sentence may hold one)

    def redaction(self, doc_id: str) -> dict | None:
        """Who redacted a document, when, how many spans; None if its text is as extracted."""
        row = self._db().execute("SELECT actor, at, spans FROM redactions WHERE doc_id = ?", (doc_id,)).fetchone()
        return dict(row) if row else None

    def redacted(self, doc_ids: list[str]) -> set[str]:
        """Those of `doc_ids` published redacted (their originals' names and files are for staff only)."""
        out: set[str] = set()
        for i in range(0, len(doc_ids), 500):
            chunk = doc_ids[i:i + 500]
            out.update(r[0] for r in self._db().execute(
                f"SELECT doc_id FROM redactions WHERE doc_id IN ({', '.join('?' * len(chunk))})", chunk))
        return out
