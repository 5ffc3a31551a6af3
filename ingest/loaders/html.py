"""Web pages: the main content only (no menus, cookie banners or footers), headings as sections."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from bs4.element import NavigableString, PreformattedString, Tag

from ingest.loaders.base import LoadedFile
from ingest.loaders.headings import SectionBuilder, table_blocks
from ingest.loaders.meta import FileInfo, default_meta, pick_title

_DROP_TAGS = [
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "svg", "iframe", "template",
    "button", "select", "dialog",
]  # fmt: skip
_BOILERPLATE = re.compile(r"cookie|menu", re.IGNORECASE)
_KEEP = {"html", "body", "main", "article"}  # a body class like "cookie-consent-given" must not drop the page
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_BLOCKS = {
    "p", "div", "section", "blockquote", "ul", "ol", "dl", "dt", "dd", "pre", "figure", "figcaption",
    "address", "main", "article", "body", "hr", "details", "summary", "caption", "fieldset", "header",
}  # fmt: skip
_SPACED = {*_BLOCKS, *_HEADINGS, "li", "tr", "td", "th", "br", "table"}


def _collect(node: Tag, out: list[str]) -> None:
    for child in node.children:
        if isinstance(child, PreformattedString):  # comments, doctype, CDATA
            continue
        if isinstance(child, NavigableString):
            out.append(str(child))
        elif isinstance(child, Tag):
            spaced = child.name in _SPACED  # inline tags join without a space: <b>Las</b>sen is one word
            out.append(" " if spaced else "")
            _collect(child, out)
            out.append(" " if spaced else "")


def _text(tag: Tag) -> str:
    out: list[str] = []
    _collect(tag, out)
    return " ".join("".join(out).split())


def _is_boilerplate(tag: Tag) -> bool:
    if tag.name in _KEEP:
        return False
    if tag.get("role") == "navigation" or tag.get("aria-hidden") == "true" or tag.has_attr("hidden"):
        return True
    style = str(tag.get("style") or "").replace(" ", "").lower()
    if "display:none" in style:
        return True
    value = tag.get("class")
    names: list[str] = [value] if isinstance(value, str) else list(value or [])
    return any(_BOILERPLATE.search(str(name)) for name in [*names, str(tag.get("id") or "")])


def _strip_boilerplate(soup: BeautifulSoup) -> None:
    for tag in soup.find_all(_DROP_TAGS):
        # An article's own <header> holds its h1 and date; only the site's header is boilerplate.
        if tag.decomposed or (tag.name == "header" and tag.find_parent(["main", "article"])):
            continue
        tag.decompose()
    for tag in soup.find_all(_is_boilerplate):
        if not tag.decomposed:
            tag.decompose()


def _is_data_table(table: Tag) -> bool:
    """A layout table (the whole page in cells) is read like any other block, not as rows."""
    return table.find(["table", *_HEADINGS]) is None


class _Walker:
    def __init__(self, builder: SectionBuilder) -> None:
        self._builder = builder
        self._buffer: list[str] = []
        self._prefix = ""

    def flush(self) -> None:
        """End the current paragraph; a list item's dash waits for its first text (<li><p>..</p></li>)."""
        text = " ".join("".join(self._buffer).split())
        self._buffer = []
        if text:
            self._builder.add(f"{self._prefix}{text}")
            self._prefix = ""

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, PreformattedString):  # comments, doctype, CDATA
                continue
            if isinstance(child, NavigableString):
                self._buffer.append(str(child))
            elif isinstance(child, Tag):
                self._element(child)

    def _element(self, tag: Tag) -> None:
        name = tag.name
        if name in _HEADINGS:
            self.flush()
            self._builder.heading(_HEADINGS[name], _text(tag))
        elif name == "table" and _is_data_table(tag):
            self.flush()
            rows = [[_text(cell) for cell in row.find_all(["td", "th"])] for row in tag.find_all("tr")]
            for block in table_blocks(rows):
                self._builder.add(block)
        elif name in {"li", "tr", "td", "th"}:
            self.flush()
            self._prefix = "- " if name == "li" else ""
            self.walk(tag)
            self.flush()
            self._prefix = ""
        elif name in _BLOCKS:
            self.flush()
            self.walk(tag)
            self.flush()
        elif name == "br":
            self._buffer.append(" ")
        else:
            self.walk(tag)


def load_html(text: str, info: FileInfo) -> LoadedFile:
    soup = BeautifulSoup(text, "html.parser")
    page_title = _text(soup.title) if soup.title else None
    _strip_boilerplate(soup)
    root = soup.find("main") or soup.find("article") or soup.body or soup
    first_h1 = root.find("h1") if isinstance(root, Tag) else None
    title = pick_title(info, page_title, _text(first_h1) if isinstance(first_h1, Tag) else None)
    builder = SectionBuilder(title)
    walker = _Walker(builder)
    walker.walk(root if isinstance(root, Tag) else soup)
    walker.flush()
    return LoadedFile(meta=default_meta(info, title), sections=builder.sections(), source=info.source)
