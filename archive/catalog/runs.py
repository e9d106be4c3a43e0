"""Ingest runs, one row per input file, remembered failures and received ZIP bundles."""
from __future__ import annotations

import json
import time

from .base import CatalogBase


class RunsMixin(CatalogBase):
    """Runs, run files, failures and bundles of the Catalog."""

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

    def start_run(self, args: list[str], options: dict | None = None) -> int:
        """A new run over `args` (paths), with the `options` it needs to be resumed (disclosure …)."""
        with self.tx() as db:
            cur = db.execute("INSERT INTO runs (started_at, args, options) VALUES (?, ?, ?)",
                             (time.time(), json.dumps(args, ensure_ascii=False),
                              json.dumps(options or {}, ensure_ascii=False)))
            return int(cur.lastrowid or 0)

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

    def recent_runs(self, limit: int) -> list[dict]:
        """The newest runs, each with `counts` per file status and the number of `inputs` it was given."""
        db = self._db()
        runs = [dict(r) for r in db.execute("SELECT id, started_at, finished_at, state, args, options FROM runs"
                                            " ORDER BY id DESC LIMIT ?", (limit,))]
        for run in runs:
            run["counts"] = {r[0]: r[1] for r in db.execute(
                "SELECT status, count(*) FROM run_files WHERE run_id = ? GROUP BY status", (run["id"],))}
            run["inputs"] = len(json.loads(run["args"] or "[]"))
        return runs

    def run(self, run_id: int) -> dict | None:
        if not 0 < run_id < 2**63:  # SQLite integers: a larger number is no run (not an error)
            return None
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
