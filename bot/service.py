"""ChatService: the one entry point the API, CLI and UI use to get an answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.compose import compose
from bot.compose_guarded import care_answer, refusal_answer, with_privacy_note
from bot.config import Settings
from bot.errors import EmptyIndexError
from bot.guard import CARE_POLICIES, asks_for_contact, screen, scrub
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
        screened = screen(message)
        history = [m.model_copy(update={"content": scrub(m.content)[0]}) for m in history]
        if screened.policy is not None and screened.policy.name in CARE_POLICIES:
            hits = self.retriever.help_passages(screened.text, school=school)
            return Turn(care_answer(screened.policy, hits), hits)
        if screened.policy is not None:
            return Turn(refusal_answer(screened.policy), [])
        if screened.removed and asks_for_contact(screened.text):
            answer = Answer(
                text="Waar kan ik je mee helpen? Vraag me iets over school, opleidingen of beroepen."
            )
            return Turn(with_privacy_note(answer, contact_requested=True), [])
        query = search_query(screened.text, history)
        hits = self.retriever.retrieve(query, school=school)
        answer = compose(query, hits, max_sentences=self.settings.composer.max_sentences)
        if hits and hits[0].chunk.kind == "hulp":
            answer = answer.model_copy(update={"routes": []})  # a question about help is not a route question
        if screened.removed:
            answer = with_privacy_note(answer, contact_requested=False)
        return Turn(answer, hits)

    def chunk_count(self) -> int:
        return self.store.count()

    def warm_up(self) -> None:
        """Load the embedding model now, so the first student does not wait for it."""
        self.retriever.embedder.embed(["opwarmen"], kind="query")
