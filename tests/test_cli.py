"""The koers command line, run as a real subprocess (as a school admin would)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.config import Settings

KOERS = [sys.executable, "-m", "koers"]


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    return {**os.environ, "KOERS_STORE__PATH": str(settings.store.path), "COLUMNS": "200", **extra}


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


def test_ingest_reports_counts_and_exit_codes(tmp_path: Path) -> None:
    env = {**os.environ, "KOERS_STORE__PATH": str(tmp_path / "store"), "COLUMNS": "200"}
    bad = tmp_path / "docs"
    bad.mkdir()
    (bad / "kapot.md").write_text("geen front matter\n", encoding="utf-8")
    failed = subprocess.run([*KOERS, "ingest", str(bad)], env=env, capture_output=True, text=True)
    assert failed.returncode == 1
    assert "kapot.md" in failed.stderr and "no front matter" in failed.stderr

    missing = subprocess.run(
        [*KOERS, "ingest", str(tmp_path / "nope")], env=env, capture_output=True, text=True
    )
    assert missing.returncode == 2 and "is not a folder" in missing.stderr


def test_models_shows_the_bundled_model_and_its_checked_inputs() -> None:
    out = subprocess.run(
        [*KOERS, "models"], env={**os.environ, "COLUMNS": "200"}, capture_output=True, text=True, check=True
    ).stdout
    assert "bundled:multilingual-e5-small" in out
    assert "input e5-small-q4.bin" in out and "ok, sha256" in out
    assert "built" in out and "yes" in out
