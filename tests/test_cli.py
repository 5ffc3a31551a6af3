"""The koers command line, run as a real subprocess (as a school admin would)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.core.config import Settings
from tests.conftest import env_for, make_settings

KOERS = [sys.executable, "-m", "koers"]


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    return {**env_for(settings), **extra}


@pytest.mark.slow
def test_ask_prints_answer_routes_and_sources(corpus_settings: Settings) -> None:
    out = subprocess.run(
        [*KOERS, "ask", "wat is het verschil tussen bol en bbl?"],
        env=_env(corpus_settings),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "BBL" in out and "Routes: mbo-leerweg:" in out
    assert "[1] " in out and "(mbo-bol-bbl)" in out


@pytest.mark.slow
def test_ingest_reports_counts_and_exit_codes(tmp_path: Path) -> None:
    env = env_for(make_settings(tmp_path / "store"))
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "goed.txt").write_text("Onze school heeft een open dag op zaterdag.\n", encoding="utf-8")
    (docs / "kapot.pdf").write_bytes(b"%PDF-1.4 dit is geen echte pdf")
    failed = subprocess.run(
        [*KOERS, "ingest", str(docs), "--school", "de-wissel"], env=env, capture_output=True, text=True
    )
    assert failed.returncode == 1
    assert "kapot.pdf" in failed.stderr and "beschadigd" in failed.stderr

    fine = subprocess.run(
        [*KOERS, "ingest", str(docs / ".."), "--school", "Bad Id"], env=env, capture_output=True, text=True
    )
    assert fine.returncode == 2 and "--school" in fine.stderr

    missing = subprocess.run(
        [*KOERS, "ingest", str(tmp_path / "nope")], env=env, capture_output=True, text=True
    )
    assert missing.returncode == 2 and "is geen map" in missing.stderr


def test_models_shows_the_bundled_model_and_its_checked_inputs() -> None:
    out = subprocess.run(
        [*KOERS, "models"], env={**os.environ, "COLUMNS": "200"}, capture_output=True, text=True, check=True
    ).stdout
    assert "bundled:multilingual-e5-small" in out
    assert "input e5-small-q4.bin" in out and "ok, sha256" in out
    assert "built" in out and "yes" in out
