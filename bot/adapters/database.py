"""The database of what Koers keeps over time: class sessions, their anonymous aggregates, feedback.

SQLAlchemy 2 over a SQLite file by default (``KOERS_DATABASE_URL``, default ``sqlite:///.koers/koers.sqlite``)
or PostgreSQL (``postgresql+psycopg://user:password@host/db``). The schema is made and changed only by the
Alembic migrations in ``bot/adapters/migrations``; :func:`open_database` brings a database to the newest
version before Koers uses it, so an update never needs a manual step.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from bot.core.errors import StoreError

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_foreign_keys(dbapi_connection: object, _: object) -> None:
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA foreign_keys = ON")  # deleting a session deletes what belongs to it
    cursor.close()


def open_database(url: str) -> Engine:
    """An engine on ``url``, migrated to the newest schema. Errors say in Dutch what to check."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(
            f"KOERS_DATABASE_URL '{url}' is geen geldig database-adres. Voorbeeld: "
            "sqlite:///.koers/koers.sqlite of postgresql+psycopg://koers:wachtwoord@localhost/koers"
        ) from exc
    if parsed.drivername.startswith("sqlite") and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(parsed, pool_pre_ping=True)
    if parsed.drivername.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_foreign_keys)
    try:
        upgrade(engine)
    except OperationalError as exc:
        engine.dispose()  # no pooled connection is left open behind the error
        host = parsed.host or parsed.database or url
        raise StoreError(
            f"Koers kan de database niet openen ({host}): {exc.orig}. Controleer KOERS_DATABASE_URL en of de "
            "database draait."
        ) from exc
    return engine


def upgrade(engine: Engine) -> None:
    """Run every Alembic migration the database does not have yet."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
