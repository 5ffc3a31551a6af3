"""ChatService: the one entry point the API, CLI and UI use to get an answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.compose import compose
from bot.config import Settings
from bot.errors import EmptyIndexError
from bot.ports import VectorStore
from bot.retrieve import Retriever, search_query
from bot.schemas import Answer, Message


@dataclass
class ChatService:
    settings: Settings
    store: VectorStore
    retriever: Retriever

    def answer(self, message: str, history: Sequence[Message] = (), *, school: str | None = None) -> Answer:
        if self.store.count() == 0:
            raise EmptyIndexError(
                "Er zijn nog geen documenten ingelezen, dus ik kan nog niets opzoeken. "
                "Beheerder: run 'koers ingest corpus/' (of 'make run')."
            )
        query = search_query(message, history)
        hits = self.retriever.retrieve(query, school=school)
        return compose(query, hits, max_sentences=self.settings.composer.max_sentences)

    def chunk_count(self) -> int:
        return self.store.count()

    def warm_up(self) -> None:
        """Load the embedding model now, so the first student does not wait for it."""
        self.retriever.embedder.embed(["opwarmen"], kind="query")
