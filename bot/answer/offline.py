"""The offline composer: an answer from the passages found, in Koers's own frames, never a made-up fact.

``ChatService`` decides which kind of answer a turn gets (care, a refusal, small talk, or an answer); this
module composes the refusal and the answer: a lesson plan whole, or routes from the recommender with the
reasons, the aspects of each route and a clarifying question, the sentences chosen by the selector, and the
hard words explained from the glossary.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial

from bot.adapters.schools import SchoolProfielen, not_offered_note
from bot.answer.compose import CLOSING, LESSON_LEAD, compose, lesson_plan
from bot.answer.grounding import in_reading_order
from bot.answer.guarded import REFUSAL_REASONS, refusal_answer
from bot.answer.select import SentenceSelector, held_in
from bot.core.answer_plan import Clarification, Reason
from bot.core.config import Settings
from bot.core.labels import ROUTE_STEP_KINDS, is_profiel, kind_of, value_of
from bot.core.ports import VectorStore
from bot.core.route_graph import RouteGraph
from bot.core.schemas import Answer, Chunk, Citation, Message, RetrievedChunk
from bot.core.text import fold, plain, sentences, without_citations
from bot.retrieve.derived import StoreDerived
from bot.retrieve.retriever import Retriever
from bot.routes.plan import (
    REASON_KINDS,
    ReasonSettings,
    aspects,
    buttons,
    clarification,
    goal_reasons,
    reasons,
    reasons_below,
    route_line,
)
from bot.routes.recommend import SHOWN_AS_ROUTE, Recommendation, Recommender, rank_routes
from bot.understand.detectors import Detectors
from bot.understand.glossary import Glossary
from bot.understand.goals import goals, no_pay_found
from bot.understand.guard import Policy
from bot.understand.heads import LinearHeads
from bot.understand.names import LabelNames
from bot.understand.reader import ROUTE_INTEREST, Understanding, route_interest
from bot.understand.training import ASKER_PREFIX

# A lesson question gets a whole lesson plan when that plan holds at least two of its three best passages:
# the question matches the lesson as a whole. A question that matches one section that many plans share
# ("how do I keep students from trusting Koers blindly": every plan's privacy section), a test or an
# activity is answered from the passages like any other.
LESSON_TOP = 3
LESSON_MATCHES = 2
# A lesson question that two or more plans each answer in part gets the answer from the passages and a
# question back: which plan to show whole. A chosen title comes back as the next message.
LESSON_CHOICE = "Wil je een heel lesplan zien? Kies er een."
# How much a sentence that reads like an answer to the kind of question asked (a duration, a cost) gains in
# relevance: the question heads' probability of that kind for the sentence, times this. On the dev set
# (2026-12-02) 0, 0.05, 0.1 and 0.2 gave fact coverage 0.542, 0.549, 0.545, 0.490 and answer-first 0.525,
# 0.545, 0.545, 0.515. A classifier of what a passage sentence tells (fitted on sentences, not questions;
# see bot.answer.compose._answer_first) in place of the question heads did worse (2026-12-05, dev fact
# coverage 0.617 -> 0.601 and answer-first 0.564 -> 0.535 at 0.05; 0.589 / 0.545 at 0.1).
KIND_PRIOR = 0.05
ANSWER_KINDS = frozenset(
    {"definition", "duration", "cost", "pay", "difference", "admission", "where_when", "try_out", "after"}
)
# A mentor or a parent is answered in their voice: a sentence gains this times the intent heads'
# probability that the asker would say it ("Laat leerlingen de bronnen controleren" reads as a mentor's;
# "Vraag je decaan ..." as a student's). The heads learnt who asks from messages, and the same wording marks
# who a sentence is for. On the dev set's 19 mentor questions (2026-12-02) 0, 0.05, 0.1, 0.2 and 0.3 gave
# fact coverage 0.404, 0.447, 0.383, 0.383, 0.277 (route recall 0.64 each; all 145 cases 0.542, 0.549,
# 0.538, 0.534, 0.514).
VOICE_PRIOR = 0.05
# Measured and not kept (2026-12-07): a sentence that five or more documents say word for word ("Techniek
# is voor iedereen, of je nu een jongen of een meisje bent.", in 11; "Met een BB-diploma begin je op niveau
# 2.", in 34) losing 0.03 relevance. Dev fact coverage 0.625 -> 0.621 and filler 0.025 -> 0.026,
# followups_dev 0.694 -> 0.703 with filler the same: other sentences far from the question took their place.

# A sentence of the previous answer may be said again when the question heads read the kind asked in it
# at least this much, and it is the one closest to the follow-up. On the follow-up set (replayed,
# 2026-12-03) fact coverage went 0.326 -> 0.348 and answer-first 0.229 -> 0.250, with no answer repeating
# more than half of the one before; letting every such sentence through instead (0.3 or 0.5) gave 0.360 but
# repeated generic sentences ("PIE bestaat meestal uit drie vakgebieden") and one answer more than half.
ASKED_AGAIN = 0.5


@dataclass
class OfflineComposer:
    """Composes refusals and answers from what the retriever found; no LLM (an LLM rewrite, where a school
    configured one, comes after and is checked against the same passages)."""

    settings: Settings
    store: VectorStore
    retriever: Retriever
    detectors: Detectors
    selector: SentenceSelector
    graph: RouteGraph | None = None
    schools: SchoolProfielen | None = None
    names: Callable[[], LabelNames] | None = None  # the labels a text names (the reader's, kept up to date)
    recommender: Recommender = field(init=False)
    glossary: Glossary = field(init=False)
    lesson_titles: StoreDerived[dict[str, dict[str, str]]] = field(init=False)

    def __post_init__(self) -> None:
        self.recommender = Recommender(self.graph)
        self.glossary = Glossary(self.store)
        # Every school's plans: a title is looked up for the school that asks (see _titled_lesson).
        self.lesson_titles = StoreDerived(
            self.store, lambda: lesson_titles(self.store.all_chunks(kind="les"))
        )

    def refusal(
        self, policy: Policy, message: str, school: str | None
    ) -> tuple[Answer, list[RetrievedChunk]]:
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
        return refusal_answer(policy, explained), list(cited.values())

    def answer(
        self, understanding: Understanding, hits: list[RetrievedChunk], school: str | None
    ) -> tuple[Answer, list[RetrievedChunk]]:
        """The offline answer: routes from the recommender, a reason and a clarifying question where needed.

        Returns the passages the answer may cite: the retrieved ones plus those looked up to back a reason.
        """
        max_sentences = self.settings.composer.max_sentences
        query = understanding.query
        if (
            hits
            and hits[0].chunk.kind == "hulp"
            and understanding.asker == "student"
            and not asks_for_routes(understanding)
        ):
            # A question about help is not a route question, and it is answered from the national help
            # documents only: a school's text never changes a help line. A student who doubts and says what
            # they like ("ik weet niet wat ik moet kiezen, ik vind gamen leuk") asks for routes all the same.
            # A mentor or a parent asks about a student, and is answered like any other question, for them:
            # the help documents speak to the student ("Je mentor kent je ..."), and the closing sent the
            # mentor to "je mentor".
            helps = self.retriever.help_passages(query)
            return compose(query, helps, self.selector, max_sentences=max_sentences), helps
        # A question the help documents do not answer best is no question about help, and they are not
        # quoted ("ik vind niks leuk" got "Soms gaat het niet goed. Of je voelt je al een tijd somber, bang of
        # boos." from the passages below its best ones). Help with distress is the care answers' work.
        if hits and hits[0].chunk.kind != "hulp":
            hits = [hit for hit in hits if hit.chunk.kind != "hulp"]
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
            if not plan_shown(chunks, understanding.history):
                return lesson_plan(chunks, buttons(understanding, [])), looked_up
            # Shown before in the conversation, the plan is not given again: a follow-up asks something in
            # it ("kun je daarbij differentiëren voor mijn GL-leerlingen?"), answered from its passages
            # (those the search found first) with what the last answer did not say.
            in_plan = [hit for hit in hits if hit.chunk.doc_id == chunks[0].doc_id]
            first = {hit.chunk.id for hit in in_plan}
            passages = [*in_plan, *(hit for hit in looked_up if hit.chunk.id not in first)]
            answer = compose(
                query,
                passages,
                self.selector,
                max_sentences=max_sentences,
                focus=understanding.focus,
                avoid=said_before(understanding),
                leerweg=understanding.leerweg_filter,
                asker=understanding.asker,
                closing="",
                buttons=buttons(understanding, []),
            )
            return answer.model_copy(update={"routes": list(chunks[0].labels)}), passages
        profile = understanding.profile
        offered = self.schools.offered(school) if self.schools is not None else None
        recommendation = self.recommender.recommend(understanding, hits, offered)
        # Why a profiel fits is said when that is asked, or when this message tells what the student likes.
        tells = understanding.kind == "other" and tells_likes(understanding)
        # So is it when the message says what work the student wants ("ik zit in de basis en wil autotechnicus
        # worden"), unless it asks how long, what it costs, or the like: dev answer-first 0.614 -> 0.624; the
        # rest of dev, followups_dev, test, routes2.jsonl and followups.jsonl the same (2026-12-06). Naming
        # the work without wanting it ("wat is technicus engineering") lost dev fact coverage (0.617 ->
        # 0.609), so a wish is read from the grammar (bot.understand.goals).
        wished = [word for word, _ in goals(understanding.text)]  # "schipper" in "ik wil schipper worden"
        wants = understanding.kind in {"other", "admission"} and bool(understanding.beroepen) and bool(wished)
        fit = understanding.kind in REASON_KINDS or understanding.asks_fit or tells or wants
        # A mentor or a parent asks about a student: the reason speaks of "de leerling" or "je kind", and the
        # closing pointer and the clarifying question (which are for the student) are left out.
        student = understanding.asker == "student"
        found = self._reasons(understanding, recommendation, school, wished) if hits and fit else []
        # Asks what fits, or which opleiding; a follow-up asks a new aspect of the route already given.
        routed = (fit or understanding.asks_opleiding) and not understanding.follows_up
        planned = (
            aspects(
                recommendation,
                profile,
                self.graph,
                routes=about_routes(understanding),
                compared=understanding.compared,
            )
            if hits
            else []
        )
        if understanding.aspect_query:
            # A follow-up that asks a new aspect ("moet ik daarvoor betalen? ben 16") keeps only the route
            # aspects that answer that kind of question: each reserves a sentence, and what a profiel is
            # about filled the answer instead of the lesgeld rule. Fact coverage, 2026-12-04: dev 0.605 ->
            # 0.613, followups_dev 0.622 -> 0.640; the held-out follow-up set 0.494 -> 0.517 (replayed).
            # Dropping every aspect lost the admission answer of "en met basis?" (dev 0.597). Doing the same
            # for a first question of such a kind (2026-12-06), because "In het profiel PIE maak je dingen
            # van metaal." was in 33 of the 195 answers of dev and followups_dev: dev answer-first 0.584 ->
            # 0.554, followups_dev fact coverage 0.703 -> 0.685 and answer-first 0.66 -> 0.64. Not kept.
            # Also not kept (2026-12-06, 9439928 and its revert): leaving out, for such a follow-up, every
            # sentence that names opleidingen or niveaus and none of the conversation's ("De
            # Entreeopleiding duurt een half jaar tot een jaar." after a basis student's question about
            # niveau 2). Tune sets: dev fact coverage 0.621 -> 0.625, followups_dev 0.703 -> 0.712. Held
            # out it lost: test fact coverage 0.535 -> 0.528, followups.jsonl 0.551 -> 0.539.
            planned = [aspect for aspect in planned if understanding.kind in aspect.answers]
        self.retriever.prepare([aspect.question for aspect in planned])
        covered = [
            (aspect, self.retriever.from_documents(aspect.question, [aspect.doc], school=school))
            for aspect in planned
        ]
        said = said_before(understanding)
        # "wat is toelatingsrecht?" opens with the glossary's definition when the passages found hold it.
        definition = self.glossary.entry(understanding.defines) if understanding.defines else None
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
            avoid=said - self.asked_again(understanding, said),
            leerweg=understanding.leerweg_filter,
            mbo_leerweg_asked=asks_about_an_mbo_leerweg(understanding),
            mbo_leerweg=the_mbo_leerweg_asked(understanding),
            lowest_niveau=self.lowest_niveau(understanding),
            place=understanding.place,
            asker=understanding.asker,
            sentence_prior=self.sentence_prior(understanding),
            lead=definition.definition if definition else "",
            closing=CLOSING if fit and student else "",
            buttons=buttons(understanding, recommendation.routes),
            elsewhere=either(
                self.about_another_profiel(understanding, recommendation.routes, advised=bool(found)),
                self.off_the_routes(understanding, recommendation.routes if found else ()),
            ),
            introduction=route_line(recommendation.routes, self.graph, asker=understanding.asker, broad=fit)
            if routed and not found
            else "",
        )
        if understanding.asks_pay and not self.answers_kind(answer, "pay"):
            # "wat verdien je als autotechnicus", "en wat verdien je dan later" with no sentence about pay:
            # say so before the rest.
            text = f"{no_pay_found(understanding.pay_for)}\n\n{answer.text}"
            answer = answer.model_copy(update={"text": text})
        looked_up = [h.model_copy(update={"via": "graph"}) for _, passages in covered for h in passages]
        looked_up += [RetrievedChunk(chunk=r.chunk, score=0.0, via="graph") for r in found]
        cited = {c.chunk_id for c in answer.citations}
        known = {h.chunk.id for h in hits}
        extra = {h.chunk.id: h for h in looked_up if h.chunk.id not in known and h.chunk.id in cited}
        return answer, hits + list(extra.values())

    def _reasons(
        self,
        understanding: Understanding,
        recommendation: Recommendation,
        school: str | None,
        wished: Sequence[str],
    ) -> list[Reason]:
        """Why the best route fits, the first way that gives a reason: the student's likes of the route
        itself, the work they want to do, or their likes of work the profiel leads to (not in a follow-up)."""
        assert self.graph is not None
        graph, profile, store = self.graph, understanding.profile, self.store
        relevance = partial(self.selector.relevance, understanding.focus)
        found = reasons(
            recommendation,
            profile,
            graph,
            store,
            school=school,
            asker=understanding.asker,
            opleiding_first=understanding.asks_opleiding,
            relevance=relevance,
            wanted=wished,
        )
        # The other two ways take the same settings.
        said_by = ReasonSettings(school=school, asker=understanding.asker, relevance=relevance)
        if not found and understanding.beroepen:
            found = goal_reasons(
                recommendation, understanding.beroepen, graph, store, said=understanding.text, **said_by
            )
        if not found and not understanding.follows_up:
            found = reasons_below(recommendation, profile, graph, store, **said_by)
        return found

    def explain(
        self, answer: Answer, hits: list[RetrievedChunk], understanding: Understanding
    ) -> tuple[Answer, list[RetrievedChunk]]:
        """The answer with its hard words explained (see :mod:`bot.understand.glossary`), each definition
        quoted and cited after the paragraph that first uses the word."""
        plain_text = without_citations(answer.text)
        shown = sentences(plain_text)
        entries = [
            entry
            for entry in self.glossary.to_explain(plain_text, [m.content for m in understanding.history])
            if not any(held_in(entry.definition, s) for s in shown)  # the answer says it already
        ]
        if not entries:
            return answer, hits
        paragraphs = answer.text.split("\n\n")
        citations = list(answer.citations)
        explained: list[tuple[int, str]] = []  # (paragraph that first uses the word, the explanation)
        for entry in entries:  # in the order the words occur, so the numbers run on in reading order
            number = len(citations) + 1
            citations.append(Citation.of(number, entry.chunk, entry.definition))
            # A shorter wording of the definition in the answer ("BBL betekent: je werkt bij een bedrijf
            # ...") gives way to it: both said the same twice, and leaving the definition out lost what only
            # it says (on the dev set, the SBB in "... een bedrijf dat van SBB mbo-studenten mag opleiden").
            for shorter in (s for s in shown if held_in(s, entry.definition)):
                paragraphs = [without_sentence(p, shorter) for p in paragraphs]
            paragraphs = [p for p in paragraphs if p.strip()]
            where = next((i for i, p in enumerate(paragraphs) if entry.used_in(p)), 0)
            if fold(entry.word) == fold(understanding.defines):
                where = -1  # the word the question asks about: its definition answers it, so it opens
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

    def about_another_profiel(
        self, understanding: Understanding, routes: Sequence[str], *, advised: bool = False
    ) -> Callable[[Chunk, str], bool] | None:
        """For an answer about the profielen the message names ("wat kun je worden met bwi"): whether a
        sentence names other profielen only, outside those profielen's own documents. "Met MVI kun je later
        bijvoorbeeld mediavormgever worden." answered that question too; the M&T document's "Verwar het niet
        met MaT: ..." still speaks. So for two ("ik twijfel tussen pie en mvi" got "Op het vmbo past vooral
        het profiel BWI (Bouwen, wonen en interieur)."; measured 2026-12-07: dev, ``followups_dev``, the
        candidate set, test, ``routes2.jsonl`` and ``followups.jsonl`` the same in every answer). None (quote
        anything) when the answer shows a profiel the message does not name.

        An answer that ``advised`` a route (it gives a reason why a profiel or an opleiding fits) to a
        message that names no profiel quotes no sentence that names only profielen it does not show, nor one
        of another profiel's document unless it names a shown one: "ik hou van gamen en tekenen" got "Omdat
        je tekenen en gamen leuk vindt, noem ik het profiel MVI." and then "In het profiel PIE maak je dingen
        van metaal." (with only that rule, the PIE document's "Je werkt met elektriciteit en met installaties
        in huizen." took its place), unless it compares what it names ("lasser of timmerman, wat past beter":
        the timmerman's BWI is part of the answer). A question about profielen in general ("welke profielen
        zijn technisch?") gets no reason, and its sentences about each profiel stay. Measured (2026-12-07):
        dev, ``followups_dev`` and the candidate set the same on every figure, five answers changed; held
        out, test filler 0.053 -> 0.052, the rest of test, ``routes2.jsonl`` and ``followups.jsonl`` the
        same."""
        asked = {label for label in understanding.named if is_profiel(label)}
        shown = {label for label in routes[:SHOWN_AS_ROUTE] if is_profiel(label)}
        if self.names is None:
            return None
        names = self.names()
        if advised and shown and not asked and not understanding.compared:

            def not_advised(chunk: Chunk, sentence: str) -> bool:
                own = chunk.labels[0] if chunk.labels else ""
                if own in shown:
                    return False
                found = names.profielen(sentence)
                return not found & shown if found else is_profiel(own)

            return not_advised
        if not asked or not shown <= asked:
            return None

        def elsewhere(chunk: Chunk, sentence: str) -> bool:
            if chunk.labels[:1] and chunk.labels[0] in asked:
                return False
            found = names.profielen(sentence)
            return bool(found) and not found & asked

        return elsewhere

    def off_the_routes(
        self, understanding: Understanding, advised: Sequence[str] = ()
    ) -> Callable[[Chunk, str], bool] | None:
        """Whether a sentence names routes (profielen, domeinen, opleidingen, beroepen) and none of the routes
        the answer is about or of the routes the graph links them with. A sentence that names no route stays.

        For a follow-up, the routes are the conversation's: "ik wil later iets met auto's" -> "en kan ik dat
        in de basis ook" got "In de bouw kun je vaak stap voor stap hoger komen.", and "wat verdien je
        daarmee" "Het beroep mediavormgever past bij je als je graag tekent ...". Measured (2026-12-07):
        ``followups_dev`` (replayed) answer-first 0.66 -> 0.68 and filler 0.023 -> 0.021 ("hoe lang duurt dat
        allround ding" after a talk on metselen no longer opens with "Bij Rijn IJssel duurt Allround
        mediamaker drie jaar."), its other figures, dev and the candidate set the same; held out, the test
        split and ``followups.jsonl`` the same on every figure (three of its answers changed),
        ``routes2.jsonl`` filler 0.007 -> 0.008 (one answer).

        For a first message that gets a reason why a route fits, the routes are the ``advised`` ones (all the
        answer shows) and those the message names: "ik wil later met een graafmachine werken" got the profiel
        Groen and then "Het beroep plaatwerker past bij je als je graag met metaal en machines werkt.", whose
        Productietechniek then became the subject of "waar kan je dat leren". Measured (2026-12-08): dev and
        the candidate set the same on every figure (two candidate answers changed), ``followups_dev``
        (replayed) route recall 0.695 -> 0.72; held out, test fact coverage 0.548 -> 0.551 (two answers
        changed), ``routes2.jsonl`` and ``followups.jsonl`` the same in every answer. With only the first
        three routes (those shown as the route), "ik wil later jachten bouwen" lost its one sentence on
        Maritieme techniek (its fourth route) and ``followups_dev`` fact coverage fell 0.694 -> 0.676."""
        graph = self.graph
        if graph is None or self.names is None or understanding.compared:
            return None
        if not understanding.follows_up and not advised:
            return None

        def steps_in(labels: Iterable[str]) -> set[str]:
            return {label for label in labels if kind_of(label) in ROUTE_STEP_KINDS and graph.find(label)}

        if understanding.follows_up:
            talked_about = understanding.koers_named.union(understanding.named, *understanding.named_earlier)
        else:
            talked_about = frozenset([*advised, *understanding.named])
        steps = steps_in(talked_about)
        if not steps:
            return None
        linked = graph.linked(steps)
        names = self.names()

        def off(chunk: Chunk, sentence: str) -> bool:
            named = names.in_passage(sentence)
            found = steps_in(named) | {label for label in named if kind_of(label) == "beroep"}
            return bool(found) and not found & linked

        return off

    def lowest_niveau(self, understanding: Understanding) -> int | None:
        """The lowest mbo niveau the student's stated vmbo leerweg opens (the graph's admission table), when
        the conversation names no niveau below it ("kan ik ook naar entree?")."""
        leerweg = understanding.leerweg_filter
        admitted = self.graph.niveaus_for(leerweg) if self.graph is not None and leerweg else []
        if not admitted:
            return None
        lowest = min(admitted)
        named = understanding.named.union(*understanding.named_earlier)
        asked = {int(value_of(label)) for label in named if kind_of(label) == "mbo-niveau"}
        return None if any(niveau < lowest for niveau in asked) else lowest

    def answers_kind(self, answer: Answer, kind: str) -> bool:
        """Whether a sentence of ``answer`` reads as an answer to this kind of question (the question heads,
        at least :data:`ASKED_AGAIN`)."""
        texts = [s for s in sentences(without_citations(answer.text)) if len(s.split()) >= 4]
        if not texts:
            return False
        questions = self.detectors.questions
        # As queries: an answer holds Koers's own sentences too ("Omdat je autos leuk vindt ..."), with the
        # student's words; those stay in memory (bot.answer.select keeps only passage sentences on disk).
        found = questions.probabilities(texts, self.selector.vectors(texts))
        return bool((found[:, questions.labels.index(kind)] >= ASKED_AGAIN).any())

    def asked_again(self, understanding: Understanding, said: frozenset[str]) -> frozenset[str]:
        """The sentence of the previous answer (``said``, see :func:`said_before`) that answers what this
        follow-up asks ("hoe lang duurt die dan?" after an answer that gave the duration): the student missed
        it or wants it again, so it may be said again (see :data:`ASKED_AGAIN`)."""
        if not said or not understanding.follows_up or understanding.kind not in ANSWER_KINDS:
            return frozenset()
        texts = sorted(said)
        questions = self.detectors.questions
        column = questions.labels.index(understanding.kind)
        vectors = self.selector.vectors([understanding.focus], texts)
        found = questions.probabilities(texts, vectors[1:])[:, column]
        relevance = vectors[1:] @ vectors[0]
        answering = [i for i, p in enumerate(found) if p >= ASKED_AGAIN]
        return frozenset([texts[max(answering, key=lambda i: relevance[i])]]) if answering else frozenset()

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


_RUN_MARKER = re.compile(r" *\[\d+\]")


def without_sentence(paragraph: str, sentence: str) -> str:
    """``paragraph`` without one quoted ``sentence``. Its citation marker goes with it when it was the only
    sentence of its run ("Y. [1] S. [2] Z. [3]" -> "Y. [1] Z. [3]"); when sentences before it in the run
    share the marker, it stays for them ("Y. S. [1]" -> "Y. [1]")."""
    start = paragraph.find(sentence)
    if start < 0:
        return paragraph
    end = start + len(sentence)
    before = paragraph[:start].rstrip(" ")
    marker = _RUN_MARKER.match(paragraph, end)
    if marker is not None and (not before.strip() or before.endswith(("]", "\n"))):
        end = marker.end()
    after = paragraph[end:].lstrip(" ")
    return f"{before} {after}" if before and after and not before.endswith("\n") else before + after


def either(
    *tests: Callable[[Chunk, str], bool] | None,
) -> Callable[[Chunk, str], bool] | None:
    """One test that holds when any of ``tests`` holds (None when there are none)."""
    found = [test for test in tests if test is not None]
    if len(found) <= 1:
        return found[0] if found else None
    return lambda chunk, sentence: any(test(chunk, sentence) for test in found)


def about_routes(understanding: Understanding) -> bool:
    """Whether the conversation is about routes: a route is named (now or before), the intent heads read a
    route interest in this message or an earlier one, or the message follows up on Koers's answer. Only
    then does an answer say what its recommended routes are (see :func:`bot.routes.plan.aspects`): "wat is
    het verschil tussen bol en bbl" recommended Metaal en metalektro and PIE from the passages' labels, and
    its answer said what they are."""
    named = understanding.named.union(*understanding.named_earlier)
    return (
        understanding.follows_up
        or any(kind_of(label) in ROUTE_STEP_KINDS for label in named)
        or any(
            route_interest(i) >= ROUTE_INTEREST
            for i in [understanding.intents, *understanding.earlier_intents]
        )
    )


def asks_about_an_mbo_leerweg(understanding: Understanding) -> bool:
    """Whether the message names BOL or BBL, and neither it nor the conversation says the student's vmbo
    leerweg ("kan dat ook met bbl" after "ik wil automonteur worden")."""
    kinds = {kind_of(label) for label in understanding.named}
    return "mbo-leerweg" in kinds and "vmbo-leerweg" not in kinds and understanding.profile.leerweg is None


def the_mbo_leerweg_asked(understanding: Understanding) -> str | None:
    """The one mbo leerweg (BOL or BBL) the message names, unless it asks how they differ."""
    named = {value_of(label) for label in understanding.named if kind_of(label) == "mbo-leerweg"}
    return named.pop() if len(named) == 1 and understanding.kind != "difference" else None


def tells_likes(understanding: Understanding) -> bool:
    """Whether this message (not an earlier one) says what the student likes."""
    return any(fold(typed) in fold(understanding.text) for typed in understanding.profile.said.values())


def asks_for_routes(understanding: Understanding) -> bool:
    """Whether the message names a route, tells what the student likes, or asks what fits while pointing
    at routes."""
    if understanding.named or tells_likes(understanding):
        return True
    return understanding.asks_fit and route_interest(understanding.intents) >= ROUTE_INTEREST


def said_before(understanding: Understanding) -> frozenset[str]:
    """The sentences of Koers's previous answer, as shown: a follow-up gets what is new."""
    return frozenset(plain(s) for s in sentences(without_citations(understanding.koers_said)))


def plan_shown(chunks: Sequence[Chunk], history: Sequence[Message]) -> bool:
    """Whether an answer of Koers in ``history`` was this lesson plan (see
    :func:`bot.answer.compose.lesson_plan`)."""
    lead = f"{LESSON_LEAD}{chunks[0].title}." if chunks else None
    return lead is not None and any(m.role == "assistant" and lead in m.content for m in history)


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
