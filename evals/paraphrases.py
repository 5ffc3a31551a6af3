"""Paraphrase consistency: the same question in five wordings should get the same top route.

``evals/datasets/paraphrases.jsonl`` (written apart from the code and the training data): one intent per
line, ``{"id", "expected_routes", "paraphrases": [5 wordings]}``. Reported:

* ``all_agree``: the share of intents whose five top routes are all the same label (the issue's target);
* ``agree_with_majority``: the share of paraphrases whose top route is their intent's most common one;
* ``top_expected``: the share of paraphrases whose top route is one of the intent's expected routes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.core.jsonl import load_models
from bot.service import ChatService
from evals.dataset import DatasetError
from evals.metrics import label_matches

PARAPHRASES_FILE = Path(__file__).resolve().parent / "datasets" / "paraphrases.jsonl"


class Intent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    expected_routes: list[str] = Field(min_length=1)
    paraphrases: list[str] = Field(min_length=2)


@dataclass
class ConsistencyResult:
    intents: list[Intent]
    tops: list[list[str]]  # per intent, the top route of each paraphrase ("" when none)

    def summary(self) -> dict[str, float | int]:
        agree = sum(len(set(tops)) == 1 and tops[0] != "" for tops in self.tops)
        majority = sum(Counter(tops).most_common(1)[0][1] for tops in self.tops if tops)
        expected = sum(
            any(label_matches(label, top) for label in intent.expected_routes)
            for intent, tops in zip(self.intents, self.tops, strict=True)
            for top in tops
        )
        total = sum(len(tops) for tops in self.tops)
        return {
            "all_agree": round(agree / len(self.tops), 3),
            "agree_with_majority": round(majority / total, 3),
            "top_expected": round(expected / total, 3),
            "intents": len(self.tops),
        }


def load_intents(path: Path = PARAPHRASES_FILE) -> list[Intent]:
    return load_models(path, Intent, DatasetError, "paraphrase set")


def run_consistency(
    service: ChatService, intents: list[Intent], on_intent: Callable[[int], None] | None = None
) -> ConsistencyResult:
    tops: list[list[str]] = []
    for index, intent in enumerate(intents, start=1):
        routes = [service.answer(text).routes for text in intent.paraphrases]
        tops.append([r[0] if r else "" for r in routes])
        if on_intent:
            on_intent(index)
    return ConsistencyResult(intents, tops)
