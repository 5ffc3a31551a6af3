"""Markdown: YAML front matter when present (national corpus), default school metadata when not."""

from __future__ import annotations

import re

import frontmatter
from pydantic import ValidationError

from bot.core.errors import DocumentError, describe_validation_error
from ingest.documents import DocumentMeta
from ingest.loaders import messages
from ingest.loaders.base import LoadedFile, Section
from ingest.loaders.headings import SectionBuilder
from ingest.loaders.meta import FileInfo, default_meta, first_line_title, pick_title

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def _lines(body: str) -> list[tuple[str, tuple[int, str] | None]]:
    """Each line with its heading (level, text) if it is one; a line in a code fence is never a heading."""
    result: list[tuple[str, tuple[int, str] | None]] = []
    fence: str | None = None
    for line in body.splitlines():
        fence_match = _FENCE.match(line)
        if fence_match:
            marker = fence_match.group(1)
            fence = None if fence == marker else fence or marker
        match = _HEADING.match(line) if fence is None and not fence_match else None
        result.append((line, (len(match.group(1)), match.group(2).strip()) if match else None))
    return result


def markdown_sections(body: str, title: str) -> list[Section]:
    """Sections at the ATX headings (``#`` .. ``######``), heading path "A > B"; a top heading equal to
    ``title`` is dropped from the path; text is kept as written, without blank sections."""
    builder = SectionBuilder(title, separator="\n")
    for line, heading in _lines(body):
        if heading:
            builder.heading(*heading)
        else:
            builder.add(line)
    return builder.sections()


def _first_heading(body: str) -> str | None:
    return next((heading[1] for _, heading in _lines(body) if heading), None)


def _front_matter_meta(metadata: dict[str, object], info: FileInfo) -> DocumentMeta:
    try:
        meta = DocumentMeta.model_validate(metadata)
    except ValidationError as exc:
        problems = describe_validation_error(exc)
        raise DocumentError(f"de kop (front matter) klopt niet ({problems})") from exc
    # The tenant comes from who ingests (the admin key, or `koers ingest --school`), never from the file:
    # a front matter naming another school would write into that school's answers.
    if meta.school and meta.school != info.school:
        raise DocumentError(messages.other_school(meta.school, info.school))
    return meta.model_copy(update={"school": info.school})


def load_markdown_text(text: str, info: FileInfo) -> LoadedFile:
    """Front matter is validated like ``ingest.documents.load_markdown`` (same messages, without the file
    name, which the report adds); a file without it is a school document with default metadata."""
    try:
        post = frontmatter.loads(text)
    except Exception as exc:  # yaml.YAMLError, or front matter that is not a mapping
        raise DocumentError(f"de kop (front matter) is geen geldige YAML: {exc}") from exc
    body = post.content
    if post.metadata:
        meta = _front_matter_meta(dict(post.metadata), info)
        sections = markdown_sections(body, meta.title)
        if not sections:
            raise DocumentError("er staat geen tekst na de kop (front matter).")
    else:
        meta = default_meta(info, pick_title(info, _first_heading(body), first_line_title(body)))
        sections = markdown_sections(body, meta.title)
    return LoadedFile(meta=meta, sections=sections, source=info.source)
