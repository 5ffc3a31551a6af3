"""The database of class sessions and feedback, on SQLite and on a real PostgreSQL.

PostgreSQL runs when ``KOERS_TEST_POSTGRES_URL`` names a server (``.ci/run`` starts one); without it those
tests are skipped with that reason, visible in the summary of ``make test``."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from bot.adapters.classes import ClassSessions, SessionClosed
from bot.adapters.database import open_database
from bot.adapters.feedback import FeedbackStore
from bot.adapters.tables import metadata
from bot.core.errors import StoreError
from bot.understand.guard import scrub_for_storage

POSTGRES = os.environ.get("KOERS_TEST_POSTGRES_URL", "")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        yield open_database(f"sqlite:///{tmp_path / 'koers.sqlite'}")
        return
    if not POSTGRES:
        pytest.skip(
            "KOERS_TEST_POSTGRES_URL is not set: no PostgreSQL server to test on (.ci/run starts one)"
        )
    schema = f"t_{uuid.uuid4().hex[:12]}"  # each test its own schema: tests never see each other's rows
    admin = sa.create_engine(POSTGRES)
    with admin.begin() as conn:
        conn.execute(sa.text(f"CREATE SCHEMA {schema}"))
    engine = open_database(
        sa.make_url(POSTGRES)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def test_the_migrations_make_exactly_the_tables_the_code_uses(engine: Engine) -> None:
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []


def test_opening_twice_migrates_once_and_keeps_the_data(engine: Engine) -> None:
    store = FeedbackStore(engine, scrub=scrub_for_storage)
    store.add(school="de-wissel", answer_id="a" * 32, rating="up")
    again = open_database(engine.url.render_as_string(hide_password=False))
    try:
        assert [f.rating for f in FeedbackStore(again, scrub=scrub_for_storage).list()] == ["up"]
    finally:
        again.dispose()


def test_feedback_is_scrubbed_and_listed_per_school(engine: Engine) -> None:
    store = FeedbackStore(engine, scrub=scrub_for_storage)
    store.add(school="de-wissel", answer_id="a" * 32, rating="down", comment="bel me op 0612345678",
              routes=["vmbo:PIE"], sources=["profiel-pie"])  # fmt: skip
    store.add(school="andere", answer_id="b" * 32, rating="up")
    [item] = store.list("de-wissel")
    assert item.rating == "down" and "0612345678" not in item.comment
    assert item.routes == ["vmbo:PIE"] and item.sources == ["profiel-pie"]
    assert len(store.list()) == 2


def test_a_class_session_counts_what_students_do_and_nothing_of_who(engine: Engine) -> None:
    clock = Clock()
    classes = ClassSessions(engine, scrub=scrub_for_storage, clock=clock)
    session = classes.start("de-wissel", name="LOB 3B", klas="3B", leerweg="KB", minutes=50)
    assert len(session.join_code) == 6 and session.open_at(clock.now)
    tokens = [classes.join(session.join_code.lower())[1] for _ in range(3)]  # typed in lower case
    classes.record(tokens[0], {"interest": ["sleutelen", "auto's"]})
    classes.record(tokens[1], {"interest": ["sleutelen"], "route": ["vmbo:M&T"]})
    classes.record(tokens[2], {"unanswered": ["Mijn naam is Sanne de Vries, kan ik piloot worden?"]})
    summary = classes.summary(session.id)
    assert summary.participants == 3
    assert summary.interests == [("sleutelen", 2), ("auto's", 1)]
    assert summary.routes == [("vmbo:M&T", 1)]
    [question] = summary.unanswered
    assert "Sanne" not in question and "piloot" in question
    with engine.connect() as conn:  # only hashes of the students' tokens
        stored = conn.execute(sa.text("SELECT token_sha256 FROM participants")).scalars().all()
    assert not set(tokens) & set(stored)


def test_a_session_closes_and_is_deleted_after_its_retention(engine: Engine) -> None:
    clock = Clock()
    classes = ClassSessions(engine, scrub=scrub_for_storage, clock=clock, retention=timedelta(days=7))
    session = classes.start("de-wissel", name="LOB 3B", klas="3B", minutes=50)
    _, token = classes.join(session.join_code)
    clock.now += timedelta(minutes=51)  # the lesson is over
    with pytest.raises(SessionClosed, match="Deze code hoort niet bij een les die nu bezig is"):
        classes.join(session.join_code)
    classes.record(token, {"interest": ["lassen"]})  # too late: not counted
    assert classes.summary(session.id).interests == []
    clock.now += timedelta(days=6)
    assert classes.purge() == 0 and classes.get(session.id) is not None
    clock.now += timedelta(days=2)
    assert classes.purge() == 1 and classes.get(session.id) is None
    assert classes.summary(session.id).participants == 0  # the participants went with it


def test_a_mentor_ends_a_session_early(engine: Engine) -> None:
    clock = Clock()
    classes = ClassSessions(engine, scrub=scrub_for_storage, clock=clock, retention=timedelta(0))
    session = classes.start("de-wissel", name="LOB 3B", klas="3B")
    ended = classes.end(session.id)
    assert ended is not None and not ended.open_at(clock.now)
    assert classes.purge() == 1


def test_mentor_codes_are_stored_as_hashes(engine: Engine) -> None:
    classes = ClassSessions(engine, scrub=scrub_for_storage)
    code = classes.create_mentor_code("de-wissel")
    assert classes.school_for_mentor(code) == "de-wissel"
    assert classes.school_for_mentor(code + "x") is None
    with engine.connect() as conn:
        assert code not in str(conn.execute(sa.text("SELECT * FROM mentor_codes")).all())


def test_a_wrong_database_address_gets_a_dutch_message(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="geen geldig database-adres"):
        open_database("geen-adres")
    with pytest.raises(StoreError, match="Koers kan de database niet openen"):
        open_database("postgresql+psycopg://koers:fout@127.0.0.1:1/koers")
