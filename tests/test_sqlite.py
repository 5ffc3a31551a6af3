"""The one SQLite helper: a block is one transaction, and the connection is closed after it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.adapters import sqlite


def test_a_block_commits_and_closes_its_connection(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "file.sqlite"
    with sqlite.connect(path, setup=["CREATE TABLE IF NOT EXISTS t (x INTEGER)"]) as conn:
        conn.execute("INSERT INTO t VALUES (1)")
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        conn.execute("SELECT 1")
    with sqlite.connect(path) as again:
        assert again.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_a_block_that_raises_writes_nothing_and_still_closes(tmp_path: Path) -> None:
    path = tmp_path / "file.sqlite"
    with sqlite.connect(path, setup=["CREATE TABLE IF NOT EXISTS t (x INTEGER)"]):
        pass
    with pytest.raises(RuntimeError), sqlite.connect(path) as conn:
        conn.execute("INSERT INTO t VALUES (2)")
        raise RuntimeError("half-way")
    with pytest.raises(sqlite3.ProgrammingError):
        conn.execute("SELECT 1")
    with sqlite.connect(path) as again:
        assert again.execute("SELECT count(*) FROM t").fetchone() == (0,)
