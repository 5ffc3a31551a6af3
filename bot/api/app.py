"""FastAPI application factory. The service is built by the caller (bot.container) and injected."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.sse import EventSourceResponse, format_sse_event
from pydantic import BaseModel, Field

from bot.api_keys import ApiKeys
from bot.errors import KoersError
from bot.ports import DocumentLibrary
from bot.schemas import Answer, Message
from bot.service import ChatService, StreamEvent


class ChatRequest(BaseModel):
    message: str = Field(min_length=1, max_length=2000, description="The student's question, in Dutch.")
    history: list[Message] = Field(
        default_factory=list, max_length=50, description="Earlier turns, oldest first (the API is stateless)."
    )
    school: str | None = Field(
        default=None,
        max_length=100,
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        description="School id: its own documents are searched too, next to the national corpus.",
    )


class Health(BaseModel):
    status: str
    chunks: int


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


def _service(request: Request) -> ChatService:
    service: ChatService = request.app.state.service
    return service


ServiceDep = Annotated[ChatService, Depends(_service)]


def create_app(
    service: ChatService,
    *,
    library: DocumentLibrary | None = None,
    api_keys: ApiKeys | None = None,
    max_upload_bytes: int = 20 * 1024 * 1024,
) -> FastAPI:
    """The API; with a document library and API keys it also serves the school admin endpoints."""
    app = FastAPI(
        title="Koers API",
        version="0.1.0",
        description="Dutch career-orientation assistant for vmbo students: grounded answers with sources.",
    )
    app.state.service = service
    if library is not None and api_keys is not None:
        from bot.api.admin import router

        app.state.library = library
        app.state.api_keys = api_keys
        app.state.max_upload_bytes = max_upload_bytes
        app.include_router(router)

    @app.exception_handler(KoersError)
    async def _koers_error(_: Request, exc: KoersError) -> JSONResponse:
        body = ErrorResponse(error=ErrorBody(code=exc.code, message=exc.message))
        return JSONResponse(status_code=exc.http_status, content=body.model_dump())

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'] if p != 'body') or 'body'}: {e['msg']}" for e in exc.errors()
        )
        message = (
            "Je bericht kon niet worden gelezen. Stuur JSON zoals "
            '{"message": "jouw vraag", "history": []}. ' + f"({problems})"
        )
        body = ErrorResponse(error=ErrorBody(code="invalid_request", message=message))
        return JSONResponse(status_code=422, content=body.model_dump())

    @app.get("/health", response_model=Health)
    def health(svc: ServiceDep) -> Health:
        """Liveness and readiness: how many passages Koers can answer from."""
        return Health(status="ok", chunks=svc.chunk_count())

    @app.post(
        "/v1/chat",
        response_model=Answer,
        responses={422: {"model": ErrorResponse}, 503: {"model": ErrorResponse}},
    )
    def chat(request: ChatRequest, svc: ServiceDep) -> Answer:
        """Answer one student message in plain Dutch, with numbered citations, route labels and follow-ups."""
        return svc.answer(request.message, request.history, school=request.school)

    @app.post(
        "/v1/chat/stream",
        response_model=None,
        responses={
            200: {"content": {"text/event-stream": {}}, "description": "token, citations, routes, ..., done"},
            422: {"model": ErrorResponse},
            503: {"model": ErrorResponse},
        },
    )
    def chat_stream(request: ChatRequest, svc: ServiceDep) -> EventSourceResponse:
        """The answer of /v1/chat as server-sent events: ``token`` pieces of the text, then ``citations``,
        ``routes``, ``follow_ups``, optionally ``clarify``, and ``done`` with the whole answer."""
        events = svc.stream(request.message, request.history, school=request.school)  # errors raise here
        return EventSourceResponse(_sse(events), headers={"Cache-Control": "no-cache"})

    return app


def _sse(events: Iterator[StreamEvent]) -> Iterator[bytes]:
    for item in events:
        yield format_sse_event(data_str=json.dumps(item.data, ensure_ascii=False), event=item.event)
