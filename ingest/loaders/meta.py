"""Metadata for a file without front matter: a stable id from its path and the best title it offers."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from ingest.documents import DocumentMeta

_MIN_TITLE, _MAX_TITLE = 3, 200
_MAX_FIRST_LINE = 100  # a longer first line is a sentence, not a title
_MD_HEADING = re.compile(r"^#{1,6}\s+")


@dataclass(frozen=True)
class FileInfo:
    """What every loader knows about the file besides its content."""

    source: str  # path relative to the ingested folder, forward slashes
    stem: str  # file name without extension
    name: str
    modified: dt.date
    school: str


def document_id(source: str) -> str:
    """``pta-2026/Brochure PIE.pdf`` -> ``school-pta-2026-brochure-pie-pdf``; stable while the file stays."""
    ascii_path = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_path).strip("-")
    return f"school-{slug or 'document'}"


def clean_title(candidate: str | None) -> str | None:
    """The candidate with whitespace collapsed, or None when it is too short or too long to be a title."""
    title = " ".join((candidate or "").split())
    return title if _MIN_TITLE <= len(title) <= _MAX_TITLE else None


def first_line_title(text: str) -> str | None:
    """The first non-empty line when it is short enough to be a title (a leading ``#`` is dropped)."""
    for line in text.splitlines():
        if line.strip():
            line = _MD_HEADING.sub("", line.strip()).rstrip("#").strip()
            return clean_title(line) if len(line) <= _MAX_FIRST_LINE else None
    return None


def pick_title(info: FileInfo, *candidates: str | None) -> str:
    """The first usable candidate, else the file name (with its extension when the stem is too short)."""
    for candidate in candidates:
        title = clean_title(candidate)
        if title:
            return title
    return clean_title(info.stem) or clean_title(info.name) or info.name.ljust(_MIN_TITLE, "_")


def default_meta(info: FileInfo, title: str) -> DocumentMeta:
    return DocumentMeta(
        id=document_id(info.source),
        title=title,
        kind="school",
        labels=[],
        leerwegen=[],
        bronnen=[],
        bijgewerkt=info.modified,
        school=info.school,
    )
