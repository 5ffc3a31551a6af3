"""A mentor's class session: students join with a short code, no name, and what the class is curious about
is counted for the mentor's dashboard.

What is kept per session: its name, klas, leerweg and times; per student only the SHA-256 of a random token
(so the database alone lets no one act as a student); and *signals*: an interest, a recommended route, a
question topic (labels from Koers's own lists), or a question Koers could not answer, scrubbed of personal
data and names before it is written. Never a transcript, never which student said what. A session ends at
its end time or when the mentor ends it, and everything of it is deleted ``retention`` after that.
"""

from __future__ import annotations

import hashlib
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

import sqlalchemy as sa
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError

from bot.adapters.tables import class_sessions, mentor_codes, participants, session_signals
from bot.core.errors import KoersError

Signal = Literal["interest", "type", "route", "topic", "unanswered"]
# Join codes a student can read off the board and type: no 0/O, 1/I/L.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_CODE_LENGTH = 6


class SessionClosed(KoersError):
    code = "class_session_closed"
    http_status = 404


def _sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; every time Koers stores is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ClassSession:
    id: str
    school: str
    name: str
    klas: str
    leerweg: str | None
    join_code: str
    created_at: datetime
    ends_at: datetime
    ended_at: datetime | None

    def open_at(self, moment: datetime) -> bool:
        return self.ended_at is None and moment < self.ends_at


@dataclass(frozen=True)
class Summary:
    """What a mentor sees: counts, and the unanswered questions as typed (scrubbed); nothing per student."""

    participants: int
    interests: list[tuple[str, int]]
    types: list[tuple[str, int]]  # interest types from the quiz
    routes: list[tuple[str, int]]
    topics: list[tuple[str, int]]
    unanswered: list[str]


def _session(row: sa.RowMapping) -> ClassSession:
    return ClassSession(
        id=row["id"],
        school=row["school"],
        name=row["name"],
        klas=row["klas"],
        leerweg=row["leerweg"],
        join_code=row["join_code"],
        created_at=_aware(row["created_at"]),
        ends_at=_aware(row["ends_at"]),
        ended_at=_aware(row["ended_at"]) if row["ended_at"] else None,
    )


class ClassSessions:
    def __init__(
        self,
        engine: Engine,
        *,
        scrub: Callable[[str], str],
        retention: timedelta = timedelta(days=7),
        clock: Callable[[], datetime] = _now,
    ) -> None:
        self._engine = engine
        self._scrub = scrub
        self._retention = retention
        self._clock = clock

    def now(self) -> datetime:
        return self._clock()

    # Mentor codes: one or more per school, shown once, stored as a hash.
    def create_mentor_code(self, school: str) -> str:
        code = f"mentor-{secrets.token_urlsafe(12)}"
        with self._engine.begin() as conn:
            conn.execute(
                sa.insert(mentor_codes).values(
                    code_sha256=_sha256(code), school=school, created_at=self._clock()
                )
            )
        return code

    def school_for_mentor(self, code: str) -> str | None:
        with self._engine.connect() as conn:
            return conn.execute(
                sa.select(mentor_codes.c.school).where(mentor_codes.c.code_sha256 == _sha256(code))
            ).scalar_one_or_none()

    def start(
        self, school: str, *, name: str, klas: str, leerweg: str | None = None, minutes: int = 50
    ) -> ClassSession:
        """A new session with a join code no open session uses."""
        self.purge()
        now = self._clock()
        for _ in range(20):  # a clash of two random 6-letter codes is rare; try another
            values = {
                "id": secrets.token_hex(16),
                "school": school,
                "name": name,
                "klas": klas,
                "leerweg": leerweg,
                "join_code": "".join(secrets.choice(_CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH)),
                "created_at": now,
                "ends_at": now + timedelta(minutes=minutes),
                "ended_at": None,
                "delete_after": now + timedelta(minutes=minutes) + self._retention,
            }
            try:
                with self._engine.begin() as conn:
                    conn.execute(sa.insert(class_sessions).values(**values))
            except IntegrityError:
                continue
            return _session(values)  # type: ignore[arg-type]
        raise KoersError("Koers kon geen vrije deelnamecode maken. Probeer het opnieuw.")

    def get(self, session_id: str) -> ClassSession | None:
        with self._engine.connect() as conn:
            row = (
                conn.execute(sa.select(class_sessions).where(class_sessions.c.id == session_id))
                .mappings()
                .first()
            )
        return _session(row) if row else None

    def of_school(self, school: str) -> list[ClassSession]:
        """The school's sessions that are not deleted yet, newest first."""
        query = (
            sa.select(class_sessions)
            .where(class_sessions.c.school == school)
            .order_by(class_sessions.c.created_at.desc())
        )
        with self._engine.connect() as conn:
            return [_session(row) for row in conn.execute(query).mappings()]

    def join(self, join_code: str) -> tuple[ClassSession, str]:
        """Join an open session; returns it and the student's token (only its hash is stored)."""
        code = join_code.strip().upper()
        with self._engine.connect() as conn:
            row = (
                conn.execute(sa.select(class_sessions).where(class_sessions.c.join_code == code))
                .mappings()
                .first()
            )
        session = _session(row) if row else None
        if session is None or not session.open_at(self._clock()):
            raise SessionClosed(
                "Deze code hoort niet bij een les die nu bezig is. Kijk of je de code goed hebt "
                "overgetypt, of vraag je mentor om de code."
            )
        token = secrets.token_urlsafe(24)
        with self._engine.begin() as conn:
            conn.execute(
                sa.insert(participants).values(
                    token_sha256=_sha256(token), session_id=session.id, joined_at=self._clock()
                )
            )
        return session, token

    def session_of(self, token: str) -> ClassSession | None:
        """The open session a student's token belongs to, if any."""
        with self._engine.connect() as conn:
            session_id = conn.execute(
                sa.select(participants.c.session_id).where(participants.c.token_sha256 == _sha256(token))
            ).scalar_one_or_none()
        session = self.get(session_id) if session_id else None
        return session if session and session.open_at(self._clock()) else None

    def record(self, token: str, signals: Mapping[Signal, Iterable[str]]) -> None:
        """Count the signals of one student turn in their session, all in one transaction (a turn counts
        whole or not at all); a question Koers could not answer is scrubbed first. Nothing is recorded once
        the session has ended."""
        session = self.session_of(token)
        if session is None:
            return
        now = self._clock()
        rows = [
            {"session_id": session.id, "kind": kind, "value": self._clean(kind, value), "created_at": now}
            for kind, values in signals.items()
            for value in values
            if value.strip()
        ]
        if not rows:
            return
        with self._engine.begin() as conn:
            conn.execute(sa.insert(session_signals), rows)

    def _clean(self, kind: Signal, value: str) -> str:
        return (self._scrub(value) if kind == "unanswered" else value)[:300]

    def summary(self, session_id: str, *, top: int = 10) -> Summary:
        with self._engine.connect() as conn:
            joined = conn.execute(
                sa.select(sa.func.count())
                .select_from(participants)
                .where(participants.c.session_id == session_id)
            ).scalar_one()
            rows = conn.execute(
                sa.select(session_signals.c.kind, session_signals.c.value)
                .where(session_signals.c.session_id == session_id)
                .order_by(session_signals.c.id)
            ).all()
        counts: dict[str, Counter[str]] = {
            "interest": Counter(),
            "type": Counter(),
            "route": Counter(),
            "topic": Counter(),
        }
        unanswered: list[str] = []
        for kind, value in rows:
            if kind == "unanswered":
                unanswered.append(value)
            else:
                counts[kind][value] += 1
        return Summary(
            participants=joined,
            interests=counts["interest"].most_common(top),
            types=counts["type"].most_common(top),
            routes=counts["route"].most_common(top),
            topics=counts["topic"].most_common(top),
            unanswered=list(dict.fromkeys(unanswered)),
        )

    def end(self, session_id: str) -> ClassSession | None:
        """End a session now; its data are deleted ``retention`` later."""
        now = self._clock()
        with self._engine.begin() as conn:
            conn.execute(
                sa.update(class_sessions)
                .where(class_sessions.c.id == session_id, class_sessions.c.ended_at.is_(None))
                .values(ended_at=now, delete_after=now + self._retention)
            )
        return self.get(session_id)

    def purge(self) -> int:
        """Delete every session (with its participants and signals) whose retention has passed."""
        with self._engine.begin() as conn:
            result = conn.execute(
                sa.delete(class_sessions).where(class_sessions.c.delete_after <= self._clock())
            )
        return result.rowcount
