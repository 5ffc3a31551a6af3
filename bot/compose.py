"""The offline composer: a short Dutch answer made of sentences quoted from retrieved passages.

It never writes a fact of its own. Every factual sentence is copied from a retrieved chunk and carries a
numbered citation; the only own words are a lead-in, a closing pointer to mentor/decaan and follow-ups.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from bot.labels import display_name, is_canonical, kind_of
from bot.schemas import Answer, Citation, RetrievedChunk
from bot.text import content_words, plain, sentences

LEAD_IN = "Dit past het best bij je vraag: {title} [1]."
LEAD_IN_PLAIN = "Dit heb ik voor je gevonden:"
CLOSING = "Twijfel je of wil je meer weten? Praat erover met je mentor of decaan."
NOT_FOUND = (
    "Daar weet ik nog niet genoeg over. Ik wil je niets verkeerds vertellen. "
    "Vraag het aan je mentor of decaan. Zij kunnen je verder helpen."
)
MAX_ROUTES = 5
MAX_SOURCES = 3


@dataclass(frozen=True)
class _Candidate:
    hit_index: int
    position: int
    text: str
    score: float


def rank_routes(hits: Sequence[RetrievedChunk]) -> list[str]:
    """Canonical labels of the retrieved chunks, weighted by rank; a document's first label counts most."""
    scores: dict[str, float] = defaultdict(float)
    for rank, hit in enumerate(hits):
        for position, label in enumerate(hit.chunk.labels):
            if is_canonical(label):
                scores[label] += hit.score / (rank + 1) * (2.0 if position == 0 else 1.0)
    return [label for label, _ in sorted(scores.items(), key=lambda item: -item[1])][:MAX_ROUTES]


def _candidates(query: str, hits: Sequence[RetrievedChunk]) -> list[_Candidate]:
    wanted = content_words(query)
    found: list[_Candidate] = []
    seen: set[str] = set()  # overlapping passages repeat sentences; quote each sentence once
    for index, hit in enumerate(hits[:MAX_SOURCES]):
        for position, sentence in enumerate(sentences(hit.chunk.text)):
            if sentence in seen:
                continue
            seen.add(sentence)
            # A question in a passage (often an example of what a student might ask) answers nothing.
            if len(sentence.split()) < 4 or sentence.rstrip().endswith("?"):
                continue
            overlap = len(wanted & content_words(sentence))
            # Topic sentences come first in our documents; the best passage outweighs the rest.
            score = overlap + hit.score * (1.0 - 0.25 * index) + (0.5 if position == 0 else 0.0)
            found.append(_Candidate(index, position, sentence, score))
    return found


def _follow_ups(routes: Sequence[str]) -> list[str]:
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


def compose(query: str, hits: Sequence[RetrievedChunk], *, max_sentences: int) -> Answer:
    """Write the answer from the best sentences of the best passages, in reading order, with citations."""
    if not hits:
        return Answer(text=NOT_FOUND, follow_up_questions=_follow_ups([]))
    ranked = sorted(_candidates(query, hits), key=lambda c: -c.score)
    chosen = ranked[:max_sentences]
    best_of_top = next((c for c in ranked if c.hit_index == 0), None)
    if best_of_top is not None and best_of_top not in chosen:
        chosen[-1] = best_of_top  # the best passage always speaks, so the lead-in can cite it as [1]
    chosen.sort(key=lambda c: (c.hit_index, c.position))

    numbers: dict[int, int] = {}
    citations: list[Citation] = []
    parts: list[str] = []
    for candidate in chosen:
        hit = hits[candidate.hit_index].chunk
        if candidate.hit_index not in numbers:
            numbers[candidate.hit_index] = len(numbers) + 1
            citations.append(
                Citation(
                    number=numbers[candidate.hit_index],
                    chunk_id=hit.id,
                    doc_id=hit.doc_id,
                    title=hit.title,
                    quote=candidate.text,
                    source=hit.source,
                    page=hit.page,
                )
            )
        parts.append(f"{plain(candidate.text)} [{numbers[candidate.hit_index]}]")

    routes = rank_routes(hits)
    lead = LEAD_IN.format(title=hits[0].chunk.title) if 0 in numbers else LEAD_IN_PLAIN
    text = "\n\n".join([lead, " ".join(parts), CLOSING])
    return Answer(text=text, citations=citations, routes=routes, follow_up_questions=_follow_ups(routes))
