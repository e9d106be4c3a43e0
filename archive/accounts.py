"""Staff accounts: users with roles, hashed passwords, and login throttling."""
from __future__ import annotations

import functools
import hashlib
import re
import time

from werkzeug.security import check_password_hash, generate_password_hash

from .catalog import Catalog

ROLES = ("viewer", "editor", "admin")  # each role can do everything the ones before it can
SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    created_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS login_failures (
    username TEXT NOT NULL,
    client TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS login_failures_at ON login_failures(username, at);
"""
_NAME = re.compile(r"^[\w.@-]{2,64}$")
MIN_PASSWORD = 10


class AccountError(ValueError):
    """A user request that cannot be done (bad name, weak password, unknown role)."""


class Accounts:
    """Users of the staff side, stored in the catalog database."""

    def __init__(self, catalog: Catalog, max_failures: int = 5, window_s: float = 900.0):
        self.catalog = catalog
        self.max_failures = max_failures
        self.window_s = window_s
        catalog._db().executescript(SCHEMA)

    def add(self, username: str, password: str, role: str) -> None:
        """Create a user; AccountError if the name is taken or invalid, the password weak, the role unknown."""
        if not _NAME.match(username):
            raise AccountError("用户名须为 2–64 个字母、数字或 . @ - _")
        if role not in ROLES:
            raise AccountError(f"未知角色 {role!r}（可用：{', '.join(ROLES)}）")
        _check_password(password)
        with self.catalog.tx() as db:
            if db.execute("SELECT 1 FROM users WHERE username = ?", (username,)).fetchone():
                raise AccountError(f"用户 {username} 已存在")
            db.execute("INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)",
                       (username, generate_password_hash(password), role, time.time()))

    def set_password(self, username: str, password: str) -> None:
        _check_password(password)
        with self.catalog.tx() as db:
            db.execute("UPDATE users SET password_hash = ? WHERE username = ?",
                       (generate_password_hash(password), username))

    def set_role(self, username: str, role: str, disabled: bool = False) -> None:
        if role not in ROLES:
            raise AccountError(f"未知角色 {role!r}")
        with self.catalog.tx() as db:
            db.execute("UPDATE users SET role = ?, disabled = ? WHERE username = ?",
                       (role, int(disabled), username))

    def get(self, username: str) -> dict | None:
        """The user (without the password hash), or None; disabled users count as absent."""
        row = self.catalog._db().execute(
            "SELECT username, role, created_at FROM users WHERE username = ? AND disabled = 0",
            (username,)).fetchone()
        return dict(row) if row else None

    def all(self) -> list[dict]:
        return [dict(r) for r in self.catalog._db().execute(
            "SELECT username, role, disabled, created_at FROM users ORDER BY username")]

    def session_key(self, username: str) -> str | None:
        """A fingerprint of the user's password hash: sessions signed in before a password change,
        or for a disabled user, no longer match it. None for unknown or disabled users."""
        row = self.catalog._db().execute(
            "SELECT password_hash FROM users WHERE username = ? AND disabled = 0", (username,)).fetchone()
        return hashlib.sha256(row[0].encode()).hexdigest()[:32] if row else None

    def client_throttled(self, client: str, limit: int = 30) -> bool:
        """Too many recent failed logins from this address, whatever names it tried."""
        if not client:
            return False
        since = time.time() - self.window_s
        n = self.catalog._db().execute(
            "SELECT count(*) FROM login_failures WHERE client = ? AND at > ?", (client, since)).fetchone()[0]
        return n >= limit

    def throttled(self, username: str) -> bool:
        """Too many recent failed logins for this name: refuse without checking the password."""
        since = time.time() - self.window_s
        n = self.catalog._db().execute(
            "SELECT count(*) FROM login_failures WHERE username = ? AND at > ?", (username, since)).fetchone()[0]
        return n >= self.max_failures

    def authenticate(self, username: str, password: str, client: str = "") -> dict | None:
        """The user if the password is right and the name not throttled; failures are counted."""
        if self.throttled(username):
            return None
        row = self.catalog._db().execute(
            "SELECT password_hash FROM users WHERE username = ? AND disabled = 0", (username,)).fetchone()
        # Hash even for unknown names so timing does not tell which names exist.
        ok = check_password_hash(row[0] if row else _dummy_hash(), password) and row is not None
        with self.catalog.tx() as db:
            if ok:
                db.execute("DELETE FROM login_failures WHERE username = ?", (username,))
            else:
                db.execute("INSERT INTO login_failures (username, client, at) VALUES (?, ?, ?)",
                           (username, client, time.time()))
        return self.get(username) if ok else None


def can(role: str | None, needed: str) -> bool:
    """Whether `role` includes the rights of `needed` (viewer < editor < admin)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符")


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check unknown names against (made on first login, not at import: it costs 0.1 s)."""
    return generate_password_hash("not a real password, only for timing")
