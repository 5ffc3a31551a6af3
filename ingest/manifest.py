"""The ingest manifest (SQLite): which file, with which content hash, produced which chunks.

One row per (school, origin, path). A row is written only after the file's chunks are in the store, in one
SQLite transaction, so after a crash the manifest never claims more than the store holds.
"""

from __future__ import annotations

import json
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from bot.adapters import sqlite

FileStatus = Literal["ok", "failed"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    school TEXT NOT NULL,
    origin TEXT NOT NULL,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    chunk_ids TEXT NOT NULL,
    status TEXT NOT NULL,
    error TEXT NOT NULL DEFAULT '',
    conflicts TEXT NOT NULL DEFAULT '[]',
    updated_at TEXT NOT NULL DEFAULT (datetime('now')),
    PRIMARY KEY (school, origin, path)
)
"""


@dataclass(frozen=True)
class FileRecord:
    school: str
    origin: str
    path: str
    sha256: str  # the file's content hash plus how it was split (Ingestor._file_key)
    doc_id: str
    chunk_ids: tuple[str, ...]
    status: FileStatus
    error: str = ""
    conflicts: tuple[str, ...] = ()  # sentences left out: only the national information may say them


class Manifest:
    def __init__(self, path: Path) -> None:
        self._path = path
        with self._connect() as conn:
            conn.execute(_SCHEMA)
            columns = {row[1] for row in conn.execute("PRAGMA table_info(files)")}
            if "conflicts" not in columns:  # a manifest written before conflicts were kept
                conn.execute("ALTER TABLE files ADD COLUMN conflicts TEXT NOT NULL DEFAULT '[]'")

    def _connect(self) -> AbstractContextManager[Any]:
        # One short-lived connection per call (the API's worker threads share the manifest; callers
        # serialise writes, see ingest.library), with a full sync: the manifest says what the store holds.
        return sqlite.connect(self._path, setup=["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL"])

    def records(self, *, school: str, origin: str) -> dict[str, FileRecord]:
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT school, origin, path, sha256, doc_id, chunk_ids, status, error, conflicts FROM files "
                "WHERE school = ? AND origin = ?",
                (school, origin),
            ).fetchall()
        return {
            row[2]: FileRecord(
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                tuple(json.loads(row[5])),
                row[6],
                row[7],
                tuple(json.loads(row[8])),
            )
            for row in rows
        }

    def put(self, record: FileRecord) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO files"
                " (school, origin, path, sha256, doc_id, chunk_ids, status, error, conflicts)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (record.school, record.origin, record.path, record.sha256, record.doc_id,
                 json.dumps(list(record.chunk_ids)), record.status, record.error,
                 json.dumps(list(record.conflicts), ensure_ascii=False)),
            )  # fmt: skip

    def remove(self, *, school: str, origin: str, path: str) -> None:
        with self._connect() as conn:
            conn.execute(
                "DELETE FROM files WHERE school = ? AND origin = ? AND path = ?", (school, origin, path)
            )

    def close(self) -> None:
        """Nothing stays open between calls; kept so callers can say they are done."""
