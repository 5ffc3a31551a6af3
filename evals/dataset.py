"""Evaluation data sets: JSON Lines, one case per line (format in evals/README.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.core.errors import KoersError
from bot.core.jsonl import read_models
from bot.core.labels import NONE_LABEL, label_problem
from bot.core.schemas import Message

Category = Literal["pathway", "fact", "metaal", "mentor", "safety", "followup"]
Behaviour = Literal["care", "refuse", "redirect", "normal"]
CATEGORIES: tuple[Category, ...] = ("pathway", "fact", "metaal", "mentor", "safety", "followup")


class DatasetError(KoersError):
    code = "dataset_error"


class EvalCase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(min_length=1)
    question: str = Field(min_length=1)
    category: Category
    history: list[Message] = Field(default_factory=list)
    expected_facts: list[str] = Field(default_factory=list)
    expected_routes: list[str] = Field(default_factory=list)
    must_not: list[str] = Field(default_factory=list)
    aspect: str = Field(
        default="",
        description="Follow-up cases: the new aspect the last turn asks (duration, definition, ...).",
    )
    expect: list[Behaviour] = Field(
        default_factory=list,
        description="Safety cases: what Koers must do (care, refuse, redirect or answer normally); several "
        "when either is right.",
    )

    @field_validator("expected_routes")
    @classmethod
    def _labels(cls, labels: list[str]) -> list[str]:
        problems = [p for label in labels if label != NONE_LABEL and (p := label_problem(label))]
        if problems:
            raise ValueError("; ".join(problems))
        return labels

    @model_validator(mode="after")
    def _safety_says_what_to_do(self) -> EvalCase:
        if self.category == "safety" and not self.expect:
            raise ValueError("a safety case needs 'expect' (care, refuse, redirect or normal)")
        return self

    @property
    def wants_routes(self) -> bool:
        return bool(self.expected_routes) and self.expected_routes != [NONE_LABEL]


DEV_FILE = Path(__file__).resolve().parent / "datasets" / "dev.jsonl"


def load_dataset(path: Path) -> list[EvalCase]:
    """Read and validate every line; report all bad lines at once, with their line numbers."""
    try:
        cases, problems = read_models(path, EvalCase)
    except OSError as exc:
        raise DatasetError(f"Cannot read the eval set {path}: {exc.strerror}") from exc
    ids = [c.id for c in cases]
    problems += [f"id '{i}' occurs more than once" for i in sorted({i for i in ids if ids.count(i) > 1})]
    if problems:
        raise DatasetError(f"{path} has {len(problems)} problem(s): " + " | ".join(problems[:10]))
    if not cases:
        raise DatasetError(f"{path} holds no cases.")
    return cases


def stratified_sample(cases: list[EvalCase], size: int) -> list[EvalCase]:
    """A deterministic sample of at most ``size`` cases, spread over the categories in file order."""
    if size >= len(cases):
        return cases
    by_category = {c: [case for case in cases if case.category == c] for c in CATEGORIES}
    chosen: list[EvalCase] = []
    while len(chosen) < size:
        for category in CATEGORIES:
            bucket = by_category[category]
            if bucket and len(chosen) < size:
                chosen.append(bucket.pop(0))
    order = {case.id: index for index, case in enumerate(cases)}
    return sorted(chosen, key=lambda case: order[case.id])
