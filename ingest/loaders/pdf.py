"""PDF: one section per page that has text, with its page number, so answers can cite "p. 3"."""

from __future__ import annotations

import io
import re

from pypdf import PasswordType, PdfReader
from pypdf.errors import DependencyError

from bot.core.errors import DocumentError
from ingest.loaders import messages
from ingest.loaders.base import LoadedFile, Section
from ingest.loaders.meta import FileInfo, default_meta, pick_title

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\xa0\u2000-\u200b\u202f\u3000]+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_LIGATURES = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl"})


def clean_page_text(raw: str) -> str:
    """Tidy extracted text: one space between words, no trailing spaces, at most one blank line in a row
    (a blank line in the extraction is a paragraph break and stays one)."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n").translate(_LIGATURES)
    text = _CONTROL.sub("", text.replace("\f", "\n\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip()


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
    except Exception as exc:
        raise DocumentError(messages.CORRUPT) from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except DependencyError as exc:  # AES needs the optional cryptography package
            raise DocumentError(messages.PDF_PROTECTED) from exc
        if opened == PasswordType.NOT_DECRYPTED:
            raise DocumentError(messages.PDF_PASSWORD)
    return reader


def load_pdf(data: bytes, info: FileInfo) -> LoadedFile:
    reader = _open(data)
    sections = [
        Section(heading="", text=text, page=number)
        for number, page in enumerate(reader.pages, start=1)
        if (text := clean_page_text(page.extract_text()))
    ]
    if not sections:
        raise DocumentError(messages.PDF_NO_TEXT)
    metadata = reader.metadata
    title = metadata.title if metadata is not None else None
    meta = default_meta(info, pick_title(info, title if isinstance(title, str) else None))
    return LoadedFile(meta=meta, sections=sections, source=info.source)
