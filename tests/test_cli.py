"""The koers command line as a school admin uses it. The commands run in-process with Typer's runner (the
model loads once per test run); one smoke test starts the real ``python -m koers`` entry point."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.core.config import Settings
from tests.conftest import koers_cli, make_settings


def test_ask_prints_answer_routes_and_sources(corpus_settings: Settings) -> None:
    result = koers_cli(corpus_settings, "ask", "wat is het verschil tussen bol en bbl?")
    assert result.exit_code == 0, result.output
    assert "BBL" in result.stdout and "Routes: mbo-leerweg:" in result.stdout
    assert "[1] " in result.stdout and "(mbo-bol-bbl)" in result.stdout


def test_ingest_reports_counts_and_exit_codes(tmp_path: Path) -> None:
    settings = make_settings(tmp_path / "store")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "goed.txt").write_text("Onze school heeft een open dag op zaterdag.\n", encoding="utf-8")
    (docs / "kapot.pdf").write_bytes(b"%PDF-1.4 dit is geen echte pdf")
    failed = koers_cli(settings, "ingest", str(docs), "--school", "de-wissel")
    assert failed.exit_code == 1
    assert "kapot.pdf" in failed.stderr and "beschadigd" in failed.stderr

    wrong_id = koers_cli(settings, "ingest", str(docs / ".."), "--school", "Bad Id")
    assert wrong_id.exit_code == 2 and "--school" in wrong_id.stderr

    missing = koers_cli(settings, "ingest", str(tmp_path / "nope"))
    assert missing.exit_code == 2 and "is geen map" in missing.stderr


def test_models_shows_the_bundled_model_and_its_checked_inputs(tmp_path: Path) -> None:
    result = koers_cli(make_settings(tmp_path / "store"), "models")
    assert result.exit_code == 0, result.output
    assert "bundled:multilingual-e5-small" in result.stdout
    assert "input e5-small-q4.bin" in result.stdout and "ok, sha256" in result.stdout
    assert "built" in result.stdout and "yes" in result.stdout


def test_the_koers_entry_point_starts_as_a_process() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "koers", "models"],
        env={**os.environ, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "bundled:multilingual-e5-small" in out
