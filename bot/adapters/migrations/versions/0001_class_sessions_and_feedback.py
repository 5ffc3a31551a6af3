"""Class sessions with anonymous participants and signals, mentor codes, feedback.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mentor_codes",
        sa.Column("code_sha256", sa.String(64), primary_key=True),
        sa.Column("school", sa.String(100), nullable=False, index=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "class_sessions",
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
    op.create_table(
        "participants",
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
    op.create_table(
        "session_signals",
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
    op.create_table(
        "feedback",
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


def downgrade() -> None:
    for table in ("feedback", "session_signals", "participants", "class_sessions", "mentor_codes"):
        op.drop_table(table)
