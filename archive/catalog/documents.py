"""Documents, their page texts and originals; every change the index must follow goes into the outbox."""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator

from analyzers.fields import COLUMNS, PUBLIC

from .changes import RESTRICTS, ChangesMixin
from .references import ReferencesMixin


def document_id(sha256: str) -> str:
    """The id of the document first ingested from the file with this sha256 (16 hex digits)."""
    return sha256[:16]


DOCUMENT_FIELDS = COLUMNS  # metadata columns (analyzers.fields); `disclosure` and `extra` are apart


class DocumentsMixin(ReferencesMixin, ChangesMixin):
    """Documents, pages and originals of the Catalog."""

    def add_document(self, doc_id: str, metadata: dict, pages: list[str], original: dict,
                     warnings: list[str], disclosure: str = PUBLIC, text_hash: str = "",
                     review: tuple[str, str, int] | None = None) -> int:
        """Insert a document with its pages and first original, and its change for the index, all in
        one transaction (with `review` = (intended disclosure, uploader, run), its review row too: a held
        upload is never stored without it); returns the document's version (the change's sequence number)."""
        known = {k: metadata.get(k, "") or "" for k in DOCUMENT_FIELDS}
        extra = {k: v for k, v in metadata.items() if k not in DOCUMENT_FIELDS and v}
        now = time.time()
        with self.tx() as db:
            db.execute(
                f"INSERT INTO documents (id, {', '.join(DOCUMENT_FIELDS)}, disclosure, extra,"
                " warnings, page_count, created_at, text_hash) VALUES (?, "
                + ", ".join("?" * len(DOCUMENT_FIELDS)) + ", ?, ?, ?, ?, ?, ?)",
                (doc_id, *known.values(), disclosure, json.dumps(extra, ensure_ascii=False),
                 json.dumps(warnings, ensure_ascii=False), len(pages), now, text_hash),
            )
            db.executemany(
                "INSERT INTO pages (doc_id, page_no, text) VALUES (?, ?, ?)",
                [(doc_id, i + 1, text) for i, text in enumerate(pages)],
            )
            self._store_references(db, doc_id, pages)
            db.execute(
                "INSERT INTO originals (sha256, doc_id, filename, source, mime, size, extractor,"
                " added_at) VALUES (:sha256, :doc_id, :filename, :source, :mime, :size,"
                " :extractor, :added_at)",
                {**original, "doc_id": doc_id, "added_at": now},
            )
            if review:
                db.execute("INSERT OR IGNORE INTO reviews (doc_id, intended, actor, run_id, at) VALUES (?, ?, ?, ?, ?)",
                           (doc_id, *review, now))
            return self._record_change(db, doc_id)

    def update_document(self, doc_id: str, fields: dict[str, str], extra: dict) -> int:
        """Set metadata `fields` (of DOCUMENT_FIELDS and 'disclosure') and the whole `extra` of a
        document, and record the change for the index in the same transaction; returns its version.
        Taking a public document out of public sight is marked as a restriction."""
        unknown = set(fields) - set(DOCUMENT_FIELDS) - {"disclosure"}
        if unknown:
            raise ValueError(f"not document fields: {sorted(unknown)}")
        with self.tx() as db:
            row = db.execute("SELECT disclosure FROM documents WHERE id = ?", (doc_id,)).fetchone()
            if row is None:
                raise KeyError(doc_id)
            sets = ", ".join(f"{k} = ?" for k in fields)
            db.execute(f"UPDATE documents SET {sets}{', ' if sets else ''}extra = ? WHERE id = ?",
                       (*fields.values(), json.dumps(extra, ensure_ascii=False), doc_id))
            self._store_references(db, doc_id)  # its title, 文号 or date may answer other references now
            restricts = row[0] == PUBLIC and fields.get("disclosure", PUBLIC) != PUBLIC
            return self._record_change(db, doc_id, restricts=RESTRICTS if restricts else 0)

    def set_extra(self, doc_id: str, extra: dict) -> None:
        """Replace a document's `extra` values that the index does not hold (e.g. a legal reason)."""
        with self.tx() as db:
            db.execute("UPDATE documents SET extra = ? WHERE id = ?", (json.dumps(extra, ensure_ascii=False), doc_id))

    def add_original(self, doc_id: str, original: dict) -> None:
        """Attach one more original (another copy or format of the same text) to a document."""
        with self.tx() as db:
            db.execute(
                "INSERT INTO originals (sha256, doc_id, filename, source, mime, size, extractor,"
                " added_at) VALUES (:sha256, :doc_id, :filename, :source, :mime, :size,"
                " :extractor, :added_at)",
                {**original, "doc_id": doc_id, "added_at": time.time()},
            )

    def docs_for_text(self, text_hash: str) -> list[str]:
        """Every document with this text hash, whatever its disclosure, oldest first ('' matches none)."""
        if not text_hash:
            return []
        return [r[0] for r in self._db().execute(
            "SELECT id FROM documents WHERE text_hash = ? ORDER BY created_at, rowid", (text_hash,))]

    def document(self, doc_id: str) -> dict | None:
        """The document row with its originals, or None."""
        row = self._db().execute("SELECT * FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            return None
        doc = _doc(row)
        doc["originals"] = [dict(r) for r in self._db().execute(
            "SELECT * FROM originals WHERE doc_id = ? ORDER BY added_at", (doc_id,))]
        return doc

    def documents(self, ids: list[str]) -> dict[str, dict]:
        """Rows for these ids (missing ones absent), each with `source` (the server path, for the
        operator) and `filename` (the name it came with) of its first original."""
        if not ids:
            return {}
        marks = ", ".join("?" * len(ids))
        rows = self._db().execute(
            f"SELECT d.*, o.source AS source, o.filename AS filename FROM documents d"
            f" LEFT JOIN originals o ON o.rowid = (SELECT rowid FROM originals WHERE doc_id = d.id"
            f" ORDER BY added_at LIMIT 1) WHERE d.id IN ({marks})",
            ids,
        )
        return {r["id"]: _doc(r) for r in rows}

    def pages(self, doc_id: str) -> list[str]:
        return [r[0] for r in self._db().execute(
            "SELECT text FROM pages WHERE doc_id = ? ORDER BY page_no", (doc_id,))]

    def texts(self, ids: list[str]) -> dict[str, list[str]]:
        """Page texts for several documents at once."""
        out: dict[str, list[str]] = {i: [] for i in ids}
        if ids:
            marks = ", ".join("?" * len(ids))
            for r in self._db().execute(
                f"SELECT doc_id, text FROM pages WHERE doc_id IN ({marks}) ORDER BY doc_id, page_no",
                ids,
            ):
                out[r[0]].append(r[1])
        return out

    def doc_for_sha(self, sha256: str) -> str | None:
        row = self._db().execute("SELECT doc_id FROM originals WHERE sha256 = ?", (sha256,)).fetchone()
        return row[0] if row else None

    def iter_documents(self, state: str | None = None) -> Iterator[dict]:
        """Every document (or those in one index_state) in the order they were added, with page texts.

        A rebuilt index then holds them in the order ingest indexed them, so equally scored hits keep
        their order across `gongkai reindex`.
        """
        sql = "SELECT * FROM documents" + (" WHERE index_state = ?" if state else "") + " ORDER BY rowid"
        rows = self._db().execute(sql, (state,) if state else ()).fetchall()
        for row in rows:
            doc = _doc(row)
            doc["pages"] = self.pages(doc["id"])
            yield doc

    def needing_attention(self, visibility: tuple[str, ...], weak: tuple[str, ...], limit: int = 50,
                          offset: int = 0) -> tuple[int, list[dict]]:
        """Documents (newest first, of these disclosures) without a title, agency or date, flagged low
        quality, whose title, agency or 成文日期 came from a `weak` source, or holding personal information
        (analyzers.pii: an ID, mobile or account number); with how many there are."""
        vis, src = ", ".join("?" * len(visibility)), ", ".join("?" * len(weak)) or "''"
        where = (f"disclosure IN ({vis}) AND (title = '' OR agency = '' OR (written_date = '' AND"
                 f" published_date = '') OR warnings LIKE '%low quality%'"
                 + "".join(f" OR json_extract(extra, '$.sources.{k}') IN ({src})"
                           for k in ("title", "agency", "written_date"))
                 + " OR id IN (SELECT doc_id FROM pii_findings WHERE identifiers > 0))")  # personal information
        args = (*visibility, *weak, *weak, *weak)
        db = self._db()
        total = db.execute(f"SELECT count(*) FROM documents WHERE {where}", args).fetchone()[0]
        rows = db.execute(f"SELECT * FROM documents WHERE {where} ORDER BY created_at DESC, id LIMIT ? OFFSET ?",
                          (*args, limit, offset))
        return total, [_doc(r) for r in rows]

    def recently_added(self, visibility: tuple[str, ...], limit: int) -> list[dict]:
        """The `limit` documents of these disclosures added last (newest first), without page texts.
        (Rows are in the order they were added, as iter_documents relies on: read backwards, the search
        stops after `limit` matches instead of sorting every row by created_at.)"""
        if not visibility:
            return []
        vis = ", ".join("?" * len(visibility))
        rows = self._db().execute(f"SELECT * FROM documents WHERE disclosure IN ({vis})"
                                  " ORDER BY rowid DESC LIMIT ?", (*visibility, limit))
        return [_doc(r) for r in rows]

    def count_documents(self) -> int:
        return self._db().execute("SELECT count(*) FROM documents").fetchone()[0]

    def set_index_state(self, results: list[tuple[str, str, int]]) -> None:
        """Record each (doc_id, error, version) outcome ('' means indexed), unless the document has
        changed again since that version (its new change is pending)."""
        with self.tx() as db:
            db.executemany(
                "UPDATE documents SET index_state = ?, index_error = ? WHERE id = ? AND version = ?",
                [("failed" if err else "indexed", err, doc_id, version) for doc_id, err, version in results],
            )

    def count_index_states(self) -> dict[str, int]:
        """Documents per index_state (pending, indexed, failed)."""
        return {r[0]: r[1] for r in self._db().execute(
            "SELECT index_state, count(*) FROM documents GROUP BY index_state")}

    def blob_shas(self) -> dict[str, str]:
        """Every stored blob the catalog knows: sha256 -> 'original' or 'bundle'."""
        out = {r[0]: "bundle" for r in self._db().execute("SELECT sha256 FROM bundles")}
        out.update((r[0], "original") for r in self._db().execute("SELECT sha256 FROM originals"))
        return out


def _doc(row: sqlite3.Row) -> dict:
    doc = dict(row)
    doc["extra"] = json.loads(doc["extra"])
    doc["warnings"] = json.loads(doc["warnings"])
    return doc
