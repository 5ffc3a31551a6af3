"""ChatService: the one entry point the API, CLI and UI use to get an answer."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from bot.compose import compose
from bot.compose_guarded import care_answer, refusal_answer, with_privacy_note
from bot.config import Settings
from bot.errors import EmptyIndexError
from bot.guard import CARE_POLICIES, asks_for_contact, screen, scrub
from bot.plan import clarification, reasons
from bot.ports import AnswerRewriter, VectorStore
from bot.profile import Profile, build_profile
from bot.recommend import Recommender, rank_routes
from bot.retrieve import Retriever, search_query
from bot.route_graph import RouteGraph
from bot.schemas import Answer, Message, RetrievedChunk
from bot.select import SentenceSelector


@dataclass(frozen=True)
class Turn:
    """An answer together with the passages it was composed from (for evaluation and debugging)."""

    answer: Answer
    hits: list[RetrievedChunk]


@dataclass(frozen=True)
class StreamEvent:
    """One server-sent event: answer text piece by piece, then sources, routes and the complete answer."""

    event: Literal["token", "citations", "routes", "follow_ups", "clarify", "done"]
    data: Any


_TOKEN = re.compile(r"\S+\s*")


@dataclass
class ChatService:
    settings: Settings
    store: VectorStore
    retriever: Retriever
    graph: RouteGraph | None = None  # corpus/routes.yaml; without it routes come from the passages alone
    rewriter: AnswerRewriter | None = None  # an LLM a school configured; None = offline composer only
    _recommender: Recommender | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.selector = SentenceSelector(self.retriever.embedder)

    @property
    def recommender(self) -> Recommender:
        # Built on first use: the labels it knows come from the store, which an ingest may have just filled.
        if self._recommender is None:
            self._recommender = Recommender(self.graph, self.store.labels())
        return self._recommender

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
        profile = build_profile(screened.text, history, self.graph, school=school) if self.graph else None
        query = search_query(screened.text, history, profile.leerweg if profile else None)
        hits = self.retriever.retrieve(query, school=school)
        answer, hits = self._compose(screened.text, query, history, hits, profile)
        if self.rewriter is not None and hits:
            answer = self.rewriter.rewrite(screened.text, history, hits, answer)
        if screened.removed:
            answer = with_privacy_note(answer, contact_requested=False)
        return Turn(answer, hits)

    def _compose(
        self,
        message: str,
        query: str,
        history: Sequence[Message],
        hits: list[RetrievedChunk],
        profile: Profile | None,
    ) -> tuple[Answer, list[RetrievedChunk]]:
        """The offline answer: routes from the recommender, a reason and a clarifying question where needed.

        Returns the passages the answer may cite: the retrieved ones plus those looked up to back a reason.
        """
        max_sentences = self.settings.composer.max_sentences
        if hits and hits[0].chunk.kind == "hulp":  # a question about help is not a route question
            return compose(query, hits, self.selector, max_sentences=max_sentences), hits
        if self.graph is None or profile is None:
            routes = rank_routes(hits)
            return compose(query, hits, self.selector, max_sentences=max_sentences, routes=routes), hits
        earlier = [m.content for m in history if m.role == "user"]
        recommendation = self.recommender.recommend(message, earlier, profile, hits)
        found = (
            reasons(recommendation, profile, self.graph, self.store, school=profile.school) if hits else []
        )
        answer = compose(
            query,
            hits,
            self.selector,
            max_sentences=max_sentences,
            routes=recommendation.routes,
            reasons=found,
            clarification=clarification(message, profile, recommendation.mentioned),
        )
        looked_up = [RetrievedChunk(chunk=r.chunk, score=0.0, via="graph") for r in found]
        known = {h.chunk.id for h in hits}
        return answer, hits + [h for h in looked_up if h.chunk.id not in known]

    def stream(
        self, message: str, history: Sequence[Message] = (), *, school: str | None = None
    ) -> Iterator[StreamEvent]:
        """The answer as events: ``token`` pieces of the text, then ``citations``, ``routes``, ``follow_ups``,
        ``clarify`` (when Koers asks something back) and ``done`` with the complete answer.

        The answer is composed, and an LLM rewrite grounding-checked, before the first token: a student
        never reads a sentence that is withdrawn afterwards. Errors (an empty store) raise before any event.
        """
        answer = self.answer(message, history, school=school)
        return self._events(answer)

    @staticmethod
    def _events(answer: Answer) -> Iterator[StreamEvent]:
        for piece in _TOKEN.findall(answer.text):
            yield StreamEvent("token", piece)
        yield StreamEvent("citations", [c.model_dump() for c in answer.citations])
        yield StreamEvent("routes", answer.routes)
        yield StreamEvent("follow_ups", answer.follow_up_questions)
        if answer.clarifying_question:
            yield StreamEvent("clarify", {"question": answer.clarifying_question, "choices": answer.choices})
        yield StreamEvent("done", answer.model_dump())

    def chunk_count(self) -> int:
        return self.store.count()

    def warm_up(self) -> None:
        """Load the embedding model now, so the first student does not wait for it."""
        self.retriever.embedder.embed(["opwarmen"], kind="query")
