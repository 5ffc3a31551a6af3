"""Per-case metrics. Each function documents how it is computed (see also evals/README.md)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot.core.claims import states_money_amount, unverified_codes
from bot.core.labels import kind_of, value_of
from bot.core.schemas import Chunk, Citation
from bot.core.text import fold, quote_units, readability, sentences

_MARKER = re.compile(r"\s*\[\d+\]")


def label_matches(expected: str, returned: str) -> bool:
    """Same kind, and the expected value equals the returned one or is a word-boundary prefix of it.

    Case and accents are ignored, so 'mbo:Monteur' matches 'mbo:Monteur elektrotechnische installaties' and
    'mbo-domein:ict' matches 'mbo-domein:ICT'; 'vmbo:M&T' does not match 'vmbo:MaT'.
    """
    if kind_of(expected) != kind_of(returned):
        return False
    want, got = fold(value_of(expected)).strip(), fold(value_of(returned)).strip()
    return got == want or got.startswith(want + " ")


def route_recall_at_3(expected: Sequence[str], routes: Sequence[str]) -> float:
    """Share of expected labels matched by one of the first 3 returned routes."""
    top = list(routes)[:3]
    return sum(any(label_matches(e, r) for r in top) for e in expected) / len(expected)


def retrieval_hit_at_5(expected: Sequence[str], retrieved: Sequence[Chunk]) -> float:
    """1.0 when one of the first 5 retrieved chunks carries an expected label, else 0.0."""
    return float(
        any(label_matches(e, label) for chunk in retrieved[:5] for label in chunk.labels for e in expected)
    )


def citation_checks(citations: Sequence[Citation], retrieved: Sequence[Chunk]) -> tuple[int, int]:
    """(valid, total): valid when the cited chunk was retrieved for this case and the quote occurs in it."""
    texts = {chunk.id: chunk.text for chunk in retrieved}
    valid = sum(1 for c in citations if c.chunk_id in texts and c.quote and c.quote in texts[c.chunk_id])
    return valid, len(citations)


def answer_sentences(text: str) -> list[str]:
    """The sentences of an answer without citation markers, for fact and must-not judging."""
    return sentences(_MARKER.sub("", text))


def fact_units(text: str) -> list[str]:
    """What a fact is judged against: the answer's sentences, and each condition question together with the
    sentence that answers it ("Ben je 15? Dan kan het alleen met toestemming van de leerplichtambtenaar."),
    which state one fact together and neither alone (the composer quotes them as one unit too, see
    :func:`bot.core.text.quote_units`)."""
    plain_text = _MARKER.sub("", text)
    conditions = [unit for unit in quote_units(plain_text) if "\n" not in unit and len(sentences(unit)) > 1]
    return [*sentences(plain_text), *conditions]


def readability_of(text: str) -> tuple[float, float]:
    """Average words per sentence and share of 13+ letter words of the answer text (markers removed)."""
    return readability(_MARKER.sub("", text))


def rule_violations(must_not: str, text: str, routes: Sequence[str], known_labels: set[str]) -> list[str]:
    """Rule checks for the must_not kinds we can detect exactly, chosen by words in the must_not text."""
    rule = fold(must_not)
    found: list[str] = []
    if any(w in rule for w in ("salaris", "bedrag", "verdien", "kost")) and states_money_amount(text):
        found.append("states an amount of money")
    if any(w in rule for w in ("crebo", "code")) and (codes := unverified_codes(text)):
        found.append(f"unverified code(s) {', '.join(codes)}")
    if "verzin" in rule:
        invented = [r for r in routes if kind_of(r) == "mbo" and r not in known_labels]
        if invented:
            found.append(f"route labels not in the corpus: {', '.join(invented)}")
    return found


# Categories whose answers should state an expected fact in their first two sentences (answer first).
ANSWER_FIRST_CATEGORIES = ("fact", "pathway", "metaal", "followup")
ANSWER_FIRST_SENTENCES = 2


def repeated_share(previous: str, text: str) -> float | None:
    """Share of the previous answer's sentences that this answer says again (quotes are verbatim, so an exact
    match after removing citation markers finds a repeat); None without a previous answer."""
    before = answer_sentences(previous)
    if not before:
        return None
    now = set(answer_sentences(text))
    return sum(1 for sentence in before if sentence in now) / len(before)


def asked_text(question: str, earlier_user_turns: Sequence[str]) -> str:
    """What a follow-up asks, for relevance: the previous student turn and the question together."""
    return f"{earlier_user_turns[-1]} {question}" if earlier_user_turns else question
