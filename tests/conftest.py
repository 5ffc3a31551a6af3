"""Shared fixtures: real settings, the real bundled model, a real Chroma store in a temporary folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.adapters import LazyEmbedder, build_embedder, build_store
from bot.config import Settings, load_settings
from bot.container import build_service
from bot.service import ChatService
from ingest.pipeline import sync_folder

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


def make_settings(store_dir: Path, **overrides: object) -> Settings:
    return load_settings(store={"path": store_dir}, corpus_dir=CORPUS, **overrides)


@pytest.fixture(scope="session")
def embedder(tmp_path_factory: pytest.TempPathFactory) -> LazyEmbedder:
    """One real model for the whole run (loading it is the slowest step of the suite)."""
    return build_embedder(make_settings(tmp_path_factory.mktemp("unused")))


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory, embedder: LazyEmbedder) -> Settings:
    """Settings whose store holds the whole national corpus, ingested once."""
    cfg = make_settings(tmp_path_factory.mktemp("corpus-store"))
    report = sync_folder(CORPUS, embedder, build_store(cfg, embedder))
    assert report.ok, report.failed
    return cfg


@pytest.fixture(scope="session")
def service(corpus_settings: Settings, embedder: LazyEmbedder) -> ChatService:
    return build_service(corpus_settings, embedder)


@pytest.fixture
def store_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path / "store"
