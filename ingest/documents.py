"""Corpus documents: Markdown with YAML front matter, validated before anything is stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import frontmatter
import yaml
from pydantic import BaseModel, Field, ValidationError, field_validator

from bot.errors import DocumentError


class Source(BaseModel):
    titel: str = Field(min_length=1)
    url: str = Field(min_length=1)


class DocumentMeta(BaseModel):
    """Front matter of a corpus document (issue 'knowledge base' widens this schema)."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: str = Field(min_length=1)
    kind: str = Field(min_length=1)
    labels: list[str] = Field(default_factory=list)
    leerwegen: list[str] = Field(default_factory=list)
    bronnen: list[Source] = Field(default_factory=list)
    bijgewerkt: dt.date | None = None
    schooljaar: str | None = None
    school: str = ""

    @field_validator("schooljaar", mode="before")
    @classmethod
    def _year_as_text(cls, value: object) -> object:
        return str(value) if value is not None else None


class Document(BaseModel):
    meta: DocumentMeta
    body: str
    source: str = Field(description="Path relative to the ingested folder, with forward slashes.")


def load_markdown(path: Path, root: Path) -> Document:
    """Read one Markdown file; raise :class:`DocumentError` with the file name and the fix on bad input."""
    relative = path.relative_to(root).as_posix()
    try:
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise DocumentError(f"{relative}: not UTF-8 text ({exc.reason}). Save the file as UTF-8.") from exc
    except yaml.YAMLError as exc:
        raise DocumentError(f"{relative}: the front matter is not valid YAML: {exc}") from exc
    if not post.metadata:
        raise DocumentError(f"{relative}: no front matter. Start the file with '---', id, title and kind.")
    try:
        meta = DocumentMeta.model_validate(post.metadata)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise DocumentError(f"{relative}: front matter is not valid ({problems})") from exc
    if not post.content.strip():
        raise DocumentError(f"{relative}: the document has no text after the front matter.")
    return Document(meta=meta, body=post.content, source=relative)
