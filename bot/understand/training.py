"""The training data of the learned detectors: Dutch student and mentor messages, one JSONL file per task.

``data/guard.jsonl``: ``{"text": ..., "label": <guardrail class or "normal">}``, one class per message.
``data/intents.jsonl``: ``{"text": ..., "labels": [<route labels>], "asker": "student"|"mentor"|"parent",
"guard_normal": bool}``.
``data/school_sentences.jsonl``: ``{"text": ..., "label": <school sentence class>}``: sentences of school
documents, and whether only the national information may state them (see ``ingest.protect``).
``data/questions.jsonl``: ``{"text": ..., "kind": <question kind>, "follow_up": bool}``: what a message asks.

Both were written by helpers that followed a written spec (``data/SPEC.md``: classes, hard negatives, how
teenagers type) and never saw an evaluation set; ``tests/test_training_data.py`` checks that no training
message is a near-duplicate of any eval question.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.core.errors import DocumentError
from bot.core.jsonl import load_models
from bot.core.labels import label_problem

DATA_DIR = Path(__file__).resolve().parent / "data"
GUARD_FILE = "guard.jsonl"
INTENTS_FILE = "intents.jsonl"
SCHOOL_FILE = "school_sentences.jsonl"
QUESTIONS_FILE = "questions.jsonl"

# Guardrail classes in the order they win when several fit: care, then refusals, then redirects.
CARE_CLASSES = ("self_harm", "abuse", "bullying", "down")
REFUSAL_CLASSES = ("fraud", "danger", "injection", "others_data")
REDIRECT_CLASSES = ("insult", "off_topic")
GUARD_CLASSES = (*CARE_CLASSES, *REFUSAL_CLASSES, *REDIRECT_CLASSES, "normal")
GuardClass = Literal[
    "self_harm", "abuse", "bullying", "down", "fraud", "danger", "injection", "others_data", "insult",
    "off_topic", "normal",
]  # fmt: skip
# Sentences of a school's own documents: a school fact, or something only the national information may say.
SCHOOL_FACT = "school_fact"
SCHOOL_CLASSES = (SCHOOL_FACT, "helpline", "admission", "exam", "ignore_sources")
SchoolClass = Literal["school_fact", "helpline", "admission", "exam", "ignore_sources"]
# What a message asks (bot.understand.reader.Understanding.kind): it decides which sentences answer first.
# `cost` (what you pay) and `pay` (what you get) were one kind, `money`, until round 29 of data/SPEC.md:
# "en wat verdien je dan" opened with the lesgeld rule. Measured (2026-12-06): dev answer-first 0.594 ->
# 0.604, fact coverage the same; followups_dev (replayed) fact coverage 0.703 -> 0.685 and answer-first
# 0.66 -> 0.64, one case each ("hoeveel krijg je dan" after a question about stufi lost "Kijk daarvoor op
# de website van DUO", and "moet ik die trein zelf betalen" opened with a sentence that leans on the one
# before it, which bot.core.text now reads as leaning).
QuestionKind = Literal[
    "greeting", "thanks", "definition", "duration", "cost", "pay", "difference", "admission", "where_when",
    "fit", "try_out", "after", "lesson", "parents", "other", "reaction",
]  # fmt: skip
QUESTION_KINDS: tuple[QuestionKind, ...] = (
    "greeting", "thanks", "definition", "duration", "cost", "pay", "difference", "admission", "where_when",
    "fit", "try_out", "after", "lesson", "parents", "other", "reaction",
)  # fmt: skip
FOLLOW_UP = "follow_up"  # the head that says a message leans on the turn before it
Asker = Literal["student", "mentor", "parent"]
ASKERS: tuple[Asker, ...] = ("student", "mentor", "parent")
ASKER_PREFIX = "asker:"


class GuardExample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    label: GuardClass


class IntentExample(BaseModel):
    """A message and the routes it shows interest in; no labels: it points to no route at all (a shrug, a
    greeting, how the student feels). ``guard_normal`` as for :class:`QuestionExample`: the guardrail
    classifier learns it as ``normal`` too, except where a message may be distress or off-topic."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    labels: list[str] = Field(default_factory=list)
    asker: Asker = "student"
    guard_normal: bool = True

    @field_validator("labels")
    @classmethod
    def _canonical(cls, labels: list[str]) -> list[str]:
        problems = [p for label in labels if (p := label_problem(label))]
        if problems:
            raise ValueError("; ".join(problems))
        return labels

    @property
    def targets(self) -> frozenset[str]:
        """Route labels and the asker, as one set of head names."""
        return frozenset([*self.labels, f"{ASKER_PREFIX}{self.asker}"])


class SchoolSentence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    label: SchoolClass


class QuestionExample(BaseModel):
    """A message and what it asks; ``follow_up``: it leans on an earlier turn ("hoe lang duurt dat dan").
    ``guard_normal``: the guardrail classifier learns it as ``normal`` too. Not for a bare reaction ("maakt
    toch niet uit", "laat maar"): alone it reads as ordinary, after distress it may not be, and the guardrail
    reads a message alone; whether care carries over it is decided from the conversation
    (bot.understand.reader)."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    kind: QuestionKind
    follow_up: bool = False
    guard_normal: bool = True

    @property
    def targets(self) -> frozenset[str]:
        return frozenset([self.kind, *([FOLLOW_UP] if self.follow_up else [])])


Example = TypeVar("Example", GuardExample, IntentExample, SchoolSentence, QuestionExample)
DATA_FILES = (GUARD_FILE, INTENTS_FILE, SCHOOL_FILE, QUESTIONS_FILE)
NAMES_FILE = "names.jsonl"  # the name tagger's data (bot.understand.fit_people)
TEXT_FILES = (*DATA_FILES, NAMES_FILE)  # every training file whose lines have a "text"


def load_examples(path: Path, model: type[Example]) -> list[Example]:
    """Every line of ``path`` validated as ``model``; all bad lines are reported at once."""
    return load_models(path, model, DocumentError, "training data")


def data_sha256(*paths: Path) -> str:
    """One hash over the training files, so fitted weights can say exactly what they were fitted on."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()
