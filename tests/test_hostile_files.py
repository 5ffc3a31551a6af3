"""Files built to hurt: decompression bombs and files that take long to read. Each is refused with a Dutch
reason, the files beside it are still ingested, and the API keeps answering while one is read.

On the main of 2026-12-01 a 250 kB DOCX with 2.2 million paragraphs kept the reader busy for over 12
minutes (the security test saw 3.3 GB of memory), so ``koers ingest`` never reached the good file beside it
and an upload held an API worker at 100 % CPU.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from bot.adapters import LazyEmbedder
from bot.adapters.api_keys import ApiKeys
from bot.container import build_service
from bot.core.config import Settings
from evals.hostile import docx_bomb, pdf_bomb, slow_pdf
from ingest.container import build_ingestor
from koers.app import build_app
from tests.conftest import env_for, make_settings
from tests.servers import koers_serve, running_app

KOERS = [sys.executable, "-m", "koers"]
GOOD = "Op het Technisch College leer je lassen in de nieuwe werkplaats van hal 3.\n"


@pytest.mark.slow
def test_a_folder_with_bombs_and_a_slow_file_still_ingests_the_good_file(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bom.docx").write_bytes(docx_bomb())
    (folder / "bom.pdf").write_bytes(pdf_bomb())
    (folder / "traag.pdf").write_bytes(slow_pdf(4))  # about 9 s to read on an idle 2-core machine
    (folder / "werkplaats.txt").write_text(GOOD, encoding="utf-8")
    cfg = make_settings(tmp_path / "store")
    # 4 s: far above what a bomb check takes (0.2 s idle), so a busy machine still finds both bombs.
    env = {**env_for(cfg), "KOERS_INGEST__READ_SECONDS": "4", "COLUMNS": "300"}
    started = time.monotonic()
    result = subprocess.run(
        [*KOERS, "ingest", str(folder), "--school", "tc"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    seconds = time.monotonic() - started
    report = " ".join((result.stdout + result.stderr).split())
    assert result.returncode == 1, report
    assert "bom.docx" in report and "bom.pdf" in report and report.count("pakt uit tot veel meer") == 2
    assert "traag.pdf" in report and "duurde langer dan 4 seconden" in report
    manifest = build_ingestor(cfg).manifest.records(school="tc", origin="docs")
    assert manifest["werkplaats.txt"].status == "ok" and manifest["werkplaats.txt"].chunk_ids
    print(f"koers ingest with two bombs and a slow file: {seconds:.1f} s")  # shown with pytest -s


@pytest.mark.slow
def test_the_api_answers_while_an_upload_is_read_and_refuses_bombs(
    corpus_settings: Settings, embedder: LazyEmbedder, tmp_path: Path
) -> None:
    cfg = make_settings(
        # 6 s of reading: three chats take well under a second each, also on a machine busy with other work.
        tmp_path / "store",
        ingest={"read_seconds": 6},
        api={"keys_path": tmp_path / "k.sqlite"},
    )
    auth = {"Authorization": f"Bearer {ApiKeys(cfg.api.keys_path).create('tc')}"}
    app = build_app(cfg, embedder, service=build_service(corpus_settings, embedder))
    with running_app(app) as url:
        outcome: dict[str, httpx.Response] = {}

        def upload() -> None:
            files = {"file": ("traag.pdf", slow_pdf(6))}  # about 13 s to read on an idle machine
            outcome["slow"] = httpx.post(f"{url}/v1/admin/documents", headers=auth, files=files, timeout=120)

        reading = threading.Thread(target=upload)
        reading.start()
        while not any(cfg.ingest.uploads_dir.glob(".incoming-*")):  # the file is being read now
            time.sleep(0.05)
        answers = [
            httpx.post(f"{url}/v1/chat", json={"message": "wat doet een lasser?"}, timeout=60)
            for _ in range(3)
        ]
        still_reading = reading.is_alive()
        reading.join(timeout=120)
        assert still_reading, "the chats were answered while the upload was being read"
        assert [a.status_code for a in answers] == [200, 200, 200]
        assert outcome["slow"].status_code == 422
        assert "duurde langer dan 6 seconden" in outcome["slow"].json()["error"]["message"]
        for name, data in (("bom.docx", docx_bomb()), ("bom.pdf", pdf_bomb())):
            refused = httpx.post(f"{url}/v1/admin/documents", headers=auth, files={"file": (name, data)})
            assert refused.status_code == 422 and "pakt uit" in refused.json()["error"]["message"], name
        good = httpx.post(
            f"{url}/v1/admin/documents", headers=auth, files={"file": ("hal.txt", GOOD.encode())}
        )
        assert good.status_code == 201, good.text
    assert not any(cfg.ingest.uploads_dir.glob(".incoming-*"))


@pytest.mark.slow
def test_sigterm_stops_the_api_during_an_upload_and_leaves_nothing_behind(
    corpus_settings: Settings, tmp_path: Path
) -> None:
    """On the main of 2026-12-01 the server ignored SIGTERM for 25 s and left an ``.incoming-*`` folder."""
    uploads = tmp_path / "uploads"
    (uploads / ".incoming-leftover").mkdir(parents=True)  # from a server that was killed earlier
    keys_path = tmp_path / "keys.sqlite"
    auth = {"Authorization": f"Bearer {ApiKeys(keys_path).create('tc')}"}
    env = {
        **env_for(corpus_settings),
        "KOERS_INGEST__UPLOADS_DIR": str(uploads),
        "KOERS_INGEST__MANIFEST_PATH": str(tmp_path / "manifest.sqlite"),
        "KOERS_API__KEYS_PATH": str(keys_path),
        "KOERS_INGEST__READ_SECONDS": "120",
    }
    with koers_serve(env) as (url, proc):
        assert not (uploads / ".incoming-leftover").exists(), "cleaned up at start"

        def upload() -> None:
            files = {"file": ("x.pdf", slow_pdf(20))}
            with contextlib.suppress(httpx.HTTPError):  # the server goes away in the middle: expected
                httpx.post(f"{url}/v1/admin/documents", headers=auth, files=files, timeout=300)

        threading.Thread(target=upload, daemon=True).start()
        while not any(uploads.glob(".incoming-*")):
            time.sleep(0.05)
        time.sleep(0.5)  # the worker is reading the file now
        started = time.monotonic()
        proc.terminate()
        proc.wait(timeout=60)
        print(f"SIGTERM to exit during an upload: {time.monotonic() - started:.1f} s")
    assert not any(uploads.glob(".incoming-*"))
