"""One error envelope for every error the API returns: ``{"error": {"code": ..., "message": ...}}``.

The message is Dutch and says what to do, whoever made the mistake: a student's app, a school's site or a
school admin's script. Errors that FastAPI or Starlette raise themselves (a route that does not exist, a body
that is not JSON, a field that is too long) are translated here, so no client ever meets a second format.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.protect import API_HEADERS
from bot.core.errors import KoersError

log = logging.getLogger("koers.api")
INTERNAL_ERROR = "Er ging iets mis bij Koers. Probeer het zo nog eens. Blijft het misgaan? Zeg het je mentor."


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorResponse(BaseModel):
    error: ErrorBody


def error_response(
    status: int, code: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    body = ErrorResponse(error=ErrorBody(code=code, message=message))
    return JSONResponse(status_code=status, content=body.model_dump(), headers=headers)


# Errors raised by the framework, by status: (code, message).
_HTTP: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Je verzoek kon niet worden gelezen. Controleer de inhoud en probeer het opnieuw."),
    401: ("unauthorized", "Je bent niet aangemeld. Stuur 'Authorization: Bearer <sleutel>'."),
    403: ("forbidden", "Dit mag niet met deze sleutel."),
    404: ("not_found", "Dit adres bestaat niet. Op /docs staat welke adressen er zijn."),
    405: ("method_not_allowed", "Dit adres werkt niet op deze manier. Op /docs staat hoe het wel werkt."),
    413: ("too_large", "Je verzoek is te groot."),
    415: ("unsupported_media_type", "Dit soort inhoud kan Koers niet lezen. Stuur JSON."),
    429: ("too_many_requests", "Te veel verzoeken achter elkaar. Wacht even en probeer het dan opnieuw."),
}

# Pydantic's error types (a closed set) in plain Dutch; {field} is the field, the rest comes from the error.
_VALIDATION: dict[str, str] = {
    "missing": "{field} ontbreekt",
    "string_too_short": "{field} is leeg of te kort (minstens {min_length} teken(s))",
    "string_too_long": "{field} is te lang: hoogstens {max_length} tekens",
    "too_short": "{field} heeft te weinig items (minstens {min_length})",
    "too_long": "{field} heeft te veel items: hoogstens {max_length}",
    "string_pattern_mismatch": "{field} heeft een vorm die niet klopt",
    "string_type": "{field} moet tekst zijn",
    "list_type": "{field} moet een lijst zijn",
    "dict_type": "{field} moet een object zijn",
    "model_type": "{field} moet een object zijn",
    "model_attributes_type": "{field} moet een object zijn",
    "int_type": "{field} moet een heel getal zijn",
    "int_parsing": "{field} moet een heel getal zijn",
    "bool_type": "{field} moet true of false zijn",
    "bool_parsing": "{field} moet true of false zijn",
    "literal_error": "{field} moet een van deze waarden zijn: {expected}",
    "enum": "{field} moet een van deze waarden zijn: {expected}",
    "json_invalid": "de inhoud is geen geldige JSON",
    "json_type": "de inhoud is geen geldige JSON",
    "extra_forbidden": "{field} is onbekend",
}
_TOO_LONG_MESSAGE = (
    "Je bericht is te lang: hoogstens {max_length} tekens. Maak het korter of stuur het in delen."
)


def _field(loc: Sequence[Any]) -> str:
    path = ".".join(str(part) for part in loc if part not in {"body", "query", "path", "header"})
    return f"'{path}'" if path else "de inhoud"


def describe(errors: Sequence[Any]) -> str:
    """The validation problems as one Dutch sentence, at most five of them."""
    problems: list[str] = []
    for error in errors[:5]:
        context = dict(error.get("ctx") or {})
        template = _VALIDATION.get(error["type"], "{field} klopt niet")
        try:
            problems.append(template.format(field=_field(error["loc"]), **context))
        except (KeyError, IndexError):  # a context value the template expects is missing
            problems.append(f"{_field(error['loc'])} klopt niet")
    text = "; ".join(problems)
    return text[0].upper() + text[1:] + "."


def _validation_message(errors: Sequence[Any]) -> str:
    message_too_long = next(
        (e for e in errors if e["type"] == "string_too_long" and tuple(e["loc"][-1:]) == ("message",)), None
    )
    if message_too_long is not None:
        return _TOO_LONG_MESSAGE.format(**message_too_long["ctx"])
    return f"Je verzoek klopt niet. {describe(errors)}"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(KoersError)
    async def _koers_error(_: Request, exc: KoersError) -> JSONResponse:
        return error_response(exc.http_status, exc.code, exc.message, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", _validation_message(exc.errors()))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        # A bug: the log gets the traceback; the client gets the one error shape and nothing of the inside
        # (no prompt, setting or path).
        log.error("Unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
        # Starlette answers a bug outside every middleware, so the security headers are added here.
        return error_response(500, "internal_error", INTERNAL_ERROR, headers=API_HEADERS.headers)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        code, message = _HTTP.get(exc.status_code, ("http_error", "Dit verzoek kon niet worden uitgevoerd."))
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        return error_response(exc.status_code, code, message, headers=headers or None)


def _allowed_methods(request: Request) -> str:
    """Every method the API documents for this path. (Starlette names only the methods of the first route
    that matches, and GET and POST of one path are two routes here.) A path written out in full
    (/v1/classes/join) is its own resource, not one of a template's (/v1/classes/{class_id})."""
    paths: dict[str, dict[str, Any]] = request.app.openapi()["paths"]
    path = request.url.path
    matching = [
        template
        for template in paths
        if re.fullmatch(re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)), path)
    ]
    literal = [template for template in matching if template == path]
    methods = {method.upper() for template in literal or matching for method in paths[template]}
    return ", ".join(sorted(methods))


class BodyLimit:
    """Refuse a request body above a size limit before the framework reads it (pure ASGI middleware).

    A declared Content-Length is checked at once (the server holds the client to it). A body sent in chunks
    without one is read here up to the limit and then handed on. Uploads to ``upload_paths`` are held to
    the file size limit (plus room for the form around the file)."""

    def __init__(
        self, app: ASGIApp, *, max_bytes: int, upload_bytes: int, upload_paths: tuple[str, ...]
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.upload_bytes = upload_bytes
        self.upload_paths = upload_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        upload = scope["path"].startswith(self.upload_paths)
        limit = self.upload_bytes + MULTIPART_OVERHEAD if upload else self.max_bytes
        refusal = _file_too_large(self.upload_bytes) if upload else _too_large(limit)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None:
            if declared.isdigit() and int(declared) > limit:
                await refusal(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        size, more = 0, True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return
            chunks.append(message.get("body", b""))
            size += len(chunks[-1])
            more = message.get("more_body", False)
            if size > limit:
                await refusal(scope, receive, send)
                return
        body = b"".join(chunks)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


MULTIPART_OVERHEAD = 64 * 1024  # the form fields and boundaries around an uploaded file


def _size(limit: int) -> str:
    if limit < 1 << 20:
        return f"{limit // 1024} kB"
    return f"{limit / (1 << 20):.1f}".removesuffix(".0").replace(".", ",") + " MB"


def _too_large(limit: int) -> JSONResponse:
    message = f"Je verzoek is te groot: hoogstens {_size(limit)}. Stuur minder tekst."
    return error_response(413, "too_large", message)


def _file_too_large(limit: int) -> JSONResponse:
    message = f"Het bestand is te groot: hoogstens {_size(limit)}. Maak het kleiner of splits het op."
    return error_response(413, "file_too_large", message)
