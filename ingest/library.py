"""A school's uploaded documents: files kept per school under the uploads folder, synced like any folder."""

from __future__ import annotations

import re
import shutil
import threading
import uuid
from pathlib import Path

from bot.errors import DocumentError
from bot.schemas import DocumentStatus
from ingest.loaders import load_file
from ingest.pipeline import Ingestor

ORIGIN = "uploads"


def safe_filename(name: str) -> str:
    """The base name only, with anything but letters, digits, dot, dash, underscore and space replaced."""
    base = Path(name.replace("\\", "/")).name.strip()
    cleaned = re.sub(r"[^\w.\- ]", "_", base).lstrip(".")
    return cleaned or "document"


class UploadLibrary:
    def __init__(self, ingestor: Ingestor, uploads_dir: Path) -> None:
        self._ingestor = ingestor
        self._uploads = uploads_dir
        self._lock = threading.Lock()  # one sync at a time: uploads arrive on several API threads

    def _folder(self, school: str) -> Path:
        folder = self._uploads / school
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def add(self, school: str, filename: str, data: bytes) -> DocumentStatus:
        name = safe_filename(filename)
        staging = self._uploads / f".incoming-{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
        try:
            candidate = staging / name
            candidate.write_bytes(data)
            # Read it before it joins the school's folder: a file Koers cannot read is reported, never stored.
            try:
                load_file(candidate, staging, school=school, max_bytes=self._ingestor.max_bytes)
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
        )

    def list(self, school: str) -> list[DocumentStatus]:
        with self._lock:
            records = self._ingestor.manifest.records(school=school, origin=ORIGIN)
        return [
            DocumentStatus(
                doc_id=r.doc_id, source=r.path, status="ok" if r.status == "ok" else "failed",
                chunks=len(r.chunk_ids), reason=r.error,
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
