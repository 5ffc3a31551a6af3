"""The offline composer: a short Dutch answer made of sentences quoted from retrieved passages.

It never writes a fact of its own. Every factual sentence is copied from a retrieved chunk and carries a
numbered citation. The only own words are what the student said ("Je zei dat je lassen leuk vindt."), a
clarifying question, a closing pointer to mentor/decaan and follow-up questions.

Plan of an answer: reasons (route advice: the student's words and a quoted sentence from the recommended
profiel's document) -> for each aspect (what a recommended route is, which niveaus the leerweg opens) its
document's best sentence, and the passages' best sentences for the question -> a clarifying question or
the closing line. The passage with the sentence that answers the question best is read first; within a
passage, sentences keep their order. A sentence that says nothing alone is not quoted: one about the document
itself ("Hier lees je ...") or one that leans on a sentence before it that is not quoted with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.guard import looks_like_instruction
from bot.labels import display_name, kind_of
from bot.schemas import Answer, Chunk, Citation, RetrievedChunk
from bot.select import SentenceSelector
from bot.text import plain, sentences

CLOSING = "Twijfel je? Praat erover met je mentor of decaan."
NOT_FOUND = (
    "Daar weet ik nog niet genoeg over. Ik wil je niets verkeerds vertellen. "
    "Vraag het aan je mentor of decaan. Zij kunnen je verder helpen."
)
NOT_UNDERSTOOD = (
    "Ik begrijp je vraag niet. Ik help je met drie dingen: welk vmbo-profiel bij je past, "
    "welke mbo-opleiding en welk beroep daarna kunnen, en vragen over leerwegen, stage en LOB. "
    "Wat wil je weten?"
)
MAX_SOURCES = 6  # passages quoted from (4: fact coverage 0.39, 6: 0.42 on the dev set, same length)
# The best passage's sentences get a small head start: it matched the whole question.
TOP_PASSAGE_PRIOR = 0.04
# A sentence that leans on the one before it ("Dan las je de naden.", "De opleiding X hoort daarbij.",
# "Vraag op welk niveau je deze opleiding kunt doen.") reads oddly when quoted alone.
LEANS_ON_BEFORE = re.compile(
    r"^(Dan|Dat|Die|Dit|Deze|Daar|Daarna|Daarom|Zo|Hij|Zij|Ze|Hem|Haar|Ook|En|Maar|Toch|Dus"
    r"|Het (is|was|kan|mag|moet|duurt|heet|wordt))\b"
    r"|\b(deze|die) (opleidingen|opleiding|beroepen|beroep|route|richting)\b|\b(hoort|horen) daarbij\b"
)
LEANS_PRIOR = -0.03
EXCLUDED = -2.0  # a prior below every cosine relevance: never chosen
MIN_WORDS = 4
# A sentence about a document ("Hier lees je hoe je lasser wordt.", "Meer hulp vind je in het stuk '...'.")
# states no fact, and quoted in an answer it points at a text the student does not see.
SIGNPOST = re.compile(
    r"^(Hier lees je|Hieronder|In (dit|deze) (stuk|tekst|document|overzicht)|Dit stuk)\b|\bhet stuk '",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reason:
    """Why a route fits: the student's own words, backed by a sentence quoted from the route's document."""

    said: str  # e.g. "Je zei dat je lassen leuk vindt."
    chunk: Chunk
    quote: str  # verbatim sentence of ``chunk``


@dataclass(frozen=True)
class Aspect:
    """Something a route answer covers besides the question: a document and a question to ask of it."""

    doc: str
    question: str


@dataclass(frozen=True)
class Clarification:
    question: str
    choices: list[str]


@dataclass(frozen=True)
class _Quote:
    chunk: Chunk
    position: int
    text: str
    rank: int


def _quotable(sentence: str) -> bool:
    # A question in a passage (often an example of what a student might ask) answers nothing, and an
    # instruction inside a document is text, never something Koers repeats or follows.
    return (
        len(sentence.split()) >= MIN_WORDS
        and not sentence.rstrip().endswith(("?", ":"))  # a list's lead-in says nothing without the list
        and not SIGNPOST.search(sentence)
        and not (looks_like_instruction(sentence))
    )


def _pool(hits: Sequence[RetrievedChunk], extra: Sequence[RetrievedChunk]) -> list[_Quote]:
    seen: set[str] = set()  # overlapping passages repeat sentences; quote each sentence once
    pool: list[_Quote] = []
    for rank, hit in enumerate([*hits[:MAX_SOURCES], *extra]):
        for position, sentence in enumerate(sentences(hit.chunk.text)):
            if sentence not in seen and _quotable(sentence):
                seen.add(sentence)
                pool.append(_Quote(hit.chunk, position, sentence, rank))
    return pool


def follow_ups(routes: Sequence[str]) -> list[str]:
    questions: list[str] = []
    for label in routes:
        if kind_of(label) == "vmbo":
            questions.append(f"Welke mbo-opleidingen passen bij {display_name(label)}?")
            break
    questions += [
        "Welk mbo-niveau kan ik doen met mijn leerweg?",
        "Hoe kan ik een meeloopdag doen op het mbo?",
    ]
    return questions[:3]


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

    def quoted(self, chunk: Chunk, sentence: str) -> str:
        """The sentence as shown in an answer, with its citation marker: "Opvoeren is verboden. [1]"."""
        return f"{plain(sentence)} [{self.cite(chunk, sentence)}]"


def _reading_order(query: str, chosen: Sequence[_Quote], selector: SentenceSelector) -> list[_Quote]:
    """The passage whose sentence answers the question best comes first ("Toelatingsrecht betekent ..."
    before the conditions for it); within a passage, sentences keep their order."""
    if not chosen:
        return []
    vectors = selector.vectors([query], [q.text for q in chosen])
    relevance = vectors[1:] @ vectors[0]
    best: dict[int, float] = {}
    for quote, score in zip(chosen, relevance, strict=True):
        best[quote.rank] = max(best.get(quote.rank, -1.0), float(score))
    return sorted(chosen, key=lambda q: (-best[q.rank], q.rank, q.position))


def _orphans(chosen: Sequence[_Quote]) -> list[int]:
    """Positions in ``chosen`` of sentences that lean on the sentence before them ("Dan heb je
    toelatingsrecht.") while that sentence is not quoted along with them."""
    places = {(q.chunk.id, q.position) for q in chosen}
    return [
        i
        for i, q in enumerate(chosen)
        if LEANS_ON_BEFORE.search(q.text) and (q.chunk.id, q.position - 1) not in places
    ]


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
    texts = [q.text for q in pool]
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
) -> Answer:
    """Write the answer from the passages' best sentences, in reading order, with numbered citations.

    Each aspect's passages give the sentence that answers the aspect's question best; the rest of the
    sentences are the ones that answer the student's question best. ``notes`` are facts from the school's
    own settings (not from a passage), shown before the closing line.
    """
    if not hits:
        text = NOT_FOUND if clarification is None else f"{NOT_FOUND}\n\n{clarification.question}"
        return Answer(
            text=text,
            follow_up_questions=follow_ups([]),
            clarifying_question=clarification.question if clarification else "",
            choices=clarification.choices if clarification else [],
        )
    citations = Citations()
    parts: list[str] = []
    pool = _pool(hits, [hit for _, found in aspects for hit in found])
    first = next((q for q in pool if q.rank == 0), None)
    reason_lines: list[str] = []
    quoted: set[str] = set()
    for reason in reasons:
        reason_lines.append(f"{reason.said} {citations.quoted(reason.chunk, reason.quote)}")
        quoted.add(reason.quote)
    pool = [q for q in pool if q.text not in quoted]
    prior = [
        (TOP_PASSAGE_PRIOR if q.rank == 0 else 0.0) + (LEANS_PRIOR if LEANS_ON_BEFORE.search(q.text) else 0.0)
        for q in pool
    ]
    budget = max(1, max_sentences - len(reasons))
    texts = [q.text for q in pool]
    selector.vectors([query, *(aspect.question for aspect, _ in aspects)], texts)  # one batch, then cached
    reserved: list[int] = []
    for aspect, found in aspects:
        ids = {hit.chunk.id for hit in found}
        own = [i for i, q in enumerate(pool) if q.chunk.id in ids and i not in reserved]
        best = selector.select(aspect.question, [texts[i] for i in own], [prior[i] for i in own], 1)
        reserved += [own[i] for i in best]
    chosen = _select(query, pool, prior, selector, budget, reserved[: budget - 1])
    if first is not None and all(q.rank != 0 for q in chosen):
        chosen[-1] = first  # the passage that matched the whole question best always speaks
    for quote in _reading_order(query, chosen, selector):
        parts.append(citations.quoted(quote.chunk, quote.text))
    ending = clarification.question if clarification else CLOSING
    text = "\n\n".join(p for p in [" ".join(reason_lines), " ".join(parts), *notes, ending] if p)
    return Answer(
        text=text,
        citations=citations.items,
        routes=list(routes),
        follow_up_questions=follow_ups(routes),
        clarifying_question=clarification.question if clarification else "",
        choices=clarification.choices if clarification else [],
    )
