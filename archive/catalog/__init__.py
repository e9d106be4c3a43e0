"""The SQLite catalog, the archive's one source of truth: documents, page texts and originals, the
outbox of changes the search indexes follow, ingest runs, staff accounts and the audit log.

Nothing outside this package writes SQL; every table and every migration lives here.
"""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from .changes import ChangesMixin
from .documents import DOCUMENT_FIELDS, DocumentsMixin, document_id
from .people import PeopleMixin
from .runs import RunsMixin
from .schema import ADDED_COLUMNS, POST_MIGRATION, SCHEMA

__all__ = ["Catalog", "DOCUMENT_FIELDS", "document_id"]


class Catalog(DocumentsMixin, ChangesMixin, RunsMixin, PeopleMixin):
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

    def tx(self) -> "_Tx":
        """A write transaction: `with catalog.tx() as db:` commits on success, rolls back on error."""
        return _Tx(self._db(), "BEGIN IMMEDIATE")

    def snapshot(self) -> "_Tx":
        """A read transaction: every read inside sees the catalog as of its first read."""
        return _Tx(self._db(), "BEGIN")


class _Tx:
    def __init__(self, db: sqlite3.Connection, begin: str):
        self.db, self.begin = db, begin

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute(self.begin)
        return self.db

    def __exit__(self, exc_type, *_):
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
        return False
