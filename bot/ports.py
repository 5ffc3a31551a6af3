"""Narrow interfaces the core depends on. Vendor types stay inside the adapter that implements them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.schemas import Chunk, DocumentStatus, RetrievedChunk

Vector = list[float]


class Embedder(Protocol):
    """Turns text into normalised vectors; questions and passages get different prompts."""

    def embed(self, texts: Sequence[str], *, kind: str) -> list[Vector]:
        """Embed ``texts``; ``kind`` is ``"query"`` or ``"passage"``."""
        ...


class VectorStore(Protocol):
    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Vector]) -> None: ...

    def query(
        self, vector: Vector, *, top_k: int, school: str | None = None, kinds: Sequence[str] | None = None
    ) -> list[RetrievedChunk]:
        """Nearest chunks of the national corpus and ``school``'s own, optionally only of these kinds."""
        ...

    def delete(self, chunk_ids: Sequence[str]) -> None: ...

    def chunk_ids(self, *, school: str, origin: str) -> set[str]:
        """Ids of the chunks ingested for one tenant ("" = national) from one folder (origin)."""
        ...

    def existing(self, chunk_ids: Sequence[str]) -> set[str]:
        """Which of ``chunk_ids`` are stored."""
        ...

    def count(self) -> int: ...


class DocumentLibrary(Protocol):
    """A school's own documents: add, list and remove them (implemented by the ingest side)."""

    def add(self, school: str, filename: str, data: bytes) -> DocumentStatus: ...

    def list(self, school: str) -> list[DocumentStatus]: ...

    def remove(self, school: str, doc_id: str) -> bool: ...
