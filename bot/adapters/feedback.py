"""Thumbs up or down on an answer, from the widget or the app, so a school and the team see what fails.

What is kept: when, which school, which answer (a random id the API gave it), up or down, an optional comment
scrubbed of personal data and people's names (``scrub``, in Koers
``bot.understand.guard.scrub_for_storage``), and the routes and cited documents of that answer, in the
database (``bot.adapters.database``). What is never kept: the student's message or the answer text, so
feedback cannot be traced back to a conversation.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy import Engine

from bot.adapters.tables import feedback

Rating = Literal["up", "down"]


@dataclass(frozen=True)
class Feedback:
    created_at: datetime
    school: str
    answer_id: str
    rating: Rating
    comment: str
    routes: list[str]
    sources: list[str]


class FeedbackStore:
    def __init__(self, engine: Engine, *, scrub: Callable[[str], str]) -> None:
        self._engine = engine
        self._scrub = scrub

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
            created_at=datetime.now(UTC),
            school=school,
            answer_id=answer_id,
            rating=rating,
            comment=self._scrub(comment.strip())[:500] if comment.strip() else "",
            routes=list(routes),
            sources=list(sources),
        )
        with self._engine.begin() as conn:
            conn.execute(sa.insert(feedback).values(**item.__dict__))
        return item

    def list(self, school: str | None = None) -> list[Feedback]:
        """Stored feedback, oldest first; only ``school``'s when given."""
        query = sa.select(feedback).order_by(feedback.c.id)
        if school is not None:
            query = query.where(feedback.c.school == school)
        with self._engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            Feedback(
                created_at=row["created_at"],
                school=row["school"],
                answer_id=row["answer_id"],
                rating=row["rating"],
                comment=row["comment"],
                routes=list(row["routes"]),
                sources=list(row["sources"]),
            )
            for row in rows
        ]
