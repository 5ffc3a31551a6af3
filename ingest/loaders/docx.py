"""Word (.docx): headings become the heading path, lists keep a dash, tables become "cell | cell" rows."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import docx
from docx.document import Document as WordDocument
from docx.table import Table
from docx.text.paragraph import Paragraph

from ingest.loaders.base import LoadedFile
from ingest.loaders.headings import SectionBuilder, table_blocks
from ingest.loaders.meta import FileInfo, default_meta, pick_title

# Word stores English style names even in a Dutch Word ("heading 1"); "Kop 1" covers hand-made styles.
_HEADING_STYLE = re.compile(r"^(?:heading|kop)\s*([1-9])$", re.IGNORECASE)
_TITLE_STYLES = {"title", "titel"}
_LIST_PREFIXES = ("list", "lijst")


@dataclass(frozen=True)
class _Block:
    kind: str  # "heading", "title", "text"
    text: str
    level: int = 0


def _paragraph_block(paragraph: Paragraph) -> _Block | None:
    text = "\n".join(" ".join(line.split()) for line in paragraph.text.split("\n")).strip()
    if not text:
        return None
    style = paragraph.style
    name = ((style.name if style is not None else None) or "").strip()
    heading = _HEADING_STYLE.match(name)
    if heading:
        return _Block("heading", text, int(heading.group(1)))
    if name.lower() in _TITLE_STYLES:
        return _Block("title", text)
    if name.lower().startswith(_LIST_PREFIXES):
        return _Block("text", f"- {text}")
    return _Block("text", text)


def _table_rows(table: Table) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous: object = None
        for cell in row.cells:
            if cell is not previous:  # a horizontally merged cell is returned once per grid column
                cells.append(" ".join(cell.text.split()))
            previous = cell
        rows.append(cells)
    return rows


def _blocks(document: WordDocument) -> list[_Block]:
    blocks: list[_Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            block = _paragraph_block(item)
            if block:
                blocks.append(block)
        else:
            blocks.extend(_Block("text", text) for text in table_blocks(_table_rows(item)))
    return blocks


def load_docx(data: bytes, info: FileInfo) -> LoadedFile:
    document = docx.Document(io.BytesIO(data))
    blocks = _blocks(document)
    first_title = next((b.text for b in blocks if b.kind == "title"), None)
    title = pick_title(info, document.core_properties.title, first_title)
    builder = SectionBuilder(title)
    for block in blocks:
        if block.kind == "heading":
            builder.heading(block.level, block.text)
        elif not (block.kind == "title" and block.text == title):
            builder.add(block.text)
    return LoadedFile(meta=default_meta(info, title), sections=builder.sections(), source=info.source)
