"""What an answer needs besides the passages: a reason in the student's words, the aspects a route answer
covers, or a question back.

* Reason: when a recommended profiel matches activities the student named, the answer says so in the
  student's words and quotes the sentence of that profiel's document that mentions the activity.
* Aspects: a route answer also says what each recommended route is (an opleiding's niveau and length, what a
  profiel or domein is about) and, once the leerweg is known, which mbo-niveaus it opens. Each aspect is a
  document from the route graph and a question of its own; the answer quotes that document's best sentence.
* Route cards: each recommended route with its kind, name, niveaus and document; and one route path,
  profiel -> opleiding -> beroep, joined by the route graph's edges.
* Clarifying question: a niveau question without a known leerweg, or "wat past bij mij?" without any
  interests, gets one short question with choices (the answer still says what it can).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from typing import TypedDict

from bot.core.answer_plan import ADULT_BUTTONS, STUDENT_BUTTONS, Aspect, Clarification, Reason
from bot.core.labels import KIND_NAMES, ROUTE_STEP_KINDS, display_name, is_profiel, kind_of, value_of
from bot.core.ports import VectorStore
from bot.core.route_graph import Node, RouteGraph
from bot.core.schemas import Chunk, RouteCard
from bot.core.text import fold, leans_on_before, quote_units
from bot.routes.recommend import Recommendation
from bot.understand.goals import goals
from bot.understand.profile import LEERWEG_NAMES, WORKER_WORDS, Profile, stem
from bot.understand.reader import Understanding, sure_route

ASK_LEERWEG = Clarification(
    "In welke leerweg zit je? Dan zeg ik welk mbo-niveau bij je past.",
    ["basis", "kader", "gemengd", "theoretisch"],
)
ASK_INTERESTS = Clarification(
    "Wat doe je graag? Dan zoek ik wat bij je past.",
    ["sleutelen", "bouwen en timmeren", "computers en games", "tekenen en ontwerpen", "lassen en metaal"],
)


def clarification(understanding: Understanding) -> Clarification | None:
    profile, named = understanding.profile, understanding.named
    if (
        understanding.names_niveau  # which niveau fits depends on the leerweg
        and profile.leerweg is None
        and not any(kind_of(label) == "vmbo-leerweg" for label in named)
    ):
        return ASK_LEERWEG
    named_route = any(kind_of(label) in ROUTE_STEP_KINDS for label in named)
    # A student who says what they want to become has said enough to be answered ("ik wil schipper worden
    # op de binnenvaart, welk profiel past") and is not asked what they like.
    wants_work = bool(understanding.beroepen or understanding.known_goals)
    # Nor is one whose likes the intent heads read as a route they are sure of, in words the activity
    # lexicon does not hold ("draaien en frezen vond ik leuk": Productietechniek).
    understood = bool(sure_route(understanding.intents))
    if (
        understanding.asks_fit
        and not profile.knows_interests
        and not named_route
        and not wants_work
        and not understood
    ):
        return ASK_INTERESTS
    return None


def shown_word(activity: str, typed: str) -> str:
    """The student's own word for an activity, unless it is a conjugated verb ("ik teken graag": "teken" is
    the start of "tekenen"; "hij sleutelt altijd": "sleutel" and a t): then the activity word, so the reason
    reads "Omdat je tekenen leuk vindt", not "Omdat je kind sleutelt leuk vindt"."""
    word, said = fold(activity), fold(typed)
    if word == said:
        return typed
    stem_and_t = said.endswith("t") and word.endswith("en") and word.startswith(said[:-1])
    return activity if word.startswith(said) or stem_and_t else typed


def _listed(words: Sequence[str], joiner: str) -> str:
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} {joiner} {words[-1]}"


# Who Koers's own words speak of, by who asks: a mentor asks about a leerling, a parent about their child.
# Before, a parent was told "Omdat de leerling ..." too. No answer of dev, followups_dev or the candidate set
# changed (2026-12-07): none gives a parent a reason.
SPOKEN_OF = {"student": "je", "mentor": "de leerling", "parent": "je kind"}


def spoken_of(asker: str) -> str:
    return SPOKEN_OF.get(asker, "je")


def _said(words: Sequence[str], label: str, *, asker: str = "student", roles: Collection[str] = ()) -> str:
    """The reason's own frame: what the student likes, or the work they want to do when they typed the name
    of a beroep or opleiding or an everyday word for one who does the work (``WORKER_WORDS``): "Omdat je
    metselaar wilt worden", not "Omdat je metselaar leuk vindt". For a mentor "Omdat de leerling ...", for
    a parent "Omdat je kind ..." (see :data:`SPOKEN_OF`)."""
    who = spoken_of(asker)
    roles = {*roles, *WORKER_WORDS}
    liked = [word for word in words if fold(word) not in roles]
    wanted = [word for word in words if fold(word) in roles]
    parts = [f"{_listed(liked, 'en')} leuk vindt"] if liked else []
    if wanted:
        parts.append(f"{_listed(wanted, 'of')} {'wilt' if who == 'je' else 'wil'} worden")
    what = "het profiel" if kind_of(label) == "vmbo" else "de opleiding"
    return f"Omdat {who} {' en '.join(parts)}, noem ik {what} {display_name(label)}."


def role_names(graph: RouteGraph) -> frozenset[str]:
    """The folded names of the beroepen and opleidingen in the route graph: words for work one can do."""
    return frozenset(fold(node.name) for node in graph.nodes if node.type in {"beroep", "opleiding"})


# Kinds of question whose answer says why a profiel fits (the student's own words). A question about how
# long, what it costs or where gets its answer, not a profiel advice around it. What each recommended route
# is (its niveau and length) is covered for every kind: limiting it to fit, after, admission and other
# lowered fact coverage on the dev set (0.557 -> 0.549) and answer-first (0.545 -> 0.535).
# Measured and not kept (2026-12-05): a reason without the student's words for a message the intent heads
# read as pointing at routes ("Wat je vertelt, past bij het profiel PIE." and the sentence of its document
# closest to the message). Dev pathway answer-first 0.511 -> 0.467, fact coverage 0.596 -> 0.585: the frame
# and a general quote filled the first two sentences.
# Nor kept (2026-12-07): for a message of no known like, work or named opleiding whose intent heads are sure
# (>= ROUTE_SURE) of a shown opleiding ("draaien en frezen vond ik leuk": Productietechniek 0.95), the
# sentence of that opleiding's document that names it and is closest to the message, without a frame. The
# closest was seldom the best ("Na niveau 3 kun je alsnog naar Middenkaderfunctionaris Bouw."): dev fact
# coverage 0.640 -> 0.632 and filler 0.025 -> 0.026, the candidate set the same. Counting a like told in an
# admission question ("is daar een opleiding voor") as a reason's cue: candidate set answer-first 0.574 ->
# 0.559 and fact coverage 0.614 -> 0.609, dev 0.640 -> 0.636 (the reason pushed out the admission answer).
REASON_KINDS = frozenset({"fit"})


def buttons(understanding: Understanding, routes: Sequence[str]) -> list[str]:
    """Up to three follow-up questions that fit this turn: about the best profiel and opleiding it names,
    the leerweg while it is unknown, trying it out and BOL or BBL; never the kind just asked, nor a
    question the student already asked (a clicked button comes back as the message)."""
    # "Welke mbo-opleidingen passen bij PGP?" was offered: a praktijkgericht programma is no profiel.
    profiel = next((label for label in routes if is_profiel(label)), None)
    opleiding = next((label for label in routes if kind_of(label) == "mbo"), None)
    options: list[tuple[str, str]] = []
    if profiel is not None:
        options.append(("fit", f"Welke mbo-opleidingen passen bij {display_name(profiel)}?"))
    if opleiding is not None:
        name = display_name(opleiding)
        options.append(("duration", _ASPECT_QUESTION["opleiding"].format(name=name)))
    wording = STUDENT_BUTTONS if understanding.asker == "student" else ADULT_BUTTONS
    if understanding.profile.leerweg is None:
        options.append(("admission", wording["admission"]))
    options += [
        ("try_out", wording["try_out"]),
        ("difference", "Wat is het verschil tussen BOL en BBL?"),
    ]
    asked = {fold(text) for text in [understanding.text, *understanding.earlier_texts]}
    return [q for kind, q in options if kind != understanding.kind and fold(q) not in asked][:3]


class ReasonSettings(TypedDict, total=False):
    """What every way of giving a reason takes besides the routes: see :func:`reasons`."""

    school: str | None
    asker: str
    relevance: Callable[[Sequence[str]], Sequence[float]] | None


def reasons(
    recommendation: Recommendation,
    profile: Profile,
    graph: RouteGraph,
    store: VectorStore,
    *,
    school: str | None = None,
    asker: str = "student",
    opleiding_first: bool = False,
    relevance: Callable[[Sequence[str]], Sequence[float]] | None = None,
    wanted: Collection[str] = (),
) -> list[Reason]:
    """One reason for the best-ranked route the student's interests point to (a profiel, or an opleiding when
    asked for one), quoted from its document. ``wanted``: the words for work the message wants to do
    ("schipper" in "ik wil schipper worden"), said as such ("Omdat je schipper wilt worden"), as the names of
    beroepen and opleidingen are.
    ``asker``: who asks; a mentor's reason speaks of "de leerling", a parent's of "je kind", not "je".

    ``opleiding_first``: the student asks which opleiding ("ik wil scooters repareren, welke opleiding is
    dat?"), so the reason is for the best-ranked opleiding their interests point to, when there is one (a
    kwalificatie, not a dossier, which no one enrols in), and else for the profiel. The answer opened with
    the profiel M&T and named Scootertechnicus in its third sentence. Dev answer-first 0.584 -> 0.594 (the
    metaal questions 0.632 -> 0.684), fact coverage the same; ``followups_dev`` the same (2026-12-06). Held
    out: test and ``followups.jsonl`` the same, ``routes2.jsonl`` answer-first 0.150 -> 0.138 and fact
    coverage 0.444 -> 0.438 (one case of 80). Kept, because the first sentence now answers the question that
    was asked; on the measured sets it is one case up on dev and one down on ``routes2.jsonl``.

    ``relevance`` scores sentences against what was asked: of the sentences that name one of the student's
    likes, one that names the route comes first, then the one closest to the message. In document order,
    "Omdat je zonnepanelen leuk vindt, noem ik het profiel PIE." quoted "In het profiel PIE maak je dingen van
    metaal."; now "Een bekend keuzevak bij PIE is Duurzame energie (in en rond huis).", and a wish to be a
    timmerman gets "BWI past bij je als je graag iets maakt dat je echt kunt zien." (2026-12-06). Tune sets:
    dev fact coverage 0.621 -> 0.617 (one fact: "In het profiel MVI maak je media. Denk aan filmpjes, ..."
    instead of "MVI gaat over film, foto, ...") and answer-first the same, ``followups_dev`` the same. Held
    out: test fact coverage 0.535 -> 0.538 and answer-first 0.372 -> 0.380, ``routes2.jsonl`` 0.438 -> 0.444
    and 0.138 -> 0.163, ``followups.jsonl`` answer-first 0.354 -> 0.333 (one case), its fact coverage the
    same. Kept for what the reasons say: read on the tune sets, ten reasons changed, and each new quote ties
    the route to what the student said."""
    index = {node.id: node for node in graph.nodes}
    shown = recommendation.routes[:3]
    kinds = ("opleiding", "profiel") if opleiding_first else ("profiel",)
    nodes = [index[label] for label in shown if label in index]
    candidates = [n for kind in kinds for n in nodes if n.type == kind and n.soort == "kwalificatie"]
    for node in candidates:
        label = node.id
        liked = recommendation.reasons.get(label, [])
        if not liked:
            continue
        stems = [stem(word) for word in liked]
        # Best: a sentence that names the route too ("Lassen past bij PIE"), so the quote stands alone.
        name = fold(value_of(label)) if node.type == "profiel" else fold(node.name)
        options = [
            (chunk, sentence)
            for chunk in store.document_chunks(node.doc, school=school)
            for sentence in _reason_units(chunk.text)
            if any(re.search(rf"\b{re.escape(s)}", fold(sentence)) for s in stems)  # "teken", not "betekent"
        ]
        fit = list(relevance([s for _, s in options])) if relevance and options else [0.0] * len(options)
        order = sorted(range(len(options)), key=lambda i: (name not in fold(options[i][1]), -fit[i]))
        options = [options[i] for i in order]
        if options:
            roles = role_names(graph) | {fold(word) for word in wanted}
            typed = [
                said if fold(said := profile.said.get(word, word)) in roles else shown_word(word, said)
                for word in liked
            ]
            chunk, sentence = options[0]
            frame = _said(typed, label, asker=asker, roles=roles)
            return [Reason(frame, chunk, sentence)]
    return []


def goal_reasons(
    recommendation: Recommendation,
    beroepen: Sequence[str],
    graph: RouteGraph,
    store: VectorStore,
    *,
    said: str = "",
    school: str | None = None,
    asker: str = "student",
    relevance: Callable[[Sequence[str]], Sequence[float]] | None = None,
) -> list[Reason]:
    """A reason for the best-ranked profiel from the work the student wants to do, when none of their likes
    gives one: "ik wil elektricien worden, welk profiel?" gets "Omdat je elektricien wilt worden, noem ik het
    profiel PIE." and a sentence of the beroep's own document that names the profiel ("Elektrotechniek is een
    van de vakgebieden in PIE."). A sentence that names the beroep as well ("Wil je dakdekker worden? Dan
    past op het vmbo het profiel BWI.") says it all by itself: it is quoted without the frame, which would
    say it twice, when no other sentence names the profiel.

    Measured (2026-12-06): dev, ``followups_dev``, test and ``followups.jsonl`` the same on every metric;
    ``routes2.jsonl`` fact coverage 0.444 -> 0.438 (one fact), its route recall the same. Kept for what the
    answers say: a student who names the work they want gets the profiel that leads there, in the words
    of that beroep's document, and is no longer asked what they like (see :func:`clarification`)."""
    index = {node.id: node for node in graph.nodes}
    profielen = [index[label] for label in recommendation.routes[:3] if label in index]
    wanted = [index[label] for label in beroepen if label in index and index[label].doc]
    roles = role_names(graph)
    for profiel in (node for node in profielen if node.type == "profiel"):
        names = [_whole_word(fold(value_of(profiel.id))), _whole_word(fold(profiel.name))]
        # Only a beroep the profiel leads to in the route graph: its document may name another profiel to
        # say it is not that one ("Let op: MaT is een ander profiel, over schepen.").
        leads_to = graph.reachable(profiel.id, "beroep")
        for beroep in (node for node in wanted if node.id in leads_to):
            options = _units_naming(names, store, beroep.doc, school)
            if not options:
                continue
            apart = [(chunk, unit) for chunk, unit in options if fold(beroep.name) not in fold(unit)]
            options = apart or options
            fit = list(relevance([unit for _, unit in options])) if relevance else [0.0] * len(options)
            chunk, unit = options[max(range(len(options)), key=fit.__getitem__)]
            word = _as_typed(beroep.name, said)
            frame = _said([word], profiel.id, asker=asker, roles={*roles, fold(word)})
            return [Reason(frame if apart else "", chunk, unit)]
    return []


def reasons_below(
    recommendation: Recommendation,
    profile: Profile,
    graph: RouteGraph,
    store: VectorStore,
    *,
    school: str | None = None,
    asker: str = "student",
    relevance: Callable[[Sequence[str]], Sequence[float]] | None = None,
) -> list[Reason]:
    """A reason for the best-ranked profiel from what the student likes, when those words belong to work the
    profiel leads to and not to the profiel itself: "zit in bb en wil later op een graafmachine werken" likes
    what the route graph lists for Machinist grondverzet, not for BWI, so it got no reason and opened with
    "Kijk eens naar wegwerk of een bouwput in je buurt.". As :func:`goal_reasons` does for a beroep the
    student names, the reason quotes a sentence of that opleiding's or beroep's own document that names the
    profiel ("Omdat je graafmachines leuk vindt, noem ik het profiel BWI." and why it fits). A sentence that
    names other work is quoted only when no other does; a follow-up gets no such reason.

    Measured (2026-12-07): dev fact coverage 0.625 -> 0.640 and answer-first 0.604 -> 0.644 (seven
    pathway answers now open with a reason), ``followups_dev`` the same, the candidate set
    ``evals/candidates/answers_dev.jsonl`` 0.609 -> 0.614 and 0.544 -> 0.574. Held out: the test split
    0.538 -> 0.545 and 0.372 -> 0.380, ``routes2.jsonl`` fact coverage 0.450 -> 0.456, but
    ``followups.jsonl`` (replayed, so its first turns now get reasons too) route recall 0.740 -> 0.733
    and fact coverage 0.584 -> 0.562; paraphrase agreement the same. Kept: the tune sets gained or held,
    and a pathway answer now opens by naming the profiel and why."""
    index = {node.id: node for node in graph.nodes}
    profielen = [index[label] for label in recommendation.routes[:3] if label in index]
    roles = role_names(graph)
    for profiel in (node for node in profielen if node.type == "profiel"):
        names = [_whole_word(fold(value_of(profiel.id))), _whole_word(fold(profiel.name))]
        below = graph.reachable(profiel.id, "beroep") | graph.reachable(profiel.id, "opleiding")
        # Each document read once: an opleiding and its beroep often share one (the first one's likes count).
        liked_in: dict[str, list[str]] = {}
        for label, liked in recommendation.reasons.items():
            if liked and label in below and index[label].doc:
                liked_in.setdefault(index[label].doc, liked)
        options = [
            (chunk, unit, liked)
            for doc, liked in liked_in.items()
            for chunk, unit in _units_naming(names, store, doc, school)
        ]
        # Not a sentence that names other work ("Wil je metselaar worden? Dan past BWI." for a student who
        # wants to build roads): the student named none.
        apart = [option for option in options if not any(role in fold(option[1]) for role in roles)]
        options = apart or options
        if not options:
            continue
        fit = list(relevance([unit for _, unit, _ in options])) if relevance else [0.0] * len(options)
        chunk, unit, liked = options[max(range(len(options)), key=fit.__getitem__)]
        typed = [shown_word(word, profile.said.get(word, word)) for word in liked]
        return [Reason(_said(typed, profiel.id, asker=asker), chunk, unit)]
    return []


def _units_naming(
    names: Sequence[re.Pattern[str]], store: VectorStore, doc: str, school: str | None
) -> list[tuple[Chunk, str]]:
    """The units a reason can quote from document ``doc`` (see :func:`_reason_units`) that name the route."""
    return [
        (chunk, unit)
        for chunk in store.document_chunks(doc, school=school)
        for unit in _reason_units(chunk.text)
        if any(name.search(fold(unit)) for name in names)
    ]


def _whole_word(word: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])")


def _as_typed(name: str, said: str) -> str:
    """A beroep's name inside a sentence, as the student ``said`` it: the whole name when they typed it, else
    its first word when they typed that ("ik wil schipper worden" -> "schipper", not "schipper of kapitein
    binnenvaart"), else their own word for the work ("ik wil automonteur worden" -> "automonteur", for the
    beroep Autotechnicus); "Elektricien" -> "elektricien", "CNC-verspaner" stays."""
    if fold(name) not in fold(said):
        first = name.split()[0]
        typed = _whole_word(fold(first)).search(fold(said)) is not None
        name = first if typed else next((word for word, _ in goals(said)), first)
    return name[0].lower() + name[1:] if name[1:2].islower() else name


def _reason_units(text: str) -> list[str]:
    """What a reason can quote from a passage: its quote units (a list item comes with its lead-in), but not
    a question. A sentence that leans on the one before it comes with that one, as one exact substring of
    ``text`` ("PIE past bij je als je graag met je handen werkt. Denk aan lassen, solderen, ...")."""
    units = quote_units(text)
    starts: list[int] = []  # where each unit begins in text (the same sentence may occur twice)
    cursor = 0
    for unit in units:
        starts.append(text.index(unit, cursor))
        cursor = starts[-1] + len(unit)
    found: list[str] = []
    for index, unit in enumerate(units):
        if leans_on_before(unit):
            before = units[index - 1] if index else ""
            if not before or leans_on_before(before) or "\n" in before or before.rstrip().endswith("?"):
                continue
            unit = text[starts[index - 1] : starts[index] + len(unit)]
        if not unit.rstrip().endswith("?"):
            found.append(unit)
    return found


ASPECT_ROUTES = 4  # the best recommended routes that get a sentence about what they are
_ASPECT_QUESTION = {
    "opleiding": "Op welk niveau is de mbo-opleiding {name} en hoe lang duurt die?",
    "domein": "Wat doe je in {name} in het mbo?",
    "profiel": "Waar gaat {name} over?",
}
_ADMISSION_QUESTION = "Met een {leerweg}-diploma ({name}) naar welk mbo-niveau?"
# The kinds of question (bot.understand.training.QUESTION_KINDS) each aspect's question answers.
_ASPECT_ANSWERS = {
    "opleiding": frozenset({"duration", "admission"}),
    "domein": frozenset({"definition"}),
    "profiel": frozenset({"definition"}),
}
_ADMISSION_ANSWERS = frozenset({"admission"})
# What each of the things a question about a difference compares is, asked of its own document; the
# sentences open the answer in the order the question names the things (see
# bot.understand.reader.compared_routes). "lasser of timmerman, wat is beter" opened with "Restaureren
# betekent: ...". Measured (2026-12-06): dev, followups_dev, test, routes2 and followups.jsonl the same on
# every metric (one answer of the test split changed); the sets hold few comparisons.
_COMPARED_QUESTION = {
    "beroep": "Wat doet een {name}?",
    "opleiding": "Wat leer je in de mbo-opleiding {name}?",
    **{kind: _ASPECT_QUESTION[kind] for kind in ("domein", "profiel")},
}
_COMPARED_ANSWERS = frozenset({"difference", "definition"})


def aspects(
    recommendation: Recommendation,
    profile: Profile,
    graph: RouteGraph,
    *,
    routes: bool = True,
    compared: Sequence[str] = (),
) -> list[Aspect]:
    """What a route answer covers besides the question itself, each with the document that says it.

    A profiel with a reason still gets its aspect: the reason quotes the student's activity, the aspect
    what the profiel is about (measured: dropping it lowered fact coverage). Without ``routes`` (the
    conversation is not about routes) only what the student's leerweg opens.

    Measured and not kept (2026-12-06, dev and followups_dev replayed): for a question how long it takes, an
    aspect that asks the document on mbo niveaus how long an opleiding on the recommended opleiding's niveau
    takes, because few opleiding documents say it ("hoe lang duurt die opleiding" after Autotechnicus,
    niveau 2, got the length of the Entreeopleiding). One per recommended opleiding, with a head start to
    open the answer: dev the same (answer-first 0.584, fact coverage 0.621), followups_dev fact coverage
    0.703 -> 0.685 (answer-first 0.66 the same): the general "Niveau 4 duurt 3 tot 4 jaar" pushed out the
    opleiding's own "Op papier duurt de opleiding 4 jaar". Only for the best opleiding: dev answer-first
    0.594, followups_dev the same loss. Also leaving it out when the question heads read a sentence of the
    opleiding's own document as a duration: followups_dev 0.685 and 0.64, dev answer-first 0.584.
    Nor kept (2026-12-06): for a question what comes after ("wat kun je worden met pie"), an aspect that
    asks the best recommended profiel's, domein's or opleiding's document what comes after it ("Naar welke
    mbo-opleidingen kun je na het profiel PIE?"). Dev and followups_dev the same on every metric, seven
    answers changed: the question heads read "after" in "kan ik ook werken en leren tegelijk" and "wat is er
    veranderd aan de metaal opleidingen", and for PIE it quoted "Na het profiel PIE kun je naar het mbo."
    without the opleidingen named after it."""
    found = [
        Aspect(
            node.doc,
            _COMPARED_QUESTION[node.type].format(name=_as_named(node)),
            _COMPARED_ANSWERS,
            leads=True,
        )
        for label in compared
        if (node := graph.find(label)) is not None and node.type in _COMPARED_QUESTION and node.doc
    ]
    for label in recommendation.routes[:ASPECT_ROUTES] if routes else []:
        node = graph.find(label)
        if node is not None and node.type in _ASPECT_QUESTION:
            question = _ASPECT_QUESTION[node.type].format(name=node.name)
            found.append(Aspect(node.doc, question, _ASPECT_ANSWERS[node.type]))
    if profile.leerweg is not None:
        question = _ADMISSION_QUESTION.format(leerweg=profile.leerweg, name=LEERWEG_NAMES[profile.leerweg])
        found += [
            Aspect(rule.doc, question, _ADMISSION_ANSWERS)
            for rule in graph.admission
            if rule.leerweg == profile.leerweg
        ]
    return found


def _as_named(node: Node) -> str:
    """A route's name as it reads inside a sentence: a beroep in lower case ("Wat doet een lasser?")."""
    return node.name[:1].lower() + node.name[1:] if node.type == "beroep" else node.name


def route_path(labels: Sequence[str], graph: RouteGraph) -> list[str]:
    """One doorlopende leerroute through the recommended routes: profiel -> opleiding -> beroep.

    The best-ranked profiel, the best-ranked opleiding it leads to (along the graph's edges), and the
    best-ranked beroep that opleiding leads to (else the graph's first). Only an opleiding a student can
    start (open, a kwalificatie, not a dossier). Empty when the best profiel leads to none of the recommended
    opleidingen: a lower-ranked profiel is not put first (cooking ranks HBR first; a path through PIE would
    read as advice), and no chain is made up.
    """
    profiel = next((label for label in labels if kind_of(label) == "vmbo"), None)
    if profiel is None:
        return []
    reachable = graph.reachable(profiel, "opleiding")
    for opleiding in labels:
        if opleiding not in reachable:
            continue
        node = graph.node(opleiding)
        if node.status != "open" or node.soort != "kwalificatie":
            continue
        beroepen = graph.successors(opleiding, "leidt-tot")
        beroep = next((b for b in labels if b in beroepen), beroepen[0] if beroepen else None)
        return [profiel, opleiding, *([beroep] if beroep else [])]
    return []


def route_line(
    labels: Sequence[str], graph: RouteGraph, *, asker: str = "student", broad: bool = True
) -> str:
    """An answer to what fits that has no reason in the student's words (no like or wish it knows) opens by
    naming the route it recommends: the profiel and the mbo-opleiding of its route path (see
    :func:`route_path`), "Een route die bij je kan passen: het profiel Groen, en daarna de mbo-opleiding
    Monteur mobiele werktuigen.", or, when the recommended routes hold no opleiding one enrols in after that
    profiel, the best mbo domein or dossier it leads to ("..., en daarna een mbo-opleiding in Metaal en
    metalektro."), unless not ``broad``: a domein is an answer to what fits, not to which opleiding ("wat is
    er veranderd aan de metaal opleidingen" got it). Without it, such an answer opened with whatever passage
    was closest ("Misschien kun je ook een snuffelstage doen ...", "Kijk op kiesmbo.nl ...") and named the
    route late or not at all. The names come from the route graph; the sentence states no fact of a passage
    (the route cards cite the documents).

    Measured (2026-12-07), the route path only: the candidate set ``evals/candidates/answers_dev.jsonl``
    answer-first 0.574 -> 0.588, fact coverage 0.614 -> 0.618, filler 0.022 -> 0.021; dev and
    ``followups_dev`` the same on every figure (3 of 145 dev answers open with it). Held out, run once:
    ``routes2.jsonl`` fact coverage 0.456 -> 0.463, the test split and ``followups.jsonl`` the same. With a
    follow-up getting it too, ``followups_dev`` route recall rose 0.695 -> 0.72 but ``followups.jsonl``
    answer-first fell 0.375 -> 0.354: a follow-up asks a new aspect of a route already given, so it gets
    none. Not kept: naming the opleiding in a reason's frame as well ("..., noem ik het profiel MVI, en
    daarna de mbo-opleiding Mediavormgever."): dev answer-first 0.644 -> 0.584, as the longer frame no
    longer matched the expected facts about the profiel, and the route path's opleiding was often not the
    first step (Engineer maritieme techniek). The domein or dossier step, measured together with not asking
    what a student likes when the heads are sure (see :func:`clarification`) and lesson plans for mentors
    only: every figure of dev, ``followups_dev``, the candidate set, the test split, ``routes2.jsonl`` and
    ``followups.jsonl`` the same (one candidate answer and two of the test split changed)."""
    who = spoken_of(asker)
    path = route_path(labels, graph)
    if len(path) >= 2:
        profiel, then = path[0], f"de mbo-opleiding {graph.node(path[1]).name}"
    else:
        profiel = next((label for label in labels if kind_of(label) == "vmbo"), "")
        if not profiel or not broad:
            return ""
        below = graph.reachable(profiel, "domein") | graph.reachable(profiel, "opleiding")
        step = next((label for label in labels if label in below), "")
        if not step:
            return ""
        then = f"een mbo-opleiding in {graph.node(step).name}"
    return f"Een route die bij {who} kan passen: het profiel {display_name(profiel)}, en daarna {then}."


def route_cards(labels: Sequence[str], graph: RouteGraph | None) -> list[RouteCard]:
    """The routes as cards; the graph adds each route's name as students read it, an opleiding's niveaus,
    and the document about it."""
    cards = []
    for label in labels:
        node = graph.find(label) if graph is not None else None
        cards.append(
            RouteCard(
                label=label,
                kind=KIND_NAMES.get(kind_of(label), "Route"),
                name=node.name if node is not None else display_name(label),
                niveaus=list(node.niveaus) if node is not None else [],
                doc_id=node.doc if node is not None else "",
            )
        )
    return cards
