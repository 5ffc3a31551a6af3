"""ChatService: the one entry point the API, CLI and UI use to get an answer."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from bot.adapters.schools import SchoolProfielen, not_offered_note
from bot.adapters.sentence_vectors import SentenceVectorFile, fill
from bot.answer.compose import (
    CLOSING,
    GREETING,
    NOT_UNDERSTOOD,
    START_BUTTONS,
    THANKS,
    compose,
    lesson_plan,
)
from bot.answer.glossary import Glossary
from bot.answer.grounding import in_reading_order
from bot.answer.guarded import (
    CARE_CONTINUED_LEAD,
    CARE_FIRST_LEAD,
    REFUSAL_REASONS,
    care_answer,
    care_first,
    refusal_answer,
    with_privacy_note,
)
from bot.answer.select import SentenceSelector
from bot.core.answer_plan import Clarification
from bot.core.config import Settings
from bot.core.errors import EmptyIndexError, KoersError
from bot.core.ports import AnswerRewriter, VectorStore
from bot.core.route_graph import RouteGraph
from bot.core.schemas import Answer, Chunk, Citation, Message, RetrievedChunk
from bot.core.text import fold, plain, sentences, without_citations
from bot.retrieve.derived import StoreDerived
from bot.retrieve.retriever import Retriever
from bot.routes.plan import REASON_KINDS, aspects, buttons, clarification, reasons, route_cards, route_path
from bot.routes.recommend import Recommender, rank_routes
from bot.understand.detectors import Detectors
from bot.understand.guard import OFF_TOPIC, Policy
from bot.understand.heads import LinearHeads
from bot.understand.reader import Reader, Understanding
from bot.understand.training import ASKER_PREFIX


@dataclass(frozen=True)
class ClassSignals:
    """What one turn adds to a class session's dashboard: labels from Koers's own lists, and the message
    (scrubbed) only when Koers found nothing to answer it with. Empty for a care or refusal turn: what a
    student in distress types never reaches a mentor's screen."""

    interests: tuple[str, ...] = ()  # activity words this message used ("sleutelen")
    routes: tuple[str, ...] = ()  # route labels recommended
    topic: str = ""  # the kind of question ("duration", "money", ...)
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


# After distress, a message of these kinds that names no route asks nothing new ("nee echt niet. alles gaat
# fout"): the answer stays with the student. A real question still gets its answer, after care.
STAY_KINDS = frozenset({"other", "greeting", "thanks"})
# A lesson question gets a whole lesson plan when that plan holds at least two of its three best passages:
# the question matches the lesson as a whole. A question that matches one section that many plans share
# ("how do I keep students from trusting Koers blindly": every plan's privacy section), a test or an
# activity is answered from the passages like any other.
LESSON_TOP = 3
LESSON_MATCHES = 2
# A lesson question that two or more plans each answer in part gets the answer from the passages and a
# question back: which plan to show whole. A chosen title comes back as the next message.
LESSON_CHOICE = "Wil je een heel lesplan zien? Kies er een."
SMALL_TALK = {"greeting": GREETING, "thanks": THANKS}  # answered in Koers's own words, nothing to look up
# How much a sentence that reads like an answer to the kind of question asked (a duration, a cost) gains in
# relevance: the question heads' probability of that kind for the sentence, times this. On the dev set
# (2026-12-02) 0, 0.05, 0.1 and 0.2 gave fact coverage 0.542, 0.549, 0.545, 0.490 and answer-first 0.525,
# 0.545, 0.545, 0.515.
KIND_PRIOR = 0.05
ANSWER_KINDS = frozenset(
    {"definition", "duration", "money", "difference", "admission", "where_when", "try_out", "after"}
)
# A mentor or a parent is answered in their voice: a sentence gains this times the intent heads'
# probability that the asker would say it ("Laat leerlingen de bronnen controleren" reads as a mentor's;
# "Vraag je decaan ..." as a student's). The heads learnt who asks from messages, and the same wording marks
# who a sentence is for. On the dev set's 19 mentor questions (2026-12-02) 0, 0.05, 0.1, 0.2 and 0.3 gave
# fact coverage 0.404, 0.447, 0.383, 0.383, 0.277 (route recall 0.64 each; all 145 cases 0.542, 0.549,
# 0.538, 0.534, 0.514).
VOICE_PRIOR = 0.05


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
        self.selector = SentenceSelector(self.retriever.embedder, self.sentence_vectors)
        self.recommender = Recommender(self.graph)
        self.reader = Reader(self.retriever.vectors, self.detectors, self.store, self.graph)
        self.glossary = Glossary(self.store)
        self.lesson_titles = StoreDerived(self.store, lambda: lesson_titles(self.store.all_chunks()))

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
        asks = understanding.kind not in STAY_KINDS or bool(understanding.named)
        if policy is None and not _WORD.search(understanding.text):
            return Turn(Answer(text=NOT_UNDERSTOOD), [])
        if understanding.care and policy is not None and understanding.safety.certain:
            hits = self.retriever.help_passages(understanding.text)
            return Turn(care_answer(policy, hits), hits)
        if understanding.care and policy is not None and understanding.safety.carried and not asks:
            # The turn after distress that does not clearly move on: stay with the student, nothing else.
            hits = self.retriever.help_passages(understanding.text)
            care = care_answer(policy, hits, lead=CARE_CONTINUED_LEAD)
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
            return self._refusal(policy, understanding.text, school)
        hits = self.retriever.retrieve(
            understanding.query,
            school=school,
            leerweg=understanding.leerweg_filter,
            asked_about=understanding.named,
            unpenalised=frozenset({"les"}) if understanding.kind == "lesson" else frozenset(),
        )
        answer, hits = self._compose(understanding, hits, school)
        if understanding.asker == "student":  # a mentor or parent knows the school words
            answer, hits = self._explain(answer, hits, understanding)
        if self.rewriter is not None and hits:
            answer = self.rewriter.rewrite(understanding.text, understanding.history, hits, answer)
        if understanding.removed:
            answer = with_privacy_note(answer, contact_requested=False)
        if understanding.care and policy is not None:  # likely distress, not certain: care first, then help
            help_hits = self.retriever.help_passages(understanding.text)
            answer = care_first(care_answer(policy, help_hits, lead=CARE_FIRST_LEAD), answer)
            # The passages found for what is asked keep their rank; the care passages come after them, as
            # they come from the help documents whatever the question was.
            hits = hits + help_hits
        return Turn(answer, hits)

    def _school_topic(self, policy: Policy, understanding: Understanding, school: str | None) -> bool:
        """Whether an off-topic question is answered by the asking school's own documents: a school decides
        what is on topic for its students ("is het café van De Wissel vernieuwd?")."""
        if policy.name != OFF_TOPIC.name or school is None:
            return False
        hits = self.retriever.retrieve(understanding.text, school=school)
        return bool(hits) and hits[0].chunk.school == school

    def _refusal(self, policy: Policy, message: str, school: str | None) -> Turn:
        """A refusal, with the corpus sentences that explain it when the policy has reasons to look up.

        Each quote is searched with the policy's own question, never with the student's message: the message
        asked for something Koers will not give. The message only decides whether a reason is about it
        (a forged doctor's note is fraud too, but exam secrecy does not explain that refusal)."""
        tops = [
            (question, hits[0])
            for question in REFUSAL_REASONS.get(policy.name, ())
            if (hits := self.retriever.retrieve(question, school=school))
        ]
        about = {h.chunk.doc_id for h in self.retriever.retrieve(message, school=school)} if tops else set()
        explained: list[tuple[Chunk, str]] = []
        for question, top in tops:
            if top.chunk.doc_id not in about:
                continue
            said = {quote for _, quote in explained}
            options = [s for s in sentences(top.chunk.text) if not s.rstrip().endswith("?") and s not in said]
            best = self.selector.select(question, options, [0.0] * len(options), 1)
            explained += [(top.chunk, options[best[0]])] if best else []
        quoted = {chunk.id for chunk, _ in explained}
        cited = {top.chunk.id: top for _, top in tops if top.chunk.id in quoted}
        return Turn(refusal_answer(policy, explained), list(cited.values()))

    def _compose(
        self, understanding: Understanding, hits: list[RetrievedChunk], school: str | None
    ) -> tuple[Answer, list[RetrievedChunk]]:
        """The offline answer: routes from the recommender, a reason and a clarifying question where needed.

        Returns the passages the answer may cite: the retrieved ones plus those looked up to back a reason.
        """
        max_sentences = self.settings.composer.max_sentences
        query = understanding.query
        if hits and hits[0].chunk.kind == "hulp":
            # A question about help is not a route question, and it is answered from the national help
            # documents only: a school's text never changes a help line.
            helps = self.retriever.help_passages(query)
            return compose(query, helps, self.selector, max_sentences=max_sentences), helps
        if self.graph is None:
            routes = rank_routes(hits)
            return compose(query, hits, self.selector, max_sentences=max_sentences, routes=routes), hits
        plans = [hit.chunk.doc_id for hit in hits[:LESSON_TOP] if hit.chunk.kind == "les"]
        lesson = next((doc for doc in plans if plans.count(doc) >= LESSON_MATCHES), None)
        chosen = self._titled_lesson(understanding.text, school)
        if chosen is not None or (understanding.kind == "lesson" and lesson is not None):
            # A mentor who plans a lesson, or picked one Koers offered, gets that plan whole and in order.
            chunks = self.store.document_chunks(chosen or str(lesson), school=school)
            looked_up = [RetrievedChunk(chunk=c, score=0.0, via="graph") for c in chunks]
            return lesson_plan(chunks, buttons(understanding, [])), looked_up
        profile = understanding.profile
        offered = self.schools.offered(school) if self.schools is not None else None
        recommendation = self.recommender.recommend(understanding, hits, offered)
        # Why a profiel fits is said when that is asked, or when this message tells what the student likes.
        tells = understanding.kind == "other" and any(
            fold(typed) in fold(understanding.text) for typed in profile.said.values()
        )
        fit = understanding.kind in REASON_KINDS or understanding.asks_fit or tells
        # A mentor or a parent asks about a student: the reason speaks of "de leerling", and the closing
        # pointer and the clarifying question (which are for the student) are left out.
        student = understanding.asker == "student"
        found = (
            reasons(
                recommendation, profile, self.graph, self.store, school=school, about_a_student=not student
            )
            if hits and fit
            else []
        )
        planned = aspects(recommendation, profile, self.graph) if hits else []
        self.retriever.prepare([aspect.question for aspect in planned])
        covered = [
            (aspect, self.retriever.from_documents(aspect.question, [aspect.doc], school=school))
            for aspect in planned
        ]
        answer = compose(
            query,
            hits,
            self.selector,
            max_sentences=max_sentences,
            routes=recommendation.routes,
            reasons=found,
            clarification=clarification(understanding) if student else lesson_choice(understanding, hits),
            aspects=covered,
            notes=[not_offered_note(recommendation.not_offered)] if recommendation.not_offered else [],
            focus=understanding.focus,
            avoid=self._said_before(understanding),
            sentence_prior=self.sentence_prior(understanding),
            closing=CLOSING if fit and student else "",
            buttons=buttons(understanding, recommendation.routes),
        )
        looked_up = [h.model_copy(update={"via": "graph"}) for _, passages in covered for h in passages]
        looked_up += [RetrievedChunk(chunk=r.chunk, score=0.0, via="graph") for r in found]
        cited = {c.chunk_id for c in answer.citations}
        known = {h.chunk.id for h in hits}
        extra = {h.chunk.id: h for h in looked_up if h.chunk.id not in known and h.chunk.id in cited}
        return answer, hits + list(extra.values())

    def _explain(
        self, answer: Answer, hits: list[RetrievedChunk], understanding: Understanding
    ) -> tuple[Answer, list[RetrievedChunk]]:
        """The answer with its hard words explained (see :mod:`bot.answer.glossary`), each definition quoted
        and cited after the paragraph that first uses the word."""
        entries = self.glossary.to_explain(
            without_citations(answer.text), [m.content for m in understanding.history]
        )
        if not entries:
            return answer, hits
        paragraphs = answer.text.split("\n\n")
        citations = list(answer.citations)
        explained: list[tuple[int, str]] = []  # (paragraph that first uses the word, the explanation)
        for entry in entries:  # in the order the words occur, so the numbers run on in reading order
            number = len(citations) + 1
            citations.append(Citation.of(number, entry.chunk, entry.definition))
            where = next((i for i, p in enumerate(paragraphs) if entry.used_in(p)), 0)
            explained.append((where, f"{plain(entry.definition)} [{number}]"))
        for where, line in reversed(explained):  # from the back, so earlier places do not move
            paragraphs.insert(where + 1, line)
        text, citations = in_reading_order("\n\n".join(paragraphs), citations)
        looked_up = [RetrievedChunk(chunk=entry.chunk, score=0.0, via="graph") for entry in entries]
        return answer.model_copy(update={"text": text, "citations": citations}), hits + looked_up

    def _titled_lesson(self, text: str, school: str | None) -> str | None:
        """The lesson plan whose title the message is (a choice Koers offered), visible to ``school``."""
        found = self.lesson_titles.get().get(fold(text).strip(" .?!"), {})
        return found.get(school or "") or found.get("")

    @staticmethod
    def _said_before(understanding: Understanding) -> frozenset[str]:
        """The sentences of Koers's previous answer, as shown: a follow-up gets what is new."""
        return frozenset(plain(s) for s in sentences(without_citations(understanding.koers_said)))

    def sentence_prior(self, understanding: Understanding) -> Callable[[Sequence[str]], list[float]] | None:
        """A sentence's head start: for reading like an answer to the kind of question asked, and for being
        said to the one who asks (a mentor, a parent)."""
        weighed: list[tuple[LinearHeads, int, float]] = []
        if KIND_PRIOR > 0 and understanding.kind in ANSWER_KINDS:
            questions = self.detectors.questions
            weighed.append((questions, questions.labels.index(understanding.kind), KIND_PRIOR))
        if VOICE_PRIOR > 0 and understanding.asker != "student":
            intents, voice = self.detectors.intents, f"{ASKER_PREFIX}{understanding.asker}"
            weighed.append((intents, intents.labels.index(voice), VOICE_PRIOR))
        if not weighed:
            return None

        def prior(texts: Sequence[str]) -> list[float]:
            vectors = self.selector.vectors([], texts)
            total = [0.0] * len(texts)
            for heads, column, weight in weighed:
                found = heads.probabilities(list(texts), vectors)[:, column]
                total = [t + weight * float(p) for t, p in zip(total, found, strict=True)]
            return total

        return prior

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
        """Load the embedding model and the lesson titles now, so the first student does not wait."""
        self.retriever.embedder.embed(["opwarmen"], kind="query")
        self.lesson_titles.get()

    def prepare_document(self, doc_id: str, school: str | None = None) -> int:
        """Embed a newly stored document's sentences ahead of the first question that quotes them (as
        ``koers run`` does for the corpus); returns how many were new."""
        if self.sentence_vectors is None:
            return 0
        texts = [chunk.text for chunk in self.store.document_chunks(doc_id, school=school)]
        return fill(self.sentence_vectors, self.retriever.embedder, texts)


SIGNAL_ROUTE_KINDS = ("vmbo:", "mbo-domein:", "mbo:", "beroep:", "route:")


def lesson_titles(chunks: Sequence[Chunk]) -> dict[str, dict[str, str]]:
    """Folded title -> school ("" for the corpus) -> document id, of every lesson plan in the store."""
    titles: dict[str, dict[str, str]] = {}
    for chunk in chunks:
        if chunk.kind == "les":
            titles.setdefault(fold(chunk.title).strip(" .?!"), {})[chunk.school] = chunk.doc_id
    return titles


def lesson_choice(understanding: Understanding, hits: Sequence[RetrievedChunk]) -> Clarification | None:
    """For a lesson question that no single plan answers (see :data:`LESSON_MATCHES`): the plans among the
    best passages, by title, to choose one to see whole."""
    if understanding.kind != "lesson":
        return None
    titles = list(dict.fromkeys(hit.chunk.title for hit in hits[:LESSON_TOP] if hit.chunk.kind == "les"))
    return Clarification(LESSON_CHOICE, titles) if len(titles) >= 2 else None


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
        topic="" if small_talk or understanding.kind == "other" else understanding.kind,
        unanswered="" if answer.citations or small_talk else understanding.text,
    )
