"""The systems an eval compares, all answering from the same chunks: Koers and two baselines.

- ``koers``: the real ChatService (retrieval, routes, composer).
- ``bm25``: bm25s with Dutch stopwords and the Snowball stemmer; the answer is the top 3 chunks.
- ``dense-naive``: the tutorial RAG, LangChain's Chroma ``similarity_search(k=4)`` with the same embedding
  model; the answer is the top chunk.
Baselines have no route logic: their routes are the labels of the chunks they return, in rank order.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from bot.adapters.bm25 import LexicalIndex
from bot.core.ports import Embedder
from bot.core.schemas import Chunk, Citation, Message
from bot.service import ChatService
from evals.dataset import EvalCase


@dataclass
class SystemOutput:
    text: str
    citations: list[Citation]
    routes: list[str]
    retrieved: list[Chunk]  # ranked; what the answer could draw on
    latency_ms: float
    policy: str = ""  # the guardrail that shaped the answer (Koers only; baselines have none)
    policy_certain: bool = True  # False: likely-but-uncertain care, the answer still helps
    previous: str = ""  # the answer before this one in the conversation, as the system saw it


class System(Protocol):
    name: str

    def run(self, case: EvalCase) -> SystemOutput: ...


def _labels_in_order(chunks: Sequence[Chunk]) -> list[str]:
    seen: dict[str, None] = {}
    for chunk in chunks:
        for label in chunk.labels:
            seen.setdefault(label, None)
    return list(seen)


def _chunk_answer(chunks: Sequence[Chunk], started: float) -> SystemOutput:
    citations = [
        Citation(number=i, chunk_id=c.id, doc_id=c.doc_id, title=c.title, quote=c.text, source=c.source)
        for i, c in enumerate(chunks, start=1)
    ]
    return SystemOutput(
        text="\n\n".join(c.text for c in chunks),
        citations=citations,
        routes=_labels_in_order(chunks),
        retrieved=list(chunks),
        latency_ms=(time.perf_counter() - started) * 1000,
    )


class KoersSystem:
    """The real ChatService. With ``replay``, the earlier assistant turns of a case are Koers's own answers to
    the earlier student turns, not the set's written ones: a follow-up then leans on what Koers really said,
    and whether it repeats itself can be measured."""

    name = "koers"

    def __init__(self, service: ChatService, *, replay: bool = False) -> None:
        self._service = service
        self._replay = replay

    def _history(self, case: EvalCase) -> list[Message]:
        if not self._replay:
            return list(case.history)
        history: list[Message] = []
        for message in case.history:
            if message.role == "user":
                said = self._service.answer(message.content, history).text
                history += [message, Message(role="assistant", content=said)]
        return history

    def run(self, case: EvalCase) -> SystemOutput:
        history = self._history(case)
        started = time.perf_counter()
        turn = self._service.respond(case.question, history)
        latency = (time.perf_counter() - started) * 1000
        answer = turn.answer
        return SystemOutput(
            text=answer.text,
            citations=answer.citations,
            routes=answer.routes,
            retrieved=[hit.chunk for hit in turn.hits],
            latency_ms=latency,
            policy=answer.policy,
            policy_certain=answer.policy_certain,
            previous=next((m.content for m in reversed(history) if m.role == "assistant"), ""),
        )


class Bm25System:
    name = "bm25"
    answer_chunks = 3
    retrieve_k = 5

    def __init__(self, chunks: Sequence[Chunk]) -> None:
        self._chunks = {chunk.id: chunk for chunk in chunks}
        self._index = LexicalIndex(chunks)

    def run(self, case: EvalCase) -> SystemOutput:
        started = time.perf_counter()
        ranked = [self._chunks[chunk_id] for chunk_id in self._index.top(case.question, self.retrieve_k)]
        output = _chunk_answer(ranked[: self.answer_chunks], started)
        output.retrieved = ranked
        return output


class _LangChainEmbeddings:
    """LangChain's Embeddings interface over our embedder (same model and prompts as Koers)."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._embedder.embed(texts, kind="passage")

    def embed_query(self, text: str) -> list[float]:
        return self._embedder.embed([text], kind="query")[0]


class DenseNaiveSystem:
    name = "dense-naive"
    k = 4

    def __init__(self, chunks: Sequence[Chunk], embedder: Embedder) -> None:
        import chromadb
        from langchain_chroma import Chroma

        client = chromadb.EphemeralClient(settings=chromadb.config.Settings(anonymized_telemetry=False))
        self._store = Chroma(
            collection_name="dense_naive",
            embedding_function=_LangChainEmbeddings(embedder),  # type: ignore[arg-type]
            client=client,
            collection_metadata={"hnsw:space": "cosine"},
        )
        self._by_id = {c.id: c for c in chunks}
        self._store.add_texts(
            texts=[c.text for c in chunks],
            metadatas=[{"chunk_id": c.id} for c in chunks],
            ids=list(self._by_id),
        )

    def run(self, case: EvalCase) -> SystemOutput:
        started = time.perf_counter()
        docs = self._store.similarity_search(case.question, k=self.k)
        ranked = [self._by_id[str(d.metadata["chunk_id"])] for d in docs]
        output = _chunk_answer(ranked[:1], started)
        output.routes = _labels_in_order(ranked)
        output.retrieved = ranked
        return output
