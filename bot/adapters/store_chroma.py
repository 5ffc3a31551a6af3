"""Chroma adapter for :class:`bot.ports.VectorStore` (embedded ``PersistentClient``, cosine space)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import chromadb
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from bot.errors import StoreError
from bot.ports import Embedder, Vector
from bot.schemas import Chunk, RetrievedChunk

# Chroma metadata values must be scalars, so list fields are joined with this separator.
_LIST_SEP = "|"


@register_embedding_function
class _KoersEmbeddingFunction(EmbeddingFunction[Documents]):
    """Hands Chroma our own embedder, so it never falls back to its default (which downloads a model).

    Koers always passes vectors itself; this function only guards the collection. Rebuilt from its stored
    config (by a tool other than Koers), it has no embedder and says how to open the store instead.
    """

    def __init__(self, embedder: Embedder | None) -> None:
        self._embedder = embedder

    def __call__(self, input: Documents) -> Embeddings:
        import numpy as np

        if self._embedder is None:
            raise StoreError("This collection is embedded by Koers; open it with Koers ('koers ask').")
        return [np.asarray(v, dtype=np.float32) for v in self._embedder.embed(list(input), kind="passage")]

    @staticmethod
    def name() -> str:
        return "koers"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> _KoersEmbeddingFunction:
        return _KoersEmbeddingFunction(None)

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"


def _to_metadata(chunk: Chunk) -> dict[str, str | int]:
    meta: dict[str, str | int] = {
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "heading": chunk.heading,
        "labels": _LIST_SEP.join(chunk.labels),
        "kind": chunk.kind,
        "source": chunk.source,
        "school": chunk.school,
        "origin": chunk.origin,
        "schooljaar": chunk.schooljaar,
        "leerwegen": _LIST_SEP.join(chunk.leerwegen),
    }
    if chunk.page is not None:
        meta["page"] = chunk.page
    return meta


def _visible_to(school: str | None) -> dict[str, Any]:
    """The national corpus (school "") is visible to everyone; a school also sees its own documents."""
    return {"school": {"$in": [""] if not school else ["", school]}}


def _from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    labels = str(meta.get("labels", ""))
    return Chunk(
        id=chunk_id,
        doc_id=str(meta.get("doc_id", "")),
        title=str(meta.get("title", "")),
        heading=str(meta.get("heading", "")),
        text=text,
        labels=[label for label in labels.split(_LIST_SEP) if label],
        kind=str(meta.get("kind", "")),
        source=str(meta.get("source", "")),
        school=str(meta.get("school", "")),
        origin=str(meta.get("origin", "")),
        page=int(meta["page"]) if "page" in meta else None,
        schooljaar=str(meta.get("schooljaar", "")),
        leerwegen=[lw for lw in str(meta.get("leerwegen", "")).split(_LIST_SEP) if lw],
    )


class ChromaStore:
    def __init__(self, path: Path, collection: str, embedder: Embedder) -> None:
        try:
            path.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(
                path=str(path), settings=chromadb.config.Settings(anonymized_telemetry=False)
            )
            self._collection = self._client.get_or_create_collection(
                name=collection,
                embedding_function=_KoersEmbeddingFunction(embedder),  # type: ignore[arg-type]
                metadata={"hnsw:space": "cosine"},
            )
        except Exception as exc:  # chromadb raises many unrelated types for a broken folder
            raise StoreError(
                f"Cannot open the vector store at {path}: {exc}. "
                "Remove the folder and run 'koers ingest' again."
            ) from exc

    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Vector]) -> None:
        if not chunks:
            return
        self._collection.upsert(
            ids=[c.id for c in chunks],
            embeddings=[list(v) for v in vectors],  # type: ignore[arg-type]
            documents=[c.text for c in chunks],
            metadatas=[_to_metadata(c) for c in chunks],
        )

    def query(
        self,
        vector: Vector,
        *,
        top_k: int,
        school: str | None = None,
        kinds: Sequence[str] | None = None,
        docs: Sequence[str] | None = None,
    ) -> list[RetrievedChunk]:
        filters: list[dict[str, Any]] = [_visible_to(school)]
        if kinds:
            filters.append({"kind": {"$in": list(kinds)}})
        if docs:
            filters.append({"doc_id": {"$in": list(docs)}})
        where: dict[str, Any] = filters[0] if len(filters) == 1 else {"$and": filters}
        result = self._collection.query(
            query_embeddings=[vector],  # type: ignore[arg-type]
            n_results=top_k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        ids = result["ids"][0]
        docs = (result.get("documents") or [[]])[0]
        metas = (result.get("metadatas") or [[]])[0]
        dists = (result.get("distances") or [[]])[0]
        return [
            RetrievedChunk(chunk=_from_record(i, d or "", dict(m or {})), score=1.0 - float(dist))
            for i, d, m, dist in zip(ids, docs, metas, dists, strict=True)
        ]

    def delete(self, chunk_ids: Sequence[str]) -> None:
        if chunk_ids:
            self._collection.delete(ids=list(chunk_ids))

    def chunk_ids(self, *, school: str, origin: str) -> set[str]:
        where = {"$and": [{"school": school}, {"origin": origin}]}
        return set(self._collection.get(where=where, include=[])["ids"])  # type: ignore[arg-type]

    def existing(self, chunk_ids: Sequence[str]) -> set[str]:
        if not chunk_ids:
            return set()
        return set(self._collection.get(ids=list(chunk_ids), include=[])["ids"])

    def count(self) -> int:
        return int(self._collection.count())

    def labels(self) -> set[str]:
        metas = self._collection.get(include=["metadatas"])["metadatas"] or []
        return {label for m in metas for label in str(m.get("labels", "")).split(_LIST_SEP) if label}

    def document_chunks(self, doc_id: str, *, school: str | None = None) -> list[Chunk]:
        where = {"$and": [{"doc_id": doc_id}, _visible_to(school)]}
        return self._chunks(where)

    def all_chunks(self) -> list[Chunk]:
        return self._chunks(None)

    def _chunks(self, where: dict[str, Any] | None) -> list[Chunk]:
        result = self._collection.get(where=where, include=["documents", "metadatas"])
        docs = result.get("documents") or []
        metas = result.get("metadatas") or []
        chunks = [
            _from_record(i, d or "", dict(m or {}))
            for i, d, m in zip(result["ids"], docs, metas, strict=True)
        ]
        return sorted(chunks, key=lambda c: c.id)
