"""The outbox: the ordered changes the search indexes follow, and consistent reads for applying them."""
from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator

from analyzers.fields import PUBLIC

from .base import CatalogBase

RESTRICTS, HIDES_TEXT = 1, 2   # a change's `restricts`: out of public sight; text taken out of a public document


class ChangesMixin(CatalogBase):
    """Changes of the Catalog (see schema.py: `changes`)."""

    def _record_change(self, db: sqlite3.Connection, doc_id: str, restricts: int = 0) -> int:
        """Within a write transaction: the next change for `doc_id` (`restricts`: 0, RESTRICTS or HIDES_TEXT); the
        document's version becomes its seq."""
        seq = int(db.execute("INSERT INTO changes (doc_id, restricts, at) VALUES (?, ?, ?)",
                             (doc_id, int(restricts), time.time())).lastrowid or 0)
        db.execute("UPDATE documents SET version = ?, index_state = 'pending', index_error = '' WHERE id = ?",
                   (seq, doc_id))
        return seq

    def record_changes(self, doc_ids: list[str]) -> int:
        """Ask the indexes to take these documents again as the catalog holds them (a repair); last seq."""
        seq = 0
        with self.tx() as db:
            for doc_id in doc_ids:
                seq = self._record_change(db, doc_id)
        return seq

    def last_change(self) -> int:
        """The sequence number of the newest change (0 if none)."""
        return self._db().execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]

    def changes_after(self, seq: int, upto: int | None = None) -> list[tuple[int, str, int]]:
        """(seq, doc_id, restricts) of the changes after `seq` (up to `upto`), oldest first."""
        sql = "SELECT seq, doc_id, restricts FROM changes WHERE seq > ?" + (" AND seq <= ?" if upto is not None else "")
        args = (seq,) if upto is None else (seq, upto)
        return [(r[0], r[1], r[2]) for r in self._db().execute(sql + " ORDER BY seq", args)]

    def restricted_after(self, seq: int) -> list[str]:
        """Documents out of public sight now that a change after `seq` took there, and public ones whose text a change
        after `seq` redacted or whose redacted text failed to reach an index: the public index may still hold them
        (or that text), so public searches exclude them (and rank without statistics) until it no longer does."""
        return [r[0] for r in self._db().execute(
            "SELECT DISTINCT c.doc_id FROM changes c LEFT JOIN documents d ON d.id = c.doc_id"
            " WHERE c.restricts > 0 AND c.seq > ? AND (c.restricts = ? OR d.id IS NULL OR d.disclosure != ?)"
            # a redacted document whose new text an index failed to take (it may hold the old one): kept out too
            " UNION SELECT d.id FROM redactions x JOIN documents d ON d.id = x.doc_id WHERE d.index_state = 'failed'",
            (seq, HIDES_TEXT, PUBLIC))]

    def prune_changes(self, applied: int, keep_s: float = 7 * 86400) -> int:
        """Forget changes every index has applied that are older than `keep_s` (rebuilds replay from here)."""
        with self.tx() as db:
            return db.execute("DELETE FROM changes WHERE seq <= ? AND at < ?", (applied, time.time() - keep_s)).rowcount

    def for_index(self, doc_ids: list[str]) -> dict[str, dict]:
        """The documents as the index needs them (row and page texts), read in one snapshot; missing ids absent."""
        out: dict[str, dict] = {}
        with self.snapshot() as db:
            for i in range(0, len(doc_ids), 500):
                chunk = doc_ids[i:i + 500]
                marks = ", ".join("?" * len(chunk))
                for row in db.execute(f"SELECT * FROM documents WHERE id IN ({marks})", chunk):
                    out[row["id"]] = {**dict(row), "pages": []}
                for r in db.execute(f"SELECT doc_id, text FROM pages WHERE doc_id IN ({marks})"
                                    " ORDER BY doc_id, page_no", chunk):
                    out[r[0]]["pages"].append(r[1])
        return out

    def snapshot_documents(self, public_only: bool = False) -> tuple[int, Iterator[dict]]:
        """(seq, documents): every document (with page texts) as of change `seq`, in the order they were
        added, read on a connection of its own so that the caller may write meanwhile."""
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.row_factory = sqlite3.Row
        db.execute("BEGIN")
        seq = db.execute("SELECT coalesce(max(seq), 0) FROM changes").fetchone()[0]
        where = " WHERE disclosure = ?" if public_only else ""
        ids = [r[0] for r in db.execute("SELECT id FROM documents" + where + " ORDER BY rowid",
                                        (PUBLIC,) if public_only else ())]

        def rows() -> Iterator[dict]:
            try:
                for doc_id in ids:
                    row = dict(db.execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone())
                    row["pages"] = [r[0] for r in db.execute(
                        "SELECT text FROM pages WHERE doc_id = ? ORDER BY page_no", (doc_id,))]
                    yield row
            finally:
                db.execute("COMMIT")
                db.close()

        return seq, rows()

    def index_versions(self) -> dict[str, tuple[int, str]]:
        """id -> (version, disclosure) of every document, for comparing with what an index holds."""
        return {r[0]: (r[1], r[2]) for r in self._db().execute("SELECT id, version, disclosure FROM documents")}
