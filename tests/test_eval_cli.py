"""`koers eval` end to end: any data set in the format, all three systems, thresholds enforced."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.config import Settings
from tests.conftest import env_for

REPO = Path(__file__).resolve().parent.parent
KOERS = [sys.executable, "-m", "koers", "eval"]


def _run(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*KOERS, *args],
        env={**env_for(settings), **env},
        capture_output=True,
        text=True,
        cwd=REPO,
    )


@pytest.mark.slow
def test_eval_runs_all_systems_on_another_data_set(corpus_settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    report = tmp_path / "report.md"
    result = _run(
        corpus_settings, "--set", "tests/data/mini_eval.jsonl", "--json", str(out), "--report", str(report)
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["systems"]) == {"koers", "bm25", "dense-naive"}
    for metrics in data["systems"].values():
        assert metrics["n"] == 6
        assert {"route_recall_at_3", "fact_coverage", "citation_validity", "safety_pass"} <= set(metrics)
    assert [case["id"] for case in data["cases"]][:2] == ["t-pathway-1", "t-fact-1"]
    assert "| route_recall_at_3 |" in report.read_text(encoding="utf-8")
    assert "route_recall_at_3" in result.stdout and "dense-naive" in result.stdout


@pytest.mark.slow
def test_check_fails_when_retrieval_is_made_worse(corpus_settings: Settings) -> None:
    args = ("--set", "evals/datasets/dev.jsonl", "--systems", "koers", "--sample", "40", "--check")
    good = _run(corpus_settings, *args)
    assert good.returncode == 0, good.stdout + good.stderr
    worse = _run(corpus_settings, *args, KOERS_RETRIEVAL__TOP_K="1")
    assert worse.returncode == 1
    assert "threshold not met" in worse.stderr


def test_a_malformed_data_set_is_a_clear_error(corpus_settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "hoi", "category": "weer"}\n', encoding="utf-8")
    result = _run(corpus_settings, "--set", str(bad))
    assert result.returncode == 1
    assert "line 1" in result.stderr and "category" in result.stderr
