"""Incremental, crash-safe ingest of a folder: only new or changed files are read, only new text is embedded.

Per file, in this order: load and split; embed and upsert the chunks the store lacks (several files are
embedded together, for speed); delete the file's chunks that are no longer produced; then record the file
in the manifest. A crash at any point leaves the
store answering (old chunks are removed only after new ones are stored), and the next run converges to
the state of a clean ingest: a file is reprocessed unless the manifest and the store both agree it is
current, and chunks no manifest row accounts for are removed at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from bot.core.errors import DocumentError
from bot.core.hashing import sha256_file
from bot.core.ports import Embedder, VectorStore
from bot.core.schemas import Chunk
from ingest.isolation import IsolatedReader
from ingest.loaders import load_file
from ingest.manifest import FileRecord, Manifest
from ingest.protect import Conflict, ProtectedFacts
from ingest.split import Chunking, embedding_text, split_file

Status = Literal["added", "updated", "unchanged", "deleted", "failed"]
# Folder documentation and the route graph live beside the documents but are not documents.
IGNORED_NAMES = frozenset({"README.md", "REVIEW.md", "routes.yaml"})  # docs about the folder


# Chunks of several files are embedded together: large, length-sorted batches are what make encoding fast.
FLUSH_CHUNKS = 256
UPSERT_BATCH = 512


# Bump when the way a file becomes chunks changes (say, a new chunk field): every file is split again once.
SPLIT_FORMAT = 3  # 3: a list stays in one passage with its lead-in


@dataclass(frozen=True)
class _Pending:
    """A file that is loaded and split, waiting for its missing chunks to be embedded and stored."""

    source: str
    sha: str
    previous: FileRecord | None
    doc_id: str
    chunks: list[Chunk]
    missing: list[Chunk]
    warnings: str
    conflicts: tuple[str, ...]


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
    reason: str = ""  # why it failed, or a note on how it was read (e.g. the detected text encoding)
    conflicts: tuple[str, ...] = ()  # sentences left out: only the national information may say them


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
    reader: IsolatedReader = field(default_factory=IsolatedReader)
    protector: ProtectedFacts | None = None  # screens school documents (see ingest.protect)
    batch_size: int = 32

    @property
    def max_bytes(self) -> int:
        return self.reader.limits.max_bytes

    def _file_key(self, path: Path, school: str) -> str:
        """What must be unchanged for a file's chunks to be reused: its content, how it is split and, for a
        school's file, how its sentences are screened."""
        key = f"{sha256_file(path)}:{SPLIT_FORMAT}:{self.chunking.chunk_chars}:{self.chunking.overlap_chars}"
        return f"{key}:{self.protector.version}" if school and self.protector else key

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
        hashes = {p: self._file_key(p, school) for p in files if p.stat().st_size <= self.max_bytes}

        def current(path: Path) -> FileRecord | None:
            record = records.get(path.relative_to(root).as_posix())
            in_store = record is not None and set(record.chunk_ids) <= stored
            return record if record and in_store and record.sha256 == hashes.get(path) else None

        unchanged = {p: rec for p in files if (rec := current(p))}
        doc_ids = {rec.doc_id: rec.path for rec in unchanged.values() if rec.status == "ok"}
        pending: list[_Pending] = []
        for done, path in enumerate(files, start=1):
            source = path.relative_to(root).as_posix()
            if path in unchanged:
                rec = unchanged[path]
                status: Status = "unchanged" if rec.status == "ok" else "failed"
                report.outcomes.append(
                    FileOutcome(source, status, len(rec.chunk_ids), rec.error, rec.conflicts)
                )
            else:
                prepared = self._prepare(
                    path, root, school, origin, records.get(source), hashes.get(path, ""), doc_ids
                )
                if isinstance(prepared, FileOutcome):
                    report.outcomes.append(prepared)
                else:
                    pending.append(prepared)
                    if sum(len(p.missing) for p in pending) >= FLUSH_CHUNKS:
                        self._flush(pending, school, origin, report)
                        pending = []
            if on_progress:
                on_progress(IngestProgress(done, len(files), report.chunks_embedded))
        self._flush(pending, school, origin, report)

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

    def _prepare(
        self,
        path: Path,
        root: Path,
        school: str,
        origin: str,
        previous: FileRecord | None,
        sha: str,
        doc_ids: dict[str, str],
    ) -> _Pending | FileOutcome:
        """Load and split one file; a file that cannot be read becomes a 'failed' outcome at once."""
        source = path.relative_to(root).as_posix()
        try:
            loaded = self.reader.read(path, root, school)
            if doc_ids.get(loaded.meta.id, source) != source:
                raise DocumentError(f"id '{loaded.meta.id}' is already used by {doc_ids[loaded.meta.id]}")
            conflicts: list[Conflict] = []
            if school and self.protector is not None:
                loaded, conflicts = self.protector.screen(loaded)
            chunks = split_file(loaded, origin=origin, chunking=self.chunking)
        except DocumentError as exc:
            # Keep what this file contributed before: a broken new version must not erase a good old one.
            kept = previous.chunk_ids if previous else ()
            if sha:
                self.manifest.put(FileRecord(school, origin, source, sha, previous.doc_id if previous else "",
                                             kept, "failed", exc.message))  # fmt: skip
            return FileOutcome(source, "failed", len(kept), exc.message)
        doc_ids[loaded.meta.id] = source
        present = self.store.existing([c.id for c in chunks])
        missing = [c for c in chunks if c.id not in present]
        described = tuple(c.describe() for c in conflicts)
        return _Pending(
            source, sha, previous, loaded.meta.id, chunks, missing, "; ".join(loaded.warnings), described
        )

    def _flush(self, pending: list[_Pending], school: str, origin: str, report: IngestReport) -> None:
        """Embed the missing chunks of several files in one call, store them, then record each file."""
        missing = [c for p in pending for c in p.missing]
        if missing:
            vectors = self.embedder.embed([embedding_text(c) for c in missing], kind="passage")
            for start in range(0, len(missing), UPSERT_BATCH):
                self.store.upsert(
                    missing[start : start + UPSERT_BATCH], vectors[start : start + UPSERT_BATCH]
                )
            report.chunks_embedded += len(missing)
        for p in pending:
            ids = [c.id for c in p.chunks]
            if p.previous:
                self._delete(sorted(set(p.previous.chunk_ids) - set(ids)), report)
            self.manifest.put(
                FileRecord(school, origin, p.source, p.sha, p.doc_id, tuple(ids), "ok", conflicts=p.conflicts)
            )
            status: Status = "updated" if p.previous else "added"
            report.outcomes.append(FileOutcome(p.source, status, len(ids), p.warnings, p.conflicts))

    def _delete(self, chunk_ids: Sequence[str], report: IngestReport) -> None:
        if chunk_ids:
            self.store.delete(chunk_ids)
            report.chunks_deleted += len(chunk_ids)
