"""A mentor's class session over HTTP: a mentor (signed in with the school's mentor code) starts a session
and reads its anonymous dashboard; students join with the short code on the board, no name needed, and send
their ``class_token`` with each chat message. What is counted is described in ``bot.adapters.classes``."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from bot.adapters.classes import ClassSession, ClassSessions, Summary
from bot.api.admin import KeyAttempts
from bot.api.errors import ErrorResponse
from bot.api.protect import RateLimits, client_address
from bot.core.errors import KoersError
from bot.core.labels import display_name

_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorResponse} for status in (400, 401, 404, 422, 429)
}
router = APIRouter(prefix="/v1/classes", tags=["classes"], responses=_ERRORS)


class ClassesOff(KoersError):
    code = "classes_disabled"
    http_status = 404


class NotYourClass(KoersError):
    code = "not_found"
    http_status = 404


class MentorUnauthorized(KoersError):
    code = "unauthorized"
    http_status = 401


class NewClass(BaseModel):
    name: str = Field(min_length=1, max_length=100, examples=["LOB-les techniek"])
    klas: str = Field(min_length=1, max_length=20, examples=["3B"])
    leerweg: Literal["BB", "KB", "GL", "TL"] | None = None
    minutes: int = Field(default=50, ge=10, le=240, description="How long students can join and ask.")


class ClassInfo(BaseModel):
    id: str
    name: str
    klas: str
    leerweg: str | None
    join_code: str = Field(description="What students type to join; show it on the board.")
    ends_at: datetime
    open: bool


class Count(BaseModel):
    value: str
    label: str = Field(description="As a student reads it.")
    count: int


class Dashboard(BaseModel):
    """Anonymous: counts over the class, never a transcript or anything per student."""

    session: ClassInfo
    participants: int
    interests: list[Count]
    types: list[Count] = Field(description="Interest types from the quiz.")
    routes: list[Count]
    topics: list[Count]
    unanswered: list[str] = Field(description="Questions Koers could not answer, scrubbed of personal data.")


class JoinRequest(BaseModel):
    code: str = Field(min_length=4, max_length=12, examples=["K7MZ2Q"])


class Joined(BaseModel):
    class_token: str = Field(description="Send it as 'class_token' with every chat message of this lesson.")
    name: str
    klas: str
    leerweg: str | None
    ends_at: datetime


TOPICS = {
    "definition": "Wat is het?",
    "duration": "Hoe lang duurt het?",
    "cost": "Wat kost het?",
    "pay": "Wat verdien je?",
    "difference": "Wat is het verschil?",
    "admission": "Mag ik erin met mijn leerweg?",
    "where_when": "Waar en wanneer?",
    "fit": "Wat past bij mij?",
    "try_out": "Hoe kan ik het uitproberen?",
    "after": "Wat kan ik daarna?",
    "lesson": "Lesideeën",
}


def _classes(request: Request) -> ClassSessions:
    classes: ClassSessions | None = request.app.state.classes
    if classes is None:
        raise ClassesOff("Deze server heeft geen klassessies.")
    return classes


Classes = Annotated[ClassSessions, Depends(_classes)]


def _mentor(request: Request, classes: Classes, authorization: Annotated[str | None, Header()] = None) -> str:
    attempts: KeyAttempts = request.app.state.key_attempts
    client = client_address(request)
    attempts.check(client)
    code = (authorization or "").removeprefix("Bearer ").strip()
    school = classes.school_for_mentor(code) if code else None
    if school is None:
        attempts.failed(client, request.url.path)
        raise MentorUnauthorized(
            "De mentorcode ontbreekt of klopt niet. Vraag de code aan de beheerder van Koers op je school "
            "(die maakt hem met 'koers admin create-mentor-code')."
        )
    return school


MentorSchool = Annotated[str, Depends(_mentor)]


def _info(session: ClassSession, now: datetime) -> ClassInfo:
    return ClassInfo(
        id=session.id,
        name=session.name,
        klas=session.klas,
        leerweg=session.leerweg,
        join_code=session.join_code,
        ends_at=session.ends_at,
        open=session.open_at(now),
    )


def _own(classes: ClassSessions, school: str, class_id: str) -> ClassSession:
    session = classes.get(class_id)
    if session is None or session.school != school:
        raise NotYourClass("Deze les bestaat niet (meer) bij jouw school.")
    return session


def _dashboard(session: ClassSession, summary: Summary, now: datetime) -> Dashboard:
    return Dashboard(
        session=_info(session, now),
        participants=summary.participants,
        interests=[Count(value=v, label=v, count=n) for v, n in summary.interests],
        types=[Count(value=v, label=v, count=n) for v, n in summary.types],
        routes=[Count(value=v, label=display_name(v), count=n) for v, n in summary.routes],
        topics=[Count(value=v, label=TOPICS.get(v, v), count=n) for v, n in summary.topics],
        unanswered=summary.unanswered,
    )


@router.post("", response_model=ClassInfo, status_code=201)
def start_class(body: NewClass, school: MentorSchool, classes: Classes) -> ClassInfo:
    """Start a class session; show its join code on the board."""
    session = classes.start(
        school, name=body.name, klas=body.klas, leerweg=body.leerweg, minutes=body.minutes
    )
    return _info(session, session.created_at)


@router.get("", response_model=list[ClassInfo])
def list_classes(school: MentorSchool, classes: Classes) -> list[ClassInfo]:
    """Your school's class sessions that are not deleted yet, newest first."""
    now = classes.now()
    return [_info(session, now) for session in classes.of_school(school)]


@router.get("/{class_id}", response_model=Dashboard)
def dashboard(class_id: str, school: MentorSchool, classes: Classes) -> Dashboard:
    """The anonymous dashboard of one session: participants, interests, routes, topics, open questions."""
    session = _own(classes, school, class_id)
    return _dashboard(session, classes.summary(session.id), classes.now())


@router.post("/{class_id}/end", response_model=ClassInfo)
def end_class(class_id: str, school: MentorSchool, classes: Classes) -> ClassInfo:
    """End a session now: students can no longer join or add to it; its data are deleted after the
    retention period (``KOERS_CLASSES__RETENTION_DAYS``)."""
    _own(classes, school, class_id)
    ended = classes.end(class_id)
    assert ended is not None
    return _info(ended, classes.now())


@router.get(
    "/{class_id}/export",
    response_model=None,
    responses={200: {"content": {"text/csv": {}, "text/markdown": {}}, "description": "The summary."}},
)
def export(
    class_id: str,
    school: MentorSchool,
    classes: Classes,
    format: Annotated[Literal["csv", "md"], Query(description="csv or md (Markdown).")] = "md",
) -> PlainTextResponse:
    """The session summary to keep or share with the class: CSV or Markdown."""
    board = dashboard(class_id, school, classes)
    if format == "csv":
        return PlainTextResponse(_csv(board), media_type="text/csv; charset=utf-8")
    return PlainTextResponse(_markdown(board), media_type="text/markdown; charset=utf-8")


@router.post("/join", response_model=Joined, status_code=201)
def join(body: JoinRequest, request: Request, classes: Classes) -> Joined:
    """A student joins a running session with the code on the board; no name is asked or kept."""
    limits: RateLimits = request.app.state.rate_limits
    limits.hit(client_address(request), None)  # guessing codes costs requests
    session, token = classes.join(body.code)
    return Joined(
        class_token=token,
        name=session.name,
        klas=session.klas,
        leerweg=session.leerweg,
        ends_at=session.ends_at,
    )


def _csv(board: Dashboard) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["soort", "waarde", "aantal"])
    writer.writerow(["deelnemers", "", board.participants])
    for kind, counts in (
        ("interesse", board.interests),
        ("type", board.types),
        ("route", board.routes),
        ("vraag", board.topics),
    ):
        for count in counts:
            writer.writerow([kind, count.label, count.count])
    for question in board.unanswered:
        writer.writerow(["geen antwoord", question, ""])
    return out.getvalue()


def _markdown(board: Dashboard) -> str:
    info = board.session
    lines = [f"# {info.name} ({info.klas})", "", f"Deelnemers: {board.participants}", ""]
    for title, counts in (
        ("Waar de klas nieuwsgierig naar is", board.interests),
        ("Uitslagen van de interessetest", board.types),
        ("Routes die Koers het vaakst noemde", board.routes),
        ("Soorten vragen", board.topics),
    ):
        lines += [f"## {title}", ""]
        lines += [f"- {c.label}: {c.count}" for c in counts] or ["- (nog niets)"]
        lines.append("")
    lines += ["## Vragen die Koers niet kon beantwoorden", ""]
    lines += [f"- {q}" for q in board.unanswered] or ["- (geen)"]
    return "\n".join(lines) + "\n"
