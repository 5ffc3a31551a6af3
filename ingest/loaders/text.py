"""Plain text: one section, the first short line as title."""

from __future__ import annotations

from ingest.loaders.base import LoadedFile, Section
from ingest.loaders.meta import FileInfo, default_meta, first_line_title, pick_title


def load_text(text: str, info: FileInfo) -> LoadedFile:
    """``text`` is already decoded with "\\n" line endings; it is kept as written."""
    meta = default_meta(info, pick_title(info, first_line_title(text)))
    body = "\n".join(line.rstrip() for line in text.strip("\n").split("\n"))
    return LoadedFile(meta=meta, sections=[Section(heading="", text=body)], source=info.source)
