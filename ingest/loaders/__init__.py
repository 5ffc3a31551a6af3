"""Load one school or corpus file (Markdown, text, PDF, Word, web page) into metadata and sections.

Every bad input becomes a :class:`DocumentError` with a short Dutch message; a file is either read
completely or not at all.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.core.config import MAX_CHARS, MAX_FILE_MB, MAX_UNPACKED_MB, MB
from bot.core.errors import DocumentError
from ingest.loaders import messages
from ingest.loaders.base import LoadedFile, Section
from ingest.loaders.bombs import inflation
from ingest.loaders.docx import load_docx
from ingest.loaders.html import load_html
from ingest.loaders.markdown import load_markdown_text, markdown_sections
from ingest.loaders.meta import FileInfo
from ingest.loaders.pdf import load_pdf
from ingest.loaders.sniff import decode_text, format_size, read_file
from ingest.loaders.text import load_text

__all__ = [
    "MAX_BYTES",
    "MAX_CHARS",
    "MAX_UNPACKED_BYTES",
    "SUPPORTED_EXTENSIONS",
    "LoadedFile",
    "Section",
    "load_file",
    "markdown_sections",
]

MAX_BYTES = int(MAX_FILE_MB * MB)
MAX_UNPACKED_BYTES = int(MAX_UNPACKED_MB * MB)

_TEXT_LOADERS: dict[str, Callable[[str, FileInfo], LoadedFile]] = {
    ".md": load_markdown_text,
    ".markdown": load_markdown_text,
    ".txt": load_text,
    ".html": load_html,
    ".htm": load_html,
}
_BINARY_LOADERS: dict[str, Callable[[bytes, FileInfo], LoadedFile]] = {".pdf": load_pdf, ".docx": load_docx}
SUPPORTED_EXTENSIONS: frozenset[str] = frozenset(_TEXT_LOADERS) | frozenset(_BINARY_LOADERS)


def load_file(
    path: Path,
    root: Path,
    *,
    school: str = "",
    max_bytes: int = MAX_BYTES,
    max_chars: int = MAX_CHARS,
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES,
) -> LoadedFile:
    """Read ``path`` (a file under ``root``) by its extension; ``school`` is the tenant of files.

    Raises :class:`DocumentError` for anything that cannot be read as a document, for a decompression bomb
    (see ``ingest.loaders.bombs``) and for more than ``max_chars`` characters of text. Time and memory are
    bounded by the caller (``ingest.isolation``)."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS:
        raise DocumentError(messages.unsupported(suffix))
    raw = read_file(path, max_bytes)
    info = FileInfo(
        source=path.relative_to(root).as_posix(), stem=path.stem, name=path.name, modified=raw.modified,
        school=school,
    )  # fmt: skip
    try:
        if suffix in _BINARY_LOADERS:
            if inflation(raw.data, suffix, max_unpacked_bytes).is_bomb(max_unpacked_bytes):
                raise DocumentError(messages.unpacks_too_large(format_size(max_unpacked_bytes)))
            loaded = _BINARY_LOADERS[suffix](raw.data, info)
        else:
            decoded = decode_text(raw.data)
            loaded = _TEXT_LOADERS[suffix](decoded.text, info)
            if decoded.encoding:
                loaded.warnings.append(messages.read_as(decoded.encoding))
            if decoded.replaced:
                loaded.warnings.append(messages.replaced(decoded.replaced))
    except (DocumentError, MemoryError):  # a MemoryError is reported by the caller that set the limit
        raise
    except Exception as exc:  # a parser failing halfway: report the file, store nothing of it
        raise DocumentError(messages.CORRUPT) from exc
    loaded.sections = [s for s in loaded.sections if s.text.strip()]
    if not loaded.sections:
        raise DocumentError(messages.EMPTY)
    if sum(len(s.text) for s in loaded.sections) > max_chars:
        raise DocumentError(messages.too_much_text(max_chars))
    return loaded
