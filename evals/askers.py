"""Who writes a message, on ``evals/datasets/askers.jsonl``: how often Koers reads the right asker.

The set was written apart from the training data of the heads that read who asks (the intent heads' asker
labels, ``bot/understand/data``), by a helper that saw neither: 150 messages, 50 each by a student, a mentor
(or decaan, teacher) and a parent, most of them without saying the role outright, many passing on what
someone else said ("een moeder belde me ...", "de mentor zei dat ..."). The 22 that ``koers eval leakage``
found near a training message were taken out (10 student, 6 mentor, 6 parent), so 128 remain. It is a test
set only: no threshold or weight is read off it. Reported: the share read right, each asker's recall, and
which asker each wrong one was read as (counts, not the messages).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bot.core.jsonl import load_models
from bot.service import ChatService
from bot.understand.training import ASKERS, Asker
from evals.dataset import DatasetError

ASKERS_SET = Path(__file__).resolve().parent / "datasets" / "askers.jsonl"


class AskerCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    text: str
    asker: Asker


@dataclass
class AskersResult:
    read_as: Counter[tuple[str, str]] = field(default_factory=Counter)  # (written by, read as) -> count

    def summary(self) -> dict[str, float]:
        total = sum(self.read_as.values())
        right = sum(n for (truth, read), n in self.read_as.items() if truth == read)
        found: dict[str, float] = {"accuracy": right / max(total, 1)}
        for asker in ASKERS:
            written = sum(n for (truth, _), n in self.read_as.items() if truth == asker)
            found[f"recall_{asker}"] = self.read_as[(asker, asker)] / max(written, 1)
        return found

    def confusions(self) -> dict[str, int]:
        return {
            f"{truth} read as {read}": n for (truth, read), n in sorted(self.read_as.items()) if truth != read
        }


def load_askers_set(path: Path = ASKERS_SET) -> list[AskerCase]:
    return load_models(path, AskerCase, DatasetError, "askers set")


def run_askers(service: ChatService, cases: list[AskerCase]) -> AskersResult:
    result = AskersResult()
    for case in cases:
        result.read_as[(case.asker, service.reader.read(case.text).asker)] += 1
    return result
