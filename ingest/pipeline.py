"""Sync a folder of documents into the vector store: embed only new chunks, then drop stale ones."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import DocumentError
from bot.ports import Embedder, VectorStore
from bot.schemas import Chunk
from ingest.documents import load_markdown
from ingest.split import embedding_text, split_document

ProgressFn = Callable[[int, int], None]
SUPPORTED = {".md"}
IGNORED_NAMES = {"README.md"}  # folder documentation, not corpus content


@dataclass
class IngestReport:
    documents: int = 0
    added: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def corpus_files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix in SUPPORTED and p.name not in IGNORED_NAMES
    )


def plan_chunks(root: Path, *, school: str = "") -> tuple[list[Chunk], IngestReport]:
    """Load and split every document; bad files are reported, never half-stored."""
    report = IngestReport()
    chunks: list[Chunk] = []
    seen: dict[str, str] = {}
    for path in corpus_files(root):
        try:
            doc = load_markdown(path, root)
            if doc.meta.id in seen:
                raise DocumentError(
                    f"{doc.source}: id '{doc.meta.id}' is already used by {seen[doc.meta.id]}. "
                    "Ids must be unique."
                )
        except DocumentError as exc:
            report.failed.append((path.relative_to(root).as_posix(), exc.message))
            continue
        seen[doc.meta.id] = doc.source
        report.documents += 1
        chunks.extend(split_document(doc, school=school))
    return chunks, report


def sync_folder(
    root: Path,
    embedder: Embedder,
    store: VectorStore,
    *,
    school: str = "",
    batch_size: int = 32,
    on_progress: ProgressFn | None = None,
) -> IngestReport:
    """Make the store hold exactly the chunks of ``root`` for this tenant. Unchanged chunks cost nothing.

    New chunks are written before stale ones are removed, so the store keeps answering throughout.
    """
    if not root.is_dir():
        raise DocumentError(f"{root} is not a folder. Give the folder that holds the documents.")
    chunks, report = plan_chunks(root, school=school)
    existing_sources = store.chunk_sources(school=school)
    existing = set(existing_sources)
    new = [c for c in chunks if c.id not in existing]
    report.unchanged = len(chunks) - len(new)
    for start in range(0, len(new), batch_size):
        batch = new[start : start + batch_size]
        store.upsert(batch, embedder.embed([embedding_text(c) for c in batch], kind="passage"))
        report.added += len(batch)
        if on_progress:
            on_progress(report.added, len(new))
    # A file that failed to load keeps its previous chunks rather than vanishing from answers.
    failed_sources = {source for source, _ in report.failed}
    wanted = {c.id for c in chunks}
    stale = {cid for cid in existing - wanted if existing_sources[cid] not in failed_sources}
    store.delete(sorted(stale))
    report.deleted = len(stale)
    return report
