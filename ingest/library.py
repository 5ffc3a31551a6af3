"""A school's uploaded documents: files kept per school under the uploads folder, synced like any folder."""

from __future__ import annotations

import hashlib
import re
import shutil
import threading
import uuid
from pathlib import Path

from bot.core.errors import DocumentError
from bot.core.schemas import DocumentStatus
from ingest.pipeline import Ingestor

ORIGIN = "uploads"
# File systems allow 255 bytes in a name; a shorter cap leaves room for what tools add (".tmp", a counter).
MAX_NAME_BYTES = 150


def safe_filename(name: str) -> str:
    """The base name only, with anything but letters, digits, dot, dash, underscore and space replaced, and
    at most :data:`MAX_NAME_BYTES` long. A shortened name keeps its extension and ends in a digest of the
    whole name, so two long names that start alike stay two files."""
    base = Path(name.replace("\\", "/")).name.strip()
    cleaned = re.sub(r"[^\w.\- ]", "_", base).lstrip(".") or "document"
    if len(cleaned.encode()) <= MAX_NAME_BYTES:
        return cleaned
    path = Path(cleaned)
    suffix = path.suffix if len(path.suffix) <= 16 else ""
    digest = hashlib.sha256(cleaned.encode()).hexdigest()[:8]
    budget = MAX_NAME_BYTES - len(suffix.encode()) - len(digest) - 1
    stem = (path.stem if suffix else cleaned).encode()[:budget].decode(errors="ignore").rstrip()
    return f"{stem}-{digest}{suffix}"


STAGING_PREFIX = ".incoming-"


class UploadLibrary:
    def __init__(self, ingestor: Ingestor, uploads_dir: Path) -> None:
        self._ingestor = ingestor
        self._uploads = uploads_dir
        self._lock = threading.Lock()  # one sync at a time: uploads arrive on several API threads
        self._remove_staging()  # left behind by a server that was killed during an upload

    def _remove_staging(self) -> None:
        for folder in self._uploads.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        """Stop the file reader (also in the middle of a file) and remove half-received uploads."""
        self._ingestor.reader.close()
        self._remove_staging()

    def _folder(self, school: str) -> Path:
        folder = self._uploads / school
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def add(self, school: str, filename: str, data: bytes) -> DocumentStatus:
        name = safe_filename(filename)
        staging = self._uploads / f"{STAGING_PREFIX}{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
        try:
            candidate = staging / name
            candidate.write_bytes(data)
            # Read it before it joins the school's folder: a file Koers cannot read is reported, never stored.
            try:
                self._ingestor.reader.read(candidate, staging, school)
            except DocumentError as exc:
                return DocumentStatus(doc_id="", source=name, status="failed", reason=exc.message)
            with self._lock:
                candidate.replace(self._folder(school) / name)
                report = self._ingestor.sync(self._folder(school), school=school, origin=ORIGIN)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        outcome = next(o for o in report.outcomes if o.source == name)
        record = self._ingestor.manifest.records(school=school, origin=ORIGIN).get(name)
        return DocumentStatus(
            doc_id=record.doc_id if record else "",
            source=name,
            status=outcome.status,
            chunks=outcome.chunks,
            reason=outcome.reason,
            conflicts=list(outcome.conflicts),
        )

    def list(self, school: str) -> list[DocumentStatus]:
        with self._lock:
            records = self._ingestor.manifest.records(school=school, origin=ORIGIN)
        return [
            DocumentStatus(
                doc_id=r.doc_id, source=r.path, status="ok" if r.status == "ok" else "failed",
                chunks=len(r.chunk_ids), reason=r.error, conflicts=list(r.conflicts),
            )
            for r in sorted(records.values(), key=lambda r: r.path)
        ]  # fmt: skip

    def remove(self, school: str, doc_id: str) -> bool:
        with self._lock:
            records = self._ingestor.manifest.records(school=school, origin=ORIGIN)
            match = next((r for r in records.values() if r.doc_id == doc_id), None)
            if match is None:
                return False
            (self._folder(school) / match.path).unlink(missing_ok=True)
            self._ingestor.sync(self._folder(school), school=school, origin=ORIGIN)
            return True
