"""Rebuilds of a table an older catalog holds in an outdated layout, and the VACUUM that hands the
space they free back to the file system."""
from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

from .schema import PAGES_TABLE

log = logging.getLogger(__name__)

REBUILD_WAIT_MS = 3_600_000  # another process may be rebuilding the table: wait for it, not the usual 30 s


def without_rowid(db: sqlite3.Connection, table: str) -> bool:
    """Whether `table` is a WITHOUT ROWID table (it has no rowid to select)."""
    try:
        db.execute(f"SELECT rowid FROM {table} LIMIT 0")
    except sqlite3.OperationalError as e:
        if "no such column" in str(e):
            return True
        raise
    return False


def free_bytes(db: sqlite3.Connection) -> int:
    """Bytes of the catalog file in free pages (reused by new rows; VACUUM gives them back)."""
    return db.execute("PRAGMA freelist_count").fetchone()[0] * db.execute("PRAGMA page_size").fetchone()[0]


def rebuild_pages(db: sqlite3.Connection) -> int | None:
    """Copy a WITHOUT ROWID `pages` table (catalogs before issue 18) into the rowid layout of
    schema.PAGES_TABLE in one transaction; returns the pages copied, None if the layout is already new.

    Killed or failing midway (disk full), the transaction leaves the old table whole and the next open
    starts again. The old table's space stays in the file as free pages, which new rows reuse; only
    `compact` (VACUUM, an explicit step: it rewrites the whole file) shrinks the file."""
    if not without_rowid(db, "pages"):
        return None
    started = time.perf_counter()
    foreign_keys = db.execute("PRAGMA foreign_keys").fetchone()[0]
    busy_ms = db.execute("PRAGMA busy_timeout").fetchone()[0]
    db.execute("PRAGMA foreign_keys=OFF")  # else DROP TABLE first deletes the old rows one by one
    db.execute(f"PRAGMA busy_timeout={REBUILD_WAIT_MS}")
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            if not without_rowid(db, "pages"):  # another process rebuilt it while this one waited
                db.execute("ROLLBACK")
                return None
            db.execute(PAGES_TABLE.format(name="pages_rebuilt"))
            copied = db.execute("INSERT INTO pages_rebuilt (doc_id, page_no, text)"
                                " SELECT doc_id, page_no, text FROM pages ORDER BY doc_id, page_no").rowcount
            held = db.execute("SELECT count(*) FROM pages").fetchone()[0]
            if copied != held:
                raise sqlite3.DatabaseError(f"pages rebuild copied {copied} of {held} rows; left as it was")
            db.execute("DROP TABLE pages")
            db.execute("ALTER TABLE pages_rebuilt RENAME TO pages")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:  # SQLite rolls back by itself on some errors (disk full)
                db.execute("ROLLBACK")
            raise
    finally:
        db.execute(f"PRAGMA foreign_keys={foreign_keys}")
        db.execute(f"PRAGMA busy_timeout={busy_ms}")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the copy went through the WAL: do not keep it that large
    log.info("catalog pages table rebuilt as a rowid table: %d pages in %.1f s; %.0f MB of the file are free"
             " pages until it is compacted (VACUUM)", copied, time.perf_counter() - started, free_bytes(db) / 1e6)
    return copied


def compact(path: Path) -> tuple[int, int]:
    """VACUUM the catalog at `path`: rewrite the file without its free pages (after rebuild_pages, the old
    table's); (bytes before, bytes after).

    An explicit step, never part of opening a catalog: it rewrites the whole file (about as long as the
    rebuild itself), needs that much free disk again for its copy, and blocks every writer meanwhile."""
    db = sqlite3.connect(path, timeout=30, isolation_level=None)
    try:
        before = Path(path).stat().st_size
        db.execute("VACUUM")
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return before, Path(path).stat().st_size
    finally:
        db.close()
