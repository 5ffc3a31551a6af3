"""``koers ingest`` in one process while ``koers serve`` answers from the same store in another.

On the main of 2026-12-01 every chat for the school turned into a plain-text 500 (``chromadb.errors.
InternalError: Error finding id``) once the ingest had written, until the API was restarted: the API's
embedded Chroma client kept its old vector index in memory. Now each process notices the other's writes
(see ``bot.adapters.store_chroma``).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from pathlib import Path

import httpx
import pytest

from bot.adapters import LazyEmbedder
from ingest.container import build_ingestor
from tests.conftest import CORPUS, env_for, make_settings
from tests.servers import koers_serve

SCHOOL = "tc"
QUESTIONS = [
    "wat leer je op het technisch college in de werkplaats?",
    "hoe lang duurt de stage bij het technisch college?",
    "welke keuzevakken heeft het technisch college?",
    "wat doet een lasser?",
]


def _school_documents(folder: Path, edition: int, count: int) -> None:
    """``count`` documents of a few passages; each edition words them differently (other chunks)."""
    for number in range(count):
        paragraphs = [
            f"Het Technisch College, editie {edition}, onderdeel {number}: in de werkplaats van hal "
            f"{number % 5 + 1} leer je lassen, draaien en frezen met begeleiding van een docent."
        ]
        paragraphs += [
            f"De stage in leerjaar {year} duurt {number % 4 + 2} weken (editie {edition}). Je gaat naar een "
            f"bedrijf in de regio en je houdt een logboek bij met wat je hebt gedaan en geleerd."
            for year in (3, 4)
        ]
        text = "\n\n".join(paragraphs)
        (folder / f"info-{number:02d}.md").write_text(f"# Informatie {number}\n\n{text}\n", encoding="utf-8")


@pytest.mark.slow
def test_chats_keep_working_while_koers_ingest_writes_the_same_school(
    tmp_path: Path, embedder: LazyEmbedder
) -> None:
    cfg = make_settings(tmp_path / "store")
    national = tmp_path / "landelijk"
    (national / "beroepen").mkdir(parents=True)
    for doc in sorted((CORPUS / "beroepen").glob("*.md"))[:8]:  # a national part beside the school
        shutil.copy(doc, national / "beroepen" / doc.name)
    shutil.copy(CORPUS / "routes.yaml", national / "routes.yaml")
    school = tmp_path / "school"
    school.mkdir()
    _school_documents(school, edition=1, count=30)
    ingestor = build_ingestor(cfg, embedder)
    assert ingestor.sync(national).ok
    assert ingestor.sync(school, school=SCHOOL).ok

    # Two clients chat as fast as they can: far above the per-address limit, which has its own tests.
    unlimited = {**env_for(cfg), "KOERS_API__RATE_PER_CLIENT": "1000000/minute"}
    with koers_serve(unlimited) as (url, _):
        for stale in list(school.glob("*.md"))[:10]:
            stale.unlink()
        _school_documents(school, edition=2, count=40)  # changes 30, adds 10, removes none of the new
        (school / "nieuw.md").write_text(
            "# Open dag\n\nDe open dag van het Technisch College is op zaterdag 14 maart in hal 7.\n",
            encoding="utf-8",
        )
        ingest = subprocess.Popen(
            [sys.executable, "-m", "koers", "ingest", str(school), "--school", SCHOOL],
            env=env_for(cfg),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        results: list[tuple[int, bool, str]] = []  # status, during the ingest, body when not 200
        lock = threading.Lock()

        def chat(worker: int) -> None:
            with httpx.Client(base_url=url, timeout=60) as client:
                number = worker
                while True:
                    with lock:
                        during = ingest.poll() is None
                        if not during and len(results) >= 100:
                            return
                    question = QUESTIONS[number % len(QUESTIONS)]
                    response = client.post("/v1/chat", json={"message": question, "school": SCHOOL})
                    with lock:
                        results.append(
                            (response.status_code, during, "" if response.is_success else response.text)
                        )
                    number += 2

        workers = [threading.Thread(target=chat, args=(w,)) for w in range(2)]
        for worker in workers:
            worker.start()
        output = ingest.communicate(timeout=600)[0].decode()
        for worker in workers:
            worker.join(timeout=300)
        assert ingest.returncode == 0, output
        during = [r for r in results if r[1]]
        errors = [r for r in results if r[0] != 200]
        print(f"{len(results)} chats, {len(during)} during the ingest, {len(errors)} errors")
        assert len(during) >= 100, f"only {len(during)} chats ran during the ingest"
        assert errors == [], errors[:3]
        after = httpx.post(
            f"{url}/v1/chat",
            json={"message": "wanneer is de open dag van het technisch college?", "school": SCHOOL},
            timeout=60,
        ).json()
        assert any(c["source"] == "nieuw.md" for c in after["citations"]), after["citations"]
        assert "14 maart" in after["text"]
