"""The plan of an answer: what ``bot.routes.plan`` decides an answer covers and ``bot.answer.compose`` writes.

Value types only, shared by both rooms, so the plan does not depend on the composer.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.schemas import Chunk

# The follow-up buttons about the leerweg and about trying an opleiding out, in the words of who asks: a
# mentor or a parent asks about a student, and "Welk mbo-niveau kan ik doen met mijn leerweg?" is the
# student's question, not theirs.
STUDENT_BUTTONS = {
    "admission": "Welk mbo-niveau kan ik doen met mijn leerweg?",
    "try_out": "Hoe kan ik een meeloopdag doen op het mbo?",
}
ADULT_BUTTONS = {
    "admission": "Naar welk mbo-niveau kan een leerling met zijn of haar leerweg?",
    "try_out": "Hoe regelt een leerling een meeloopdag op het mbo?",
}


@dataclass(frozen=True)
class Reason:
    """Why a route fits: the student's own words, backed by a sentence quoted from the route's document."""

    said: str  # e.g. "Omdat je lassen leuk vindt, noem ik het profiel Produceren, installeren en energie."
    chunk: Chunk
    quote: str  # verbatim sentence of ``chunk``


@dataclass(frozen=True)
class Aspect:
    """Something a route answer covers besides the question: a document and a question to ask of it."""

    doc: str
    question: str
    answers: frozenset[str] = frozenset()  # the kinds of question (bot.understand.training) it answers
    leads: bool = False  # its sentence opens the answer (each thing a question compares, in its order)


@dataclass(frozen=True)
class Clarification:
    question: str
    choices: list[str]
