"""Narrow interfaces the core depends on. Vendor types stay inside the adapter that implements them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.schemas import Chunk, RetrievedChunk

Vector = list[float]


class Embedder(Protocol):
    """Turns text into normalised vectors; questions and passages get different prompts."""

    def embed(self, texts: Sequence[str], *, kind: str) -> list[Vector]:
        """Embed ``texts``; ``kind`` is ``"query"`` or ``"passage"``."""
        ...


class VectorStore(Protocol):
    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Vector]) -> None: ...

    def query(self, vector: Vector, *, top_k: int, school: str | None = None) -> list[RetrievedChunk]: ...

    def delete(self, chunk_ids: Sequence[str]) -> None: ...

    def chunk_sources(self, *, school: str = "") -> dict[str, str]:
        """Chunk id -> source file, for the chunks of one tenant ("" = the national corpus)."""
        ...

    def count(self) -> int: ...
