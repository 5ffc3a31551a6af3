"""Query vectors, embedded in one batch and kept for a while: one answer embeds the message, its windows,
the earlier messages and the search queries, and the next turn asks for most of them again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from cachetools import LRUCache

from bot.core.ports import Embedder, Vector

CACHE_SIZE = 256


@dataclass
class QueryVectors:
    embedder: Embedder
    size: int = CACHE_SIZE
    _vectors: LRUCache[str, Vector] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._vectors = LRUCache(maxsize=self.size)

    def prepare(self, texts: Sequence[str]) -> None:
        """Embed those of ``texts`` not cached yet, in one model call (much cheaper than one call each)."""
        self.many(texts)

    def get(self, text: str) -> Vector:
        return self.many([text])[0]

    def many(self, texts: Sequence[str]) -> list[Vector]:
        """The vectors of ``texts``: cached ones (now the most recently used), the rest in one model call."""
        found = {t: self._vectors[t] for t in dict.fromkeys(texts) if t in self._vectors}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            for text, vector in zip(missing, self.embedder.embed(missing, kind="query"), strict=True):
                found[text] = self._vectors[text] = vector
        return [found[t] for t in texts]
