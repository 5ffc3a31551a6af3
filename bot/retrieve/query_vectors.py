"""Query vectors, embedded in one batch and kept for a while: one answer embeds the message, its windows,
the earlier messages and the search queries, and the next turn asks for most of them again."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.ports import Embedder, Vector

CACHE_SIZE = 256


@dataclass
class QueryVectors:
    embedder: Embedder
    size: int = CACHE_SIZE
    _vectors: OrderedDict[str, Vector] = field(default_factory=OrderedDict, init=False, repr=False)

    def prepare(self, texts: Sequence[str]) -> None:
        """Embed those of ``texts`` not cached yet, in one model call (much cheaper than one call each)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for text, vector in zip(missing, self.embedder.embed(missing, kind="query"), strict=True):
                self._vectors[text] = vector
        for text in texts:
            self._vectors.move_to_end(text)
        while len(self._vectors) > self.size:
            self._vectors.popitem(last=False)

    def get(self, text: str) -> Vector:
        self.prepare([text])
        return self._vectors[text]

    def many(self, texts: Sequence[str]) -> list[Vector]:
        self.prepare(texts)
        return [self._vectors[t] for t in texts]
