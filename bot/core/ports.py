"""Narrow interfaces the core depends on. Vendor types stay inside the adapter that implements them."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from bot.core.schemas import Answer, Chunk, DocumentStatus, Message, RetrievedChunk

Vector = list[float]


class Embedder(Protocol):
    """Turns text into normalised vectors; questions and passages get different prompts."""

    def embed(self, texts: Sequence[str], *, kind: str) -> list[Vector]:
        """Embed ``texts``; ``kind`` is ``"query"`` or ``"passage"``."""
        ...


class VectorStore(Protocol):
    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Vector]) -> None: ...

    def query(
        self,
        vector: Vector,
        *,
        top_k: int,
        school: str | None = None,
        kinds: Sequence[str] | None = None,
        docs: Sequence[str] | None = None,
    ) -> list[RetrievedChunk]:
        """Nearest chunks of the national corpus and ``school``'s own, optionally only of these kinds or
        documents (ids)."""
        ...

    def delete(self, chunk_ids: Sequence[str]) -> None: ...

    def chunk_ids(self, *, school: str, origin: str) -> set[str]:
        """Ids of the chunks ingested for one tenant ("" = national) from one folder (origin)."""
        ...

    def existing(self, chunk_ids: Sequence[str]) -> set[str]:
        """Which of ``chunk_ids`` are stored."""
        ...

    def count(self) -> int: ...

    def version(self) -> str:
        """A token that changes with every write to the store, by this process or another one."""
        ...

    def labels(self) -> set[str]:
        """Every route label any stored chunk carries."""
        ...

    def document_chunks(self, doc_id: str, *, school: str | None = None) -> list[Chunk]:
        """The stored chunks of one document, in document order."""
        ...

    def chunks_of_kind(self, kind: str, *, school: str | None = None) -> list[Chunk]:
        """The stored chunks of every document of one kind (e.g. 'les'), grouped by document, in order."""
        ...

    def all_chunks(self, *, kind: str | None = None) -> list[Chunk]:
        """Every stored chunk of every tenant, or those of ``kind`` (for indexes built beside the store)."""
        ...


class DocumentLibrary(Protocol):
    """A school's own documents: add, list and remove them (implemented by the ingest side)."""

    def add(self, school: str, filename: str, data: bytes) -> DocumentStatus: ...

    def list(self, school: str) -> list[DocumentStatus]: ...

    def remove(self, school: str, doc_id: str) -> bool: ...

    def close(self) -> None:
        """Stop reading files now and remove half-received uploads (at shutdown)."""
        ...


class AnswerRewriter(Protocol):
    """Rewrites the offline answer in friendlier words (an LLM), or returns it unchanged.

    It must never raise and never weaken grounding: on any error, timeout or ungrounded output it returns
    ``draft`` as it is. Routes and follow-up questions of the draft are kept.
    """

    def rewrite(
        self,
        question: str,
        history: Sequence[Message],
        hits: Sequence[RetrievedChunk],
        draft: Answer,
    ) -> Answer: ...


@dataclass(frozen=True)
class PromptMessage:
    """One chat message, kept free of LangChain so the prompt can be read and tested on its own."""

    role: Literal["system", "user", "assistant"]
    content: str


class ChatModel(Protocol):
    """An LLM behind a school's chat server (``bot.adapters.chat_model``)."""

    def reply(self, prompt: Sequence[PromptMessage], stop: threading.Event) -> str:
        """The whole reply to ``prompt``; a reply still streaming stops early once ``stop`` is set."""
        ...
