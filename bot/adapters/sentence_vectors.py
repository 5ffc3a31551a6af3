"""Sentence vectors kept on disk, so Koers answers as fast after a restart as it did before.

The offline composer compares the sentences of the retrieved passages with the question, and embedding them
is most of the time an answer takes. The corpus repeats, so the vectors are worth keeping: in memory
(bot.answer.select) and here, in a SQLite file beside the store.

Only passage sentences are written, never a student's message (bot.answer.select decides which texts
those are).
A row's key is a SHA-256 of the model and the sentence, so another model never reads these vectors. It is
a cache: when the file cannot be read or written, Koers embeds again, logs it once, and nothing is lost.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from pathlib import Path

import numpy as np

from bot.adapters import sqlite
from bot.core.ports import Embedder
from bot.core.text import condition_answer, quote_units

logger = logging.getLogger("koers")

MAX_ROWS = 200_000  # ~300 MB for a 384-dimensional model; past it the file starts again (sentences of
# deleted documents never leave otherwise)
_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)"
_BATCH = 500  # SQLite's limit on parameters per statement is 999 on old builds


class SentenceVectorFile:
    def __init__(self, path: Path, model: str) -> None:
        self.path = path
        self._model = model
        self._failed = False

    def _key(self, text: str) -> str:
        return hashlib.sha256(f"{self._model}\0{text}".encode()).hexdigest()

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        # A write-ahead log without a sync per write: a power cut may lose the newest vectors (they are
        # embedded again), never the file.
        setup = ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL", _SCHEMA]
        return sqlite.connect(self.path, setup=setup, timeout=2.0)

    def _give_up(self, exc: sqlite3.Error) -> None:
        """Stop using a file that cannot be used; a busy file (another process writing) is only skipped."""
        if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
            return
        if not self._failed:
            logger.warning(
                "Sentence vector cache %s is not used (%s). Answers still work; delete the file to start a "
                "new cache.",
                self.path,
                exc,
            )
        self._failed = True

    def get(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those ``texts`` that have one."""
        if not texts or self._failed or not self.path.exists():
            return {}
        keys = {self._key(text): text for text in texts}
        found: dict[str, np.ndarray] = {}
        try:
            with self._connect() as conn:
                ordered = list(keys)
                for start in range(0, len(ordered), _BATCH):
                    part = ordered[start : start + _BATCH]
                    rows = conn.execute(
                        f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part
                    ).fetchall()
                    for key, blob in rows:
                        found[keys[key]] = np.frombuffer(blob, dtype=np.float32)
        except sqlite3.Error as exc:
            self._give_up(exc)
            return {}
        return found

    def put(self, vectors: Mapping[str, np.ndarray]) -> None:
        """Store these vectors, all of them or (when the file is busy or broken) none."""
        if not vectors or self._failed:
            return
        rows = [(self._key(text), np.asarray(v, dtype=np.float32).tobytes()) for text, v in vectors.items()]
        try:
            with self._connect() as conn:  # one transaction: a crash leaves the file as it was
                (count,) = conn.execute("SELECT count(*) FROM vectors").fetchone()
                if count + len(rows) > MAX_ROWS:
                    conn.execute("DELETE FROM vectors")
                conn.executemany("INSERT OR IGNORE INTO vectors (key, vector) VALUES (?, ?)", rows)
        except sqlite3.Error as exc:
            self._give_up(exc)


FILL_BATCH = 256  # sentences per model call while filling; the progress bar moves once per batch


def fill(
    disk: SentenceVectorFile,
    embedder: Embedder,
    texts: Iterable[str],
    on_progress: Callable[[int, int], None] | None = None,
) -> int:
    """Embed and store the quote units of ``texts`` (passages: their sentences and short lists) the file
    lacks, as the answer compares them (:func:`bot.core.text.condition_answer`); returns how many that were.

    ``koers run`` calls this after the ingest, so even the first questions after an install are fast.
    """
    wanted = sorted({condition_answer(s) for text in texts for s in quote_units(text)})
    known = disk.get(wanted)
    missing = [s for s in wanted if s not in known]
    for start in range(0, len(missing), FILL_BATCH):
        batch = missing[start : start + FILL_BATCH]
        vectors = np.asarray(embedder.embed(batch, kind="query"), dtype=np.float32)
        disk.put(dict(zip(batch, vectors, strict=True)))
        if on_progress:
            on_progress(start + len(batch), len(missing))
    return len(missing)
