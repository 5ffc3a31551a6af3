"""Thumbs up or down on an answer, from the widget or the app, so a school and the team see what fails.

What is kept: when, which school, which answer (a random id the API gave it), up or down, an optional comment
scrubbed of personal data and people's names (``scrub``, in Koers
``bot.understand.guard.scrub_for_storage``), and the routes and cited documents of that answer. What is
never kept: the student's message or the answer text, so feedback cannot be traced back to a conversation.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from bot.adapters import sqlite

Rating = Literal["up", "down"]
_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    school TEXT NOT NULL,
    answer_id TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL,
    routes TEXT NOT NULL,
    sources TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Feedback:
    created_at: str
    school: str
    answer_id: str
    rating: Rating
    comment: str
    routes: list[str]
    sources: list[str]


class FeedbackStore:
    def __init__(self, path: Path, *, scrub: Callable[[str], str]) -> None:
        self._path = path
        self._scrub = scrub

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.connect(self._path, setup=[_SCHEMA])

    def add(
        self,
        *,
        school: str,
        answer_id: str,
        rating: Rating,
        comment: str = "",
        routes: Sequence[str] = (),
        sources: Sequence[str] = (),
    ) -> Feedback:
        """Store one rating; the comment is scrubbed before it is written. Returns what was stored."""
        item = Feedback(
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
            school=school,
            answer_id=answer_id,
            rating=rating,
            comment=self._scrub(comment.strip()) if comment.strip() else "",
            routes=list(routes),
            sources=list(sources),
        )
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO feedback (created_at, school, answer_id, rating, comment, routes, sources) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    item.created_at,
                    item.school,
                    item.answer_id,
                    item.rating,
                    item.comment,
                    json.dumps(item.routes),
                    json.dumps(item.sources),
                ),
            )
        return item

    def list(self, school: str | None = None) -> list[Feedback]:
        """Stored feedback, oldest first; only ``school``'s when given."""
        if not self._path.exists():
            return []
        query = "SELECT created_at, school, answer_id, rating, comment, routes, sources FROM feedback"
        params: tuple[str, ...] = ()
        if school is not None:
            query += " WHERE school = ?"
            params = (school,)
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY id", params).fetchall()
        return [
            Feedback(
                created_at=row[0],
                school=row[1],
                answer_id=row[2],
                rating=row[3],
                comment=row[4],
                routes=json.loads(row[5]),
                sources=json.loads(row[6]),
            )
            for row in rows
        ]
