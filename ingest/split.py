"""Split a loaded file into passages that follow its headings (and pages), with overlap and stable ids.

A chunk id is ``[school/]doc_id:NNN:hash``, where the hash covers the text, heading, page and the
document's metadata: unchanged text keeps its id (and is never embedded twice), any change gives a new one.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from bot.core.schemas import Chunk
from bot.core.text import split_sentences
from ingest.loaders.base import LoadedFile


@dataclass(frozen=True)
class Chunking:
    """Longest passage and how much of a long section's previous passage the next one repeats."""

    chunk_chars: int = 600
    overlap_chars: int = 100


def _units(text: str, limit: int) -> list[str]:
    """Paragraphs, with any paragraph longer than ``limit`` broken at sentence ends."""
    units: list[str] = []
    for paragraph in (p.strip() for p in re.split(r"\n\s*\n", text)):
        if not paragraph:
            continue
        if len(paragraph) <= limit:
            units.append(paragraph)
            continue
        current = ""
        for sentence in split_sentences(paragraph):
            if current and len(current) + len(sentence) + 1 > limit:
                units.append(current)
                current = sentence
            else:
                current = f"{current} {sentence}".strip()
        if current:
            units.append(current)
    return units


def windows(text: str, chunking: Chunking) -> list[str]:
    """Pack paragraphs into passages of at most ``chunk_chars``; each new passage of the same section starts
    with the previous passage's last paragraphs, up to ``overlap_chars``, so no idea is cut off from context.
    """
    passages: list[list[str]] = []
    current: list[str] = []
    for unit in _units(text, chunking.chunk_chars):
        if current and sum(len(u) + 2 for u in current) + len(unit) > chunking.chunk_chars:
            passages.append(current)
            carry: list[str] = []
            for previous in reversed(current):
                if sum(len(u) + 2 for u in carry) + len(previous) > chunking.overlap_chars:
                    break
                carry.insert(0, previous)
            current = (
                [*carry, unit]
                if sum(len(u) + 2 for u in carry) + len(unit) <= chunking.chunk_chars
                else [unit]
            )
        else:
            current.append(unit)
    if current:
        passages.append(current)
    return ["\n\n".join(p) for p in passages]


def split_file(loaded: LoadedFile, *, origin: str = "", chunking: Chunking | None = None) -> list[Chunk]:
    chunking = chunking or Chunking()
    meta = loaded.meta
    school = meta.school
    url = str(meta.bronnen[0].url) if meta.bronnen else ""
    fingerprint = json.dumps(
        {"title": meta.title, "labels": meta.labels, "kind": meta.kind, "school": school, "origin": origin,
         "schooljaar": meta.schooljaar or "", "source": loaded.source, "leerwegen": meta.leerwegen,
         "url": url},
        sort_keys=True,
    )  # fmt: skip
    prefix = f"{school}/" if school else ""
    chunks: list[Chunk] = []
    for section in loaded.sections:
        for text in windows(section.text, chunking):
            digest = hashlib.sha256(
                f"{fingerprint}\n{section.heading}\n{section.page}\n{text}".encode()
            ).hexdigest()
            chunks.append(
                Chunk(
                    id=f"{prefix}{meta.id}:{len(chunks):03d}:{digest[:16]}",
                    doc_id=meta.id,
                    title=meta.title,
                    heading=section.heading,
                    text=text,
                    labels=meta.labels,
                    leerwegen=list(meta.leerwegen),
                    kind=meta.kind,
                    source=loaded.source,
                    school=school,
                    origin=origin,
                    page=section.page,
                    schooljaar=meta.schooljaar or "",
                    url=url,
                )
            )
    return chunks


def embedding_text(chunk: Chunk) -> str:
    """What the embedder sees: title and heading give a short passage its context."""
    context = " - ".join(part for part in (chunk.title, chunk.heading) if part)
    return f"{context}\n{chunk.text}"
