"""The Chroma adapter: cosine space, exact nearest passages, list fields as list metadata, and stores of an
older Koers still read."""

from __future__ import annotations

from pathlib import Path

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.shared_system_client import SharedSystemClient

from bot.adapters import LazyEmbedder
from bot.adapters.store_chroma import EF_SEARCH, ChromaStore, _KoersEmbeddingFunction
from bot.core.schemas import Chunk
from bot.service import ChatService
from evals.dataset import DEV_FILE, load_dataset

TEXT = "Een lasser verbindt metalen onderdelen met elkaar."


def _close(client: ClientAPI) -> None:
    """Stop a raw client, as the older Koers that wrote the folder would have exited: a client that is only
    deleted stays in Chroma's cache with the database open, and under load Koers then found it locked."""
    client._system.stop()  # type: ignore[attr-defined]
    SharedSystemClient.clear_system_cache()


def _chunk(**fields: object) -> Chunk:
    base: dict[str, object] = {"id": "lasser-1", "doc_id": "lasser", "title": "Lasser", "text": TEXT}
    return Chunk(**(base | fields))  # type: ignore[arg-type]


def test_lists_round_trip_and_the_space_is_cosine(tmp_path: Path, embedder: LazyEmbedder) -> None:
    store = ChromaStore(tmp_path / "chroma", "koers", embedder)
    vector = embedder.embed([TEXT], kind="passage")[0]
    store.upsert(
        [_chunk(labels=["beroep:Lasser", "vmbo:PIE"], leerwegen=["BB", "KB"]), _chunk(id="b")], [vector] * 2
    )
    chunks = {c.id: c for c in store.all_chunks()}
    assert chunks["lasser-1"].labels == ["beroep:Lasser", "vmbo:PIE"] and chunks["lasser-1"].leerwegen == [
        "BB",
        "KB",
    ]
    assert chunks["b"].labels == [] and chunks["b"].leerwegen == []
    assert store.labels() == {"beroep:Lasser", "vmbo:PIE"}
    hit = store.query(vector, top_k=1)[0]
    assert abs(hit.score - 1.0) < 1e-4, "cosine similarity of a vector with itself"
    raw = chromadb.PersistentClient(path=str(tmp_path / "chroma")).get_collection("koers")
    assert raw.configuration["hnsw"]["space"] == "cosine"
    assert raw.get(ids=["lasser-1"])["metadatas"][0]["labels"] == ["beroep:Lasser", "vmbo:PIE"]  # type: ignore[index]


def test_a_store_written_with_joined_lists_is_still_read(tmp_path: Path, embedder: LazyEmbedder) -> None:
    """Koers before 2026-12-02 joined list fields with '|'; such a store needs no new ingest."""
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"))
    old = client.get_or_create_collection("koers", metadata={"hnsw:space": "cosine"}, embedding_function=None)
    old.upsert(
        ids=["lasser-1"],
        embeddings=[list(embedder.embed([TEXT], kind="passage")[0])],  # type: ignore[list-item]
        documents=[TEXT],
        metadatas=[
            {"doc_id": "lasser", "labels": "beroep:Lasser|vmbo:PIE", "leerwegen": "BB|KB", "school": ""}
        ],
    )
    _close(client)
    store = ChromaStore(tmp_path / "chroma", "koers", embedder)
    (chunk,) = store.all_chunks()
    assert chunk.labels == ["beroep:Lasser", "vmbo:PIE"] and chunk.leerwegen == ["BB", "KB"]


def test_every_question_gets_its_exact_nearest_passages(service: ChatService) -> None:
    """Chroma searches a graph, which may skip true neighbours when the similarities lie close together;
    Koers's answers depend on the nearest passages, so the store must return what a full scan returns."""
    store = service.store
    assert isinstance(store, ChromaStore)
    with store._reading() as collection:  # the national corpus's vectors (other tests add schools' own)
        stored = collection.get(where={"school": ""}, include=["embeddings"])
    ids = np.array(stored["ids"])
    vectors = np.asarray(stored["embeddings"], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    questions = [
        case.question for path in (DEV_FILE, DEV_FILE.with_name("test.jsonl")) for case in load_dataset(path)
    ]
    service.retriever.prepare(questions)
    missed = []
    for question in questions:
        vector = service.retriever.vectors.get(question)
        exact = {str(i) for i in ids[np.argsort(-(vectors @ np.asarray(vector, dtype=np.float32)))[:12]]}
        found = {hit.chunk.id for hit in store.query(vector, top_k=12)}
        if found != exact:
            missed.append((question, sorted(exact - found)))
    assert not missed, missed


def test_a_store_made_with_chromas_default_search_width_is_widened(
    tmp_path: Path, embedder: LazyEmbedder
) -> None:
    """Koers before 2026-12-03 made its collection with Chroma's default search width."""
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"))
    client.get_or_create_collection(
        "koers",
        configuration={"hnsw": {"space": "cosine"}},
        embedding_function=_KoersEmbeddingFunction(embedder),  # type: ignore[arg-type]
    )
    _close(client)
    ChromaStore(tmp_path / "chroma", "koers", embedder)
    raw = chromadb.PersistentClient(path=str(tmp_path / "chroma")).get_collection("koers")
    assert raw.configuration["hnsw"]["ef_search"] == EF_SEARCH
