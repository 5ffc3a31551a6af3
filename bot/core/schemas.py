"""Data that crosses a boundary: chunks in the store, retrieved passages, and the structured answer."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from bot.core.labels import display_name

# A school id: lower-case letters, digits and hyphens ("de-wissel"). The API, `koers ingest --school` and
# `koers admin` accept the same ids.
SCHOOL_ID = r"^[a-z0-9][a-z0-9-]*$"
# A token a client sends back: a session id (POST /v1/sessions) or a conversation id the widget makes.
CLIENT_TOKEN = r"^[A-Za-z0-9_-]+$"


class Chunk(BaseModel):
    """One passage of a document, as stored in the vector store."""

    id: str = Field(description="Stable id: document id + heading path + content hash.")
    doc_id: str
    title: str = Field(description="Title of the document the passage comes from.")
    heading: str = Field(default="", description="Heading path inside the document, e.g. 'Modules'.")
    text: str
    labels: list[str] = Field(default_factory=list, description="Canonical route labels of the document.")
    kind: str = ""
    source: str = Field(default="", description="Source file, relative to the ingested folder.")
    school: str = Field(default="", description="Tenant; empty for the national corpus.")
    origin: str = Field(default="", description="Name of the ingested folder the file came from.")
    page: int | None = Field(default=None, description="1-based page number, for PDFs.")
    schooljaar: str = Field(default="", description="School year the document is about, if given.")
    leerwegen: list[str] = Field(
        default_factory=list, description="vmbo leerwegen the document applies to; empty = all of them."
    )
    url: str = Field(default="", description="Public web address of the document's first source, if any.")

    @property
    def written_for(self) -> str | None:
        """Who a section speaks to, when its heading says so ("Voor mentoren: zo praat je met ouders",
        "Voor ouders", "Voor leerlingen"): "mentor", "parent" or "student"; None for everyone.

        The document's title counts as the outermost heading, so a document written for one reader
        ("Voor ouders: ...") marks its lead too, which has no heading of its own. A lesson plan (kind
        ``les``) is written for mentors as a whole.

        Tried and not kept (2026-12-07): leaving lesson plans out of a student's search as well, so that
        passages that can be quoted take their places. "wat past bij mij" then found a help document first
        and got "Soms gaat het niet goed. [...] Of je voelt je al een tijd somber, bang of boos."."""
        if self.kind in MENTOR_KINDS:
            return "mentor"
        for part in (*reversed(self.heading.split(" > ")), self.title):
            found = _WRITTEN_FOR.match(part.strip())
            if found:
                return _READERS[found.group(1).lower()]
        return None


# Document kinds written for mentors as a whole: lesson plans.
MENTOR_KINDS = frozenset({"les"})
# A section heading that names its reader (see Chunk.written_for; corpus/README.md).
_WRITTEN_FOR = re.compile(r"^Voor (mentoren|docenten|decanen|ouders|verzorgers|leerlingen)\b", re.IGNORECASE)
_READERS = {
    "mentoren": "mentor",
    "docenten": "mentor",
    "decanen": "mentor",
    "ouders": "parent",
    "verzorgers": "parent",
    "leerlingen": "student",
}


class RetrievedChunk(BaseModel):
    chunk: Chunk
    score: float = Field(description="Cosine similarity between question and passage (1 = identical).")
    via: Literal["search", "graph"] = Field(
        default="search", description="'graph': looked up from the route graph to back a reason; score is 0."
    )


class Citation(BaseModel):
    """A numbered source: which retrieved chunk a part of the answer comes from, with the exact quote."""

    number: int = Field(ge=1)
    chunk_id: str
    doc_id: str
    title: str
    quote: str = Field(description="Text copied verbatim from the chunk.")
    source: str = ""
    page: int | None = Field(default=None, description="Page of the source file, for PDFs.")
    url: str = Field(default="", description="Public web address of the document's source, when it has one.")

    @classmethod
    def of(cls, number: int, chunk: Chunk, quote: str) -> Citation:
        """Citation ``number`` quoting ``quote`` (verbatim text of ``chunk``)."""
        return cls(
            number=number,
            chunk_id=chunk.id,
            doc_id=chunk.doc_id,
            title=chunk.title,
            quote=quote,
            source=chunk.source,
            page=chunk.page,
            url=chunk.url,
        )


class RouteCard(BaseModel):
    """A recommended route as a card: what kind of step it is, its name and, for an opleiding, its niveaus."""

    label: str = Field(description="Canonical route label, e.g. 'mbo:Autotechnicus'.")
    kind: str = Field(description="The kind in Dutch: Profiel, Richting in het mbo, Opleiding, Beroep, ...")
    name: str
    niveaus: list[int] = Field(default_factory=list, description="mbo niveaus, where a source gives them.")
    doc_id: str = Field(default="", description="The corpus document about it (GET /v1/sources/{doc_id}).")


class Message(BaseModel):
    role: Literal["user", "assistant"]
    content: str = Field(max_length=4000)


class Answer(BaseModel):
    text: str = Field(description="The answer in plain Dutch, with [n] markers that point to citations.")
    citations: list[Citation] = Field(default_factory=list)
    routes: list[str] = Field(default_factory=list, description="Canonical route labels, best first.")
    follow_up_questions: list[str] = Field(default_factory=list)
    clarifying_question: str = Field(
        default="", description="A question back to the student when the answer depends on something unknown."
    )
    choices: list[str] = Field(default_factory=list, description="Short answers to the clarifying question.")
    route_cards: list[RouteCard] = Field(
        default_factory=list, description="The routes of ``routes`` as cards, in the same order."
    )
    route_path: list[RouteCard] = Field(
        default_factory=list,
        description=(
            "One doorlopende leerroute through the recommended routes: profiel -> opleiding (-> beroep), "
            "each step linked to the next in the route graph. Empty when the routes hold no such chain."
        ),
    )
    policy: str = Field(
        default="",
        description="Guardrail that shaped this answer (e.g. 'fraud'); empty for a normal answer.",
    )
    policy_certain: bool = Field(
        default=True,
        description="False when the guardrail acted on a likely but uncertain signal: the answer opens with "
        "care and the help lines, and then still answers the question.",
    )

    @computed_field(description="The routes as a student reads them, in the order of ``routes``.")  # type: ignore[prop-decorator]
    @property
    def route_names(self) -> list[str]:
        return [display_name(label) for label in self.routes]


class DocumentStatus(BaseModel):
    """One of a school's own documents, as the admin API reports it."""

    doc_id: str
    source: str = Field(description="File name as uploaded.")
    status: Literal["ok", "added", "updated", "unchanged", "deleted", "failed"]
    chunks: int = Field(default=0, description="Passages Koers can quote from it.")
    reason: str = Field(default="", description="Why it could not be read, when status is 'failed'.")
    conflicts: list[str] = Field(
        default_factory=list,
        description=(
            "Sentences Koers leaves out because only the national information may say them (help lines, "
            "admission and exam rules) or because they tell the assistant to ignore other sources."
        ),
    )
