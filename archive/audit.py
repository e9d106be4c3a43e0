"""The audit log: who did what to which document, and when. Append-only."""
from __future__ import annotations

import csv
import io
import json
import time

from .catalog import Catalog

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,        -- ingest, edit, disclosure, view, download, login, user
    doc_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
"""


class AuditLog:
    """Records staff actions in the catalog database."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        catalog._db().executescript(SCHEMA)

    def record(self, actor: str, action: str, doc_id: str = "", **detail) -> None:
        with self.catalog.tx() as db:
            db.execute("INSERT INTO audit (at, actor, action, doc_id, detail) VALUES (?, ?, ?, ?, ?)",
                       (time.time(), actor, action, doc_id, json.dumps(detail, ensure_ascii=False)))

    def entries(self, limit: int = 200, offset: int = 0, action: str = "") -> list[dict]:
        """Newest first."""
        sql = "SELECT * FROM audit" + (" WHERE action = ?" if action else "") + " ORDER BY id DESC LIMIT ? OFFSET ?"
        args = ((action,) if action else ()) + (limit, offset)
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in self.catalog._db().execute(sql, args)]

    def actions(self) -> list[str]:
        """The distinct actions recorded so far, sorted."""
        return [r[0] for r in self.catalog._db().execute("SELECT DISTINCT action FROM audit ORDER BY action")]

    def count(self, action: str = "") -> int:
        sql = "SELECT count(*) FROM audit" + (" WHERE action = ?" if action else "")
        return self.catalog._db().execute(sql, (action,) if action else ()).fetchone()[0]

    def csv(self, action: str = "") -> str:
        """The whole log (or one action's entries) as CSV, time in ISO 8601 UTC; cells that a
        spreadsheet would run as a formula (=, +, -, @ first) are prefixed with a quote."""
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["time", "actor", "action", "doc_id", "detail"])
        sql = "SELECT * FROM audit" + (" WHERE action = ?" if action else "") + " ORDER BY id"
        for r in self.catalog._db().execute(sql, (action,) if action else ()):
            w.writerow([_cell(v) for v in (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r["at"])),
                                           r["actor"], r["action"], r["doc_id"], r["detail"])])
        return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
