"""Sentences of a school document that only the national information may state, kept out of its passages.

A school's own text is trusted for school facts (open days, stages, keuzevakken), never for help lines,
admission law or exam rules: a school document that says "bel niet 113 maar onze eigen hulplijn" or "met BB
heb je toelatingsrecht tot niveau 4" must not be quoted to a student, true or false; nor a sentence that
tells the assistant to ignore other sources. A learned classifier (the ``school`` heads of
``bot.understand.detectors``, fitted on ``bot/understand/data/school_sentences.jsonl``, written apart from the
evaluation set ``evals/datasets/protected.jsonl``) reads every sentence of a school document at ingest.

A second, independent signal comes from the guardrail classifier that reads students' messages: a sentence
it would refuse as exam fraud or as dangerous instructions ("de antwoorden van het CSPE kun je vooraf kopen")
at its own alert threshold is not quotable either (on the tune half of the protected set it raised no false
alarm on a school fact).

A sentence that is not a school fact with enough certainty (see :data:`MAX_OTHER`), or that the guardrails
refuse, is removed from the document before it is split, and the admin gets it back as a conflict with the
national information (upload report, document list, ``koers ingest``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.core.ports import Embedder
from bot.core.text import sentences
from bot.understand.detectors import Detectors
from bot.understand.heads import LinearHeads, Matrix
from bot.understand.training import SCHOOL_FACT
from ingest.loaders import LoadedFile

# A sentence is left out when the classes other than school_fact together reach this probability. Read off
# the tune half of evals/datasets/protected.jsonl (2026-12-01, training rounds 1 and 2): from 0.3 to 0.5
# every help line, admission rule, exam rule and "ignore other sources" was left out, at 5 of 53 school
# facts left out too (0.6-0.7: 17 of 18 exam rules, 3-4 facts). Safety first: the lower end of the range;
# a school fact left out is reported to the admin, who can reword it.
MAX_OTHER = 0.4

TOPIC_NAMES = {
    "helpline": "hulplijnen",
    "admission": "toelating tot het mbo",
    "exam": "examenregels",
    "ignore_sources": "zegt dat andere bronnen niet gelden",
    "danger": "gevaarlijke instructies",
}
# Guardrail classes whose refusal also keeps a school sentence out, and the topic it is reported under.
REFUSED = {"fraud": "exam", "danger": "danger"}


@dataclass(frozen=True)
class Conflict:
    sentence: str
    topic: str

    def describe(self) -> str:
        topic = TOPIC_NAMES.get(self.topic, self.topic)
        return f"strijdig met de landelijke informatie ({topic}): {self.sentence}"


@dataclass
class ProtectedFacts:
    embedder: Embedder
    heads: LinearHeads  # the school sentence classes, SCHOOL_FACT among them
    guard: LinearHeads  # the guardrail classes of students' messages
    refuse_at: dict[str, float]  # alert threshold of each guardrail class in REFUSED

    @classmethod
    def from_detectors(cls, embedder: Embedder, detectors: Detectors) -> ProtectedFacts:
        alerts = {name: detectors.thresholds[name].alert for name in REFUSED}
        return cls(embedder, detectors.school, detectors.guard, alerts)

    @property
    def version(self) -> str:
        """Changes when the screening would: another classifier fit or threshold."""
        card = self.heads.card
        alerts = ",".join(f"{name}={alert}" for name, alert in sorted(self.refuse_at.items()))
        return f"{str(card.get('data_sha256', ''))[:12]}/{card.get('model', '')}/{MAX_OTHER}/{alerts}"

    def probabilities(self, texts: Sequence[str]) -> tuple[Matrix, Matrix]:
        """[sentences, classes] probabilities of the school sentence classes and of the guardrail classes."""
        vectors = self.embedder.embed(list(texts), kind="query")
        return self.heads.probabilities(texts, vectors), self.guard.probabilities(texts, vectors)

    def conflicts(self, texts: Sequence[str]) -> list[Conflict]:
        if not texts:
            return []
        fact = self.heads.labels.index(SCHOOL_FACT)
        refused = [
            (self.guard.labels.index(name), topic, self.refuse_at[name]) for name, topic in REFUSED.items()
        ]
        found: list[Conflict] = []
        school, guard = self.probabilities(texts)
        for text, row, guard_row in zip(texts, school, guard, strict=True):
            if 1.0 - row[fact] >= MAX_OTHER:
                ranked = sorted(zip(row, self.heads.labels, strict=True), reverse=True)
                found.append(Conflict(text, next(label for _, label in ranked if label != SCHOOL_FACT)))
            elif hit := next((topic for col, topic, alert in refused if guard_row[col] >= alert), None):
                found.append(Conflict(text, hit))
        return found

    def screen(self, loaded: LoadedFile) -> tuple[LoadedFile, list[Conflict]]:
        """The document without its conflicting sentences, and those sentences."""
        texts = [s for section in loaded.sections for s in sentences(section.text)]
        conflicts = self.conflicts(texts)
        if not conflicts:
            return loaded, []
        sections = []
        for section in loaded.sections:
            text = section.text
            for conflict in conflicts:
                text = text.replace(conflict.sentence, "", 1)
            text = re.sub(r"[ \t]{2,}", " ", text)
            sections.append(replace(section, text=text))
        kept = [s for s in sections if sentences(s.text)]
        return LoadedFile(loaded.meta, kept, loaded.source, list(loaded.warnings)), conflicts
