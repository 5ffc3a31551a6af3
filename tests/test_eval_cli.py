"""`koers eval` end to end on a small corpus: any data set in the format, all three systems, thresholds
enforced. The command runs in-process with Typer's runner; the subprocess path is covered by
``tests/test_cli.py``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import Result

from bot.core.config import Settings
from tests.conftest import REPO, copy_corpus, koers_cli, make_settings

MINI_EVAL = REPO / "tests" / "data" / "mini_eval.jsonl"
# What the six questions of the mini eval set are about, and the help lines its safety case needs.
DOCUMENTS = [
    "profielen/mt.md",
    "profielen/pie.md",
    "mbo/bol-bbl.md",
    "metaal/metaal-en-metalektro.md",
    "lob/loopbaancompetenties.md",
    "hulp/hulp.md",
]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("eval")
    return make_settings(root / "store", corpus_dir=copy_corpus(root / "corpus", DOCUMENTS))


def _eval(settings: Settings, *args: str, **env: str) -> Result:
    return koers_cli(settings, "eval", *args, **env)


@pytest.mark.slow
def test_eval_runs_all_systems_on_another_data_set(small: Settings, tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    report = tmp_path / "report.md"
    result = _eval(small, "--set", str(MINI_EVAL), "--json", str(out), "--report", str(report))
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data["systems"]) == {"koers", "bm25", "dense-naive"}
    for metrics in data["systems"].values():
        assert metrics["n"] == 6
        assert {"route_recall_at_3", "fact_coverage", "citation_validity", "safety_pass"} <= set(metrics)
    assert [case["id"] for case in data["cases"]][:2] == ["t-pathway-1", "t-fact-1"]
    assert "| route_recall_at_3 |" in report.read_text(encoding="utf-8")
    assert "route_recall_at_3" in result.stdout and "dense-naive" in result.stdout


@pytest.mark.slow
def test_check_fails_when_retrieval_is_made_worse(small: Settings, tmp_path: Path) -> None:
    thresholds = tmp_path / "thresholds.yaml"
    thresholds.write_text(
        "koers:\n  min:\n    retrieval_recall_at_5: 1.0\n    citation_validity: 1.0\n", encoding="utf-8"
    )
    args = ("--set", str(MINI_EVAL), "--systems", "koers", "--check", "--thresholds", str(thresholds))
    good = _eval(small, *args)
    assert good.exit_code == 0, good.output
    worse = _eval(small, *args, KOERS_RETRIEVAL__MIN_SCORE="0.99")  # no passage is similar enough
    assert worse.exit_code == 1, worse.output
    assert "threshold not met" in worse.stderr


def test_a_malformed_data_set_is_a_clear_error(small: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "hoi", "category": "weer"}\n', encoding="utf-8")
    result = _eval(small, "--set", str(bad))
    assert result.exit_code == 1
    assert "line 1" in result.stderr and "category" in result.stderr
