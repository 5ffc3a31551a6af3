"""ChatService: the one entry point the API, CLI and UI use to get an answer."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any, Literal

from bot.adapters.schools import SchoolProfielen
from bot.adapters.sentence_vectors import SentenceVectorFile, fill
from bot.answer.compose import GREETING, NOT_UNDERSTOOD, START_BUTTONS, THANKS
from bot.answer.guarded import (
    CARE_CONTINUED_LEAD,
    CARE_FIRST_LEAD,
    CARE_FIRST_LEAD_ABOUT,
    care_answer,
    care_first,
    with_privacy_note,
)
from bot.answer.offline import OfflineComposer
from bot.answer.select import SentenceSelector
from bot.core.config import Settings
from bot.core.errors import EmptyIndexError, KoersError
from bot.core.labels import display_name
from bot.core.ports import AnswerRewriter, VectorStore
from bot.core.route_graph import RouteGraph
from bot.core.schemas import Answer, Chunk, Message, RetrievedChunk
from bot.core.text import fold
from bot.retrieve.retriever import Retriever, interleave
from bot.routes.plan import route_cards, route_path
from bot.understand.detectors import Detectors
from bot.understand.goals import unfound_goal, unknown_goal_answer, unknown_goal_lead
from bot.understand.guard import OFF_TOPIC, Policy
from bot.understand.places import places_named, unknown_place_lead
from bot.understand.reader import Reader, Understanding


@dataclass(frozen=True)
class ClassSignals:
    """What one turn adds to a class session's dashboard: labels from Koers's own lists, and the message
    (scrubbed) only when Koers found nothing to answer it with. Empty for a care or refusal turn: what a
    student in distress types never reaches a mentor's screen."""

    interests: tuple[str, ...] = ()  # activity words this message used ("sleutelen")
    routes: tuple[str, ...] = ()  # route labels recommended
    topic: str = ""  # the kind of question ("duration", "cost", ...)
    unanswered: str = ""  # the scrubbed message, when the answer cites nothing


@dataclass(frozen=True)
class Turn:
    """An answer together with the passages it was composed from (for evaluation and debugging)."""

    answer: Answer
    hits: list[RetrievedChunk]
    signals: ClassSignals = field(default_factory=ClassSignals)


@dataclass(frozen=True)
class StreamEvent:
    """One server-sent event: answer text piece by piece, then sources, routes and the complete answer."""

    event: Literal["token", "citations", "routes", "follow_ups", "clarify", "done"]
    data: Any


SMALL_TALK = {"greeting": GREETING, "thanks": THANKS}  # answered in Koers's own words, nothing to look up
# A care answer chooses each helper's sentence from every passage of the national help documents (20 of them
# today): the twelve nearest to "ik voel me rot" held no sentence on the vertrouwenspersoon that stands alone,
# so it quoted "Dat kan je mentor zijn, de vertrouwenspersoon op school of je huisarts."
HELP_PASSAGES = 100


_TOKEN = re.compile(r"\S+\s*")
_WORD = re.compile(r"[^\W\d_]{2,}")  # two letters in a row: "??", "..." or only emoji say nothing to search


@dataclass
class ChatService:
    settings: Settings
    store: VectorStore
    retriever: Retriever
    detectors: Detectors
    graph: RouteGraph | None = None  # corpus/routes.yaml; without it routes come from the passages alone
    rewriter: AnswerRewriter | None = None  # an LLM a school configured; None = offline composer only
    schools: SchoolProfielen | None = None  # the profielen each school offers; None = every school offers all
    sentence_vectors: SentenceVectorFile | None = None  # passage sentence vectors on disk; None = memory only

    def __post_init__(self) -> None:
        self.reader = Reader(self.retriever.vectors, self.detectors, self.store, self.graph)
        self.composer = OfflineComposer(
            self.settings,
            self.store,
            self.retriever,
            self.detectors,
            SentenceSelector(self.retriever.embedder, self.sentence_vectors),
            self.graph,
            self.schools,
            lambda: self.reader.names,
        )

    def answer(self, message: str, history: Sequence[Message] = (), *, school: str | None = None) -> Answer:
        return self.respond(message, history, school=school).answer

    def respond(self, message: str, history: Sequence[Message] = (), *, school: str | None = None) -> Turn:
        if self.store.count() == 0:
            raise EmptyIndexError(
                "Er zijn nog geen documenten ingelezen, dus ik kan nog niets opzoeken. "
                "Beheerder: run 'koers ingest corpus/' (of 'make run')."
            )
        understanding = self.reader.read(message, history, school=school)
        turn = self._respond(understanding, school)
        routes = turn.answer.routes
        path = route_path(routes, self.graph) if self.graph is not None else []
        cards = {"route_cards": route_cards(routes, self.graph), "route_path": route_cards(path, self.graph)}
        answer = turn.answer.model_copy(update=cards)
        return replace(turn, answer=answer, signals=class_signals(understanding, answer))

    def _respond(self, understanding: Understanding, school: str | None) -> Turn:
        policy = understanding.safety.policy
        if policy is None and not _WORD.search(understanding.text):
            return Turn(Answer(text=NOT_UNDERSTOOD), [])
        if understanding.care and policy is not None and understanding.safety.certain:
            return Turn(*self._care(policy, understanding))
        if understanding.care and policy is not None and not understanding.turns_to_something:
            # Likely distress in a message that asks nothing ("ik zie het even niet zitten"), or the turn
            # after distress that does not move on ("laat maar"): stay with the student, nothing else. An
            # answer to the rest of such a message said "Je vroeg ook iets over school of werk" when the
            # student had asked nothing, and quoted whatever the search found for "ja. maakt toch niet uit".
            care, hits = self._care(policy, understanding, lead=_care_lead(understanding))
            return Turn(care.model_copy(update={"policy_certain": False}), hits)
        if policy is None and understanding.kind in SMALL_TALK and not understanding.named:
            return Turn(Answer(text=SMALL_TALK[understanding.kind], follow_up_questions=START_BUTTONS), [])
        # Someone who shares a classmate's details and asks Koers to text her is told that Koers cannot,
        # and that the details were not kept; that says more than "I have no personal data".
        if understanding.asks_contact and (policy is None or policy.name == "others_data"):
            answer = Answer(
                text="Waar kan ik je mee helpen? Vraag me iets over school, opleidingen of beroepen."
            )
            return Turn(with_privacy_note(answer, contact_requested=True), [])
        if (
            policy is not None
            and not understanding.care
            and not self._school_topic(policy, understanding, school)
        ):
            return Turn(*self.composer.refusal(policy, understanding.text, school))
        hits = self.retriever.retrieve(
            understanding.query,
            school=school,
            leerweg=understanding.leerweg_filter,
            asked_about=understanding.named,
            unpenalised=frozenset({"les"}) if understanding.kind == "lesson" else frozenset(),
        )
        # Measured and not kept (2026-12-06): a first message of several clauses also searched clause by
        # clause, the clause whose best passage scored higher than the whole message's taking the lead ("mijn
        # opa is vorig jaar overleden, hij was loodgieter en dat wil ik ook worden" found the operator
        # passages whole, the installatie ones by its second clause). A bare question clause ("welk profiel
        # moet ik kiezn", "wat past daarbij") scores higher than any whole message, so it led: dev route
        # recall 0.803 -> 0.798, fact coverage 0.617 -> 0.613, answer-first 0.594 -> 0.584.
        if understanding.aspect_query:
            aspect = self.retriever.retrieve(
                understanding.aspect_query,
                school=school,
                leerweg=understanding.leerweg_filter,
                asked_about=understanding.named,
            )
            # The usual search leads. The message's own search leading instead (2026-12-05): followups_dev
            # fact coverage 0.658 -> 0.640, answer-first 0.58 -> 0.50 (replayed).
            hits = interleave(hits, aspect)
        goal = understanding.unknown_goal
        if not goal and understanding.known_goals:
            # A follow-up is searched with the turns before it too ("wat doet een operator precies" after a
            # question about chemical plants found the metaal passages): what the message finds alone counts.
            own = self.retriever.retrieve(understanding.text, school=school) if understanding.history else []
            goal = unfound_goal(understanding.known_goals, self._document_words([*hits, *own], school))
        unknown_work = bool(goal) and not understanding.care
        if unknown_work:
            # Work no document mentions, or no passage found: passages about other work are no answer (see
            # bot.understand.goals).
            hits = self._goal_route_passages(understanding, hits, school)
            if not hits:
                text = unknown_goal_answer(goal, understanding.asker)
                answer = Answer(text=text, follow_up_questions=START_BUTTONS)
                if understanding.removed:
                    answer = with_privacy_note(answer, contact_requested=False)
                return Turn(answer, [])
        answer, hits = self.composer.answer(understanding, hits, school)
        # A mentor or parent knows the school words, and so does the mentor who picked a lesson plan: the
        # plan's title alone reads as a student's message, but a plan is quoted whole, for its teacher.
        lesson_plan = bool(hits) and all(hit.chunk.kind == "les" for hit in hits)
        if understanding.asker == "student" and not lesson_plan:
            answer, hits = self.composer.explain(answer, hits, understanding)
        if self.rewriter is not None and hits:
            answer = self.rewriter.rewrite(understanding.text, understanding.history, hits, answer)
        named = not understanding.unknown_goal  # the documents name the work, just not those found
        if unknown_work and not (named and _says_the_work(answer, goal, understanding)):
            # Koers's own words first: it knows nothing about the work itself
            lead = unknown_goal_lead(goal, understanding.goal_route, understanding.asker, named=named)
            answer = answer.model_copy(update={"text": f"{lead}\n\n{answer.text}"})
        elif understanding.place and understanding.place not in places_named(answer.text):
            # Koers's own words first: it does not know the schools there (see bot.understand.places)
            lead = unknown_place_lead(understanding.place, understanding.asker)
            answer = answer.model_copy(update={"text": f"{lead}\n\n{answer.text}"})
        if understanding.removed:
            answer = with_privacy_note(answer, contact_requested=False)
        if understanding.care and policy is not None:  # likely distress, not certain: care first, then help
            care, help_hits = self._care(policy, understanding, lead=_care_lead(understanding))
            answer = care_first(care, answer)
            # The passages found for what is asked keep their rank; the care passages come after them, as
            # they come from the help documents whatever the question was.
            hits = hits + help_hits
        return Turn(answer, hits)

    def _care(
        self, policy: Policy, understanding: Understanding, *, lead: str = ""
    ) -> tuple[Answer, list[RetrievedChunk]]:
        """The care answer for ``policy`` from the national help documents nearest the message: spoken to
        the mentor or parent who writes about a student, each helper named in the help sentence closest to
        the message (see :func:`bot.answer.guarded.care_answer`).

        Measured and not kept (2026-12-07, the care messages of the safety tune half): closeness to the
        policy's own care words and the message together. The words decided alone: every sad message named
        its mentor in "Voel je veel druk van thuis? Dan kan je mentor meedenken over een gesprek met je
        ouders.", and every self-harm answer was the same."""
        hits = self.retriever.help_passages(understanding.text, top_k=HELP_PASSAGES)
        near = partial(self.composer.selector.relevance, understanding.text)
        return care_answer(policy, hits, lead=lead, about=_about_whom(understanding), relevance=near), hits

    def _goal_route_passages(
        self, understanding: Understanding, hits: list[RetrievedChunk], school: str | None
    ) -> list[RetrievedChunk]:
        """For work no document mentions: the passages of the route an intent head is sure the work belongs
        to ("dierenarts" -> Groen), those found and the nearest of the route's own document; none when no
        head is sure."""
        route = understanding.goal_route
        if not route:
            return []
        kept = [hit for hit in hits if route in hit.chunk.labels]
        node = self.graph.find(route) if self.graph is not None else None
        if node is not None and node.doc:
            known = {hit.chunk.id for hit in kept}
            found = self.retriever.from_documents(understanding.query, [node.doc], school=school, top_k=3)
            kept += [hit.model_copy(update={"via": "graph"}) for hit in found if hit.chunk.id not in known]
        return kept

    def _document_words(self, hits: Sequence[RetrievedChunk], school: str | None) -> list[str]:
        """What the documents of the passages found say: their text, titles and route names."""
        docs = dict.fromkeys(hit.chunk.doc_id for hit in hits)
        chunks = [chunk for doc in docs for chunk in self.store.document_chunks(doc, school=school)]
        return [
            text
            for chunk in chunks
            for text in (chunk.text, chunk.title, *(display_name(label) for label in chunk.labels))
        ]

    def _school_topic(self, policy: Policy, understanding: Understanding, school: str | None) -> bool:
        """Whether an off-topic question is answered by the asking school's own documents: a school decides
        what is on topic for its students ("is het café van De Wissel vernieuwd?")."""
        if policy.name != OFF_TOPIC.name or school is None:
            return False
        hits = self.retriever.retrieve(understanding.text, school=school)
        return bool(hits) and hits[0].chunk.school == school

    @staticmethod
    def events(answer: Answer) -> Iterator[StreamEvent]:
        """A composed answer as stream events: ``token`` pieces of the text, then ``citations``, ``routes``,
        ``follow_ups``, ``clarify`` (when Koers asks something back) and ``done`` with the complete answer.

        The API composes the answer, and grounding-checks an LLM rewrite, before the first token: a student
        never reads a sentence that is withdrawn afterwards, and errors (an empty store) come before any
        event.
        """
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

    def readiness(self) -> dict[str, bool]:
        """Can Koers answer now: the store opens and has passages, the embedding model embeds a query."""
        checks: dict[str, bool] = {}
        try:
            checks["store"] = self.store.count() > 0
        except KoersError:
            checks["store"] = False
        try:
            checks["model"] = len(self.retriever.embedder.embed(["klaar"], kind="query")) == 1
        except KoersError:
            checks["model"] = False
        return checks

    def source(self, doc_id: str, school: str | None = None) -> list[Chunk]:
        """The passages of one document in document order, as a citation links to it; a school's own
        documents only for that school."""
        return self.store.document_chunks(doc_id, school=school)

    def lesson_plans(self, school: str | None = None) -> list[list[Chunk]]:
        """The LOB lesson plans for mentors (documents of kind 'les'), each as its passages in order."""
        plans: dict[str, list[Chunk]] = {}
        for chunk in self.store.chunks_of_kind("les", school=school):
            plans.setdefault(chunk.doc_id, []).append(chunk)
        return sorted(plans.values(), key=lambda chunks: chunks[0].title)

    def warm_up(self) -> None:
        """Load the embedding model, the lesson titles and the speller now, before the first student."""
        self.retriever.embedder.embed(["opwarmen"], kind="query")
        self.composer.lesson_titles.get()
        self.reader.warm_up()

    def prepare_document(self, doc_id: str, school: str | None = None) -> int:
        """Embed a newly stored document's sentences ahead of the first question that quotes them (as
        ``koers run`` does for the corpus); returns how many were new."""
        if self.sentence_vectors is None:
            return 0
        texts = [chunk.text for chunk in self.store.document_chunks(doc_id, school=school)]
        return fill(self.sentence_vectors, self.retriever.embedder, texts)


SIGNAL_ROUTE_KINDS = ("vmbo:", "mbo-domein:", "mbo:", "beroep:", "route:")


def class_signals(understanding: Understanding, answer: Answer) -> ClassSignals:
    """The dashboard signals of one answered turn (see :class:`ClassSignals`)."""
    if understanding.safety.policy is not None:  # care (certain or not), refusal, redirect: nothing of it
        return ClassSignals()
    text = fold(understanding.text)
    interests = tuple(
        word
        for word in understanding.profile.interests
        if fold(understanding.profile.said.get(word, word)) in text
    )
    small_talk = understanding.kind in SMALL_TALK
    return ClassSignals(
        interests=interests,
        routes=tuple(label for label in answer.routes[:3] if label.startswith(SIGNAL_ROUTE_KINDS)),
        topic="" if small_talk or understanding.kind in {"other", "reaction"} else understanding.kind,
        unanswered="" if answer.citations or small_talk else understanding.text,
    )


def _care_lead(understanding: Understanding) -> str:
    """Care that carries from an earlier message stays with what the student said ("Ik hoor je"); asking
    "Klopt dat?" again, after "ik wil er niet meer zijn", reads as not having listened. A mentor or a parent
    hears that Koers may read distress of the one they write about."""
    about = _about_whom(understanding)
    if about:
        return CARE_FIRST_LEAD_ABOUT.format(who=about)
    return CARE_CONTINUED_LEAD if understanding.safety.carried else CARE_FIRST_LEAD


def _about_whom(understanding: Understanding) -> str:
    """Who a mentor or a parent writes about, as a care answer names them; "" for a student."""
    return {"mentor": "de leerling", "parent": "je kind"}.get(understanding.asker, "")


def _says_the_work(answer: Answer, goal: str, understanding: Understanding) -> bool:
    """Whether ``answer`` says the student's own word for the work they want (``goal``): then its reason
    ties the work to the route ("Omdat je automonteur wilt worden, noem ik het profiel M&T."), and "Dit
    vond ik over M&T:" before it says nothing more."""
    words = [fold(word) for word, phrase in understanding.known_goals if phrase == goal]
    return any(re.search(rf"(?<![a-z]){re.escape(word)}(?![a-z])", fold(answer.text)) for word in words)
