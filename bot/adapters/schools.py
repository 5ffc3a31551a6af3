"""Which vmbo profielen each school offers, so Koers does not advise a profiel a student cannot take there.

A school sets its list through the admin API (``PUT /v1/admin/profielen``) or ``koers admin
set-profielen``. A school without a list is treated as offering every profiel (the national default), so
nothing changes until a school says otherwise. The SQLite file is created on the first write only.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path

from bot.adapters import sqlite
from bot.core.errors import KoersError
from bot.core.labels import PROFIELEN, display_name

PROFIEL_LABELS = tuple(f"vmbo:{code}" for code in PROFIELEN)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS profielen (
    school TEXT NOT NULL,
    label TEXT NOT NULL,
    PRIMARY KEY (school, label)
)
"""


class UnknownProfiel(KoersError):
    code = "unknown_profiel"
    http_status = 422


def profiel_label(name: str) -> str:
    """'BWI', 'vmbo:BWI' or 'bwi' -> 'vmbo:BWI'; anything else raises :class:`UnknownProfiel`."""
    wanted = name.strip().removeprefix("vmbo:").casefold()
    for label in PROFIEL_LABELS:
        if label.removeprefix("vmbo:").casefold() == wanted:
            return label
    codes = ", ".join(label.removeprefix("vmbo:") for label in PROFIEL_LABELS)
    raise UnknownProfiel(f"'{name}' is geen vmbo-profiel. Gebruik een van deze codes: {codes}.")


class SchoolProfielen:
    def __init__(self, path: Path) -> None:
        self._path = path

    def _connect(self) -> AbstractContextManager[sqlite3.Connection]:
        return sqlite.connect(self._path, setup=[_SCHEMA])

    def offered(self, school: str | None) -> frozenset[str] | None:
        """The profiel labels ``school`` offers; None when it set no list (every profiel may be advised)."""
        if school is None or not self._path.exists():
            return None
        with self._connect() as conn:
            rows = conn.execute("SELECT label FROM profielen WHERE school = ?", (school,)).fetchall()
        return frozenset(row[0] for row in rows) or None

    def set(self, school: str, names: Iterable[str]) -> list[str]:
        """Replace the school's list in one transaction; returns the labels stored. An empty list resets
        the school to 'every profiel'."""
        labels = sorted({profiel_label(name) for name in names})  # validate all before writing any
        with self._connect() as conn:
            conn.execute("DELETE FROM profielen WHERE school = ?", (school,))
            conn.executemany("INSERT INTO profielen VALUES (?, ?)", [(school, label) for label in labels])
        return labels


def not_offered_note(labels: Iterable[str]) -> str:
    """What Koers says when a student asks about a profiel their school does not offer."""
    names = [display_name(label) for label in labels]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} en {names[-1]}"
    noun = "het profiel" if len(names) == 1 else "de profielen"
    return (
        f"Let op: jouw school heeft {noun} {listed} niet. "
        "Vraag je decaan op welke school je dat wel kunt doen."
    )
