"""Chroma adapter for :class:`bot.core.ports.VectorStore` (embedded ``PersistentClient``, cosine space set
in the collection's configuration; label and leerweg lists stored as list metadata).

One writer, many readers, in several processes. The API reads the store while ``koers ingest`` may write it
from another process. An embedded Chroma client keeps its vector index in memory and never sees another
process's writes: its answers then name passages that no longer exist ("Error finding id"). So every store
folder has a lock file and a generation file (see :class:`_Folder`): a write holds the lock exclusively and
gives the folder a new generation; a read holds it shared and, when the generation is not the one its
client saw, first opens a fresh client. Nothing is handed between processes; each notices on its own.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

import chromadb
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.shared_system_client import SharedSystemClient
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Metadata
from chromadb.utils.embedding_functions import register_embedding_function

from bot.core.errors import StoreError
from bot.core.ports import Embedder, Vector
from bot.core.schemas import Chunk, RetrievedChunk

# Stores written before list metadata joined list fields with this separator; they are still read.
_OLD_LIST_SEP = "|"

# How widely Chroma's HNSW graph search looks for the nearest passages. The graph trades exactness for speed
# on millions of vectors; Koers stores a few thousand passages, and the e5 similarities of one question to
# them lie close together (mostly 0.80-0.85), where a graph search loses true neighbours. With Chroma's
# default of 100, 6 of the 364 questions of the dev, test and follow-up sets missed one of their 12 nearest
# passages, even when 60 were asked for: "moet je dan zelf gereedschap en werkkleren kopen?" never got the
# only passage about the other costs of an opleiding, its second nearest. With 1000 every one of them gets
# exactly its nearest passages (checked against a full scan, 2026-12-03); at this size the search then costs
# about what a full scan does.
EF_SEARCH = 1000
_CONFIGURATION = {"hnsw": {"space": "cosine", "ef_search": EF_SEARCH}}


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
            raise StoreError("Deze verzameling is door Koers gemaakt; open haar met Koers ('koers ask').")
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


def _to_metadata(chunk: Chunk) -> Metadata:
    meta: dict[str, Any] = {
        "doc_id": chunk.doc_id,
        "title": chunk.title,
        "heading": chunk.heading,
        "kind": chunk.kind,
        "source": chunk.source,
        "school": chunk.school,
        "origin": chunk.origin,
        "schooljaar": chunk.schooljaar,
        "url": chunk.url,
    }
    if chunk.page is not None:
        meta["page"] = chunk.page
    # Lists are stored as lists (Chroma filters them with $contains); Chroma refuses an empty list, so an
    # empty field is left out.
    if chunk.labels:
        meta["labels"] = list(chunk.labels)
    if chunk.leerwegen:
        meta["leerwegen"] = list(chunk.leerwegen)
    return meta


def _as_list(value: Any) -> list[str]:
    """A list field as stored now (a list) or by an older Koers (joined with '|')."""
    if isinstance(value, list):
        return [str(item) for item in value]
    return [item for item in str(value or "").split(_OLD_LIST_SEP) if item]


def _visible_to(school: str | None) -> dict[str, Any]:
    """The national corpus (school "") is visible to everyone; a school also sees its own documents."""
    return {"school": {"$in": [""] if not school else ["", school]}}


def _from_record(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    return Chunk(
        id=chunk_id,
        doc_id=str(meta.get("doc_id", "")),
        title=str(meta.get("title", "")),
        heading=str(meta.get("heading", "")),
        text=text,
        labels=_as_list(meta.get("labels")),
        kind=str(meta.get("kind", "")),
        source=str(meta.get("source", "")),
        school=str(meta.get("school", "")),
        origin=str(meta.get("origin", "")),
        page=int(meta["page"]) if "page" in meta else None,
        schooljaar=str(meta.get("schooljaar", "")),
        leerwegen=_as_list(meta.get("leerwegen")),
        url=str(meta.get("url", "")),
    )


Generation = tuple[int, int]  # (inode, mtime in ns) of the generation file; a new file on every write


def _is_locked(exc: BaseException) -> bool:
    return "database is locked" in str(exc)


class _Folder:
    """One Chroma client per store folder in this process, shared by every :class:`ChromaStore` on it (the
    API's service and its upload ingestor), and opened again when another process has written."""

    _open: ClassVar[dict[Path, _Folder]] = {}
    _open_lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock_file = path / "koers-write.lock"
        self._generation_file = path / "koers-generation"
        self._reopen = threading.Lock()
        self._client: ClientAPI | None = None
        self._seen: Generation | None = None
        self._collections: dict[str, Collection] = {}

    @classmethod
    def at(cls, path: Path) -> _Folder:
        path = path.resolve()
        with cls._open_lock:
            if path not in cls._open:
                path.mkdir(parents=True, exist_ok=True)
                cls._open[path] = _Folder(path)
            return cls._open[path]

    def _generation(self) -> Generation | None:
        try:
            stat = self._generation_file.stat()
        except FileNotFoundError:
            return None
        return stat.st_ino, stat.st_mtime_ns

    def _fresh_client(self) -> ClientAPI:
        if self._client is not None:
            # Forget Chroma's shared system for this folder, so the next client reads the folder from disk.
            # The old one is not stopped: no query can be running on it (see reading()/writing()).
            SharedSystemClient._identifier_to_system.pop(str(self.path), None)
            SharedSystemClient._identifier_to_refcount.pop(str(self.path), None)
            self._collections.clear()
        return chromadb.PersistentClient(
            path=str(self.path), settings=chromadb.config.Settings(anonymized_telemetry=False)
        )

    def _current(self, name: str, embedder: Embedder) -> Collection:
        with self._reopen:
            generation = self._generation()
            if self._client is None or generation != self._seen:
                self._client = self._fresh_client()
                self._seen = generation
            if name not in self._collections:
                self._collections[name] = self._client.get_or_create_collection(
                    name=name,
                    embedding_function=_KoersEmbeddingFunction(embedder),  # type: ignore[arg-type]
                    configuration=_CONFIGURATION,  # type: ignore[arg-type]
                )
            return self._collections[name]

    @contextmanager
    def _locked(self, mode: int) -> Iterator[None]:
        # flock is per open file, so each use opens the lock file: threads of one process exclude each
        # other exactly as processes do.
        with self._lock_file.open("a") as handle:
            fcntl.flock(handle, mode)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @contextmanager
    def reading(self, name: str, embedder: Embedder) -> Iterator[Collection]:
        with self._locked(fcntl.LOCK_SH):
            yield self._current(name, embedder)

    @contextmanager
    def writing(self, name: str, embedder: Embedder) -> Iterator[Collection]:
        with self._locked(fcntl.LOCK_EX):
            try:
                yield self._current(name, embedder)
            finally:  # also after a failed write: part of it may have been stored
                with self._reopen:
                    temporary = self._generation_file.with_suffix(f".{uuid.uuid4().hex}")
                    temporary.write_text(uuid.uuid4().hex)
                    os.replace(temporary, self._generation_file)
                    self._seen = self._generation()  # our own write: this client has seen it

    def generation(self) -> Generation | None:
        return self._generation()

    def search_widely(self, name: str, embedder: Embedder) -> None:
        """Make the collection search as widely as :data:`EF_SEARCH` says. A store made before that setting
        keeps Chroma's default (opening a collection does not change its configuration): its search width is
        raised once, as a write, so that every process opens it afresh."""
        with self.reading(name, embedder) as collection:
            if (collection.configuration.get("hnsw") or {}).get("ef_search", 0) >= EF_SEARCH:
                return
        with self.writing(name, embedder) as collection:
            collection.modify(configuration={"hnsw": {"ef_search": EF_SEARCH}})


# A folder that another process (or a client that has not let go yet) is writing answers "database is
# locked" for a moment. Opening waits for it this many times, LOCKED_WAIT_S apart, before it gives up: the
# clean-clone test run found the lock under load right after a test's own client wrote the folder.
LOCKED_TRIES = 20
LOCKED_WAIT_S = 0.25


class ChromaStore:
    def __init__(self, path: Path, collection: str, embedder: Embedder) -> None:
        self._name = collection
        self._embedder = embedder
        try:
            self._folder = _Folder.at(path)
            # Open it now: a broken folder is reported at start, not at the first question.
            self._open(collection, embedder)
        except Exception as exc:  # chromadb raises many unrelated types for a broken folder
            if _is_locked(exc):
                raise StoreError(
                    f"De zoekindex in {path} is bezet door een ander programma. "
                    "Wacht tot dat klaar is (bijvoorbeeld 'koers ingest') en start Koers opnieuw."
                ) from exc
            raise StoreError(
                f"De zoekindex in {path} gaat niet open: {exc}. "
                "Verwijder de map en voer 'koers ingest' opnieuw uit."
            ) from exc

    def _open(self, collection: str, embedder: Embedder) -> None:
        for attempt in range(LOCKED_TRIES):
            try:
                self._folder.search_widely(collection, embedder)
                return
            except Exception as exc:
                if not _is_locked(exc) or attempt == LOCKED_TRIES - 1:
                    raise
                time.sleep(LOCKED_WAIT_S)

    def _reading(self) -> contextlib.AbstractContextManager[Collection]:
        return self._folder.reading(self._name, self._embedder)

    def _writing(self) -> contextlib.AbstractContextManager[Collection]:
        return self._folder.writing(self._name, self._embedder)

    def version(self) -> str:
        """Changes with every write to the store, by this process or another one."""
        return str(self._folder.generation())

    def upsert(self, chunks: Sequence[Chunk], vectors: Sequence[Vector]) -> None:
        if not chunks:
            return
        with self._writing() as collection:
            collection.upsert(
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
        with self._reading() as collection:
            result = collection.query(
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
            with self._writing() as collection:
                collection.delete(ids=list(chunk_ids))

    def chunk_ids(self, *, school: str, origin: str) -> set[str]:
        where = {"$and": [{"school": school}, {"origin": origin}]}
        with self._reading() as collection:
            return set(collection.get(where=where, include=[])["ids"])  # type: ignore[arg-type]

    def existing(self, chunk_ids: Sequence[str]) -> set[str]:
        if not chunk_ids:
            return set()
        with self._reading() as collection:
            return set(collection.get(ids=list(chunk_ids), include=[])["ids"])

    def count(self) -> int:
        with self._reading() as collection:
            return int(collection.count())

    def labels(self) -> set[str]:
        with self._reading() as collection:
            metas = collection.get(include=["metadatas"])["metadatas"] or []
        return {label for m in metas for label in _as_list(m.get("labels"))}

    def document_chunks(self, doc_id: str, *, school: str | None = None) -> list[Chunk]:
        where = {"$and": [{"doc_id": doc_id}, _visible_to(school)]}
        return self._chunks(where)

    def chunks_of_kind(self, kind: str, *, school: str | None = None) -> list[Chunk]:
        return self._chunks({"$and": [{"kind": kind}, _visible_to(school)]})

    def all_chunks(self, *, kind: str | None = None) -> list[Chunk]:
        return self._chunks(None if kind is None else {"kind": kind})

    def _chunks(self, where: dict[str, Any] | None) -> list[Chunk]:
        with self._reading() as collection:
            result = collection.get(where=where, include=["documents", "metadatas"])
        docs = result.get("documents") or []
        metas = result.get("metadatas") or []
        chunks = [
            _from_record(i, d or "", dict(m or {}))
            for i, d, m in zip(result["ids"], docs, metas, strict=True)
        ]
        return sorted(chunks, key=lambda c: c.id)
