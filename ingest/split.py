"""Split a loaded file into passages that follow its headings (and pages), with overlap and stable ids.

A chunk id is ``[school/]doc_id:NNN:hash``, where the hash covers the text, heading, page and the
document's metadata: unchanged text keeps its id (and is never embedded twice), any change gives a new one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass

from langchain_text_splitters import TextSplitter

from bot.core.schemas import Chunk
from bot.core.text import split_sentences
from ingest.loaders.base import LoadedFile


@dataclass(frozen=True)
class Chunking:
    """Longest passage and how much of a long section's previous passage the next one repeats."""

    chunk_chars: int = 600
    overlap_chars: int = 100


_LIST_START = re.compile(r"^([-*+]|\d+[.)])\s+")


def _units(text: str, limit: int) -> list[str]:
    """Paragraphs, with any paragraph longer than ``limit`` broken at sentence ends. A list stays with the
    sentence that leads into it ("Op niveau 3 kies je tussen twee richtingen:"): a passage that starts with
    the list's items would quote each alone ("Eerste monteur ... (niveau 3).") without saying what they
    are."""
    units: list[str] = []
    for paragraph in (p.strip() for p in re.split(r"\n\s*\n", text)):
        if not paragraph:
            continue
        if units and units[-1].endswith(":") and _LIST_START.match(paragraph):
            units[-1] = f"{units[-1]}\n\n{paragraph}"
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
    return _leads_in_with_their_lists(units)


def _leads_in_with_their_lists(units: list[str]) -> list[str]:
    """A paragraph that ends with a list's lead-in and says more before it gives its lead-in sentence to the
    list, so the rest of the paragraph can go in another passage."""
    found: list[str] = []
    for unit in units:
        lead, sep, rest = unit.partition("\n\n")
        if not sep or not _LIST_START.match(rest):
            found.append(unit)
            continue
        *before, last = split_sentences(lead)
        found += [" ".join(before), f"{last}\n\n{rest}"] if before else [unit]
    return found


# A single sentence longer than a passage is kept whole on purpose (cutting it mid-sentence would quote half a
# fact); LangChain would log a warning in English for each one during an ingest.
logging.getLogger("langchain_text_splitters.base").setLevel(logging.ERROR)


class _PassageSplitter(TextSplitter):
    """LangChain's packing of pieces into passages, with overlap, over our own pieces: paragraphs, and a long
    paragraph cut at Dutch sentence ends (LangChain's separators would cut after "bijv.")."""

    def split_text(self, text: str) -> list[str]:
        return self._merge_splits(_units(text, self._chunk_size), "\n\n")


def windows(text: str, chunking: Chunking) -> list[str]:
    """Pack paragraphs into passages of at most ``chunk_chars``; each new passage of the same section starts
    with the previous passage's last paragraphs, up to ``overlap_chars``, so no idea is cut off from context.
    """
    splitter = _PassageSplitter(chunk_size=chunking.chunk_chars, chunk_overlap=chunking.overlap_chars)
    return splitter.split_text(text)


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
