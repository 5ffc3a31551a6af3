"""A SIGKILL in the middle of an ingest: the old index keeps answering, and the next run converges."""

from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.adapters import LazyEmbedder
from ingest.container import build_ingestor
from tests.conftest import CORPUS, env_for, make_settings

KOERS = [sys.executable, "-m", "koers"]
PRINT_IDS = (
    "from bot.core.config import load_settings\nfrom bot.adapters import build_embedder, build_store\n"
    "cfg = load_settings()\nstore = build_store(cfg, build_embedder(cfg))\n"
    "print('\\n'.join(sorted(store.chunk_ids(school='', origin='corpus'))))\n"
)


def _updated_rows(manifest: Path, since: str) -> int:
    try:
        with sqlite3.connect(f"file:{manifest}?mode=ro", uri=True, timeout=1) as conn:
            return int(
                conn.execute("SELECT count(*) FROM files WHERE updated_at > ?", (since,)).fetchone()[0]
            )
    except sqlite3.Error:
        return 0


@pytest.mark.slow
def test_sigkill_mid_ingest_keeps_answers_and_the_rerun_converges(
    tmp_path: Path, embedder: LazyEmbedder
) -> None:
    corpus = tmp_path / "corpus"
    for part in ("profielen", "mbo"):
        shutil.copytree(CORPUS / part, corpus / part)
    cfg = make_settings(tmp_path / "store")
    env = env_for(cfg)
    subprocess.run([*KOERS, "ingest", str(corpus)], env=env, check=True, capture_output=True)

    # A new version of every document, so the next ingest has to embed everything again.
    for path in corpus.rglob("*.md"):
        path.write_text(
            path.read_text(encoding="utf-8") + "\nDeze tekst is opnieuw bekeken.\n", encoding="utf-8"
        )
    time.sleep(1.1)  # updated_at has one-second resolution
    since = sqlite3.connect(cfg.ingest.manifest_path).execute("SELECT datetime('now')").fetchone()[0]
    proc = subprocess.Popen(
        [*KOERS, "ingest", str(corpus)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while _updated_rows(cfg.ingest.manifest_path, since) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    total = len(list(corpus.rglob("*.md")))
    assert 3 <= _updated_rows(cfg.ingest.manifest_path, since) < total, "the kill must land mid-run"

    # The interrupted index still answers, with citations.
    asked = subprocess.run([*KOERS, "ask", "wat doet een lasser?"], env=env, capture_output=True, text=True)
    assert asked.returncode == 0, asked.stderr
    assert "[1]" in asked.stdout

    # The next run finishes and holds exactly what a clean ingest holds.
    rerun = subprocess.run([*KOERS, "ingest", str(corpus)], env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stderr
    after = subprocess.run(
        [sys.executable, "-c", PRINT_IDS], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    clean = build_ingestor(make_settings(tmp_path / "clean"), embedder)
    clean.sync(corpus)
    expected = sorted(clean.store.chunk_ids(school="", origin="corpus"))
    assert len(after) == len(expected) > 0
    assert after == expected
