"""Hostile files for the tests and `koers bench hostile`: decompression bombs and an honest but slow PDF."""

from __future__ import annotations

import io
import random
import shutil
import tempfile
import time
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import docx
from pypdf import PdfWriter
from pypdf.generic import DictionaryObject, NameObject, StreamObject

from bot.core.errors import DocumentError
from ingest.isolation import IsolatedReader

_PARAGRAPH = b"<w:p><w:r><w:t>x</w:t></w:r></w:p>"


def docx_bomb(paragraphs: int = 2_200_000) -> bytes:
    """A valid Word file whose body holds ``paragraphs`` one-letter paragraphs (the default: about 80 MB of
    XML in a file of a few hundred kB, as the security test used)."""
    template = io.BytesIO()
    document = docx.Document()
    document.add_paragraph("MARKER")
    document.save(template)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                start = data.index(b"<w:p>")
                end = data.index(b"</w:p>", start) + len(b"</w:p>")
                data = data[:start] + _PARAGRAPH * paragraphs + data[end:]
            target.writestr(item.filename, data)
    return out.getvalue()


def pdf_bomb(pages: int = 4, megabytes_per_page: int = 60) -> bytes:
    """A valid PDF whose pages each hold a Flate-compressed content stream of ``megabytes_per_page`` MB of
    text-drawing operators, a few hundred kB in all."""
    operators = b"BT /F1 9 Tf 10 10 Td (lassen) Tj ET\n"
    return _pdf([operators * (megabytes_per_page * 1024 * 1024 // len(operators))] * pages)


def slow_pdf(megabytes: float = 4) -> bytes:
    """An honest but slow PDF: one page with ``megabytes`` MB of varied text operators, which packs only a
    few times, so no bomb check stops it; reading its text takes seconds."""
    words = random.Random(7)
    lines = (
        f"BT /F1 9 Tf {words.randint(1, 500)} {words.randint(1, 700)} Td ({words.getrandbits(64):x}) Tj ET\n"
        for _ in range(int(megabytes * 1024 * 1024 / 44))
    )
    return _pdf(["".join(lines).encode()])


def _pdf(contents: list[bytes]) -> bytes:
    writer = PdfWriter()
    for content in contents:
        page = writer.add_blank_page(width=200, height=200)
        stream = StreamObject()
        stream.set_data(zlib.compress(content, 9))  # stored as given: the filter below says how to unpack it
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        page[NameObject("/Contents")] = writer._add_object(stream)
        font = DictionaryObject({
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        })  # fmt: skip
        fonts = DictionaryObject({NameObject("/F1"): font})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass(frozen=True)
class Refusal:
    name: str
    size_kb: float
    seconds: float
    reason: str


def bench_hostile(reader: IsolatedReader, baseline: Path) -> tuple[float, list[Refusal]]:
    """Seconds to read ``baseline`` (an ordinary document) and, per hostile file, the seconds until it is
    refused and why, through the same bounded reader an ingest uses (its worker already started)."""
    folder = Path(tempfile.mkdtemp(prefix="koers-hostile-"))
    try:
        reader.read(baseline, baseline.parent)  # start the worker: both sides then pay the same
        started = time.perf_counter()
        reader.read(baseline, baseline.parent)
        ordinary = time.perf_counter() - started
        found: list[Refusal] = []
        for name, data in (
            ("docx-bomb.docx", docx_bomb()),
            ("pdf-bomb.pdf", pdf_bomb()),
            ("slow.pdf", slow_pdf(8)),
        ):
            path = folder / name
            path.write_bytes(data)
            started = time.perf_counter()
            try:
                reader.read(path, folder)
                reason = "read (not refused)"
            except DocumentError as exc:
                reason = exc.message
            found.append(Refusal(name, len(data) / 1024, time.perf_counter() - started, reason))
        return ordinary, found
    finally:
        shutil.rmtree(folder, ignore_errors=True)
