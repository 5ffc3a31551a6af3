"""School-scoped admin API keys. Only a SHA-256 hash of each key is stored; the key is shown once.

Keys are 256-bit random tokens, so a fast hash is enough (there is nothing to brute-force as with a
password); comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from contextlib import AbstractContextManager
from pathlib import Path

from bot.adapters import sqlite

PREFIX = "koers_"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    key_id TEXT PRIMARY KEY,
    school TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (datetime('now')),
    revoked INTEGER NOT NULL DEFAULT 0
)
"""


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiKeys:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        with self._connect() as conn:
            conn.execute(_SCHEMA)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.connect(self._path)

    def create(self, school: str) -> str:
        """Make a new key for ``school`` and return it; it cannot be shown again."""
        key_id = secrets.token_hex(4)
        key = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO api_keys (key_id, school, sha256) VALUES (?, ?, ?)", (key_id, school, _hash(key))
            )
        return key

    def school_for(self, key: str) -> str | None:
        """The school a valid, unrevoked key belongs to, else None."""
        parts = key.split("_")
        if not key.startswith(PREFIX) or len(parts) < 3:
            return None
        with self._connect() as conn:
            row = conn.execute(
                "SELECT school, sha256 FROM api_keys WHERE key_id = ? AND revoked = 0", (parts[1],)
            ).fetchone()
        if row is None or not hmac.compare_digest(row[1], _hash(key)):
            return None
        return str(row[0])

    def revoke(self, key_id: str) -> bool:
        with self._connect() as conn:
            return conn.execute("UPDATE api_keys SET revoked = 1 WHERE key_id = ?", (key_id,)).rowcount > 0

    def list(self) -> list[tuple[str, str, str, bool]]:
        """(key_id, school, created_at, revoked) for every key."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT key_id, school, created_at, revoked FROM api_keys ORDER BY created_at"
            )
            return [(r[0], r[1], r[2], bool(r[3])) for r in rows]
