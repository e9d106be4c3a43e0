"""Staff accounts: users with roles, hashed passwords, sessions that can be revoked, login throttling."""
from __future__ import annotations

import functools
import hashlib
import re
import time

from werkzeug.security import check_password_hash, generate_password_hash

from .catalog import Catalog
from .settings import Settings

ROLES = ("viewer", "editor", "admin")  # each role can do everything the ones before it can
_NAME = re.compile(r"^[\w.@-]{2,64}$")


class AccountError(ValueError):
    """A user request that cannot be done (bad name, weak password, unknown role)."""


class Throttled(Exception):
    """Too many recent failed sign-ins for this name or from this address."""


class Accounts:
    """Users of the staff side, stored in the catalog."""

    def __init__(self, catalog: Catalog, settings: Settings):
        self.catalog = catalog
        self.max_failures = settings.login_failures
        self.max_client_failures = settings.login_client_failures
        self.window_s = settings.login_window_s
        self.min_password = settings.min_password

    def add(self, username: str, password: str, role: str) -> None:
        """Create a user; AccountError if the name is taken or invalid, the password weak, the role unknown."""
        if not _NAME.match(username):
            raise AccountError("用户名须为 2–64 个字母、数字或 . @ - _")
        if role not in ROLES:
            raise AccountError(f"未知角色 {role!r}（可用：{', '.join(ROLES)}）")
        self._check_password(password)
        if not self.catalog.add_user(username, generate_password_hash(password), role):
            raise AccountError(f"用户 {username} 已存在")

    def set_password(self, username: str, password: str) -> None:
        """A new password; every session of the user ends."""
        self._check_password(password)
        self.catalog.update_user(username, password_hash=generate_password_hash(password))

    def set_role(self, username: str, role: str, disabled: bool = False) -> None:
        """A new role (or disabled); every session of the user ends."""
        if role not in ROLES:
            raise AccountError(f"未知角色 {role!r}")
        self.catalog.update_user(username, role=role, disabled=int(disabled))

    def _check_password(self, password: str) -> None:
        if len(password) < self.min_password:
            raise AccountError(f"密码至少 {self.min_password} 个字符")

    def end_sessions(self, username: str) -> None:
        """Sign out every session of the user (logout revokes the cookie on the server too)."""
        self.catalog.end_sessions(username)

    def get(self, username: str) -> dict | None:
        """The user (without the password hash), or None; disabled users count as absent."""
        row = self.catalog.user(username)
        return {k: row[k] for k in ("username", "role", "created_at")} if row else None

    def all(self) -> list[dict]:
        return self.catalog.users()

    def session_key(self, username: str) -> str | None:
        """A fingerprint of the user's password hash and session version: sessions signed in before a
        logout, a password or role change, or for a disabled user, no longer match it."""
        row = self.catalog.user(username)
        if row is None:
            return None
        return hashlib.sha256(f"{row['password_hash']}\n{row['session_version']}".encode()).hexdigest()[:32]

    def client_throttled(self, client: str) -> bool:
        """Too many recent failed logins from this address, whatever names it tried."""
        since = time.time() - self.window_s
        return bool(client) and self.catalog.login_failures(client=client, since=since) >= self.max_client_failures

    def throttled(self, username: str) -> bool:
        """Too many recent failed logins for this name: refuse without checking the password."""
        return self.catalog.login_failures(username=username, since=time.time() - self.window_s) >= self.max_failures

    def authenticate(self, username: str, password: str, client: str = "") -> dict | None:
        """The user if the password is right, else None; Throttled when the name or address is over its
        limit. The attempt is counted before the password is checked, atomically, so that concurrent
        guesses never get more than the limit evaluated."""
        if self.catalog.reserve_login_attempt(username, client, self.window_s, self.max_failures,
                                              self.max_client_failures) is None:
            raise Throttled(username)
        row = self.catalog.user(username)
        # Hash even for unknown names so timing does not tell which names exist.
        ok = check_password_hash(row["password_hash"] if row else _dummy_hash(), password) and row is not None
        if ok:
            self.catalog.login_succeeded(username)
        return self.get(username) if ok else None


def can(role: str | None, needed: str) -> bool:
    """Whether `role` includes the rights of `needed` (viewer < editor < admin)."""
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check unknown names against (made on first login, not at import: it costs 0.1 s)."""
    return generate_password_hash("not a real password, only for timing")
