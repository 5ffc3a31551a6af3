"""Dense retrieval: build the search query from the conversation, then ask the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.ports import Embedder, VectorStore
from bot.schemas import Message, RetrievedChunk

# A follow-up this short ("en met basis?") means little on its own; it leans on the previous question.
FOLLOW_UP_MAX_WORDS = 6


def search_query(message: str, history: Sequence[Message]) -> str:
    """The text to embed: the message, plus the previous user turn when the message is a short follow-up."""
    earlier = [m.content for m in history if m.role == "user"]
    if earlier and len(message.split()) <= FOLLOW_UP_MAX_WORDS:
        return f"{earlier[-1]} {message}"
    return message


@dataclass
class Retriever:
    embedder: Embedder
    store: VectorStore
    top_k: int
    min_score: float

    def retrieve(self, query: str, *, school: str | None = None) -> list[RetrievedChunk]:
        """Passages for ``query``, best first, without those too far from it to be trusted."""
        vector = self.embedder.embed([query], kind="query")[0]
        hits = self.store.query(vector, top_k=self.top_k, school=school)
        return [hit for hit in hits if hit.score >= self.min_score]
