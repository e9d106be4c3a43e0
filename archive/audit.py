"""The audit log: who did what to which document, and when. Append-only (stored by the Catalog)."""
from __future__ import annotations

import csv
import io
import json
import time

from .catalog import Catalog


class AuditLog:
    """Records staff actions and reads them back."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def record(self, actor: str, action: str, doc_id: str = "", **detail: object) -> None:
        self.catalog.add_audit(actor, action, doc_id, detail)

    def entries(self, limit: int = 200, offset: int = 0, action: str = "") -> list[dict]:
        """Newest first."""
        return self.catalog.audit_entries(limit, offset, action)

    def actions(self) -> list[str]:
        """The distinct actions recorded so far, sorted."""
        return self.catalog.audit_actions()

    def count(self, action: str = "") -> int:
        return self.catalog.audit_count(action)

    def csv(self, action: str = "") -> str:
        """The whole log (or one action's entries) as CSV, time in ISO 8601 UTC; cells that a
        spreadsheet would run as a formula (=, +, -, @ first) are prefixed with a quote."""
        out = io.StringIO()
        w = csv.writer(out)
        w.writerow(["time", "actor", "action", "doc_id", "detail"])
        for r in self.catalog.audit_entries(None, 0, action, oldest_first=True):
            detail = json.dumps(r["detail"], ensure_ascii=False)
            w.writerow([_cell(v) for v in (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(r["at"])),
                                           r["actor"], r["action"], r["doc_id"], detail)])
        return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
