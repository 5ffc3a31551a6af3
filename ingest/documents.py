"""Corpus documents: Markdown with YAML front matter, validated before anything is stored."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import frontmatter
import yaml
from pydantic import BaseModel, Field, HttpUrl, ValidationError, field_validator, model_validator

from bot.core.errors import DocumentError, describe_validation_error
from bot.core.labels import label_problem

DocumentKind = Literal[
    "profiel", "module", "keuzevak", "leerweg", "mbo-opleiding", "mbo-domein", "beroep", "route", "regel",
    "lob", "les", "hulp", "begrip", "school",
]  # fmt: skip
Leerweg = Literal["BB", "KB", "GL", "TL"]


class Source(BaseModel):
    titel: str = Field(min_length=3, description="What the source is, e.g. 'SLO handreiking PIE'.")
    url: HttpUrl = Field(description="Full address of the source.")


class DocumentMeta(BaseModel):
    """Front matter of a corpus document. See corpus/README.md for an example."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$", description="Unique, stable document id.")
    title: str = Field(min_length=3)
    kind: DocumentKind
    labels: list[str] = Field(default_factory=list, description="Canonical labels, main label first.")
    leerwegen: list[Leerweg] = Field(default_factory=list, description="vmbo leerwegen it applies to.")
    bronnen: list[Source] = Field(
        default_factory=list,
        description="Where the facts come from; at least one (a school's own file is its own source).",
    )
    bijgewerkt: dt.date = Field(description="Date the content was last checked.")
    schooljaar: str | None = Field(default=None, pattern=r"^\d{4}-\d{4}$")
    school: str = Field(default="", description="Tenant id for a school's own document; empty = national.")
    controleren: list[str] = Field(
        default_factory=list,
        description="Claims no official source confirmed yet; `koers corpus review` lists them for a decaan.",
    )

    @field_validator("schooljaar", mode="before")
    @classmethod
    def _year_as_text(cls, value: object) -> object:
        return str(value) if value is not None else None

    @model_validator(mode="after")
    def _sourced(self) -> DocumentMeta:
        if not self.bronnen and self.kind != "school":
            raise ValueError("bronnen: give at least one source (titel and url)")
        return self

    @field_validator("labels")
    @classmethod
    def _canonical(cls, labels: list[str]) -> list[str]:
        problems = [p for p in (label_problem(label) for label in labels) if p]
        if problems:
            raise ValueError("; ".join(problems))
        if len(set(labels)) != len(labels):
            raise ValueError("a label is listed twice")
        return labels


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
        raise DocumentError(
            f"{relative}: geen UTF-8-tekst ({exc.reason}). Sla het bestand op als UTF-8."
        ) from exc
    except yaml.YAMLError as exc:
        raise DocumentError(f"{relative}: de kop (front matter) is geen geldige YAML: {exc}") from exc
    if not post.metadata:
        raise DocumentError(
            f"{relative}: geen kop (front matter). Begin het bestand met '---', id, title en kind."
        )
    try:
        meta = DocumentMeta.model_validate(post.metadata)
    except ValidationError as exc:
        problems = describe_validation_error(exc)
        raise DocumentError(f"{relative}: de kop (front matter) klopt niet ({problems})") from exc
    if not post.content.strip():
        raise DocumentError(f"{relative}: er staat geen tekst na de kop (front matter).")
    return Document(meta=meta, body=post.content, source=relative)
