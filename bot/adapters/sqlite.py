"""The one way Koers opens its small SQLite files (sessions, schools, API keys, sentence vectors).

``with connect(path) as conn:`` is one short-lived connection and one transaction: it commits when the block
ends, rolls back when it raises, and always closes. (A bare ``with sqlite3.connect(...)`` commits but never
closes: the file stays open until the garbage collector finds the connection.) Short-lived, because the API
serves requests from several threads and a connection must not cross them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

Connection = sqlite3.Connection
DatabaseError = sqlite3.DatabaseError


@contextmanager
def connect(path: Path, *, setup: Sequence[str] = (), timeout: float = 5.0) -> Iterator[sqlite3.Connection]:
    """A connection to ``path`` (its folder made when missing) that runs the ``setup`` statements (pragmas,
    ``CREATE TABLE IF NOT EXISTS``) first, commits or rolls back the block, and closes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, timeout=timeout)
    try:
        for statement in setup:
            conn.execute(statement)
        with conn:
            yield conn
    finally:
        conn.close()
