"""Turn a stream of headings and paragraphs into sections with a heading path, the same for every format."""

from __future__ import annotations

from ingest.loaders.base import Section

TABLE_BLOCK_CHARS = 1000  # a long table is cut into blocks of rows so the splitter can pack it


class SectionBuilder:
    """Headings open sections; a heading path keeps every higher level ("Kosten > Lesgeld").

    A top-level heading equal to the document title is dropped from the path: the title is metadata.
    Paragraphs are joined with ``separator``; sections whose text is blank are left out.
    """

    def __init__(self, title: str, *, separator: str = "\n\n") -> None:
        self._title = title
        self._separator = separator
        self._stack: list[tuple[int, str]] = []
        self._parts: list[str] = []
        self._sections: list[Section] = []

    def heading(self, level: int, text: str) -> None:
        text = " ".join(text.split())
        if not text:
            return
        self._flush()
        self._stack = [(lvl, t) for lvl, t in self._stack if lvl < level] + [(level, text)]

    def add(self, text: str) -> None:
        self._parts.append(text)

    def sections(self) -> list[Section]:
        self._flush()
        return self._sections

    def _flush(self) -> None:
        lines = self._separator.join(self._parts).split("\n")
        self._parts = []
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if not lines:
            return
        path = [t for _, t in self._stack]
        if path and path[0] == self._title:
            path = path[1:]
        self._sections.append(Section(heading=" > ".join(path), text="\n".join(lines)))


def table_blocks(rows: list[list[str]]) -> list[str]:
    """Rows as "cell | cell" lines, grouped into blocks of at most about ``TABLE_BLOCK_CHARS``."""
    blocks: list[str] = []
    current: list[str] = []
    for cells in rows:
        line = " | ".join(cell for cell in cells if cell)
        if not line:
            continue
        if current and sum(len(c) + 1 for c in current) + len(line) > TABLE_BLOCK_CHARS:
            blocks.append("\n".join(current))
            current = []
        current.append(line)
    if current:
        blocks.append("\n".join(current))
    return blocks
