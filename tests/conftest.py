"""Shared fixtures: real settings, the real bundled model, a real Chroma store in a temporary folder."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.adapters import LazyEmbedder, build_embedder
from bot.container import build_service
from bot.core.config import Settings, load_settings
from bot.service import ChatService
from ingest.container import build_ingestor

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


def make_settings(store_dir: Path, **overrides: object) -> Settings:
    """Settings whose store, manifest and uploads all live under ``store_dir``."""
    ingest = {"manifest_path": store_dir / "manifest.sqlite", "uploads_dir": store_dir / "uploads"}
    ingest.update(overrides.pop("ingest", {}))  # type: ignore[call-overload]
    store = {
        "path": store_dir / "chroma",
        "schools_path": store_dir / "schools.sqlite",
        "sentence_vectors_path": store_dir / "sentence_vectors.sqlite",
    }
    return load_settings(store=store, ingest=ingest, corpus_dir=CORPUS, **overrides)


def env_for(settings: Settings) -> dict[str, str]:
    """Environment for a koers subprocess that uses the same store and manifest as ``settings``."""
    return {
        **os.environ,
        "KOERS_STORE__PATH": str(settings.store.path),
        "KOERS_STORE__SCHOOLS_PATH": str(settings.store.schools_path),
        "KOERS_STORE__SENTENCE_VECTORS_PATH": str(settings.store.sentence_vectors_path),
        "KOERS_INGEST__MANIFEST_PATH": str(settings.ingest.manifest_path),
        "KOERS_INGEST__UPLOADS_DIR": str(settings.ingest.uploads_dir),
        "COLUMNS": "200",
    }


@pytest.fixture(scope="session")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> LazyEmbedder:
    """One real model for the whole run (loading it is the slowest step of the suite)."""
    return build_embedder(make_settings(tmp_path_factory.mktemp("unused")))


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory, embedder: LazyEmbedder) -> Settings:
    """Settings whose store holds the whole national corpus, ingested once."""
    cfg = make_settings(tmp_path_factory.mktemp("corpus-store"))
    report = build_ingestor(cfg, embedder).sync(CORPUS)
    assert report.ok, report.failed
    return cfg


@pytest.fixture(scope="session")
def service(corpus_settings: Settings, embedder: LazyEmbedder) -> ChatService:
    return build_service(corpus_settings, embedder)


@pytest.fixture
def store_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "store"
