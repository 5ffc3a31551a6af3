"""Build an Ingestor from settings (the ingest side of the composition root)."""

from __future__ import annotations

from bot.adapters import build_embedder, build_store
from bot.core.config import Settings
from bot.core.ports import Embedder
from bot.understand.detectors import Detectors, load_detectors
from ingest.isolation import IsolatedReader, ReadLimits
from ingest.manifest import Manifest
from ingest.pipeline import Ingestor
from ingest.protect import ProtectedFacts
from ingest.split import Chunking


def build_ingestor(
    settings: Settings, embedder: Embedder | None = None, detectors: Detectors | None = None
) -> Ingestor:
    """Pass ``embedder`` and ``detectors`` to share what a service in the same process already loaded."""
    embedder = embedder or build_embedder(settings)
    cfg = settings.ingest
    store = build_store(settings, embedder)
    protector = ProtectedFacts.from_detectors(embedder, detectors or load_detectors(settings, embedder))
    return Ingestor(
        embedder=embedder,
        store=store,
        protector=protector,
        manifest=Manifest(cfg.manifest_path),
        chunking=Chunking(chunk_chars=cfg.chunk_chars, overlap_chars=cfg.overlap_chars),
        reader=reader_for(settings),
        batch_size=settings.embedding.batch_size,
    )


def reader_for(settings: Settings) -> IsolatedReader:
    """The bounded file reader with the configured limits."""
    cfg = settings.ingest
    return IsolatedReader(
        ReadLimits(
            seconds=cfg.read_seconds,
            memory_mb=cfg.read_memory_mb,
            max_bytes=int(cfg.max_file_mb * 1024 * 1024),
            max_chars=cfg.max_chars,
            max_unpacked_bytes=int(cfg.max_unpacked_mb * 1024 * 1024),
        )
    )
