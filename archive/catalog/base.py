"""The catalog's connection handling, shared by its parts: one SQLite connection per thread."""
from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class CatalogBase:
    """Connections (one per thread, WAL) and transactions over the catalog file at `path`."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()

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

    def tx(self) -> Tx:
        """A write transaction: `with catalog.tx() as db:` commits on success, rolls back on error."""
        return Tx(self._db(), "BEGIN IMMEDIATE")

    def snapshot(self) -> Tx:
        """A read transaction: every read inside sees the catalog as of its first read."""
        return Tx(self._db(), "BEGIN")


class Tx:
    def __init__(self, db: sqlite3.Connection, begin: str):
        self.db, self.begin = db, begin

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute(self.begin)
        return self.db

    def __exit__(self, exc_type: type | None, *_: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
