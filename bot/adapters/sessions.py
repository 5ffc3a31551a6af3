"""Optional server-side conversations, for clients that cannot keep the history themselves.

Off by default: the API is stateless and the client sends the history. A school that turns sessions on
(``KOERS_SESSIONS__ENABLED=true``) lets a client start a conversation and send only its id. Then:

* messages are scrubbed of personal data and people's names (``scrub``, in Koers
  ``bot.understand.guard.scrub_for_storage``) before they are written;
* only the last ``max_messages`` are kept, and a conversation is deleted ``ttl_minutes`` after its last
  message (expired ones are purged on every write), or at once when the client ends it;
* the id is a 192-bit random token and only its SHA-256 hash is stored, so the database alone does not
  give anyone access to a conversation.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.adapters import sqlite
from bot.core.errors import KoersError
from bot.core.schemas import Message

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    sha256 TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    sha256 TEXT NOT NULL REFERENCES sessions (sha256) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    role TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (sha256, position)
);
"""


GONE = "Dit gesprek is verlopen of bestaat niet meer. Begin een nieuw gesprek."


class SessionNotFound(KoersError):
    code = "session_not_found"
    http_status = 404


def _hash(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()


class SessionStore:
    def __init__(self, path: Path, *, ttl: timedelta, max_messages: int, scrub: Callable[[str], str]) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._path = path
        self._ttl = ttl
        self._max_messages = max_messages
        self._scrub = scrub  # personal data and names out, before anything is written
        with self._connect() as conn:
            conn.executescript(_SCHEMA)

    @property
    def ttl_minutes(self) -> int:
        return int(self._ttl.total_seconds() // 60)

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.connect(self._path, setup=["PRAGMA foreign_keys = ON"])

    def _expiry(self) -> str:
        return (datetime.now(UTC) + self._ttl).isoformat()

    @staticmethod
    def _purge(conn: sqlite3.Connection) -> None:
        conn.execute("DELETE FROM sessions WHERE expires_at <= ?", (datetime.now(UTC).isoformat(),))

    def start(self) -> str:
        """A new, empty conversation; returns its id (shown once, only its hash is kept)."""
        session_id = secrets.token_urlsafe(24)
        with self._connect() as conn:
            self._purge(conn)
            conn.execute("INSERT INTO sessions VALUES (?, ?)", (_hash(session_id), self._expiry()))
        return session_id

    def history(self, session_id: str) -> list[Message]:
        """The conversation so far, oldest first. Raises :class:`SessionNotFound` when it expired or never
        existed."""
        key = _hash(session_id)
        with self._connect() as conn:
            row = conn.execute("SELECT expires_at FROM sessions WHERE sha256 = ?", (key,)).fetchone()
            if row is None or row[0] <= datetime.now(UTC).isoformat():
                raise SessionNotFound(f"{GONE} (Client: POST /v1/sessions for a new session_id.)")
            rows = conn.execute(
                "SELECT role, content FROM messages WHERE sha256 = ? ORDER BY position", (key,)
            ).fetchall()
        return [Message(role=role, content=content) for role, content in rows]

    def append(self, session_id: str, messages: Sequence[Message]) -> None:
        """Add a turn (scrubbed), keep the newest ``max_messages`` and extend the conversation's life.

        One transaction: a crash leaves the conversation as it was before the turn, never half a turn."""
        key = _hash(session_id)
        with self._connect() as conn:
            self._purge(conn)
            extended = conn.execute(
                "UPDATE sessions SET expires_at = ? WHERE sha256 = ?", (self._expiry(), key)
            ).rowcount
            if not extended:
                raise SessionNotFound(GONE)
            (last,) = conn.execute(
                "SELECT COALESCE(MAX(position), -1) FROM messages WHERE sha256 = ?", (key,)
            ).fetchone()
            conn.executemany(
                "INSERT INTO messages VALUES (?, ?, ?, ?)",
                [(key, last + 1 + i, m.role, self._scrub(m.content)) for i, m in enumerate(messages)],
            )
            conn.execute(
                "DELETE FROM messages WHERE sha256 = ? AND position <= ?",
                (key, last + len(messages) - self._max_messages),
            )

    def end(self, session_id: str) -> bool:
        """Delete the conversation now; False when there was none."""
        with self._connect() as conn:
            return conn.execute("DELETE FROM sessions WHERE sha256 = ?", (_hash(session_id),)).rowcount > 0

    def stored_texts(self) -> list[str]:
        """Every stored message text (for audits and tests of what is kept)."""
        with self._connect() as conn:
            return [row[0] for row in conn.execute("SELECT content FROM messages")]
