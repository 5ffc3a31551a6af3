"""How big a file's compressed parts become when unpacked, measured before a parser builds them in memory.

A DOCX is a zip archive whose directory states every part's packed and unpacked size, so a 250 kB file that
unpacks to 80 MB of XML (millions of paragraphs) is seen without unpacking anything. A PDF compresses its page
contents; those streams are unpacked here one at a time, which is fast, and only their sizes are kept.

Two signs of a decompression bomb: the parts unpack to more than a limit, or a large part unpacks to far more
than text and markup ever do. Word XML packs about 5-15 times and PDF page contents 3-10 times; a part that
unpacks more than :data:`MAX_RATIO` times is made, not written.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import LimitReachedError, PdfReadError
from pypdf.generic import ArrayObject

MAX_RATIO = 100
RATIO_FROM_BYTES = 1 << 20  # small parts (styles, settings) may pack very well and unpack to little


@dataclass(frozen=True)
class Inflation:
    unpacked: int  # bytes of all compressed parts together, once unpacked
    worst_ratio: float  # unpacked / packed of the most inflating part of at least RATIO_FROM_BYTES

    def is_bomb(self, max_unpacked: int) -> bool:
        return self.unpacked > max_unpacked or self.worst_ratio > MAX_RATIO


def _docx_parts(data: bytes) -> Iterator[tuple[int, int]]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            yield from ((info.compress_size, info.file_size) for info in archive.infolist())
    except zipfile.BadZipFile:
        return  # not a zip: the loader reports it as damaged


def _pdf_parts(data: bytes, max_unpacked: int) -> Iterator[tuple[int, int]]:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return  # the loader decides whether it can open it; nothing is unpacked before that
        total = 0
        for page in reader.pages:
            contents = page.get("/Contents")
            if contents is None:
                continue
            resolved = contents.get_object()
            for part in list(resolved) if isinstance(resolved, ArrayObject) else [resolved]:
                stream = part.get_object()
                unpacked = len(stream.get_data())
                total += unpacked
                yield len(stream._data or b""), unpacked
                if total > max_unpacked:
                    return
    except LimitReachedError:  # pypdf's own cap on one stream (75 MB) was passed
        yield 1, max_unpacked + 1
    except (PdfReadError, ValueError, TypeError, KeyError, AttributeError):
        return  # damaged: the loader reports it


def inflation(data: bytes, suffix: str, max_unpacked: int) -> Inflation:
    """How much a compressed document (.docx, .pdf) unpacks; nothing for other formats. Counting stops once
    ``max_unpacked`` is passed."""
    if suffix == ".docx":
        parts = list(_docx_parts(data))
    elif suffix == ".pdf":
        parts = list(_pdf_parts(data, max_unpacked))
    else:
        parts = []
    ratios = [unpacked / max(packed, 1) for packed, unpacked in parts if unpacked >= RATIO_FROM_BYTES]
    return Inflation(sum(unpacked for _, unpacked in parts), max(ratios, default=0.0))
