"""Heading-aware splitting into chunks with stable ids (document id + position + content hash)."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from bot.schemas import Chunk
from ingest.documents import Document

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
MAX_CHARS = 1200  # about 200 words: one idea per passage keeps citations precise


@dataclass
class _Section:
    path: list[str]
    lines: list[str]


def _sections(body: str) -> list[_Section]:
    sections = [_Section([], [])]
    stack: list[tuple[int, str]] = []
    for line in body.splitlines():
        match = _HEADING.match(line)
        if match:
            level, title = len(match.group(1)), match.group(2).strip()
            stack = [(lvl, t) for lvl, t in stack if lvl < level] + [(level, title)]
            sections.append(_Section([t for _, t in stack], []))
        else:
            sections[-1].lines.append(line)
    return sections


def _paragraph_windows(text: str, limit: int) -> list[str]:
    """Pack paragraphs into pieces of at most ``limit`` characters (a long paragraph stays whole)."""
    pieces: list[str] = []
    current = ""
    for paragraph in (p.strip() for p in re.split(r"\n\s*\n", text)):
        if not paragraph:
            continue
        if current and len(current) + len(paragraph) + 2 > limit:
            pieces.append(current)
            current = paragraph
        else:
            current = f"{current}\n\n{paragraph}" if current else paragraph
    if current:
        pieces.append(current)
    return pieces


def split_document(doc: Document, *, school: str = "") -> list[Chunk]:
    """Split a document at its headings; the top title heading is dropped (the title is metadata)."""
    meta = doc.meta
    fingerprint = json.dumps(
        {"title": meta.title, "labels": meta.labels, "kind": meta.kind, "school": school or meta.school},
        sort_keys=True,
    )
    chunks: list[Chunk] = []
    for section in _sections(doc.body):
        heading_path = section.path[1:] if section.path and section.path[0] == meta.title else section.path
        heading = " > ".join(heading_path)
        for piece in _paragraph_windows("\n".join(section.lines), MAX_CHARS):
            digest = hashlib.sha256(f"{fingerprint}\n{heading}\n{piece}".encode()).hexdigest()[:16]
            chunks.append(
                Chunk(
                    id=f"{meta.id}:{len(chunks):03d}:{digest}",
                    doc_id=meta.id,
                    title=meta.title,
                    heading=heading,
                    text=piece,
                    labels=meta.labels,
                    kind=meta.kind,
                    source=doc.source,
                    school=school or meta.school,
                )
            )
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What the embedder sees: title and heading give a short passage its context."""
    context = " - ".join(part for part in (chunk.title, chunk.heading) if part)
    return f"{context}\n{chunk.text}"
