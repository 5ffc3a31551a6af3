"""Shared fixtures: real settings, the real bundled model, a real Chroma store in a temporary folder."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from bot.adapters import LazyEmbedder, build_embedder
from bot.container import build_service
from bot.core.config import Settings, load_settings
from bot.service import ChatService
from ingest.container import build_ingestor

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"
# Rich reads the terminal width once, when a console is made (at the first import of ``koers``): wide enough
# that no message a test looks for is wrapped, whichever test imports it first.
os.environ.setdefault("COLUMNS", "200")


def make_settings(store_dir: Path, **overrides: object) -> Settings:
    """Settings whose store, manifest and uploads all live under ``store_dir``."""
    ingest = {"manifest_path": store_dir / "manifest.sqlite", "uploads_dir": store_dir / "uploads"}
    ingest.update(overrides.pop("ingest", {}))  # type: ignore[call-overload]
    store = {
        "path": store_dir / "chroma",
        "schools_path": store_dir / "schools.sqlite",
        "sentence_vectors_path": store_dir / "sentence_vectors.sqlite",
    }
    overrides.setdefault("corpus_dir", CORPUS)
    overrides.setdefault("database_url", f"sqlite:///{store_dir / 'koers.sqlite'}")
    return load_settings(store=store, ingest=ingest, **overrides)


def copy_corpus(dest: Path, documents: Iterable[str]) -> Path:
    """A small national corpus in ``dest``: the given documents of ``corpus/`` (paths relative to it) and the
    route graph. Tests that ingest or embed a whole corpus take minutes; most need a handful of documents."""
    for name in documents:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(CORPUS / name, dest / name)
    shutil.copy(CORPUS / "routes.yaml", dest / "routes.yaml")
    return dest


def env_for(settings: Settings) -> dict[str, str]:
    """Environment for a koers subprocess that uses the same store and manifest as ``settings``."""
    return {
        **os.environ,
        "KOERS_STORE__PATH": str(settings.store.path),
        "KOERS_STORE__SCHOOLS_PATH": str(settings.store.schools_path),
        "KOERS_STORE__SENTENCE_VECTORS_PATH": str(settings.store.sentence_vectors_path),
        "KOERS_INGEST__MANIFEST_PATH": str(settings.ingest.manifest_path),
        "KOERS_INGEST__UPLOADS_DIR": str(settings.ingest.uploads_dir),
        "KOERS_CORPUS_DIR": str(settings.corpus_dir),
        "COLUMNS": "200",
    }


def koers_cli(settings: Settings, *args: str, **env: str) -> Result:
    """``koers ARGS`` run in-process with Typer's runner, on the store of ``settings``; ``env`` adds settings
    (``KOERS_...``) for this call only. Output is in ``.stdout`` and ``.stderr``, the exit code in
    ``.exit_code``."""
    from koers.cli import app

    return CliRunner().invoke(app, list(args), env={**env_for(settings), **env})


@pytest.fixture(scope="session")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> LazyEmbedder:
    """One real model for the whole run (loading it is the slowest step of the suite)."""
    return build_embedder(make_settings(tmp_path_factory.mktemp("unused")))


# What the ingested national corpus depends on: a change to any of these ingests it again.
_STORE_INPUTS = [
    CORPUS,
    REPO / "ingest",
    *(REPO / "bot" / room for room in ("adapters", "core", "understand")),
]
STORE_CACHE = REPO / ".koers" / "test-corpus-store"


def _inputs_key(settings: Settings) -> str:
    # Where the manifest and uploads live differs per run (a temporary folder); it changes no stored passage.
    ingest = settings.ingest.model_dump_json(exclude={"manifest_path", "uploads_dir"})
    digest = hashlib.sha256(f"{settings.embedding.model}|{ingest}".encode())
    for root in _STORE_INPUTS:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(str(path.relative_to(REPO)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory, embedder: LazyEmbedder) -> Settings:
    """Settings whose store holds the whole national corpus, ingested once.

    The ingested store is kept in ``.koers/test-corpus-store`` (outside git) under a key of everything it
    depends on (the corpus, the ingest code, the adapters, the settings), and each run starts from a copy:
    on a machine that ran the tests before, this saves the ingest (about 45 s on 2 cores); a clean clone
    ingests as before. Tests may write into their copy; the kept store is never written after it is made.
    """
    store_dir = tmp_path_factory.mktemp("corpus-store")
    cfg = make_settings(store_dir)
    cached = STORE_CACHE / _inputs_key(cfg)
    if cached.is_dir():
        shutil.copytree(cached, store_dir, dirs_exist_ok=True)
        return cfg
    report = build_ingestor(cfg, embedder).sync(CORPUS)
    assert report.ok, report.failed
    shutil.rmtree(STORE_CACHE, ignore_errors=True)  # only the newest key is kept
    partial = STORE_CACHE.with_name(f"{STORE_CACHE.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    shutil.copytree(store_dir, partial / cached.name)
    partial.rename(STORE_CACHE)  # whole or not at all: a crash mid-copy leaves no half store behind
    return cfg


@pytest.fixture(scope="session")
def service(corpus_settings: Settings, embedder: LazyEmbedder) -> ChatService:
    return build_service(corpus_settings, embedder)


@pytest.fixture
def store_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "store"
