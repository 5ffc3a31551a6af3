"""BM25 over the stored passages, to add exact-word evidence to dense retrieval (optional).

Dense retrieval finds passages that mean the same; BM25 rewards the student's own rare words ("woonrijp",
"BBL", a crebo-free opleiding name). ``Retriever`` mixes the two within the dense candidates with the weight
``retrieval.bm25_weight``; 0 turns BM25 off. The weight is chosen with ``koers eval`` (evals/README.md). The
``bm25`` baseline of ``koers eval`` ranks with the same index.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.schemas import Chunk


class LexicalIndex:
    """BM25 (bm25s) with Dutch stopwords and the Snowball stemmer; scores scaled to 0..1 per query."""

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        import bm25s
        import Stemmer

        self._stemmer = Stemmer.Stemmer("dutch")
        self._ids = [chunk.id for chunk in chunks]
        self._bm25 = bm25s.BM25()
        if chunks:
            texts = [f"{chunk.title}\n{chunk.heading}\n{chunk.text}" for chunk in chunks]
            self._bm25.index(self._tokenize(texts, as_ids=True), show_progress=False)

    def _tokenize(self, texts: list[str], *, as_ids: bool) -> Any:
        import bm25s

        return bm25s.tokenize(
            texts, stopwords="nl", stemmer=self._stemmer, return_ids=as_ids, show_progress=False
        )

    def scores(self, query: str) -> dict[str, float]:
        """Each passage's BM25 score for ``query`` divided by the best one (0 when no word matches)."""
        tokens = self._tokenize([query], as_ids=False)[0] if self._ids else []
        if not tokens:
            return {}
        raw = self._bm25.get_scores(tokens)
        top = float(raw.max())
        if top <= 0:
            return {}
        return {
            chunk_id: float(score) / top for chunk_id, score in zip(self._ids, raw, strict=True) if score > 0
        }

    def top(self, query: str, k: int) -> list[str]:
        """Ids of the ``k`` best-scoring passages that share a word with ``query``, best first (bm25s's own
        top-k, so ties rank as bm25s ranks them)."""
        k = min(k, len(self._ids))
        if not k:
            return []
        results, scores = self._bm25.retrieve(self._tokenize([query], as_ids=True), k=k, show_progress=False)
        return [self._ids[int(i)] for i, score in zip(results[0], scores[0], strict=True) if score > 0]
