"""The tables of the database as SQLAlchemy Core sees them; the migrations make them (a test checks both
agree)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

mentor_codes = sa.Table(
    "mentor_codes",
    metadata,
    sa.Column("code_sha256", sa.String(64), primary_key=True),
    sa.Column("school", sa.String(100), nullable=False, index=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
class_sessions = sa.Table(
    "class_sessions",
    metadata,
    sa.Column("id", sa.String(32), primary_key=True),
    sa.Column("school", sa.String(100), nullable=False, index=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("klas", sa.String(20), nullable=False),
    sa.Column("leerweg", sa.String(2), nullable=True),
    sa.Column("join_code", sa.String(12), nullable=False, unique=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("delete_after", sa.DateTime(timezone=True), nullable=False, index=True),
)
participants = sa.Table(
    "participants",
    metadata,
    sa.Column("token_sha256", sa.String(64), primary_key=True),
    sa.Column(
        "session_id",
        sa.String(32),
        sa.ForeignKey("class_sessions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
)
session_signals = sa.Table(
    "session_signals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column(
        "session_id",
        sa.String(32),
        sa.ForeignKey("class_sessions.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("value", sa.String(300), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
feedback = sa.Table(
    "feedback",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("school", sa.String(100), nullable=False, index=True),
    sa.Column("answer_id", sa.String(32), nullable=False),
    sa.Column("rating", sa.String(4), nullable=False),
    sa.Column("comment", sa.String(500), nullable=False),
    sa.Column("routes", sa.JSON, nullable=False),
    sa.Column("sources", sa.JSON, nullable=False),
    sa.CheckConstraint("rating IN ('up', 'down')", name="feedback_rating"),
)
