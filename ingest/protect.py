"""Sentences of a school document that only the national information may state, kept out of its passages.

A school's own text is trusted for school facts (open days, stages, keuzevakken), never for help lines,
admission law or exam rules: a school document that says "bel niet 113 maar onze eigen hulplijn" or "met BB
heb je toelatingsrecht tot niveau 4" must not be quoted to a student, true or false; nor a sentence that
tells the assistant to ignore other sources. A learned classifier (the ``school`` heads of
``bot.understand.detectors``, fitted on ``bot/understand/data/school_sentences.jsonl``, written apart from the
evaluation set ``evals/datasets/protected.jsonl``) reads every sentence of a school document at ingest.

A sentence that is not a school fact with enough certainty (see :data:`MAX_OTHER`) is removed from the
document before it is split, and the admin gets it back as a conflict with the national information (upload
report, document list, ``koers ingest``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.ports import Embedder
from bot.text import sentences
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
}


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

    @property
    def version(self) -> str:
        """Changes when the screening would: another classifier fit or threshold."""
        card = self.heads.card
        return f"{str(card.get('data_sha256', ''))[:12]}/{card.get('model', '')}/{MAX_OTHER}"

    def probabilities(self, texts: Sequence[str]) -> Matrix:
        """[sentences, classes] probabilities of the school sentence classes."""
        vectors = self.embedder.embed(list(texts), kind="query")
        return self.heads.probabilities(texts, vectors)

    def conflicts(self, texts: Sequence[str]) -> list[Conflict]:
        if not texts:
            return []
        fact = self.heads.labels.index(SCHOOL_FACT)
        found: list[Conflict] = []
        for text, row in zip(texts, self.probabilities(texts), strict=True):
            if 1.0 - row[fact] >= MAX_OTHER:
                others = [
                    (p, label)
                    for label, p in zip(self.heads.labels, row, strict=True)
                    if label != SCHOOL_FACT
                ]
                found.append(Conflict(text, max(others)[1]))
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
