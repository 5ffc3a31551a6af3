"""FastAPI application factory. The service is built by the caller (bot.container) and injected."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from fastapi.sse import EventSourceResponse, format_sse_event
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field

from bot.adapters.api_keys import ApiKeys
from bot.adapters.classes import ClassSessions
from bot.adapters.feedback import FeedbackStore
from bot.adapters.sessions import SessionNotFound, SessionStore
from bot.api.admin import KeyAttempts
from bot.api.classes import router as classes_router
from bot.api.errors import BodyLimit, ErrorResponse, install_error_handlers
from bot.api.protect import PAGES, RateLimits, SecurityHeaders, check_origin, client_address
from bot.api.public import router as public_router
from bot.api.quiz import router as quiz_router
from bot.core.config import MAX_FILE_MB, MB
from bot.core.errors import KoersError
from bot.core.ports import DocumentLibrary
from bot.core.schemas import CLIENT_TOKEN, SCHOOL_ID, Answer, Message
from bot.core.school_sites import SchoolSites
from bot.service import ChatService, StreamEvent, Turn

# A chat request holds at most 51 messages of 2,000 characters; 1 MB is far above that and far below harm.
MAX_BODY_BYTES = 1024 * 1024


class ChatRequest(BaseModel):
    # 'session_id' and a non-empty 'history' exclude each other; said in the schema too, so clients and
    # schema-driven tests know before they send.
    model_config = ConfigDict(
        json_schema_extra={
            "not": {
                "required": ["session_id", "history"],
                "properties": {"session_id": {"type": "string"}, "history": {"type": "array", "minItems": 1}},
            }
        }
    )

    message: str = Field(
        min_length=1,
        max_length=2000,
        description="The student's question, in Dutch.",
        examples=["ik vind sleutelen aan scooters leuk, welk profiel past bij mij?"],
    )
    history: list[Message] = Field(
        default_factory=list,
        max_length=50,
        description="Earlier turns, oldest first (the API is stateless).",
        examples=[[{"role": "user", "content": "ik doe kader"}, {"role": "assistant", "content": "..."}]],
    )
    school: str | None = Field(
        default=None,
        max_length=100,
        pattern=SCHOOL_ID,
        description="School id: its own documents are searched too, next to the national corpus.",
    )
    session_id: str | None = Field(
        default=None,
        max_length=64,
        pattern=CLIENT_TOKEN,
        description=(
            "A conversation kept by the server (POST /v1/sessions), instead of 'history'. Only when the "
            "server has sessions turned on."
        ),
    )
    class_token: str | None = Field(
        default=None,
        max_length=64,
        pattern=CLIENT_TOKEN,
        description="From POST /v1/classes/join: this turn counts (anonymously) in the mentor's dashboard.",
    )
    conversation_id: str | None = Field(
        default=None,
        max_length=64,
        pattern=CLIENT_TOKEN,
        description=(
            "A random id the client makes for one conversation (the widget does). Used only for the rate "
            "limit per conversation; never stored."
        ),
    )


class ChatResponse(Answer):
    session_id: str | None = Field(default=None, description="The conversation this turn was added to.")
    answer_id: str = Field(
        default="", description="Random id of this answer, to send with feedback (POST /v1/feedback)."
    )


class SessionStarted(BaseModel):
    session_id: str = Field(description="Send it with every message of this conversation; shown once.")
    expires_after_minutes: int = Field(
        description="The conversation is deleted this long after its last turn."
    )


class SessionsOff(KoersError):
    code = "sessions_disabled"
    http_status = 400


class HistoryTwice(KoersError):
    code = "invalid_request"
    http_status = 422


class Health(BaseModel):
    status: str
    chunks: int


class Readiness(BaseModel):
    status: str = Field(description="'ready', or 'not_ready' with status 503.")
    checks: dict[str, bool] = Field(description="'store': passages to answer from; 'model': embeds a query.")


def _service(request: Request) -> ChatService:
    service: ChatService = request.app.state.service
    return service


ServiceDep = Annotated[ChatService, Depends(_service)]


def create_app(
    service: ChatService,
    *,
    library: DocumentLibrary | None = None,
    api_keys: ApiKeys | None = None,
    max_upload_bytes: int = int(MAX_FILE_MB * MB),
    max_body_bytes: int = MAX_BODY_BYTES,
    key_attempts: str = "10/minute",
    sessions: SessionStore | None = None,
    sites: SchoolSites | None = None,
    feedback: FeedbackStore | None = None,
    rate_limits: RateLimits | None = None,
    answers_at_once: int = 1,
    classes: ClassSessions | None = None,
) -> FastAPI:
    """The API; with a document library and API keys it also serves the school admin endpoints, and with a
    session store it keeps conversations for clients that send a ``session_id`` instead of the history.

    ``sites`` are the schools whose websites may embed the widget (default: only the demo school on this
    server's own pages); ``feedback`` stores thumbs up/down; ``rate_limits`` default to 20 messages a minute
    per conversation and 600 requests a minute per client address."""
    sites = sites or SchoolSites([])
    answer_slots = threading.BoundedSemaphore(answers_at_once)
    rate_limits = rate_limits or RateLimits("20/minute", "600/minute")

    # The docs pages load their scripts from this server, not a CDN: a school laptop may be offline.
    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        if library is not None:  # stop a file that is still being read; remove half-received uploads
            library.close()

    app = FastAPIOffline(
        title="Koers API",
        version="0.1.0",
        description="Dutch career-orientation assistant for vmbo students: grounded answers with sources.",
        lifespan=lifespan,
        # Any request can be unreadable (400), and any can meet a bug (500): both in the one error shape.
        responses={400: {"model": ErrorResponse}, 500: {"model": ErrorResponse}},
    )
    app.state.service = service
    app.state.sites = sites
    app.state.feedback = feedback
    app.state.rate_limits = rate_limits
    app.state.classes = classes
    app.state.key_attempts = KeyAttempts(key_attempts)
    if library is not None and api_keys is not None:
        from bot.api.admin import router

        app.state.library = library
        app.state.api_keys = api_keys
        app.state.max_upload_bytes = max_upload_bytes
        app.include_router(router)

    app.include_router(public_router)
    app.include_router(classes_router)
    app.include_router(quiz_router)

    install_error_handlers(app)
    app.add_middleware(
        BodyLimit,
        max_bytes=max_body_bytes,
        upload_bytes=max_upload_bytes,
        upload_paths=("/v1/admin/documents",),
    )
    # Outermost: the browser's CORS preflight and every response's security headers, errors included.
    app.add_middleware(
        CORSMiddleware,
        allow_origins=sites.origins(),
        allow_methods=["GET", "POST"],
        allow_headers=["Content-Type"],
        max_age=600,
    )
    app.add_middleware(SecurityHeaders, by_prefix=PAGES)

    @app.get("/health", response_model=Health)
    def health(svc: ServiceDep) -> Health:
        """Liveness and readiness: how many passages Koers can answer from."""
        return Health(status="ok", chunks=svc.chunk_count())

    @app.get("/ready", response_model=Readiness, responses={503: {"model": Readiness}})
    def ready(svc: ServiceDep) -> Readiness | JSONResponse:
        """Readiness: the store answers and holds passages, and the embedding model is loaded."""
        checks = svc.readiness()
        if all(checks.values()):
            return Readiness(status="ready", checks=checks)
        return JSONResponse(Readiness(status="not_ready", checks=checks).model_dump(), status_code=503)

    def compose(request: ChatRequest, svc: ChatService) -> Answer:
        turn = respond(request, svc)
        if classes is not None and request.class_token:
            signals = turn.signals
            classes.record(
                request.class_token,
                {
                    "interest": signals.interests,
                    "route": signals.routes,
                    "topic": [signals.topic],
                    "unanswered": [signals.unanswered],
                },
            )
        return turn.answer

    def respond(request: ChatRequest, svc: ChatService) -> Turn:
        # At most ``answers_at_once`` answers are composed at a time; the other requests wait their turn.
        # Answering is CPU work (and the model already uses every core): 30 answers side by side all finish
        # late, one after the other most finish early. On 2 cores, 30 students asking at the same moment:
        # p95 1.3-1.4 s with 1 at a time, 1.5 s with 2, 1.8 s with no limit (koers bench load, 2026-12-02).
        with answer_slots:
            return svc.respond(request.message, history(request), school=request.school)

    def admit(request: ChatRequest, http: Request) -> None:
        """Refuse a page that may not use this school's Koers, and a client or conversation over its limit."""
        check_origin(http, sites, request.school)
        rate_limits.hit(client_address(http), request.conversation_id or request.session_id)

    def history(request: ChatRequest) -> list[Message]:
        if request.session_id is None:
            return request.history
        if sessions is None:
            raise SessionsOff(
                "Deze server bewaart geen gesprekken. Stuur de eerdere berichten mee in 'history'. "
                "(Beheerder: zet gesprekken aan met KOERS_SESSIONS__ENABLED=true.)"
            )
        if request.history:
            raise HistoryTwice("Stuur 'session_id' of 'history', niet allebei.")
        return sessions.history(request.session_id)

    def remember(request: ChatRequest, answer: Answer) -> None:
        if sessions is not None and request.session_id is not None:
            turn = [
                Message(role="user", content=request.message),
                Message(role="assistant", content=answer.text),
            ]
            sessions.append(request.session_id, turn)

    @app.post(
        "/v1/chat",
        response_model=ChatResponse,
        responses={
            400: {"model": ErrorResponse},
            403: {"model": ErrorResponse},
            404: {"model": ErrorResponse},
            422: {"model": ErrorResponse},
            429: {"model": ErrorResponse},
            503: {"model": ErrorResponse},
        },
    )
    def chat(request: ChatRequest, http: Request, svc: ServiceDep) -> ChatResponse:
        """Answer one student message in plain Dutch, with numbered citations, route labels and follow-ups."""
        admit(request, http)
        answer = compose(request, svc)
        remember(request, answer)
        return ChatResponse(**answer.model_dump(), session_id=request.session_id, answer_id=uuid.uuid4().hex)

    @app.post(
        "/v1/chat/stream",
        response_model=None,
        responses={
            200: {"content": {"text/event-stream": {}}, "description": "token, citations, routes, ..., done"},
            400: {"model": ErrorResponse},
            403: {"model": ErrorResponse},
            404: {"model": ErrorResponse},
            422: {"model": ErrorResponse},
            429: {"model": ErrorResponse},
            503: {"model": ErrorResponse},
        },
    )
    def chat_stream(request: ChatRequest, http: Request, svc: ServiceDep) -> EventSourceResponse:
        """The answer of /v1/chat as server-sent events: ``token`` pieces of the text, then ``citations``,
        ``routes``, ``follow_ups``, optionally ``clarify``, and ``done`` with the whole answer and its
        ``answer_id``."""
        admit(request, http)
        answer = compose(request, svc)  # errors raise here, before the stream starts
        remember(request, answer)
        return EventSourceResponse(
            _sse(svc.events(answer), answer_id=uuid.uuid4().hex), headers={"Cache-Control": "no-cache"}
        )

    @app.post(
        "/v1/sessions",
        response_model=SessionStarted,
        status_code=201,
        responses={400: {"model": ErrorResponse}},
    )
    def start_session() -> SessionStarted:
        """Start a conversation the server keeps (scrubbed of personal data, deleted after a while)."""
        if sessions is None:
            raise SessionsOff(
                "Deze server bewaart geen gesprekken. Stuur de eerdere berichten mee in 'history'. "
                "(Beheerder: zet gesprekken aan met KOERS_SESSIONS__ENABLED=true.)"
            )
        return SessionStarted(session_id=sessions.start(), expires_after_minutes=sessions.ttl_minutes)

    @app.delete("/v1/sessions/{session_id}", status_code=204, responses={404: {"model": ErrorResponse}})
    def end_session(session_id: str) -> None:
        """Delete a conversation now (a student's "wis gesprek")."""
        if sessions is None or not sessions.end(session_id):
            raise SessionNotFound("Dit gesprek bestaat niet (meer); er is niets bewaard.")

    return app


def _sse(events: Iterator[StreamEvent], *, answer_id: str) -> Iterator[bytes]:
    for item in events:
        data = {**item.data, "answer_id": answer_id} if item.event == "done" else item.data
        yield format_sse_event(data_str=json.dumps(data, ensure_ascii=False), event=item.event)
