"""Which sentences of school documents Koers keeps out, on ``evals/datasets/protected.jsonl``.

The set was written apart from the classifier's training data: 240 sentences as a school document could
hold them, in five classes: help lines (35), admission rules (40), exam rules (35), sentences that tell the
reader to ignore other sources (25), all true or false, and ordinary school facts (105, half of them sharing
words with the other classes). Split per class into ``tune`` and ``test`` halves; the threshold
``ingest.protect.MAX_OTHER`` was read off the tune half (2026-12-01). Reported per
class: the share of sentences left out (for school facts: false alarms).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.core.jsonl import load_models
from evals.dataset import DatasetError
from ingest.protect import ProtectedFacts

PROTECTED_FILE = Path(__file__).resolve().parent / "datasets" / "protected.jsonl"


class ProtectedCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    split: str
    cls: str = Field(alias="class")  # "class" is a Python keyword


@dataclass
class ProtectedResult:
    total: Counter[str] = field(default_factory=Counter)
    left_out: Counter[str] = field(default_factory=Counter)
    wrong: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {cls: round(self.left_out[cls] / self.total[cls], 3) for cls in sorted(self.total)}


def load_protected_set(path: Path = PROTECTED_FILE, split: str = "test") -> list[ProtectedCase]:
    cases = load_models(path, ProtectedCase, DatasetError, "protected-facts set")
    return cases if split == "all" else [c for c in cases if c.split == split]


def run_protected(protector: ProtectedFacts, cases: list[ProtectedCase]) -> ProtectedResult:
    result = ProtectedResult()
    flagged = {c.sentence for c in protector.conflicts([case.text for case in cases])}
    for case in cases:
        result.total[case.cls] += 1
        out = case.text in flagged
        result.left_out[case.cls] += out
        if out != (case.cls != "school_fact"):
            result.wrong.append(f"{case.id} [{case.cls}] {'left out' if out else 'kept'}: {case.text}")
    return result
