"""sentence-transformers adapter for :class:`bot.core.ports.Embedder`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.core.errors import ModelError
from bot.core.ports import Vector

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


class SentenceTransformerEmbedder:
    """Embeds with a local or named sentence-transformers model, adding e5-style prompts."""

    def __init__(
        self,
        model_ref: str,
        *,
        query_prompt: str,
        passage_prompt: str,
        batch_size: int = 32,
        device: str = "cpu",
    ) -> None:
        from sentence_transformers import SentenceTransformer

        try:
            self._model: SentenceTransformer = SentenceTransformer(model_ref, device=device)
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"Het taalmodel '{model_ref}' laadt niet: {exc}. Kijk met 'koers models' wat er is "
                "geïnstalleerd, of bouw het meegeleverde model met 'make model'."
            ) from exc
        self.model_ref = model_ref
        self._prompts = {"query": query_prompt, "passage": passage_prompt}
        self._batch_size = batch_size

    @property
    def model(self) -> SentenceTransformer:
        """The vendor model itself, for benchmarks that compare against a raw ``encode``."""
        return self._model

    def embed(self, texts: Sequence[str], *, kind: str) -> list[Vector]:
        if not texts:
            return []
        vectors = self._model.encode(
            list(texts),
            prompt=self._prompts[kind],
            batch_size=self._batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return [[float(x) for x in row] for row in vectors]
