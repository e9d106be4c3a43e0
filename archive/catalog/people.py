"""Staff accounts, failed sign-ins and the audit log of the Catalog."""
from __future__ import annotations

import json
import time

from .base import CatalogBase


class PeopleMixin(CatalogBase):
    """Users, login failures and audit entries of the Catalog (rules live in archive.accounts and .audit)."""

    # -- users -----------------------------------------------------------

    def add_user(self, username: str, password_hash: str, role: str) -> bool:
        """Create a user; False if the name is taken."""
        with self.tx() as db:
            if db.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
                return False
            db.execute("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                       (username, password_hash, role, time.time()))
            return True

    def update_user(self, username: str, **values: str | int) -> None:
        """Set password_hash, role or disabled; every change also signs the user's sessions out."""
        allowed = {"password_hash", "role", "disabled"}
        if set(values) - allowed:
            raise ValueError(f"not user fields: {sorted(set(values) - allowed)}")
        sets = "".join(f"{k} = ?, " for k in values)
        with self.tx() as db:
            db.execute(f"UPDATE users SET {sets}session_version = session_version + 1 WHERE username = ?",
                       (*values.values(), username))

    def end_sessions(self, username: str) -> None:
        """Sign every session of the user out (logout)."""
        self.update_user(username)

    def user(self, username: str, enabled_only: bool = True) -> dict | None:
        """The user's row (with password_hash and session_version), or None."""
        row = self._db().execute("SELECT * FROM users WHERE username = ?" + (" AND disabled = 0" if enabled_only
                                                                           else ""), (username,)).fetchone()
        return dict(row) if row else None

    def users(self) -> list[dict]:
        return [dict(r) for r in self._db().execute(
            "SELECT username, role, disabled, created_at FROM users ORDER BY username")]

    # -- failed sign-ins ---------------------------------------------------

    def reserve_login_attempt(self, username: str, client: str, window_s: float, per_name: int,
                              per_client: int) -> int | None:
        """Atomically: if the name and the address are under their limits of failures in the window,
        count this attempt as a failure now (the rowid, to forget if the password is right); else None."""
        since = time.time() - window_s
        with self.tx() as db:
            n = db.execute("SELECT count(*) FROM login_failures WHERE username = ? AND at > ?",
                           (username, since)).fetchone()[0]
            m = db.execute("SELECT count(*) FROM login_failures WHERE client = ? AND at > ?",
                           (client, since)).fetchone()[0] if client else 0
            if n >= per_name or m >= per_client:
                return None
            return db.execute("INSERT INTO login_failures (username, client, at) VALUES (?, ?, ?)",
                              (username, client, time.time())).lastrowid

    def login_succeeded(self, username: str) -> None:
        with self.tx() as db:
            db.execute("DELETE FROM login_failures WHERE username = ?", (username,))

    def login_failures(self, username: str = "", client: str = "", since: float = 0.0) -> int:
        where, args = [], []
        if username:
            where.append("username = ?")
            args.append(username)
        if client:
            where.append("client = ?")
            args.append(client)
        sql = "SELECT count(*) FROM login_failures WHERE at > ?" + "".join(f" AND {w}" for w in where)
        return self._db().execute(sql, (since, *args)).fetchone()[0]

    # -- audit -----------------------------------------------------------

    def add_audit(self, actor: str, action: str, doc_id: str, detail: dict) -> None:
        with self.tx() as db:
            db.execute("INSERT INTO audit (at, actor, action, doc_id, detail) VALUES (?, ?, ?, ?, ?)",
                       (time.time(), actor, action, doc_id, json.dumps(detail, ensure_ascii=False)))

    def audit_entries(self, limit: int | None = 200, offset: int = 0, action: str = "",
                      oldest_first: bool = False) -> list[dict]:
        """Audit rows (detail decoded), newest first unless `oldest_first`; limit None for all."""
        sql = "SELECT * FROM audit" + (" WHERE action = ?" if action else "")
        sql += " ORDER BY id" + ("" if oldest_first else " DESC") + " LIMIT ? OFFSET ?"
        args = ((action,) if action else ()) + (-1 if limit is None else limit, offset)
        return [{**dict(r), "detail": json.loads(r["detail"])} for r in self._db().execute(sql, args)]

    def audit_actions(self) -> list[str]:
        return [r[0] for r in self._db().execute("SELECT DISTINCT action FROM audit ORDER BY action")]

    def audit_count(self, action: str = "") -> int:
        sql = "SELECT count(*) FROM audit" + (" WHERE action = ?" if action else "")
        return self._db().execute(sql, (action,) if action else ()).fetchone()[0]
