"""Incremental, crash-safe ingest of a folder: only new or changed files are read, only new text is embedded.

Per file, in this order: load and split; embed and upsert the chunks the store lacks; delete the file's
chunks that are no longer produced; then record the file in the manifest. A crash at any point leaves the
store answering (old chunks are removed only after new ones are stored), and the next run converges to
the state of a clean ingest: a file is reprocessed unless the manifest and the store both agree it is
current, and chunks no manifest row accounts for are removed at the end.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bot.errors import DocumentError
from bot.ports import Embedder, VectorStore
from bot.schemas import Chunk
from ingest.loaders import load_file
from ingest.manifest import FileRecord, Manifest
from ingest.split import Chunking, embedding_text, split_file

Status = Literal["added", "updated", "unchanged", "deleted", "failed"]
# Folder documentation and the route graph live beside the documents but are not documents.
IGNORED_NAMES = frozenset({"README.md", "routes.yaml"})


@dataclass(frozen=True)
class IngestProgress:
    files_done: int
    files_total: int
    chunks_embedded: int


ProgressFn = Callable[[IngestProgress], None]


@dataclass(frozen=True)
class FileOutcome:
    source: str
    status: Status
    chunks: int = 0
    reason: str = ""


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    chunks_embedded: int = 0
    chunks_deleted: int = 0
    seconds: float = 0.0

    def count(self, status: Status) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def failed(self) -> list[tuple[str, str]]:
        return [(o.source, o.reason) for o in self.outcomes if o.status == "failed"]

    @property
    def ok(self) -> bool:
        return not self.failed

    @property
    def changed(self) -> bool:
        return bool(self.chunks_embedded or self.chunks_deleted or self.failed)


def list_files(root: Path) -> list[Path]:
    """Every file under ``root`` except hidden ones, office lock files and the folder's own documentation."""
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
        and not p.name.startswith("~$")
        and p.name not in IGNORED_NAMES
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def plan_chunks(
    root: Path, *, school: str = "", origin: str | None = None, chunking: Chunking | None = None
) -> tuple[list[Chunk], list[tuple[str, str]]]:
    """All chunks a clean ingest of ``root`` would store, and the files that fail (no store, no manifest)."""
    origin = origin or root.resolve().name
    chunks: list[Chunk] = []
    failed: list[tuple[str, str]] = []
    seen: set[str] = set()
    for path in list_files(root):
        source = path.relative_to(root).as_posix()
        try:
            loaded = load_file(path, root, school=school)
        except DocumentError as exc:
            failed.append((source, exc.message))
            continue
        if loaded.meta.id in seen:
            failed.append((source, f"id '{loaded.meta.id}' is used by another document"))
            continue
        seen.add(loaded.meta.id)
        chunks.extend(split_file(loaded, origin=origin, chunking=chunking))
    return chunks, failed


@dataclass
class Ingestor:
    embedder: Embedder
    store: VectorStore
    manifest: Manifest
    chunking: Chunking = field(default_factory=Chunking)
    max_bytes: int = 20 * 1024 * 1024
    batch_size: int = 32

    def sync(
        self,
        root: Path,
        *,
        school: str = "",
        origin: str | None = None,
        on_progress: ProgressFn | None = None,
    ) -> IngestReport:
        """Make the store hold exactly what a clean ingest of ``root`` for this school would hold."""
        if not root.is_dir():
            raise DocumentError(f"{root} is not a folder. Give the folder that holds the documents.")
        started = time.perf_counter()
        origin = origin or root.resolve().name
        report = IngestReport()
        records = self.manifest.records(school=school, origin=origin)
        stored = self.store.chunk_ids(school=school, origin=origin)
        files = list_files(root)
        hashes = {p: file_sha256(p) for p in files if p.stat().st_size <= self.max_bytes}

        def current(path: Path) -> FileRecord | None:
            record = records.get(path.relative_to(root).as_posix())
            in_store = record is not None and set(record.chunk_ids) <= stored
            return record if record and in_store and record.sha256 == hashes.get(path) else None

        unchanged = {p: rec for p in files if (rec := current(p))}
        doc_ids = {rec.doc_id: rec.path for rec in unchanged.values() if rec.status == "ok"}
        for done, path in enumerate(files, start=1):
            source = path.relative_to(root).as_posix()
            if path in unchanged:
                rec = unchanged[path]
                status: Status = "unchanged" if rec.status == "ok" else "failed"
                report.outcomes.append(FileOutcome(source, status, len(rec.chunk_ids), rec.error))
            else:
                report.outcomes.append(self._ingest_file(path, root, school, origin, records.get(source),
                                                         hashes.get(path, ""), doc_ids, report))  # fmt: skip
            if on_progress:
                on_progress(IngestProgress(done, len(files), report.chunks_embedded))

        present = {p.relative_to(root).as_posix() for p in files}
        for source, rec in records.items():
            if source not in present:
                self._delete(list(rec.chunk_ids), report)
                self.manifest.remove(school=school, origin=origin, path=source)
                report.outcomes.append(FileOutcome(source, "deleted", len(rec.chunk_ids)))
        # Leftovers of an interrupted run: chunks in the store that no manifest row accounts for.
        accounted = {cid for rec in self.manifest.records(school=school, origin=origin).values()
                     for cid in rec.chunk_ids}  # fmt: skip
        self._delete(sorted(self.store.chunk_ids(school=school, origin=origin) - accounted), report)
        report.seconds = time.perf_counter() - started
        return report

    def _ingest_file(
        self,
        path: Path,
        root: Path,
        school: str,
        origin: str,
        previous: FileRecord | None,
        sha: str,
        doc_ids: dict[str, str],
        report: IngestReport,
    ) -> FileOutcome:
        source = path.relative_to(root).as_posix()
        try:
            loaded = load_file(path, root, school=school, max_bytes=self.max_bytes)
            if doc_ids.get(loaded.meta.id, source) != source:
                raise DocumentError(f"id '{loaded.meta.id}' is already used by {doc_ids[loaded.meta.id]}")
            chunks = split_file(loaded, origin=origin, chunking=self.chunking)
        except DocumentError as exc:
            # Keep what this file contributed before: a broken new version must not erase a good old one.
            kept = previous.chunk_ids if previous else ()
            if sha:
                self.manifest.put(FileRecord(school, origin, source, sha, previous.doc_id if previous else "",
                                             kept, "failed", exc.message))  # fmt: skip
            return FileOutcome(source, "failed", len(kept), exc.message)
        doc_ids[loaded.meta.id] = source
        ids = [c.id for c in chunks]
        present = self.store.existing(ids)
        missing = [c for c in chunks if c.id not in present]
        for start in range(0, len(missing), self.batch_size):
            batch = missing[start : start + self.batch_size]
            self.store.upsert(batch, self.embedder.embed([embedding_text(c) for c in batch], kind="passage"))
            report.chunks_embedded += len(batch)
        if previous:
            self._delete(sorted(set(previous.chunk_ids) - set(ids)), report)
        self.manifest.put(FileRecord(school, origin, source, sha, loaded.meta.id, tuple(ids), "ok"))
        return FileOutcome(source, "updated" if previous else "added", len(ids))

    def _delete(self, chunk_ids: Sequence[str], report: IngestReport) -> None:
        if chunk_ids:
            self.store.delete(chunk_ids)
            report.chunks_deleted += len(chunk_ids)
