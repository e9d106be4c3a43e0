"""The SQLite catalog, the archive's one source of truth: documents, page texts and originals, the
outbox of changes the search indexes follow, ingest runs, staff accounts and the audit log.

Nothing outside this package writes SQL; every table and every migration lives here.
"""
from __future__ import annotations

from pathlib import Path

from .documents import DOCUMENT_FIELDS, DocumentsMixin, document_id
from .migrations import rebuild_pages
from .people import PeopleMixin
from .review import ReviewMixin
from .runs import RunsMixin
from .schema import ADDED_COLUMNS, POST_MIGRATION, SCHEMA

__all__ = ["Catalog", "DOCUMENT_FIELDS", "document_id"]


class Catalog(DocumentsMixin, RunsMixin, PeopleMixin, ReviewMixin):
    """Thread-safe access to the catalog database (one connection per thread)."""

    def __init__(self, path: Path):
        super().__init__(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._db().executescript(SCHEMA)
        self._migrate()

    def _migrate(self) -> None:
        """Bring a catalog written by an older version up to date: rebuild the tables it holds in an old
        layout, add the columns it lacks (idempotent, race-safe)."""
        rebuild_pages(self._db())
        with self.tx() as db:
            for table, column, decl in ADDED_COLUMNS:
                have = {r[1] for r in db.execute(f"PRAGMA table_info({table})")}
                if column not in have:
                    db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {decl}")
        self._db().executescript(POST_MIGRATION)
