"""What every loader returns: metadata and sections, with page numbers where a format has them."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.documents import DocumentMeta


@dataclass(frozen=True)
class Section:
    """A run of text under one heading. ``heading`` is the heading path ("Kosten > Lesgeld"), "" for none."""

    heading: str
    text: str  # plain text; paragraphs separated by a blank line
    page: int | None = None  # 1-based page number (PDF), None for formats without pages


@dataclass
class LoadedFile:
    meta: DocumentMeta
    sections: list[Section]
    source: str  # path relative to the ingested folder, forward slashes
    warnings: list[str] = field(default_factory=list)
