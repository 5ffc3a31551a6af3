"""How well names are kept out of what Koers stores, on ``evals/datasets/names.jsonl``.

The set was written apart from the tagger's training data: 160 student and mentor messages, 100 with
third-party names (and sometimes the student's own), 60 without any but with look-alikes (places, brands,
schools, "een roos voor moederdag"). Split per group into ``tune`` and ``test`` halves. Reported:

* ``name_recall``: the share of names whose every character is replaced (what privacy needs);
* ``messages_all_names_removed``: the share of messages with names where all of them are replaced;
* ``false_alarm_messages``: the share of messages without names where something was replaced anyway;
* ``word_precision``: of the words replaced, the share that belong to a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bot.core.jsonl import load_models
from bot.understand.fit_people import name_tokens
from bot.understand.guard import scrub_for_storage
from bot.understand.people import PLACEHOLDER, tokens
from evals.dataset import DatasetError

NAMES_FILE = Path(__file__).resolve().parent / "datasets" / "names.jsonl"


class NamesCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    names: list[str]
    split: str


@dataclass
class NamesResult:
    names: int = 0
    names_removed: int = 0
    messages_with_names: int = 0
    messages_all_removed: int = 0
    messages_without: int = 0
    false_alarms: int = 0
    words_replaced: int = 0
    name_words_replaced: int = 0
    misses: list[str] = field(default_factory=list)
    alarms: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {
            "name_recall": self.names_removed / max(self.names, 1),
            "messages_all_names_removed": self.messages_all_removed / max(self.messages_with_names, 1),
            "false_alarm_messages": self.false_alarms / max(self.messages_without, 1),
            "word_precision": self.name_words_replaced / max(self.words_replaced, 1),
        }


def _replaced_words(text: str, scrubbed: str) -> set[int]:
    """Start offsets (in ``text``) of the words that scrubbing replaced, found by aligning the two texts."""
    from difflib import SequenceMatcher

    changed: set[int] = set()
    for tag, i1, i2, _, _ in SequenceMatcher(None, text, scrubbed, autojunk=False).get_opcodes():
        if tag != "equal":
            changed.update(range(i1, i2))
    return {w.start for w in tokens(text) if any(i in changed for i in range(w.start, w.end))}


def load_names_set(path: Path = NAMES_FILE, split: str = "test") -> list[NamesCase]:
    cases = load_models(path, NamesCase, DatasetError, "names set")
    return cases if split == "all" else [c for c in cases if c.split == split]


def run_names(cases: list[NamesCase]) -> NamesResult:
    result = NamesResult()
    for case in cases:
        scrubbed = scrub_for_storage(case.text)
        words = tokens(case.text)
        replaced = _replaced_words(case.text, scrubbed)
        gold = name_tokens(case.text, case.names, words)
        result.words_replaced += len(replaced)
        result.name_words_replaced += sum(
            1 for w, g in zip(words, gold, strict=True) if g and w.start in replaced
        )
        if not case.names:
            result.messages_without += 1
            if PLACEHOLDER in scrubbed or replaced:
                result.false_alarms += 1
                result.alarms.append(f"{case.id}: {scrubbed}")
            continue
        result.messages_with_names += 1
        kept = [name for name in case.names if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", scrubbed)]
        result.names += len(case.names)
        result.names_removed += len(case.names) - len(kept)
        result.messages_all_removed += not kept
        if kept:
            result.misses.append(f"{case.id}: kept {kept} in {scrubbed}")
    return result
