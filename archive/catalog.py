"""The SQLite catalog: documents, their page texts and originals, ingest runs and per-file results."""
from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Iterator

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL DEFAULT '',
    doc_number TEXT NOT NULL DEFAULT '',
    agency TEXT NOT NULL DEFAULT '',
    written_date TEXT NOT NULL DEFAULT '',
    published_date TEXT NOT NULL DEFAULT '',
    doc_type TEXT NOT NULL DEFAULT '',
    index_number TEXT NOT NULL DEFAULT '',
    topic TEXT NOT NULL DEFAULT '',
    disclosure TEXT NOT NULL DEFAULT '主动公开',
    extra TEXT NOT NULL DEFAULT '{}',
    warnings TEXT NOT NULL DEFAULT '[]',
    page_count INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL,
    index_state TEXT NOT NULL DEFAULT 'pending',
    index_error TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS pages (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    page_no INTEGER NOT NULL,
    text TEXT NOT NULL,
    PRIMARY KEY (doc_id, page_no)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS originals (
    sha256 TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    filename TEXT NOT NULL,
    source TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    extractor TEXT NOT NULL,
    added_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS originals_doc ON originals(doc_id);
CREATE INDEX IF NOT EXISTS documents_index_state ON documents(index_state);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at REAL NOT NULL,
    finished_at REAL,
    args TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS run_files (
    run_id INTEGER NOT NULL REFERENCES runs(id),
    path TEXT NOT NULL,
    status TEXT NOT NULL,          -- ingested | skipped | failed
    stage TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL DEFAULT '',
    doc_id TEXT NOT NULL DEFAULT '',
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS run_files_run ON run_files(run_id, status);
CREATE TABLE IF NOT EXISTS failures (   -- files (by content and extension) whose last ingest failed
    sha256 TEXT NOT NULL,
    suffix TEXT NOT NULL,                -- lower-case extension: the same bytes as .txt or .html differ
    path TEXT NOT NULL,
    stage TEXT NOT NULL,
    reason TEXT NOT NULL,
    run_id INTEGER NOT NULL,
    at REAL NOT NULL,
    PRIMARY KEY (sha256, suffix)
);
CREATE TABLE IF NOT EXISTS bundles (    -- zip files received; their members are the documents
    sha256 TEXT PRIMARY KEY,
    filename TEXT NOT NULL,
    source TEXT NOT NULL,
    size INTEGER NOT NULL,
    members INTEGER NOT NULL DEFAULT 0,
    run_id INTEGER NOT NULL,
    added_at REAL NOT NULL
);
"""

# Columns added after the first release: (table, column, declaration); applied by _migrate().
ADDED_COLUMNS = (
    ("documents", "text_hash", "TEXT NOT NULL DEFAULT ''"),   # sha256 of the normalized units, '' if short
    ("runs", "state", "TEXT NOT NULL DEFAULT ''"),            # '' running | finished | interrupted
    ("runs", "report", "TEXT NOT NULL DEFAULT ''"),           # path of the failure report
    ("run_files", "kind", "TEXT NOT NULL DEFAULT ''"),        # a failure's kind: file | system | config
    ("failures", "kind", "TEXT NOT NULL DEFAULT 'file'"),     # system/config failures are retried next run
)
POST_MIGRATION = """
CREATE INDEX IF NOT EXISTS documents_text_hash ON documents(text_hash) WHERE text_hash != '';
"""

DOCUMENT_FIELDS = (
    "title", "doc_number", "agency", "written_date", "published_date",
    "doc_type", "index_number", "topic",
)


class Catalog:
    """Thread-safe access to the catalog database (one connection per thread)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._db().executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Add the columns a catalog written by an older version lacks (idempotent, race-safe)."""
        with self.tx() as db:
            for table, column, decl in ADDED_COLUMNS:
                have = {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
        self._db().executescript(POST_MIGRATION)

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
        return db

    def tx(self):
        """A transaction: `with catalog.tx() as db:` commits on success, rolls back on error."""
        return _Tx(self._db())

    # -- documents -------------------------------------------------------

    def add_document(self, doc_id: str, metadata: dict, pages: list[str], original: dict,
                     warnings: list[str], disclosure: str = "主动公开", text_hash: str = "") -> None:
        """Insert a document with its pages and first original, all in one transaction."""
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
            db.execute(
                "INSERT INTO originals (sha256, doc_id, filename, source, mime, size, extractor,"
                " added_at) VALUES (:sha256, :doc_id, :filename, :source, :mime, :size,"
                " :extractor, :added_at)",
                {**original, "doc_id": doc_id, "added_at": now},
            )

    def add_original(self, doc_id: str, original: dict) -> None:
        """Attach one more original (another copy or format of the same text) to a document."""
        with self.tx() as db:
            db.execute(
                "INSERT INTO originals (sha256, doc_id, filename, source, mime, size, extractor,"
                " added_at) VALUES (:sha256, :doc_id, :filename, :source, :mime, :size,"
                " :extractor, :added_at)",
                {**original, "doc_id": doc_id, "added_at": time.time()},
            )

    def doc_for_text(self, text_hash: str, disclosure: str) -> str | None:
        """The document with this text hash and disclosure ('' never matches): copies never cross
        a visibility boundary, so a restricted file cannot become a public document's original."""
        if not text_hash:
            return None
        row = self._db().execute("SELECT id FROM documents WHERE text_hash = ? AND disclosure = ?"
                                 " ORDER BY created_at LIMIT 1", (text_hash, disclosure)).fetchone()
        return row[0] if row else None

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

    def count_documents(self) -> int:
        return self._db().execute("SELECT count(*) FROM documents").fetchone()[0]

    def set_index_state(self, results: list[tuple[str, str]]) -> None:
        """Record each (doc_id, error) outcome: error '' means indexed."""
        with self.tx() as db:
            db.executemany(
                "UPDATE documents SET index_state = ?, index_error = ? WHERE id = ?",
                [("failed" if err else "indexed", err, doc_id) for doc_id, err in results],
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

    # -- failures and bundles ------------------------------------------

    def known_failure(self, sha256: str, suffix: str = "") -> dict | None:
        """The recorded failure of this content under this extension, or None."""
        row = self._db().execute("SELECT * FROM failures WHERE sha256 = ? AND suffix = ?",
                                 (sha256, suffix.lower())).fetchone()
        return dict(row) if row else None

    def set_failure(self, sha256: str, path: str, stage: str, reason: str, run_id: int,
                    suffix: str = "", kind: str = "file") -> None:
        with self.tx() as db:
            db.execute("INSERT OR REPLACE INTO failures (sha256, suffix, path, stage, reason, run_id, at, kind)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       (sha256, suffix.lower(), path, stage, reason, run_id, time.time(), kind))

    def clear_failure(self, sha256: str) -> None:
        with self.tx() as db:
            db.execute("DELETE FROM failures WHERE sha256 = ?", (sha256,))

    def add_bundle(self, sha256: str, filename: str, source: str, size: int, members: int,
                   run_id: int) -> None:
        """Record a received zip (its blob is stored too); re-recording updates the member count."""
        with self.tx() as db:
            db.execute("INSERT INTO bundles (sha256, filename, source, size, members, run_id, added_at)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(sha256) DO UPDATE SET"
                       " members = excluded.members",
                       (sha256, filename, source, size, members, run_id, time.time()))

    def bundle(self, sha256: str) -> dict | None:
        row = self._db().execute("SELECT * FROM bundles WHERE sha256 = ?", (sha256,)).fetchone()
        return dict(row) if row else None

    # -- runs ------------------------------------------------------------

    def start_run(self, args: list[str]) -> int:
        with self.tx() as db:
            cur = db.execute("INSERT INTO runs (started_at, args) VALUES (?, ?)",
                             (time.time(), json.dumps(args, ensure_ascii=False)))
            return cur.lastrowid

    def finish_run(self, run_id: int, report: str = "") -> None:
        with self.tx() as db:
            db.execute("UPDATE runs SET finished_at = ?, state = 'finished', report = ? WHERE id = ?",
                       (time.time(), report, run_id))

    def mark_interrupted_runs(self) -> list[int]:
        """Mark runs that never finished (killed) as interrupted; call only while holding the ingest lock."""
        with self.tx() as db:
            ids = [r[0] for r in db.execute(
                "SELECT id FROM runs WHERE finished_at IS NULL AND state != 'interrupted'")]
            db.execute("UPDATE runs SET state = 'interrupted' WHERE finished_at IS NULL")
        return ids

    def run(self, run_id: int) -> dict | None:
        row = self._db().execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        return dict(row) if row else None

    def record_file(self, run_id: int, path: str, status: str, *, stage: str = "",
                    reason: str = "", sha256: str = "", doc_id: str = "", kind: str = "") -> None:
        """One row per input file of a run: ingested, skipped (already present) or failed (with its kind)."""
        with self.tx() as db:
            db.execute(
                "INSERT INTO run_files (run_id, path, status, stage, reason, sha256, doc_id, at, kind)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (run_id, path, status, stage, reason, sha256, doc_id, time.time(), kind),
            )

    def run_files(self, run_id: int, status: str | None = None) -> list[dict]:
        sql = "SELECT * FROM run_files WHERE run_id = ?" + (" AND status = ?" if status else "")
        return [dict(r) for r in self._db().execute(sql, (run_id, status) if status else (run_id,))]


def _doc(row: sqlite3.Row) -> dict:
    doc = dict(row)
    doc["extra"] = json.loads(doc["extra"])
    doc["warnings"] = json.loads(doc["warnings"])
    return doc


class _Tx:
    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, *_):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False
