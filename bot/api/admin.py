"""Admin endpoints for a school's own documents, behind a school-scoped API key (Authorization: Bearer)."""

from __future__ import annotations

import logging
import time
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Request, UploadFile, status
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from pydantic import BaseModel, Field, WithJsonSchema

from bot.adapters.api_keys import ApiKeys
from bot.adapters.schools import SchoolProfielen
from bot.api.errors import ErrorResponse
from bot.core.errors import KoersError
from bot.core.labels import PROFIELEN
from bot.core.ports import DocumentLibrary
from bot.core.schemas import DocumentStatus


class Unauthorized(KoersError):
    code = "unauthorized"
    http_status = 401


class NotFound(KoersError):
    code = "not_found"
    http_status = 404


class TooLarge(KoersError):
    code = "file_too_large"
    http_status = 413


class Unreadable(KoersError):
    code = "document_unreadable"
    http_status = 422


class TooManyAttempts(KoersError):
    code = "too_many_attempts"
    http_status = 429


log = logging.getLogger("koers.admin")


class KeyAttempts:
    """Failed API-key attempts per client. After ``limit`` failures (say "10/minute") the client is refused
    until the window has passed, even with a good key: guessing keys must be slow. Attempts are logged with
    the client's address, never with the key that was tried."""

    def __init__(self, limit: str = "10/minute") -> None:
        self._item: RateLimitItem = parse(limit)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, client: str) -> None:
        if not self._limiter.test(self._item, client):
            reset = self._limiter.get_window_stats(self._item, client).reset_time
            wait = max(1, round(reset - time.time()))
            raise TooManyAttempts(
                f"Te veel verkeerde sleutels achter elkaar. Wacht {wait} seconden en probeer het opnieuw "
                "met de goede sleutel."
            )

    def failed(self, client: str, path: str) -> None:
        self._limiter.hit(self._item, client)
        remaining = self._limiter.get_window_stats(self._item, client).remaining
        log.warning("Wrong admin API key from %s for %s (%d attempts left)", client, path, remaining)


def _school(request: Request, authorization: Annotated[str | None, Header()] = None) -> str:
    keys: ApiKeys = request.app.state.api_keys
    attempts: KeyAttempts = request.app.state.key_attempts
    client = request.client.host if request.client else "onbekend"
    attempts.check(client)
    token = (authorization or "").removeprefix("Bearer ").strip()
    school = keys.school_for(token) if token else None
    if school is None:
        attempts.failed(client, request.url.path)
        raise Unauthorized(
            "De sleutel ontbreekt of klopt niet. Stuur 'Authorization: Bearer <sleutel>'. "
            "Een nieuwe sleutel maak je met 'koers admin'."
        )
    return school


def _library(request: Request) -> DocumentLibrary:
    library: DocumentLibrary = request.app.state.library
    return library


School = Annotated[str, Depends(_school)]
Library = Annotated[DocumentLibrary, Depends(_library)]
# Every admin endpoint can answer with these, in the one error shape (bot.api.errors).
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 401, 404, 413, 422, 429)
}
router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=_ERRORS)


@router.post("/documents", response_model=DocumentStatus, status_code=status.HTTP_201_CREATED)
def upload_document(
    file: UploadFile, school: School, library: Library, request: Request, background: BackgroundTasks
) -> DocumentStatus:
    """Add or replace one document (PDF, DOCX, HTML, TXT or Markdown) for your school only."""
    limit: int = request.app.state.max_upload_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        megabytes = f"{limit / 1024 / 1024:.0f} MB"
        raise TooLarge(f"Het bestand is te groot: hoogstens {megabytes}. Maak het kleiner of splits het op.")
    result = library.add(school, file.filename or "document", data)
    if result.status == "failed":
        raise Unreadable(f"{result.source}: {result.reason}")
    # After the response: the document can be asked about at once, its sentences are embedded meanwhile.
    background.add_task(request.app.state.service.prepare_document, result.doc_id, school)
    return result


@router.get("/documents", response_model=list[DocumentStatus])
def list_documents(school: School, library: Library) -> list[DocumentStatus]:
    """Your school's documents, with how many passages Koers can quote from each."""
    return library.list(school)


@router.delete("/documents/{doc_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_document(doc_id: str, school: School, library: Library) -> None:
    """Remove a document: Koers stops using it at once."""
    if not library.remove(school, doc_id):
        raise NotFound(
            f"Je school heeft geen document '{doc_id}'. GET /v1/admin/documents laat ze allemaal zien."
        )


# The schema names the valid values (a code or its label); the server also takes 'bwi' or ' BWI '.
ProfielCode = Annotated[
    str,
    WithJsonSchema({"type": "string", "enum": [*PROFIELEN, *(f"vmbo:{code}" for code in PROFIELEN)]}),
]


class Profielen(BaseModel):
    profielen: list[ProfielCode] = Field(
        description=(
            "The vmbo profielen your school offers, as codes ('BWI', 'PIE', 'M&T', ...). An empty list means "
            "'every profiel' (the default)."
        ),
        max_length=20,
    )


def _profielen_store(request: Request) -> SchoolProfielen:
    schools: SchoolProfielen | None = request.app.state.service.schools
    if schools is None:
        raise NotFound("Deze server bewaart geen instellingen per school.")
    return schools


ProfielenStore = Annotated[SchoolProfielen, Depends(_profielen_store)]


@router.get("/profielen", response_model=Profielen)
def get_profielen(school: School, store: ProfielenStore) -> Profielen:
    """The vmbo profielen Koers may advise to your students; empty = every profiel."""
    return Profielen(profielen=sorted(store.offered(school) or ()))


@router.put("/profielen", response_model=Profielen)
def set_profielen(body: Profielen, school: School, store: ProfielenStore) -> Profielen:
    """Set the vmbo profielen your school offers. Koers then advises only these, and tells a student who asks
    about another one to ask the decaan where it is offered."""
    return Profielen(profielen=store.set(school, body.profielen))
