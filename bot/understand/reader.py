"""Read the message once: one step turns the message and the history into a typed :class:`Understanding`.

Every later stage (guardrails, retrieval, recommendation, planning) reads the Understanding, never the raw
text again. Reading embeds, in one model call, the message and the earlier student messages (for their
intents); the vectors are cached, so retrieval with the message itself embeds nothing more.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.core.labels import ROUTE_STEP_KINDS, display_name, kind_of
from bot.core.ports import VectorStore
from bot.core.route_graph import RouteGraph
from bot.core.schemas import Message
from bot.core.text import fold, sentences
from bot.retrieve.derived import StoreDerived
from bot.retrieve.query_vectors import QueryVectors
from bot.understand.detectors import Detectors
from bot.understand.glossary import Glossary
from bot.understand.goals import (
    ROUTE_SURE,
    Vocabulary,
    asks_pay,
    goals,
    pay_asked_for,
    unknown_goal,
)
from bot.understand.guard import CARE_POLICIES, asks_for_contact, names_someone, scrub
from bot.understand.names import LabelNames
from bot.understand.places import place_asked
from bot.understand.profile import LEERWEG_NAMES, Profile, build_profile, leerwegen_in, without_klas
from bot.understand.safety import (
    Safety,
    buried_care,
    buried_refusal,
    clauses,
    decide,
    ordinary,
    pieces,
    reads_parts,
)
from bot.understand.spelling import Speller
from bot.understand.training import (
    ASKER_PREFIX,
    ASKERS,
    FOLLOW_UP,
    QUESTION_KINDS,
    Asker,
    QuestionKind,
)

# A follow-up this short ("en met basis?") means little on its own; it leans on the previous question.
FOLLOW_UP_MAX_WORDS = 6
# The policies a short follow-up's context may lift (see Reader._with_the_turn_before).
IN_CONTEXT_POLICIES = frozenset({"others_data", "off_topic"})
# The intent heads' probability of a profiel, domein or opleiding from which a message points at a route
# ("weet het niet, iets met mijn handen": PIE 0.86). "ik vind kiezen echt spannend, is dat normaal?" also
# reads as a fit question (0.78) but points nowhere (0.09): it is about choosing stress.
ROUTE_INTEREST = 0.5
# What a message that asks nothing reads as (see turns_to_something). "other" is a question or statement of
# no specific kind ("moet je als kok goed kunnen snijden"); "reaction" asks nothing ("laat maar", "ok").
REACTION_KINDS = frozenset({"greeting", "thanks", "reaction"})
# How far back care is followed across turns (see Reader._care_before): each message in that stretch is
# read again on every turn, and the bound keeps that cost from growing with the conversation.
CARRY_MESSAGES = 6
FOLLOW_UP_LIKELY = 0.5  # the follow-up head's probability from which a message counts as leaning on the last
# How many earlier student turns a follow-up can lean on through a chain of follow-ups (see leaned_on).
LEANED_ON_TURNS = 3
# Measured and not kept (2026-12-06): any question the heads read as "admission" counted as asking about
# niveaus too ("en met basis?"). Dev route recall fell 0.803 -> 0.784: "kan ik met tl ook naar de havo" and
# "ik doe gl met pgp pie. past dat bij de metaal?" then led with the niveaus the diploma opens.
_NIVEAU_QUESTION = re.compile(r"\bniveau|\bhoger\b|\blager\b|\bdiploma\b|\bentree\b")
# The question heads' probability of "fit" from which a message asks what fits the student. The heads are
# one-vs-rest, so "weet het niet, iets met mijn handen" reads as fit (0.76) and as other (0.92) at once. The
# pattern alone missed such phrasings and sent that message to the help documents without routes. On the
# dev set (2026-12-03) the pattern alone gave route recall 0.791, fact coverage 0.573, answer-first 0.525;
# the pattern or the head at 0.5 gave 0.794, 0.577, 0.535; the head at 0.3, alone or with the pattern,
# 0.794, 0.581, 0.545; at 0.2 answer-first fell back to 0.535. Test and follow-up figures did not change.
# The pattern stays as a backstop, as for the guardrails: without it "autotechnicus worden welk profiel"
# (fit below 0.3) lost its profiel, and paraphrase agreement fell from 0.500 to 0.472.
FIT_LIKELY = 0.3
# Follow-ups of these kinds ask a new aspect whose answer is often general ("moet ik daarvoor betalen? ben
# 16" after a question about elektro: the lesgeld rule), so they are searched twice: the usual query, which
# the earlier question dominates, and the message alone; the passages are interleaved. On
# followups_dev.jsonl fact coverage rose 0.559 -> 0.622 and answer-first 0.50 -> 0.54 (dev the same) with
# the message and its subject (``focus``) as the second search. The subject is every route Koers named, and
# four route names in it drowned the question: "moet je daar eigenlijk voor betalen? ik ben 16" found only
# PIE passages, never the lesgeld rule. The message alone, 2026-12-04: followups_dev fact coverage 0.640 ->
# 0.667, route recall 0.573 -> 0.634; the held-out follow-up set 0.517 -> 0.528 and 0.733 -> 0.740; dev
# fact coverage 0.613 -> 0.617, answer-first 0.574 -> 0.564. "after" is left out: what comes after an
# opleiding is in that opleiding's own passages (with it, dev answer-first fell 0.594 -> 0.584). "parents"
# is in (2026-12-06): a mentor's "en hoe betrek ik de ouders daarbij?" after a question about profielkeuze
# found only the student documents on choosing a profiel, with the earlier question in front; now it finds
# the parents' document too. Dev, followups_dev and the held-out test split came out the same. Measured and
# not kept with it: a corpus document for mentors on involving parents in LOB (Expertisepunt LOB:
# ouderavonden, the child's loopbaangesprek, home assignments), written by a helper that did not see the eval
# sets. It answered that follow-up well, and the tune sets were the same, but the held-out test split's
# mentor fact coverage fell 0.464 -> 0.429 (below the pathway cases' 0.450).
# Measured and not kept (2026-12-05): the second search for a short message that leans on the turn before
# only because it is short (see search_query), not because the follow-up head reads it as one ("wat kost
# dat mbo eigenlijk" after a parent's question about havo or mbo). Dev fact coverage of the pathway cases
# 0.596 -> 0.606, followups_dev answer-first 0.58 -> 0.56, the held-out test split 0.532 -> 0.525.
# Measured and not kept (2026-12-07): a follow-up's own search with the plain question of its kind beside
# it ("zijn er verder nog dingen die ik moet kopen (wat kost het?)" found the costs of the mbo, which the
# message alone did not). followups_dev fact coverage 0.694 -> 0.721, but answer-first 0.66 -> 0.62, and dev
# 0.625 -> 0.605 and 0.614 -> 0.594: in a short follow-up ("en met basis?", read as admission) the added
# question outweighed the message. Only for a follow-up longer than FOLLOW_UP_MAX_WORDS: dev 0.621 and
# 0.614, followups_dev 0.721 and 0.62; held out, followups.jsonl fact coverage 0.584 -> 0.573 (answer-first
# the same), the test split 0.538 -> 0.535.
ASPECT_KINDS = frozenset(
    {"definition", "duration", "cost", "pay", "difference", "admission", "where_when", "try_out", "parents"}
)
CHOICE_KINDS = frozenset({"other", "fit"})
# "welke opleiding is dat?", "wat kan ik op het mbo doen": the answer's reason names the opleiding, not the
# profiel (see bot.routes.plan.reasons).
_OPLEIDING_QUESTION = re.compile(r"\bopleiding|\bmbo\b")
_FIT_QUESTION = re.compile(
    r"past bij mij|wat (moet|zal) ik kiezen|wat kan ik (worden|kiezen)|welk profiel"
    r"|weet (echt |nog )*niet wat"
)


@dataclass(frozen=True)
class Understanding:
    """What Koers made of one message in its conversation. Personal data is already scrubbed."""

    text: str
    removed: tuple[str, ...] = ()  # kinds of personal data scrubbed from the message
    history: tuple[Message, ...] = ()  # scrubbed too
    safety: Safety = field(default_factory=Safety)
    asks_contact: bool = False  # asks Koers to call, text or mail (it cannot)
    profile: Profile = field(default_factory=Profile)
    asker: Asker = "student"
    intents: Mapping[str, float] = field(default_factory=dict)  # route label -> probability, this message
    earlier_intents: tuple[Mapping[str, float], ...] = ()  # the same for each earlier student message
    named: frozenset[str] = frozenset()  # labels this message names outright
    named_earlier: tuple[frozenset[str], ...] = ()
    koers_said: str = ""  # Koers's last answer
    koers_named: frozenset[str] = frozenset()  # labels Koers's last answer named
    topic: tuple[str, ...] = ()  # names of the routes Koers named, when this message names none
    query: str = ""  # the text to search with
    leerweg_filter: str | None = None  # leave out passages written only for other leerwegen
    asks_niveau: bool = False  # about niveaus, diplomas, higher or lower
    names_niveau: bool = False  # says "niveau": which niveau fits depends on the leerweg
    asks_fit: bool = False  # "wat past bij mij?"
    asks_opleiding: bool = False  # which mbo opleiding, not which profiel ("welke opleiding is dat?")
    kind: QuestionKind = "other"  # what the message asks (the question heads' most likely kind)
    turns_to_something: bool = False  # asks something or turns to a route, not a bare reaction (see below)
    follows_up: bool = False  # leans on the turn before ("hoe lang duurt dat dan"), as the heads read it
    focus: str = ""  # what the sentences are chosen for: the message (+ a follow-up's subject)
    # A follow-up's new aspect or subject, searched on its own as well (see ASPECT_KINDS, names_something_new)
    aspect_query: str = ""
    unknown_goal: str = ""  # work the student wants that no document mentions ("piloot worden")
    # Work the student wants that the documents name, as a word or a slip of one, and the phrase that says
    # so (("slager", "slager worden")): the passages found must name it too (see goals.unfound_goal).
    known_goals: tuple[tuple[str, str], ...] = ()
    goal_route: str = ""  # the route a head is sure such work belongs to ("dierenarts" -> vmbo:Groen)
    asks_pay: bool = False  # the message asks what someone earns ("en wat verdien je dan later")
    pay_for: str = ""  # the work whose pay is asked ("wat verdien je als lasser", or after "lasser worden")
    defines: str = ""  # the word a definition question asks about (its own, or one Koers used: "wat is dat?")
    place: str = ""  # the town or province a where-question names ("waar kan ik lassen in rotterdam")
    compared: tuple[str, ...] = ()  # what a difference question compares (see compared_routes)
    # The beroepen the message names, in its order ("ik wil elektricien worden"; see Reader._beroepen).
    beroepen: tuple[str, ...] = ()

    @property
    def care(self) -> bool:
        return self.safety.policy is not None and self.safety.policy.name in CARE_POLICIES

    @property
    def earlier_texts(self) -> list[str]:
        return [m.content for m in self.history if m.role == "user"]


def search_query(
    message: str,
    earlier: Sequence[str],
    leerweg: str | None = None,
    topic: Sequence[str] = (),
    *,
    follows_up: bool = False,
    names_its_subject: bool = False,
) -> str:
    """The text to embed: the message, plus the ``earlier`` student turns it leans on (see :func:`leaned_on`)
    and the ``topic`` when the message is a follow-up (or short and ``names_its_subject`` is false), plus the
    student's leerweg when an earlier turn gave it (a niveau answer depends on it). A short message that the
    follow-up head does not read as one and that names its own subject ("wat is een erkend leerbedrijf"
    after "ik vind lassen chill") is searched alone: with the earlier turn in front, its answer was about
    lassen and PIE."""
    query = message
    short = len(message.split()) <= FOLLOW_UP_MAX_WORDS and not names_its_subject
    if earlier and (follows_up or short):
        query = " ".join([*earlier, *topic, message])
    if leerweg and not leerwegen_in(message):
        query = f"{query} (ik zit in {LEERWEG_NAMES[leerweg]}, {leerweg})"
    return query


def names_something_new(
    named: frozenset[str], named_earlier: Sequence[frozenset[str]], koers_named: frozenset[str]
) -> bool:
    """Whether a message names a route that neither the student nor Koers named before ("kan ik ook werken
    en leren tegelijk?" names the BBL after a conversation about timmerman). Such a follow-up asks about that
    route: it is searched on its own as well (see ``Understanding.aspect_query``), since searched with the
    turns before it only, it found the timmerman passages and no word on the BBL.

    Measured (2026-12-06): dev route recall 0.801 -> 0.803 and fact coverage 0.613 -> 0.617 (that case);
    followups_dev, test, routes2 and followups.jsonl the same, but for the last's filler share 0.017 ->
    0.020."""
    return bool(named - koers_named - frozenset().union(*named_earlier))


COMPARED_TYPES = frozenset({"profiel", "domein", "opleiding"})


def compared_routes(
    named: Mapping[str, int], beroepen: Mapping[str, int], graph: RouteGraph | None
) -> tuple[str, ...]:
    """What a question about a difference compares, in the order it names them: the beroepen it names
    ("lasser of timmerman, wat is beter") and the profielen, domeinen and opleidingen it names outright (not
    those named by a beroep's name, which lead to it), two or more of one kind. Things of different kinds
    are not compared: "welke pie module past het best bij mechatronica" asks which part of PIE fits, not
    how PIE differs from mechatronica. ``named`` and ``beroepen`` map each label to where the message names
    it (see bot.understand.names)."""
    if graph is None:
        return ()
    leading = {e.source for e in graph.edges if e.type == "leidt-tot" and e.target in beroepen}
    routes = {
        label: at
        for label, at in named.items()
        if label not in leading and (node := graph.find(label)) is not None and node.type in COMPARED_TYPES
    }
    found = sorted({**beroepen, **routes}.items(), key=lambda item: (item[1], item[0]))
    types = Counter(graph.node(label).type for label, _ in found)
    return tuple(label for label, _ in found if types[graph.node(label).type] >= 2)


def leaned_on(earlier: Sequence[str], leans: Sequence[bool]) -> list[str]:
    """The earlier student turns a follow-up leans on: the last one, and before it every turn that the next
    one leaned on in turn (``leans``: whether each earlier turn leaned on the one before it), at most
    :data:`LEANED_ON_TURNS`. In "bestaat er een opleiding voor vliegtuigen repareren" -> "wat is de hoogste
    dan" -> "hoe lang zit je daar op school", the subject of the third is in the first.

    Measured (2026-12-05, replayed): ``followups_dev`` fact coverage 0.685 -> 0.703, answer-first 0.62 ->
    0.66, route recall 0.72 -> 0.695 (one case: the subject an older turn named pushed out the opleiding
    Koers had named); dev the same; held out, ``followups.jsonl`` fact coverage 0.528 -> 0.551. Not kept:
    Koers's last answer as the topic even when an older turn named the subject (0.685, 0.64, 0.72)."""
    if not earlier:
        return []
    start = len(earlier) - 1
    while start > 0 and leans[start] and len(earlier) - start < LEANED_ON_TURNS:
        start -= 1
    return list(earlier[start:])


def _mended(history: Sequence[Message], mend: Callable[[str], str]) -> tuple[Message, ...]:
    """The conversation with the student's turns mended (see bot.understand.spelling)."""
    return tuple(
        m.model_copy(update={"content": mend(m.content)}) if m.role == "user" else m for m in history
    )


@dataclass
class Reader:
    vectors: QueryVectors
    detectors: Detectors
    store: VectorStore
    graph: RouteGraph | None = None

    def __post_init__(self) -> None:
        # The labels it can name come from the store, so a new document's routes count without a restart.
        self._names = StoreDerived(self.store, lambda: LabelNames(self.graph, self.store.labels()))
        # The words of every stored passage and route name, read from the store once per version for both.
        self._texts = StoreDerived(self.store, self._stored_texts)
        self._vocabulary = StoreDerived(self.store, lambda: Vocabulary.of(self._texts.get()))
        self._speller = StoreDerived(self.store, lambda: Speller.of(self._texts.get()))
        self._glossary = Glossary(self.store)

    def _stored_texts(self) -> list[str]:
        chunks = self.store.all_chunks()
        names = [node.name for node in self.graph.nodes] if self.graph is not None else []
        return [*(c.text for c in chunks), *(c.title for c in chunks), *names]

    def warm_up(self) -> None:
        """Build what the first message would otherwise wait for: the speller and its word lists (0.5 s)."""
        self._speller.get()

    def _guard_scores(self, text: str) -> Mapping[str, float]:
        """The guardrail classifier's scores for a text made up here (a message read with another one)."""
        return self._guard_scores_of([text])[0]

    def _guard_scores_of(self, texts: Sequence[str]) -> list[Mapping[str, float]]:
        """The guardrail classifier's scores for each of ``texts`` (parts of a message), in one batch."""
        self.vectors.prepare(texts)
        return [self.detectors.guard.scores(text, self.vectors.get(text)) for text in texts]

    @property
    def names(self) -> LabelNames:
        return self._names.get()

    def _turns(
        self, text: str, kind: str, intents: Mapping[str, float], named: frozenset[str], *, own_care: bool
    ) -> bool:
        """:func:`turns_to_something`, for a message that itself reads as likely distress with the route
        interest of its ordinary parts only: the intent heads never saw distress and read words of it as a
        route ("ik zie het even niet zitten": BWI 0.93), so such a message got an answer to a question it
        never asked. "ik voel me rot. welke opleiding past bij lassen?" still turns to something."""
        if not own_care or kind not in REACTION_KINDS or named:
            return turns_to_something(kind, intents, named)
        thresholds = self.detectors.thresholds
        parts = pieces(text)
        self.vectors.prepare(parts)  # already embedded when the parts were read for care (_buried)
        for part in parts:
            vector = self.vectors.get(part)
            is_ordinary = ordinary(self.detectors.guard.scores(part, vector), thresholds)
            if is_ordinary and route_interest(self.detectors.intents.scores(part, vector)) >= ROUTE_INTEREST:
                return True
        return False

    def _care_before(self, earlier: Sequence[str]) -> Safety:
        """The care the last earlier message got: its own reading, or care carried into it by the same rule
        from the message before it, back over the last :data:`CARRY_MESSAGES` messages. With the last message
        alone, "nee echt niet. alles gaat fout" two turns after "ik wil er niet meer zijn" (the turn between
        a shrug that kept care) was asked "Klopt dat?" as if the student had said nothing before. Certain
        distress stays certain over shrugs: the first question after "ik wil er niet meer zijn", "boeit niet"
        still opens with care, as it does right after it."""
        state = Safety()
        recent = earlier[-CARRY_MESSAGES:]
        self.vectors.prepare(recent)
        for before in recent:
            vector = self.vectors.get(before)
            own = decide(before, self.detectors.guard.scores(before, vector), self.detectors.thresholds)
            if state.policy is None or state.policy.name not in CARE_POLICIES or not care_may_carry(own):
                state = own  # no care before it, or its own certain care or refusal
                continue
            asked = self.detectors.questions.scores(before, vector)
            kind = question_kind(asked)
            intents = self.detectors.intents.scores(before, vector)
            named = frozenset(self.names.named(before))
            turns = self._turns(before, kind, intents, named, own_care=uncertain_care(own))
            if state.certain and own.policy is None and not turns:
                continue  # a shrug after certain distress: the next message is still the first after it
            state = self._stay_with(own, state, turns_to_something=turns)
        return state

    def _stay_with(self, safety: Safety, earlier: Safety, *, turns_to_something: bool) -> Safety:
        """Care carries across turns: the message after one of distress keeps a care answer (likely, so a
        question in it is still answered after care), also when it reads as ordinary: "nee echt niet. alles
        gaat fout" reads as little on its own, and a sudden career question may be a way of not talking
        about it. Safe-messaging guidance: stay with the person until they clearly move on: an ordinary
        message that asks something or turns to a route after distress that was only likely (see
        :func:`turns_to_something`), or a second ordinary message (the turn before it was not distress).
        A message that is itself likely distress keeps its own care class, and is marked as carried too. A
        redirect or an insult (the policies that fail open) does not take care's place: "wie zijn de
        grootste werkgevers" right after "ik wil eigenlijk helemaal niet meer leven" read as off-topic and
        got "Daar kan ik je niet mee helpen", with no word of care."""
        thresholds = self.detectors.thresholds
        if earlier.policy is None or earlier.policy.name not in CARE_POLICIES:
            return safety
        moved_on = turns_to_something and ordinary(safety.scores, thresholds)
        if not earlier.certain and safety.policy is None and moved_on:
            # Distress that was only likely, then a message the classifier is sure is ordinary and that
            # turns to something ("ik weet echt niet wat ik wil", then "die les met hout zagen vond ik wel
            # leuk"): the student answered and moved on. After certain distress care carries regardless.
            return safety
        own = safety.policy if safety.policy is not None and safety.policy.fails == "closed" else None
        return Safety(own or earlier.policy, False, safety.scores, carried=True)

    def _buried(self, text: str, safety: Safety) -> Safety:
        """Score each sentence and clause of a longer message too: see :func:`buried_care`."""
        parts = pieces(text) if reads_parts(safety) else []
        if not parts:
            return safety
        return buried_care(safety, parts, self._guard_scores_of(parts), self.detectors.thresholds)

    def _buried_request(self, text: str, safety: Safety) -> Safety:
        """Score each clause of a message no policy acted on: see :func:`buried_refusal`.

        What it costs (``koers bench answer``, run alone, 2026-12-06): prepared mean 122 -> 139 ms, p95
        206 -> 250 ms, against 9a4e2c5 in the same hour; each clause is one more pass of the model.
        Embedding the clauses and care parts of every message in one batch with the message instead was
        slower (mean 150 ms, p95 265 ms): most messages never need them."""
        parts = clauses(text) if safety.policy is None else []
        if not parts:
            return safety
        return buried_refusal(safety, parts, self._guard_scores_of(parts), self.detectors.thresholds)

    def _as_reply(self, text: str, koers_said: str, safety: Safety) -> Safety:
        """A short reply to a question Koers asked ("het 2e eigenlijk", "ja. voor altijd.") means what it
        answers: it is read together with that question too, for care only (as a part: see
        :func:`buried_care`). A question Koers asks ends a paragraph, where the student stops reading to
        answer it. A question inside one is not asked of the student: "Denk je aan zelfdoding? Bel dan
        gratis 113 ..." is a condition quoted from the help documents, and paired with it any short
        follow-up ("en welke past bij lassen?") read as self-harm, so care never ended after it."""
        ends = [paragraph.strip() for paragraph in koers_said.split("\n")]
        asked = [sentences(paragraph)[-1] for paragraph in ends if paragraph.endswith("?")]
        if not asked or len(text.split()) > FOLLOW_UP_MAX_WORDS or not reads_parts(safety):
            return safety
        pair = f"{asked[-1]} {text}"
        return buried_care(safety, [pair], [self._guard_scores(pair)], self.detectors.thresholds)

    def _with_the_turn_before(self, text: str, earlier: Sequence[str], safety: Safety) -> Safety:
        """A short follow-up read as a request for someone's data or as off-topic ("wie verdient het meest"
        after "lasser of timmerman, wat is beter": others' data 0.95) is read together with the student's
        message before it, which says what it asks about. When the two read as ordinary together, so is the
        follow-up. Only these two classes: care is never lowered this way, and a request for fraud or danger
        keeps its refusal whatever came before. Nor is a follow-up that names someone ("en wat verdient juf
        Noor"): that asks about a person, whatever the turn before. Known miss: the name tagger does not
        find "ruud" in "wat verdient meester ruud", and after a comparison of two jobs that gets an answer
        about pay in general instead of the refusal (Koers has no one's data to give either way).
        Teaching the guardrail these comparisons instead cost ordinary questions on the safety set's tune half
        (round 26 in bot/understand/data/SPEC.md)."""
        if (
            not earlier
            or safety.policy is None
            or safety.policy.name not in IN_CONTEXT_POLICIES
            or len(text.split()) > FOLLOW_UP_MAX_WORDS
            or names_someone(text)
        ):
            return safety
        pair = f"{earlier[-1]} {text}"
        together = decide(pair, self._guard_scores(pair), self.detectors.thresholds)
        return together if together.policy is None else safety

    def _leans(self, text: str, index: int) -> bool:
        """Whether an earlier student turn (the ``index``-th) leaned on the one before it: the follow-up head
        reads it so. (Short alone is not enough here: "ik vind lassen echt vet", an answer to "Wat vind je
        leuk?", leans on nothing the student said before.)"""
        if index == 0:
            return False
        asked = self.detectors.questions.scores(text, self.vectors.get(text))
        return asked.get(FOLLOW_UP, 0.0) >= FOLLOW_UP_LIKELY

    def read(
        self, message: str, history: Sequence[Message] = (), *, school: str | None = None
    ) -> Understanding:
        text, removed = scrub(message)
        history = tuple(m.model_copy(update={"content": scrub(m.content)[0]}) for m in history)
        earlier = [m.content for m in history if m.role == "user"]
        # What the message asks and is about (the heads, the search, the focus) is read without a klas written
        # against the leerweg: the "3" of "3 gl, goed in tekenen" read as mbo niveau 3 (0.90), and "ik zit in
        # 3 kader ..." found the niveau-3 opleidingen. And it is read with its typing slips mended ("metslaar"
        # -> "metselaar", see bot.understand.spelling). The guardrails read the message as it came.
        mend = self._speller.get().mended
        meant = mend(text)
        content, earlier_content = mend(without_klas(text)), [mend(without_klas(t)) for t in earlier]
        self.vectors.prepare([text, content, *earlier, *earlier_content])
        vector = self.vectors.get(text)
        safety = decide(text, self.detectors.guard.scores(text, vector), self.detectors.thresholds)
        safety = self._buried(text, safety)
        safety = self._buried_request(text, safety)
        koers_said = next((m.content for m in reversed(history) if m.role == "assistant"), "")
        safety = self._as_reply(text, koers_said, safety)
        safety = self._with_the_turn_before(text, earlier, safety)
        names = self.names
        intents = self.detectors.intents.scores(content, self.vectors.get(content))
        asked = self.detectors.questions.scores(content, self.vectors.get(content))
        kind = question_kind(asked)
        named = frozenset(names.named(meant))
        turns = self._turns(text, kind, intents, named, own_care=uncertain_care(safety))
        if earlier and care_may_carry(safety):
            aside = safety.policy is not None and safety.policy.fails == "open"  # off-topic, an insult
            safety = self._stay_with(safety, self._care_before(earlier), turns_to_something=turns)
            # Care that carries over an aside is care alone: the rest of the answer quoted career passages
            # for "wie wint er zondag, ajax of psv" after "Je vroeg ook iets over school of werk".
            turns = turns and not (aside and safety.carried)
        asks_contact = bool(removed) and asks_for_contact(text)
        earlier_scores = [self.detectors.intents.scores(t, self.vectors.get(t)) for t in earlier_content]
        asker = conversation_asker(
            asker_of(intents, text), [asker_of(s, t) for s, t in zip(earlier_scores, earlier, strict=True)]
        )
        if safety.policy is not None and safety.certain:
            # Who asks is read here too: a mentor who writes about a student's distress hears care for them
            # to pass on, not "Wat naar dat je gepest wordt" (see bot.answer.guarded.CARE_LEADS_ABOUT).
            return Understanding(text, removed, history, safety, asks_contact, asker=asker)
        profile = (
            build_profile(meant, _mended(history, mend), self.graph, school=school)
            if self.graph
            else Profile(school=school)
        )
        koers_named = frozenset(names.named(koers_said)) if koers_said else frozenset()
        named_earlier = tuple(frozenset(names.named(mend(t))) for t in earlier)
        student_said = earlier[-1] if earlier else ""
        context = leaned_on(earlier_content, [self._leans(t, i) for i, t in enumerate(earlier_content)])
        # The subject: what the latest of the turns this message leans on named; when none named one, what
        # Koers's last answer was about (the topic).
        named_before = (_subjects(names.named(t)) for t in reversed(context))
        subjects = next((found for found in named_before if found), frozenset[str]())
        topic = (
            () if subjects else tuple(display_name(label) for label in sorted(_answer_subjects(koers_named)))
        )
        folded = fold(text)
        follows_up = bool(earlier) and asked.get(FOLLOW_UP, 0.0) >= FOLLOW_UP_LIKELY
        subject = [display_name(label) for label in sorted(subjects)] or list(topic)
        # The search and the choice of sentences are for what is asked, not for who asks: "ik ben mentor van
        # klas 3. welke profielen zijn technisch?" found the passages on module 3 of D&P.
        asked_text = without_introduction(content)
        query = search_query(
            asked_text,
            context,
            profile.leerweg,
            topic,
            follows_up=follows_up,
            names_its_subject=bool(earlier) and bool(self._terms(text)),
        )
        focus = f"{asked_text} ({', '.join(subject)})" if follows_up and subject and not named else asked_text
        defines = self._defined(text, koers_said, earlier) if kind == "definition" else ""
        if defines:
            # "wat is dat precies" asks about one word. Searched with the earlier question, the answer was
            # about that question's routes again; with the student's own words ("wat is dat nou weer")
            # beside the word, the search drifted from it. So the question in its plain form.
            focus = f"wat is {defines}"
            query = search_query(focus, [], profile.leerweg)
        elif kind == "definition":
            defines = self._named_word(text)
        new_subject = names_something_new(named, named_earlier, koers_named)
        goal = self._unknown_goal(text, named)
        known_goals = self._known_goals(text, named)
        return Understanding(
            text=text,
            removed=removed,
            history=history,
            safety=safety,
            asks_contact=asks_contact,
            profile=profile,
            asker=asker,
            intents=_routes(intents),
            earlier_intents=tuple(_routes(scores) for scores in earlier_scores),
            named=named,
            named_earlier=named_earlier,
            koers_said=koers_said,
            koers_named=koers_named,
            topic=topic,
            query=query,
            leerweg_filter=_leerweg_filter(text, profile),
            asks_niveau=bool(_NIVEAU_QUESTION.search(folded)),
            asks_opleiding=bool(_OPLEIDING_QUESTION.search(folded)) and "profiel" not in folded,
            names_niveau=bool(re.search(r"\bniveau", folded)),
            asks_fit=asked.get("fit", 0.0) >= FIT_LIKELY or bool(_FIT_QUESTION.search(folded)),
            kind=kind,
            turns_to_something=turns,
            follows_up=follows_up,
            focus=focus,
            aspect_query=text if follows_up and (kind in ASPECT_KINDS or new_subject) else "",
            unknown_goal=goal,
            known_goals=known_goals,
            goal_route=sure_route(intents) if goal or known_goals else "",
            asks_pay=asks_pay(text),
            pay_for=pay_asked_for(text, student_said),
            defines=defines,
            place=place_asked(text) if kind == "where_when" else "",
            compared=self._compared(meant, subjects | koers_named if follows_up else ())
            if kind == "difference"
            else self._choice(meant)
            if kind in CHOICE_KINDS
            else (),
            beroepen=self._beroepen(meant, intents),
        )

    def _beroepen(self, text: str, intents: Mapping[str, float]) -> tuple[str, ...]:
        """The beroepen the message names, in its order: by name, or by the first word of the only beroep
        whose name starts with the work the message wants ("ik wil schipper worden" -> Schipper of
        kapitein binnenvaart), or else the beroepen of the opleiding the intent heads are sure such work
        belongs to ("ik wil automonteur worden" -> Autotechnicus 0.98 -> the beroep Autotechnicus; see
        :func:`_sure_beroepen`)."""
        named = self.names.beroepen_at(text)
        if named or self.graph is None:
            return tuple(sorted(named, key=named.__getitem__))
        beroepen = [node for node in self.graph.nodes if node.type == "beroep"]
        found: list[str] = []
        for word, _ in goals(text):
            starting = [node.id for node in beroepen if fold(node.name).split()[0] == word]
            found += starting if len(starting) == 1 else _sure_beroepen(intents, self.graph)
        return tuple(dict.fromkeys(found))

    def _compared(self, text: str, before: Iterable[str]) -> tuple[str, ...]:
        """What a question about a difference compares (see :func:`compared_routes`). A follow-up that names
        one thing compares it with the one thing of its kind the conversation named before ("wat is het
        verschil met mat" after an answer about M&T), which comes first.

        Measured (2026-12-06, replayed): followups_dev the same on every metric; its one such case opens
        with M&T and then MaT instead of "Verwar het niet met MaT: ..." (what M&T is about was said the
        turn before, so it is not said again)."""
        named, beroepen = self.names.named_at(text), self.names.beroepen_at(text)
        found = compared_routes(named, beroepen, self.graph)
        if found or self.graph is None:
            return found
        kinds = {node.type for label in [*named, *beroepen] if (node := self.graph.find(label)) is not None}
        earlier = {
            label: -1
            for label in before
            if label not in named and (node := self.graph.find(label)) is not None and node.type in kinds
        }
        if len(earlier) != 1:  # none, or several: which one the student means is not clear
            return found
        return compared_routes({**earlier, **named}, beroepen, self.graph)

    def _choice(self, text: str) -> tuple[str, ...]:
        """The routes a message weighs against each other without asking for the difference ("ik twijfel
        tussen pie en mvi"): two or more of one kind that it names itself (see :func:`compared_routes`). Read
        as no comparison, that message opened with "Houd je meer van elektriciteit of leidingen? Dan past PIE
        bij de infratechniek." and then spoke of BWI; now with what PIE and what MVI are. Measured
        (2026-12-07): dev, ``followups_dev``, the candidate set, test, ``routes2.jsonl`` and
        ``followups.jsonl`` the same in every answer (none of their messages weighs two routes this way)."""
        return compared_routes(self.names.named_at(text), self.names.beroepen_at(text), self.graph)

    def _defined(self, text: str, koers_said: str, earlier: Sequence[str]) -> str:
        """What a definition question that names nothing ("wat is dat precies") asks about, when that is
        clear: of the hard glossary words and route names Koers's last answer used and the student did not,
        the one that shares a word with the message ("wat is dat eigenlijk zo'n route" after "een
        doorlopende leerroute"), or the only one ("wat is dat nou weer" after "... heb je ook een
        startkwalificatie"). Empty otherwise, and the search keeps the student's earlier question: "wat
        betekent die afkorting" after a question about the eindexamen asks about the CSPE, which Koers's
        answer may not have named. Asking back which word was meant, when the answer used several, was
        measured on the follow-up set (2026-12-04, replayed): fact coverage 0.483 -> 0.449, as the earlier
        question often said it. Empty too when the message names a word itself (it says what it asks; on the
        dev set, searching with it alone lost a fact that the earlier question found)."""
        if not earlier or self._terms(text):
            return ""
        known = {fold(term) for said in earlier for term in self._terms(said)}
        said = [term for term in self._terms(koers_said, hard_only=True) if fold(term) not in known]
        words = re.findall(r"[a-z]{4,}", fold(text))
        sharing = [term for term in said if any(w in fold(term) for w in words)]
        pool = sharing or said
        return pool[0] if len(pool) == 1 else ""

    def _named_word(self, text: str) -> str:
        """The glossary word or route name a definition question uses itself, when it uses one."""
        own = self._terms(text)
        return own[0] if len(own) == 1 else ""

    def _terms(self, text: str, *, hard_only: bool = False) -> list[str]:
        """The route names and glossary words a text uses, each once. With ``hard_only``, only the glossary
        words an answer would explain (not "decaan" or "profiel")."""
        found = sorted(display_name(label) for label in _subjects(self.names.named(text)))
        known = {fold(term) for term in found}
        entries = self._glossary.used_in(text)
        return found + [e.word for e in entries if fold(e.word) not in known and (e.hard or not hard_only)]

    def _unknown_goal(self, text: str, named: frozenset[str]) -> str:
        """See :mod:`bot.understand.goals`: only when the message names no route."""
        return "" if named else unknown_goal(text, self._vocabulary.get)

    def _known_goals(self, text: str, named: frozenset[str]) -> tuple[tuple[str, str], ...]:
        """The work the message wants that the documents name as a word (see :mod:`bot.understand.goals`):
        only when the message names no route."""
        found = goals(text) if not named else []
        return tuple((word, goal) for word, goal in found if self._vocabulary.get().knows_whole(word))


# Labels that can be what a conversation is about ("die opleiding", "dat profiel"); a leerweg or a niveau is
# a circumstance of the student, not a subject.
SUBJECT_KINDS = frozenset({"vmbo", "mbo", "mbo-domein", "mbo-leerweg", "route", "lob"})


def route_interest(intents: Mapping[str, float]) -> float:
    """How strongly the intent heads read a profiel, domein or opleiding in a message (see
    :data:`ROUTE_INTEREST`)."""
    return max((p for label, p in intents.items() if kind_of(label) in ROUTE_STEP_KINDS), default=0.0)


def uncertain_care(safety: Safety) -> bool:
    return safety.policy is not None and safety.policy.name in CARE_POLICIES and not safety.certain


def care_may_carry(safety: Safety) -> bool:
    """Whether care from an earlier message may carry into one read as ``safety``: not over its own certain
    care or a refusal (a policy that fails closed), which decides on its own."""
    return safety.policy is None or safety.policy.fails == "open" or uncertain_care(safety)


def question_kind(asked: Mapping[str, float]) -> QuestionKind:
    """The kind the question heads find most likely (their scores for ``asked``)."""
    return max(QUESTION_KINDS, key=lambda kind: asked.get(kind, 0.0))


def turns_to_something(kind: str, intents: Mapping[str, float], named: frozenset[str]) -> bool:
    """Whether a message turns to something: it asks or says something of its own (``kind``, what the
    question heads read, is not a greeting, thanks or a bare ``reaction``), names a route, or the intent heads
    read a route interest in it ("die les met hout zagen vond ik wel leuk": 1.0). After distress that was
    only likely, an ordinary message that does is moving on. A bare reaction to a caring answer ("laat
    maar", "boeit niet", "weet ik veel": route interest 0.16-0.43) says nothing about how the student is and
    does not end care, however ordinary its words: before 2026-12-05 such replies read as clearly ordinary
    and ended care after "ik zie het even niet zitten"."""
    return kind not in REACTION_KINDS or bool(named) or route_interest(intents) >= ROUTE_INTEREST


def _answer_subjects(labels: Iterable[str]) -> frozenset[str]:
    """What an answer of Koers's was about: the subjects it named, without the LOB activities when it named a
    route too. A route answer ends with how to try the route out ("Ga naar een open dag ... Doe een
    meeloopdag"); "hoe lang duurt dat dan" asks about the route, and with those activities in the search the
    answer was about open days. On the dev set (2026-12-03) answer-first went 0.545 -> 0.554, the other
    figures stayed; on the follow-up set fact coverage went 0.427 -> 0.438, answer-first 0.250 -> 0.271.

    Measured and not kept (2026-12-05, replayed ``followups_dev``): only the first two or three subjects,
    in the order the answer names them or opleidingen first (fact coverage 0.658 each time, answer-first
    0.58 -> 0.56-0.60); and, when the student's turn before named only a profiel, the first opleiding
    Koers's answer named added to the follow-up's subject ("hoe lang duurt die opleiding" after "ik zit in
    pie"): the same on ``followups_dev``, one fact less on the held-out follow-up set. Nor kept (2026-12-07):
    only the subjects the intent heads read in the student's turns the follow-up leans on (p >= 0.5), all
    when they read none, because "waar kan je dat leren" after "ik wil later met een graafmachine werken" was
    searched with the Productietechniek a quoted sentence on plaatwerkers named. ``followups_dev`` route
    recall 0.695 -> 0.72, but its fact coverage 0.694 -> 0.685 and dev route recall 0.802 -> 0.799 and
    answer-first 0.644 -> 0.634 ("ik zit in de basis kan ik dat dan ook" lost its leerweg answer)."""
    subjects = _subjects(labels)
    routes = frozenset(label for label in subjects if kind_of(label) != "lob")
    return routes or subjects


def _subjects(labels: Iterable[str]) -> frozenset[str]:
    return frozenset(label for label in labels if kind_of(label) in SUBJECT_KINDS)


def _sure_beroepen(intents: Mapping[str, float], graph: RouteGraph) -> list[str]:
    """The beroepen the opleiding a route head is surest of leads to, when it is sure (see
    :data:`ROUTE_SURE`): the work a student wants in words the graph does not use ("automonteur",
    "loodgieter", "stratenmaker") is the work of that opleiding. None when no opleiding is sure ("piloot")."""
    opleidingen = {label: p for label, p in intents.items() if kind_of(label) == "mbo" and p >= ROUTE_SURE}
    best = max(opleidingen, key=opleidingen.__getitem__, default="")
    return graph.successors(best, "leidt-tot") if best else []


def sure_route(intents: Mapping[str, float]) -> str:
    """The profiel, domein or opleiding a route head is sure of (see :data:`ROUTE_SURE`), or ""."""
    steps = {label: p for label, p in intents.items() if kind_of(label) in ROUTE_STEP_KINDS}
    best = max(steps, key=steps.__getitem__, default="")
    return best if best and steps[best] >= ROUTE_SURE else ""


# Who says who they are: "ik ben decaan", "ik ben een moeder van ...". Not "ik ben ouder dan 16" (older).
_STATED_ROLE = re.compile(
    r"\bik ben (?:een |de )?(?P<role>mentor|mentrix|docent|docente|leraar|lerares|decaan|lob-coordinator"
    r"|ouder(?! dan)|vader|moeder|verzorger)\b"
)
_PARENT_ROLES = frozenset({"ouder", "vader", "moeder", "verzorger"})


def asker_of(scores: Mapping[str, float], text: str = "") -> Asker:
    """Who wrote a message: who ``text`` says writes it ("ik ben decaan. hoe werkt de technologieroute?"),
    else who the asker heads say.

    The heads read a role said in a few words as a student's: "ik ben decaan. hoe werkt de
    technologieroute?" student 0.93, "ik ben mentor. welke profielen zijn technisch?" 0.74, "ik ben ouder,
    ..." 0.76; their mentor and parent messages were mostly long and about lessons or a child. The role a
    message states is a backstop for the heads, as the guardrails' patterns are: it only adds what the
    message says outright."""
    stated = _STATED_ROLE.search(fold(text)) if text else None
    if stated is not None:
        return "parent" if stated["role"] in _PARENT_ROLES else "mentor"
    return max(ASKERS, key=lambda a: scores.get(f"{ASKER_PREFIX}{a}", 0.0))


def without_introduction(text: str) -> str:
    """``text`` without the sentences in which its writer says who they are ("Ik ben mentor van klas 3."),
    when another sentence of it remains; else ``text`` as it is.

    A sentence that says who writes and, after "en" or "maar", what they want keeps that second clause:
    "Ik ben mentor van een tweede klas en wil een les geven over de profielkeuze. Hebben jullie een lesidee
    voor één lesuur?" was searched as its last sentence alone, and got the plan of another lesson."""
    parts = pieces(text) or [text]
    kept = [rest for rest in map(_past_the_role, parts) if rest]
    return " ".join(kept) if kept and kept != parts else text


# Where the clause that says who writes ends and the next one begins ("ik ben decaan en zoek ...").
_NEXT_CLAUSE = re.compile(r"(?:,\s*|\s+)(?:en|maar)\s+", re.IGNORECASE)
MIN_CLAUSE_WORDS = 3  # "en wil dit weten" says something; "en ouder" does not


def _past_the_role(part: str) -> str:
    """``part`` itself when it does not say who writes; else what it says after that, or nothing."""
    if not _STATED_ROLE.search(fold(part)):
        return part
    split = _NEXT_CLAUSE.split(part, maxsplit=1)
    if len(split) < 2 or not _STATED_ROLE.search(fold(split[0])) or len(split[1].split()) < MIN_CLAUSE_WORDS:
        return ""
    return split[1]


def conversation_asker(own: Asker, earlier: Sequence[Asker]) -> Asker:
    """Who asks this message: a mentor or parent the message itself shows, else the latest one an earlier
    message of the conversation showed, else a student.

    A follow-up says nothing about who writes it, so the heads read it as a student's, as most messages are
    ("en hoe betrek ik de ouders daarbij?" student 0.58 after a mentor's question): the mentor was then told
    "Je mentor en je decaan helpen je." One conversation has one writer. Dev, followups_dev and the
    held-out test split came out the same (2026-12-06): their mentor and parent questions say who asks."""
    if own != "student":
        return own
    return next((found for found in reversed(earlier) if found != "student"), "student")


def _routes(scores: Mapping[str, float]) -> dict[str, float]:
    """The route labels of the intent heads' scores (the asker heads say who asks, not what about)."""
    return {label: p for label, p in scores.items() if not label.startswith(ASKER_PREFIX)}


def _leerweg_filter(message: str, profile: Profile) -> str | None:
    """The student's leerweg, unless this message asks about another one ("wat doe je in de TL?")."""
    if profile.leerweg is None:
        return None
    return profile.leerweg if set(leerwegen_in(message)) <= {profile.leerweg} else None
