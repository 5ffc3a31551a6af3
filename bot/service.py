"""ChatService: the one entry point the API, CLI and UI use to get an answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.compose import compose
from bot.config import Settings
from bot.errors import EmptyIndexError
from bot.ports import VectorStore
from bot.retrieve import Retriever, search_query
from bot.schemas import Answer, Message, RetrievedChunk


@dataclass(frozen=True)
class Turn:
    """An answer together with the passages it was composed from (for evaluation and debugging)."""

    answer: Answer
    hits: list[RetrievedChunk]


@dataclass
class ChatService:
    settings: Settings
    store: VectorStore
    retriever: Retriever

    def answer(self, message: str, history: Sequence[Message] = (), *, school: str | None = None) -> Answer:
        return self.respond(message, history, school=school).answer

    def respond(self, message: str, history: Sequence[Message] = (), *, school: str | None = None) -> Turn:
        if self.store.count() == 0:
            raise EmptyIndexError(
                "Er zijn nog geen documenten ingelezen, dus ik kan nog niets opzoeken. "
                "Beheerder: run 'koers ingest corpus/' (of 'make run')."
            )
        query = search_query(message, history)
        hits = self.retriever.retrieve(query, school=school)
        return Turn(compose(query, hits, max_sentences=self.settings.composer.max_sentences), hits)

    def chunk_count(self) -> int:
        return self.store.count()

    def warm_up(self) -> None:
        """Load the embedding model now, so the first student does not wait for it."""
        self.retriever.embedder.embed(["opwarmen"], kind="query")
