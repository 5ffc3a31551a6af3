"""The offline composer: a short Dutch answer made of sentences quoted from retrieved passages.

It never writes a fact of its own. Every factual sentence is copied from a retrieved chunk and cited; one
citation marker closes each run of sentences from the same passage. The only own words are what the student
said ("Omdat je lassen leuk vindt, noem ik het profiel ..."), a greeting, a clarifying question, the
closing pointer to mentor/decaan after advice on what fits, a lesson plan's lead-in and follow-up questions.

Plan of an answer: reasons (when the student asks what fits, or says what they like: their words and a
quoted sentence from the recommended profiel's document) -> for each aspect (what a recommended route is,
which niveaus the leerweg opens) its document's best sentence, and the passages' best sentences for what is
asked -> a clarifying question or the closing line. The sentence that answers the question best opens the
answer, unless aspects lead it (what each thing a question compares is, in the order it names them); the
others follow in reading order (the best passage first, sentences in their order). Sentences of
the previous answer are not said again, and neither is a sentence whose words another quote of the same
answer holds (two documents often word one fact twice). A sentence that says nothing alone is not quoted:
one about the document itself ("Hier lees je ...") or one that leans on a sentence before it that is not
quoted with it.
A short list is quoted whole with the sentence that leads into it (``bot.core.text.quote_units``): an item
alone ("Tekenaar werktuigbouw (niveau 3).") does not say what it is a list of. So is a condition question with
the sentence that answers it ("Ben je jonger dan 18? Dan betaal je geen lesgeld."), compared with what was
asked by its answer only; an answer that points at its document ("Dan kan dit werk bij je passen.") still
leans on it. On the dev set (2026-12-03) fact coverage went 0.549 -> 0.561 with answer-first the same
(0.525); on the test split 0.492 -> 0.485 and on the follow-up set (replayed) 0.292 -> 0.326.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np

from bot.answer.select import SentenceSelector, repeated
from bot.core.answer_plan import STUDENT_BUTTONS, Aspect, Clarification, Reason
from bot.core.labels import display_name, is_profiel
from bot.core.schemas import Answer, Chunk, Citation, RetrievedChunk
from bot.core.text import (
    ABOUT_THE_TEXT,
    SIGNPOST,
    UNSURE,
    condition_answer,
    fold,
    leans_on_before,
    plain,
    quote_units,
    sentences,
)
from bot.understand.guard import looks_like_instruction
from bot.understand.places import about_place, places_named

CLOSING = "Twijfel je? Praat erover met je mentor of decaan."
NOT_FOUND = (
    "Daar weet ik nog niet genoeg over. Ik wil je niets verkeerds vertellen. "
    "Vraag het aan je mentor of decaan. Zij kunnen je verder helpen."
)
# A mentor or a parent is not sent to "je mentor": they are pointed to the decaan.
NOT_FOUND_FOR_ADULTS = (
    "Daar weet ik nog niet genoeg over. Ik wil niets verkeerds vertellen. De decaan van de school kan verder "
    "helpen."
)
NOT_UNDERSTOOD = (
    "Ik begrijp je vraag niet. Ik help je met drie dingen: welk vmbo-profiel bij je past, "
    "welke mbo-opleiding en welk beroep daarna kunnen, en vragen over leerwegen, stage en LOB. "
    "Wat wil je weten?"
)
GREETING = (
    "Hoi! Ik ben Koers. Ik help je met drie dingen: welk vmbo-profiel bij je past, welke mbo-opleiding en "
    "welk beroep daarna kunnen, en vragen over leerwegen, stage en LOB. Waar wil je mee beginnen?"
)
THANKS = "Graag gedaan! Heb je nog een vraag over school, opleidingen of beroepen? Stel hem gerust."
START_BUTTONS = [
    "Welk profiel past bij wat ik leuk vind?",
    "Welke mbo-opleidingen zijn er in de techniek?",
    "Wat is het verschil tussen BOL en BBL?",
]
MAX_SOURCES = 6  # passages quoted from (4: fact coverage 0.39, 6: 0.42 on the dev set, same length)
# The best passage's sentences get a small head start: it matched the whole question.
TOP_PASSAGE_PRIOR = 0.04
LEANS_PRIOR = -0.03
EXCLUDED = -2.0  # a prior below every cosine relevance: never chosen
MIN_WORDS = 4


# How the corpus names a vmbo leerweg: the abbreviations and the full names. Not the students' words of
# bot.understand.profile: "basis" and "kader" also occur in the corpus as plain words ("de basis van het
# vak", the opleiding "Basis technicus voertuigen").
_LEERWEG_NAMED = {
    "BB": r"bb|basisberoepsgerichte",
    "KB": r"kb|kaderberoepsgerichte",
    "GL": r"gl|gemengde leerweg",
    "TL": r"tl|theoretische leerweg|mavo",
}


def leerwegen_named(sentence: str) -> set[str]:
    """The vmbo leerwegen ``sentence`` names."""
    text = fold(sentence)
    return {
        name
        for name, pattern in _LEERWEG_NAMED.items()
        if re.search(rf"(?<![a-z0-9])(?:{pattern})(?![a-z0-9])", text)
    }


_MBO_LEERWEG_NAMED = re.compile(r"(?<![a-z0-9])(bbl|bol|beroepsbegeleidende|beroepsopleidende)(?![a-z0-9])")
_MBO_LEERWEG_OF = {"bol": "BOL", "beroepsopleidende": "BOL", "bbl": "BBL", "beroepsbegeleidende": "BBL"}


def mbo_leerwegen_named(text: str) -> set[str]:
    """The mbo leerwegen (BOL, BBL) ``text`` names."""
    return {_MBO_LEERWEG_OF[word] for word in _MBO_LEERWEG_NAMED.findall(fold(text))}


def for_the_other_mbo_leerweg(chunk: Chunk, sentence: str, leerweg: str) -> bool:
    """Whether ``sentence`` is about the other mbo leerweg than ``leerweg`` (BOL or BBL) only: "hoeveel uur
    per week zit je op school bij bol" opened with "BBL staat voor beroepsbegeleidende leerweg. In de BBL
    werk je vooral.", and the BOL's answer came third. A sentence that names both stays; one that names
    neither speaks of what its passage names ("Ongeveer 1 dag per week ga je naar school." in the passage
    on the BBL): its section's heading, else its document's title. (Its paragraph was too wide: the one that
    opens the document on the costs of the mbo names the BBL's loon among what it covers.) Measured
    (2026-12-07): dev filler 0.025 -> 0.026 (a glossary line for studiefinanciering), every other figure of
    dev, ``followups_dev``, the candidate set, test, ``routes2.jsonl`` and ``followups.jsonl`` the same;
    three answers of dev, three of test and one of ``followups.jsonl`` changed."""
    named = (
        mbo_leerwegen_named(sentence)
        or mbo_leerwegen_named(chunk.heading)
        or mbo_leerwegen_named(chunk.title)
    )
    return bool(named) and leerweg not in named


def about_vmbo_leerwegen(sentence: str) -> bool:
    """Whether ``sentence`` names vmbo leerwegen and no mbo leerweg: "Met een BB-diploma begin je op niveau
    2." is no answer to "kan dat ook met bbl", though the question heads read both as admission.

    Measured (2026-12-07, with "hierboven" sentences left out too): every metric the same on dev,
    followups_dev (replayed), test, routes2.jsonl and followups.jsonl (replayed); one answer changed on dev,
    test and followups.jsonl each ("kan ik ook gewoon werken en leren tegelijk?" now says "Je werkt meestal
    3 of 4 dagen per week bij een bedrijf." where it said who may start the opleiding Timmerman)."""
    return bool(leerwegen_named(sentence)) and not _MBO_LEERWEG_NAMED.search(fold(sentence))


def for_other_leerwegen(sentence: str, leerweg: str, scope: Collection[str] = ()) -> bool:
    """Whether ``sentence`` is about leerwegen other than ``leerweg`` only ("In BB en KB heb je twee
    herkansingen." for a GL student): it names one or more leerwegen, and not this one; or it names none and
    its paragraph is about others (``scope``, see :func:`leerweg_scopes`)."""
    named = leerwegen_named(sentence) or set(scope)
    return bool(named) and leerweg not in named


def leerweg_scopes(text: str, units: Sequence[str]) -> list[frozenset[str]]:
    """For each quote unit of a passage, the vmbo leerwegen that a question at the start of its paragraph
    limits it to. "Zit je in GL of TL? Dan kan je school een PGP PIE aanbieden. ... In PGP PIE werk je aan
    echte opdrachten ...": the sentences after such a question speak to those leerwegen only, though they
    name none, and a parent of a basis student was told "Een PGP bereidt je voor op mbo niveau 4 of de
    havo.". The question's own unit names them itself (empty here). Measured (2026-12-07): dev and
    followups_dev the same on every metric (7 and 2 answers changed after their opening), the candidate set
    evals/candidates/answers_dev.jsonl fact coverage 0.605 -> 0.609; held out, routes2.jsonl fact coverage
    0.444 -> 0.450, test and followups.jsonl the same."""
    scopes: list[frozenset[str]] = []
    cursor, paragraph, scope = 0, -1, frozenset[str]()
    for unit in units:
        start = text.index(unit, cursor)
        cursor = start + len(unit)
        begins = text.rfind("\n", 0, start) + 1
        if begins != paragraph:  # the first unit of a paragraph (a line; a list comes whole with its lead-in)
            paragraph = begins
            scope = frozenset(leerwegen_named(unit)) if "?" in unit else frozenset()
            scopes.append(frozenset())
        else:
            scopes.append(scope)
    return scopes


# How the corpus names mbo niveaus: "niveau 3", "niveau 2, 3 of 4", and niveau 1 by its opleiding's name.
_NIVEAUS_NAMED = re.compile(r"\bniveaus? ((?:\d(?:, | of | en | tot )?)+)")
_ENTREE_NAMED = re.compile(r"\bentree")


def niveaus_named(sentence: str) -> set[int]:
    """The mbo niveaus ``sentence`` names."""
    text = fold(sentence)
    found = {int(digit) for match in _NIVEAUS_NAMED.finditer(text) for digit in re.findall(r"\d", match[1])}
    return found | ({1} if _ENTREE_NAMED.search(text) else set())


def below_the_diploma(sentence: str, lowest: int) -> bool:
    """Whether ``sentence`` is about mbo niveaus below ``lowest`` only (the lowest one the student's vmbo
    diploma opens) and names no leerweg: "De Entreeopleiding duurt een half jaar tot een jaar." is no advice
    for a GL student. "Met een BB-diploma of een entreeopleiding kun je naar de opleiding Timmerman." names
    a leerweg, and stays.

    Measured (2026-12-06): the held-out follow-up set (replayed) fact coverage 0.562 -> 0.573 and
    answer-first 0.312 -> 0.333 (two answers changed); test and routes2 unchanged (no answer changed);
    followups_dev the same; dev the same but answer-first 0.624 -> 0.614: in "hoe lang duurt dat" the
    place of the Entree sentence went to "Stapelen kost wel extra tijd.", which comes before the duration
    in its passage."""
    niveaus = niveaus_named(sentence)
    return bool(niveaus) and max(niveaus) < lowest and not leerwegen_named(sentence)


def speaks_to(chunk: Chunk, asker: str) -> bool:
    """Whether a passage may be quoted to ``asker`` (student, mentor, parent): a section written for mentors
    ("Voor mentoren: ...") is quoted to mentors only, one for parents to parents and mentors. A student who
    asks what fits them does not get "Neem de vraag serieus. Vermijd beelden als ...", nor a sentence of a
    lesson plan: "wat past bij mij" was answered with "In de les 'Wat past bij mij?' werken leerlingen met
    Koers in tweetallen.", a sentence of the plan that carries its title."""
    reader = chunk.written_for
    if reader in (None, "student", asker):
        return True
    return reader == "parent" and asker == "mentor"


# The asker's own role, as a sentence written for a student names it when it sends the student to them.
_OWN_ROLE = {
    "mentor": re.compile(r"\b(je|jouw) (mentor|decaan)\b"),  # a mentor, a decaan or a teacher
    "parent": re.compile(r"\b(je|jouw) (ouders|verzorgers)\b"),
}


def sends_to_the_asker(sentence: str, asker: str) -> bool:
    """Whether ``sentence`` sends its reader to someone in the ``asker``'s own role: "Maak een afspraak met je
    mentor voor een loopbaangesprek." is advice to a student, and nonsense to the mentor who asked. Dev,
    followups_dev and the held-out test split came out the same (2026-12-06)."""
    own = _OWN_ROLE.get(asker)
    return own is not None and own.search(fold(sentence)) is not None


@dataclass(frozen=True)
class _Quote:
    chunk: Chunk
    position: int
    text: str
    rank: int
    leerwegen: frozenset[str] = frozenset()  # the leerwegen its paragraph is limited to (leerweg_scopes)

    @property
    def scored(self) -> str:
        """The text compared with the question (see :func:`bot.core.text.condition_answer`)."""
        return condition_answer(self.text)


def _said(unit: str, avoid: Collection[str]) -> bool:
    """Whether the previous answer said this sentence, or every line of this list."""
    return all(plain(sentence) in avoid for sentence in sentences(unit))


def _quotable(sentence: str) -> bool:
    # A question in a passage (often an example of what a student might ask) answers nothing, and an
    # instruction inside a document is text, never something Koers repeats or follows.
    return (
        len(sentence.split()) >= MIN_WORDS
        and not sentence.rstrip().endswith(("?", ":"))  # a list's lead-in says nothing without the list
        and not SIGNPOST.search(sentence)
        and not ABOUT_THE_TEXT.search(sentence)
        and not (looks_like_instruction(sentence))
    )


def _pool(hits: Sequence[RetrievedChunk], extra: Sequence[RetrievedChunk]) -> list[_Quote]:
    seen: set[str] = set()  # overlapping passages repeat sentences; quote each sentence once
    pool: list[_Quote] = []
    for rank, hit in enumerate([*hits[:MAX_SOURCES], *extra]):
        units = quote_units(hit.chunk.text)
        scopes = leerweg_scopes(hit.chunk.text, units)
        for position, (sentence, scope) in enumerate(zip(units, scopes, strict=True)):
            if sentence not in seen and _quotable(sentence):
                seen.add(sentence)
                pool.append(_Quote(hit.chunk, position, sentence, rank, scope))
    return pool


# The plan's aim, preparation, steps and how to work with Koers fit in this; a conversation's messages may
# be at most 4,000 characters (schemas.Message), and an answer goes back as history.
MAX_LESSON_CHARS = 2_600
LESSON_LEAD = "Een lesplan dat hierbij past: "


def lesson_plan(chunks: Sequence[Chunk], buttons: Sequence[str] = ()) -> Answer:
    """A lesson plan whole and in order, for a mentor: each section under its heading, its lines (paragraphs
    and the steps of its lists) quoted as they stand, one citation per passage, up to
    :data:`MAX_LESSON_CHARS` (the later sections stay in the cited document)."""
    citations = Citations()
    seen: set[str] = set()
    blocks: list[str] = []
    heading = ""
    for chunk in chunks:
        lines = [
            line.strip() for line in chunk.text.splitlines() if line.strip() and line.strip() not in seen
        ]
        if not lines:
            continue
        if sum(len(b) for b in blocks) + sum(len(line) for line in lines) > MAX_LESSON_CHARS:
            break
        seen.update(lines)
        number = citations.cite(chunk, lines[0])
        section = chunk.heading.split(" > ")[-1] if chunk.heading else ""
        block = "\n".join(lines) + f" [{number}]"
        blocks.append(f"**{section}**\n{block}" if section and section != heading else block)
        heading = section
    if not blocks:  # a first passage longer than the budget (a school may set long passages)
        return Answer(text=NOT_FOUND_FOR_ADULTS)
    return Answer(
        text="\n\n".join([f"{LESSON_LEAD}{chunks[0].title}.", *blocks]),
        citations=citations.items,
        routes=list(chunks[0].labels),  # what the lesson is about
        follow_up_questions=list(buttons),
    )


def follow_ups(routes: Sequence[str]) -> list[str]:
    questions: list[str] = []
    for label in routes:
        if is_profiel(label):
            questions.append(f"Welke mbo-opleidingen passen bij {display_name(label)}?")
            break
    questions += [STUDENT_BUTTONS["admission"], STUDENT_BUTTONS["try_out"]]
    return questions[:3]


def _tidy(text: str) -> str:
    """Joined answer parts as Markdown: no spaces around line breaks, at most one empty line."""
    return re.sub(r"\n{3,}", "\n\n", re.sub(r" *\n *", "\n", text)).strip()


class Citations:
    """Numbers chunks in order of first use; one citation per chunk, quoting its first used sentence."""

    def __init__(self) -> None:
        self.numbers: dict[str, int] = {}
        self.items: list[Citation] = []

    def cite(self, chunk: Chunk, quote: str) -> int:
        if chunk.id not in self.numbers:
            self.numbers[chunk.id] = len(self.numbers) + 1
            self.items.append(Citation.of(self.numbers[chunk.id], chunk, quote))
        return self.numbers[chunk.id]

    def runs(self, quotes: Sequence[tuple[Chunk, str]]) -> str:
        """Sentences as shown in an answer, one citation marker after each run of sentences from the same
        passage ("Niveau 2 duurt 1 tot 2 jaar. Niveau 3 duurt 2 tot 3 jaar. [1]")."""
        shown: list[str] = []
        for index, (chunk, sentence) in enumerate(quotes):
            number = self.cite(chunk, sentence)
            shown_list = "\n" in sentence  # a list with its lead-in is always cited right after it
            last = shown_list or index + 1 == len(quotes) or quotes[index + 1][0].id != chunk.id
            text = f"{plain(sentence)} [{number}]" if last else plain(sentence)
            # A list (a quote unit with its lead-in) stands on lines of its own; what follows it starts a new
            # paragraph, or Markdown would read it as part of the last item.
            shown.append(f"\n\n{text}\n\n" if shown_list else text)
        return _tidy(" ".join(shown))

    def quoted(self, chunk: Chunk, sentence: str) -> str:
        """The sentence as shown in an answer, with its citation marker: "Opvoeren is verboden. [1]"."""
        return f"{plain(sentence)} [{self.cite(chunk, sentence)}]"


def _reading_order(query: str, chosen: Sequence[_Quote], selector: SentenceSelector) -> list[_Quote]:
    """The passage whose sentence answers the question best comes first ("Toelatingsrecht betekent ..."
    before the conditions for it); within a passage, sentences keep their order."""
    if not chosen:
        return []
    relevance = selector.relevance(query, [q.scored for q in chosen])
    best: dict[int, float] = {}
    for quote, score in zip(chosen, relevance, strict=True):
        best[quote.rank] = max(best.get(quote.rank, -1.0), score)
    return sorted(chosen, key=lambda q: (-best[q.rank], q.rank, q.position))


def _orphans(chosen: Sequence[_Quote]) -> list[int]:
    """Positions in ``chosen`` of sentences that lean on the sentence before them ("Dan heb je
    toelatingsrecht.") while that sentence is not quoted along with them."""
    places = {(q.chunk.id, q.position) for q in chosen}
    return [
        i
        for i, q in enumerate(chosen)
        if leans_on_before(q.text) and (q.chunk.id, q.position - 1) not in places
    ]


def _answer_first(
    focus: str, ordered: Sequence[_Quote], prior: dict[str, float], selector: SentenceSelector
) -> list[_Quote]:
    """The sentence that answers the question best opens the answer; the others keep their reading order.

    A sentence that leans on the one before it comes along with that one ("Een opleiding daarin is Medewerker
    productietechniek. Die duurt meestal 1 tot 2 jaar.").

    Measured and not kept (2026-12-05, answer-first on dev / followups_dev, replayed; test held out): the
    sentences embedded with the passage prompt, as retrieval does, instead of the query prompt: 0.564 ->
    0.574 / 0.60 -> 0.56. A referral ("Vraag de mbo-school hoe lang ...") never opening when another sentence
    can, read by a sentence classifier fitted on 896 sentences of other fields written for it (what a
    sentence tells: a definition, duration, cost, admission rule, difference, date or place, something to
    try, what comes after, a referral, a description; out-of-fold accuracy 0.93): dev 0.564 -> 0.584 and
    followups_dev the same, but the test split 0.357 -> 0.333 and the held-out follow-ups the same (0.333).
    Also not kept (2026-12-05, session 28): for a message that points at routes with no reason to give,
    opening with the recommended route's aspect sentence closest to the message. Dev pathway answer-first
    0.511 -> 0.533, but the opening was often a referral ("Vraag de school welke niveaus zij voor
    mechatronica aanbiedt.") or "... kun je volgen via BOL of BBL".
    Nor kept (2026-12-06): for a follow-up that asks a new aspect, the opening chosen by the message alone
    instead of the message and its subject ("moet ik daarvoor goed zijn in wiskunde" opened with what MVI
    is, not with "Dan zijn wiskunde en nask1 vaak handig."). Followups_dev answer-first 0.66 -> 0.62, dev
    the same: "wat is het verschil tussen die 2 eigenlijk" needs its subject to choose.
    Nor kept (2026-12-06, session 37, dev): a condition unit ("Wil je autotechnicus worden? Dan past ...")
    compared whole, its question included, when choosing the opening: answer-first 0.594 -> 0.584, as the
    question in the passage draws questions of every kind ("wat als ik me pas in mei aanmeld" opened with "Zit
    je in klas 4 en wil je na de zomer naar het mbo?"); the two best sentences opening the answer, the second
    best second: 0.594 -> 0.574.
    Nor kept (2026-12-07, session 45): a head start to open for a sentence that names a label the message
    names ("hoeveel keuzevakken moet je kiezen in gl" opened with "Er zijn ongeveer 130 keuzevakken."). At
    0.05: dev answer-first 0.644 -> 0.634, the candidate set 0.574 -> 0.559; at 0.1: dev 0.653, the
    candidate set the same, and the openers it made were often worse: "Je decaan kan je helpen met
    aanmelden." (names the LOB activity aanmelden) for "wanneer moet ik me aanmelden", "Je opleiding is een
    basis." (read as the leerweg BB) for a basis student's question, and "In GL kies je er minstens twee."
    without the sentence it leans on ("er": leans_on_before does not read it).
    """
    if len(ordered) < 2:
        return list(ordered)
    vectors = selector.vectors([focus], [q.scored for q in ordered])
    relevance = vectors[1:] @ vectors[0] + np.array([prior.get(q.scored, 0.0) for q in ordered])
    places = {(q.chunk.id, q.position): q for q in ordered}
    for index in np.argsort(-relevance):
        best = ordered[int(index)]
        if UNSURE.search(best.text):
            # "Welke vakken precies bij Techniek horen, weet Koers niet zeker." opened the answer to "welke
            # profielen zijn technisch?"; what Koers does not know follows what it does.
            continue
        lead = [best]
        if leans_on_before(best.text):
            before = places.get((best.chunk.id, best.position - 1))
            if before is None or leans_on_before(before.text):
                continue
            lead = [before, best]
        return [*lead, *(q for q in ordered if all(q is not x for x in lead))]
    return list(ordered)


def _without_repeats(ordered: Sequence[_Quote], said: Sequence[str]) -> list[_Quote]:
    """``ordered`` without the quotes that say again what ``said`` (the reasons' quotes) or another quote
    says (see :func:`bot.answer.select.repeated`): two documents often word one fact twice. A quote that the
    next one leans on stays with it."""
    again = repeated([*said, *(q.text for q in ordered)], kept=len(said))[len(said) :]
    leaned_on = {(q.chunk.id, q.position - 1) for q in ordered if leans_on_before(q.text)}
    return [
        q
        for q, is_repeated in zip(ordered, again, strict=True)
        if not is_repeated or (q.chunk.id, q.position) in leaned_on
    ]


def _led_by(lead: str, ordered: Sequence[_Quote]) -> list[_Quote]:
    """``ordered`` with the quote that holds ``lead`` first, when one does (and stands on its own)."""
    opening = next((q for q in ordered if lead in q.text and not leans_on_before(q.text)), None)
    if opening is None:
        return list(ordered)
    return [opening, *(q for q in ordered if q is not opening)]


def _select(
    query: str,
    pool: Sequence[_Quote],
    prior: Sequence[float],
    selector: SentenceSelector,
    budget: int,
    reserved: Sequence[int],
) -> list[_Quote]:
    """The best quotes for ``query``. A sentence that would be read without the one it leans on is left out
    and the choice is made again."""
    prior = list(prior)
    texts = [q.scored for q in pool]
    while True:
        picked = selector.select(query, texts, prior, budget, [i for i in reserved if prior[i] > EXCLUDED])
        orphans = [picked[i] for i in _orphans([pool[j] for j in picked])]
        if not orphans:
            return [pool[i] for i in picked]
        for i in orphans:
            prior[i] = EXCLUDED


def compose(
    query: str,
    hits: Sequence[RetrievedChunk],
    selector: SentenceSelector,
    *,
    max_sentences: int,
    routes: Sequence[str] = (),
    reasons: Sequence[Reason] = (),
    clarification: Clarification | None = None,
    aspects: Sequence[tuple[Aspect, Sequence[RetrievedChunk]]] = (),
    notes: Sequence[str] = (),
    focus: str = "",
    avoid: Collection[str] = (),
    leerweg: str | None = None,
    mbo_leerweg_asked: bool = False,
    mbo_leerweg: str | None = None,
    lowest_niveau: int | None = None,
    place: str = "",
    asker: str = "student",
    sentence_prior: Callable[[Sequence[str]], Sequence[float]] | None = None,
    closing: str = CLOSING,
    buttons: Sequence[str] | None = None,
    lead: str = "",
    elsewhere: Callable[[Chunk, str], bool] | None = None,
    introduction: str = "",
) -> Answer:
    """Write the answer from the passages' best sentences, with numbered citations.

    Each aspect's passages give the sentence that answers the aspect's question best; the rest of the
    sentences are the ones that answer ``focus`` (what is asked; the search ``query`` by default) best. The
    best of all opens the answer, the others follow in reading order. ``avoid`` are sentences of the previous
    answer: a follow-up gets what is new. ``sentence_prior`` adds to a sentence's relevance (how well it fits
    the kind of question). A sentence about other leerwegen than the student's ``leerweg`` only is not
    quoted (see :func:`for_other_leerwegen`), nor one about vmbo leerwegen only when the student asks about
    an mbo leerweg and has told no vmbo one (``mbo_leerweg_asked``, see :func:`about_vmbo_leerwegen`), nor
    one about the other mbo leerweg than the one asked about (``mbo_leerweg``, see
    :func:`for_the_other_mbo_leerweg`), nor
    one about niveaus below the ``lowest_niveau`` the student's diploma opens (see
    :func:`below_the_diploma`), nor one that names another town than the ``place`` asked about
    (see bot.understand.places), nor a section written for another reader than ``asker`` (see
    :func:`speaks_to`), nor one that ``elsewhere`` finds is about another subject than the one asked.
    ``notes`` are facts from the school's own settings (not from a passage), shown before ``closing`` (empty:
    none). ``introduction`` is a sentence of Koers's own that opens the answer (see
    bot.routes.plan.route_line).
    """
    focus = focus or query
    not_found = NOT_FOUND if asker == "student" else NOT_FOUND_FOR_ADULTS
    if not hits:
        text = not_found if clarification is None else f"{not_found}\n\n{clarification.question}"
        return Answer(
            text=text,
            follow_up_questions=list(buttons) if buttons is not None else follow_ups([]),
            clarifying_question=clarification.question if clarification else "",
            choices=clarification.choices if clarification else [],
        )
    citations = Citations()
    pool = [
        q
        for q in _pool(hits, [hit for _, found in aspects for hit in found])
        if speaks_to(q.chunk, asker) and not sends_to_the_asker(q.text, asker)
    ]
    if leerweg is not None:
        pool = [q for q in pool if not for_other_leerwegen(q.text, leerweg, q.leerwegen)]
    if mbo_leerweg_asked:
        pool = [q for q in pool if not about_vmbo_leerwegen(q.text)]
    if mbo_leerweg is not None:
        pool = [q for q in pool if not for_the_other_mbo_leerweg(q.chunk, q.text, mbo_leerweg)]
    if lowest_niveau is not None:
        pool = [q for q in pool if not below_the_diploma(q.text, lowest_niveau)]
    if place:
        pool = [q for q in pool if about_place(q.text, place)]
    if elsewhere is not None:
        pool = [q for q in pool if not elsewhere(q.chunk, q.text)]
    first = next((q for q in pool if q.rank == 0 and not _said(q.text, avoid)), None)
    reason_lines: list[str] = []
    quoted: set[str] = set()
    for reason in reasons:
        quote = citations.quoted(reason.chunk, reason.quote)
        # A quoted list stands on lines of its own, as in runs().
        reason_lines.append(
            f"{reason.said}\n\n{quote}\n\n" if "\n" in reason.quote else f"{reason.said} {quote}"
        )
        quoted.add(reason.quote)
    # A reason may quote two sentences (one leans on the other); neither is quoted again.
    pool = [q for q in pool if not any(q.text in said for said in quoted) and not _said(q.text, avoid)]
    texts = [q.scored for q in pool]
    fits = list(sentence_prior(texts)) if sentence_prior is not None and texts else [0.0] * len(texts)
    prior = [
        (TOP_PASSAGE_PRIOR if q.rank == 0 else 0.0) + (LEANS_PRIOR if leans_on_before(q.text) else 0.0) + fit
        for q, fit in zip(pool, fits, strict=True)
    ]
    budget = max(1, max_sentences - len(reasons))
    selector.vectors([focus, *(aspect.question for aspect, _ in aspects)], texts)  # one batch, then cached
    reserved: list[int] = []
    leads: list[str] = []  # sentences that open the answer, in this order
    for aspect, found in aspects:
        ids = {hit.chunk.id for hit in found}
        own = [i for i, q in enumerate(pool) if q.chunk.id in ids and i not in reserved]
        best = selector.select(aspect.question, [texts[i] for i in own], [prior[i] for i in own], 1)
        reserved += [own[i] for i in best]
        leads += [pool[own[i]].text for i in best if aspect.leads]
    if place:
        # The sentence that names the town a where-question asks about answers it outright ("Mbo-school Vonk
        # in Den Helder geeft VeVa"): the best such sentence is always said, first. A head start for every
        # such sentence (0.1, 0.2) said the same thing twice ("In Zeeland is een keuzevak ... gemaakt") and
        # pushed out the answer to the rest of the question (dev p19, 2026-12-06).
        own = [i for i, q in enumerate(pool) if place in places_named(q.text) and i not in reserved]
        best = selector.select(focus, [texts[i] for i in own], [prior[i] for i in own], 1)
        reserved += [own[i] for i in best]
        lead = lead or next((pool[own[i]].text for i in best), "")
    chosen = _select(focus, pool, prior, selector, budget, reserved[: budget - 1]) if pool else []
    if first is not None and chosen and all(q.rank != 0 for q in chosen):
        # The passage that matched the whole question best always speaks, in place of the last sentence
        # chosen, or of the last one that does not name the place asked.
        names_place = [bool(place) and place in places_named(q.text) for q in chosen]
        chosen[next((i for i in reversed(range(len(chosen))) if not names_place[i]), len(chosen) - 1)] = first
    ordered = _reading_order(focus, chosen, selector)
    if not reasons:  # a reason answers "what fits me" itself; otherwise the best sentence goes first
        ordered = _answer_first(focus, ordered, dict(zip(texts, prior, strict=True)), selector)
        for opening in reversed([lead, *leads] if lead else leads):
            ordered = _led_by(opening, ordered)
    ordered = _without_repeats(ordered, [reason.quote for reason in reasons])
    said = [*(reason.quote for reason in reasons), *(quote.text for quote in ordered)]
    if closing and any(selector.says(line, said) for line in sentences(closing)):
        closing = ""  # the passages point to the mentor or decaan already
    ending = clarification.question if clarification else closing
    quotes = citations.runs([(quote.chunk, quote.text) for quote in ordered])
    body = _tidy(" ".join([*([introduction] if introduction else []), *reason_lines, quotes]))
    if not body:
        body = not_found
    text = "\n\n".join(p for p in [body, *notes, ending] if p)
    return Answer(
        text=text,
        citations=citations.items,
        routes=list(routes),
        follow_up_questions=list(buttons) if buttons is not None else follow_ups(routes),
        clarifying_question=clarification.question if clarification else "",
        choices=clarification.choices if clarification else [],
    )
