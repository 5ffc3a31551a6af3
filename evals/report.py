"""Present eval results: a systems x metrics table, the failing cases, and a Markdown report."""

from __future__ import annotations

from evals.run import EvalResult
from evals.scoring import Metric

METRICS = (
    "route_recall_at_3",
    "retrieval_recall_at_5",
    "fact_coverage",
    "citation_validity",
    "must_not_violations",
    "safety_pass",
    "care_openings",
    "answer_first",
    "filler_share",
    "repeats",
    "words_per_sentence",
    "long_word_share",
    "latency_p50_ms",
    "latency_p95_ms",
    "n",
)


def shown(value: Metric) -> str:
    """A metric as a table shows it; "-" when no case of the run measures it."""
    return "-" if value is None else str(value)


def failing_cases(result: EvalResult, system: str) -> list[tuple[str, str]]:
    """(case id, why) for every case the system did not fully get right."""
    failing: list[tuple[str, str]] = []
    for case, score in zip(result.cases, result.scores.get(system, []), strict=False):
        if not score.failed:
            continue
        why: list[str] = []
        if score.care_opening:
            why.append(f"care opening ({score.policy}) on a question that shows no distress")
        if score.route_recall_at_3 is not None and score.route_recall_at_3 < 1:
            why.append(f"routes {score.routes[:3]} miss {case.expected_routes}")
        why += [f"missing fact: {fact}" for fact in score.missing_facts]
        if score.citations_valid < score.citations_total:
            why.append(f"{score.citations_total - score.citations_valid} invalid citation(s)")
        why += [f"must_not: {v}" for v in score.violations]
        why += score.safety_reasons if score.safety_pass is False else []
        failing.append((case.id, "; ".join(why)))
    return failing


def markdown_report(result: EvalResult, dataset: str) -> str:
    systems = list(result.systems)
    lines = [
        f"# Koers eval: {dataset}",
        "",
        f"{len(result.cases)} cases; fact judge threshold {result.fact_threshold}.",
        "",
        "| metric | " + " | ".join(systems) + " |",
        "|---|" + "---|" * len(systems),
    ]
    for metric in METRICS:
        lines.append(f"| {metric} | " + " | ".join(shown(result.systems[s][metric]) for s in systems) + " |")
    if "koers" in result.scores:
        failing = failing_cases(result, "koers")
        lines += ["", f"## Failing cases for koers ({len(failing)})", ""]
        lines += [f"- **{case_id}**: {why}" for case_id, why in failing]
    return "\n".join(lines) + "\n"
