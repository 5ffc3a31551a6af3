"""Run an eval: every system answers every case from the same chunks; score, aggregate, check thresholds."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.adapters import build_embedder
from bot.container import build_service
from bot.core.config import Settings
from bot.core.errors import ConfigError
from bot.core.ports import Embedder
from evals.dataset import EvalCase
from evals.judge import SimilarityJudge, load_calibration
from evals.scoring import CaseScore, Metric, Scorer, aggregate
from evals.systems import Bm25System, DenseNaiveSystem, KoersSystem, System
from ingest.container import build_ingestor
from ingest.pipeline import plan_chunks

SYSTEMS = ("koers", "bm25", "dense-naive")
THRESHOLDS_FILE = Path(__file__).resolve().parent / "thresholds.yaml"


@dataclass
class EvalResult:
    systems: dict[str, dict[str, Metric]]
    scores: dict[str, list[CaseScore]]
    cases: list[EvalCase]
    fact_threshold: float

    def to_json(self) -> dict[str, Any]:
        per_case = []
        for index, case in enumerate(self.cases):
            per_case.append(
                {
                    "id": case.id,
                    "category": case.category,
                    "question": case.question,
                    "systems": {name: asdict(scores[index]) for name, scores in self.scores.items()},
                }
            )
        return {"systems": self.systems, "fact_threshold": self.fact_threshold, "cases": per_case}


def build_systems(
    names: Sequence[str],
    settings: Settings,
    embedder: Embedder,
    chunks: Sequence[Any],
    *,
    replay: bool = False,
) -> list[System]:
    systems: list[System] = []
    for name in names:
        match name:
            case "koers":
                systems.append(KoersSystem(build_service(settings, embedder), replay=replay))
            case "bm25":
                systems.append(Bm25System(chunks))
            case "dense-naive":
                systems.append(DenseNaiveSystem(chunks, embedder))
            case _:
                raise ConfigError(f"Unknown system '{name}'. Choose from: {', '.join(SYSTEMS)}.")
    return systems


def run_eval(
    settings: Settings,
    cases: Sequence[EvalCase],
    system_names: Sequence[str] = SYSTEMS,
    *,
    embedder: Embedder | None = None,
    on_case: Callable[[int, int], None] | None = None,
    replay: bool = False,
) -> EvalResult:
    calibration = load_calibration()
    embedder = embedder or build_embedder(settings)
    # All systems answer from the same chunks: the corpus as it is now, synced into the configured store.
    ingestor = build_ingestor(settings, embedder)
    ingestor.sync(settings.corpus_dir)
    chunks, _ = plan_chunks(settings.corpus_dir, chunking=ingestor.chunking)
    systems = build_systems(system_names, settings, embedder, chunks, replay=replay)
    scorer = Scorer(
        judge=SimilarityJudge(embedder),
        fact_threshold=calibration.threshold,
        known_labels={label for chunk in chunks for label in chunk.labels},
    )
    scores: dict[str, list[CaseScore]] = {s.name: [] for s in systems}
    for index, case in enumerate(cases, start=1):
        for system in systems:
            scores[system.name].append(scorer.score(case, system.run(case)))
        if on_case:
            on_case(index, len(cases))
    return EvalResult(
        systems={name: aggregate(case_scores) for name, case_scores in scores.items()},
        scores=scores,
        cases=list(cases),
        fact_threshold=calibration.threshold,
    )


# (key in the thresholds file, its name, when a value breaks it, where such a value lies)
_BOUNDS = (("min", "minimum", operator.lt, "below"), ("max", "maximum", operator.gt, "above"))


def check_thresholds(result: EvalResult, thresholds_file: Path = THRESHOLDS_FILE) -> list[str]:
    """Every threshold not met, as a readable line.

    Format: ``system: {min: {metric: x}, max: {metric: y}}``.
    """
    try:
        rules = yaml.safe_load(thresholds_file.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"Cannot read the thresholds file {thresholds_file}: {exc}") from exc
    failures: list[str] = []
    for system, bounds in rules.items():
        metrics = result.systems.get(system)
        if metrics is None:
            failures.append(
                f"{system}: not evaluated in this run, but {thresholds_file.name} sets thresholds"
            )
            continue
        for key, bound, broken, side in _BOUNDS:
            for metric, limit in (bounds.get(key) or {}).items():
                if (value := metrics[metric]) is None:
                    failures.append(f"{system}.{metric}: no case of this run measures it ({bound} {limit})")
                elif broken(value, limit):
                    failures.append(f"{system}.{metric} = {value} is {side} the {bound} {limit}")
    return failures
