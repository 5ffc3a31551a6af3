"""The interest quiz over HTTP: the statements, and the scores of a student's answers (``bot.routes.quiz``).
In a class session the result counts, anonymously, in the mentor's dashboard."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from bot.adapters.classes import ClassSessions
from bot.api.errors import ErrorResponse
from bot.core.schemas import CLIENT_TOKEN
from bot.routes.quiz import ANSWERS, STATEMENTS, TYPES, score

router = APIRouter(prefix="/v1/quiz", tags=["quiz"])


class Statement(BaseModel):
    id: str
    text: str


class Quiz(BaseModel):
    statements: list[Statement]
    answers: dict[int, str] = Field(description="The answer scale: 0 = nee, 1 = een beetje, 2 = ja.")


class QuizAnswers(BaseModel):
    answers: dict[Annotated[str, Field(max_length=8)], Literal[0, 1, 2]] = Field(
        max_length=len(STATEMENTS), examples=[{"r1": 2, "r2": 1, "i1": 0}]
    )
    class_token: str | None = Field(default=None, max_length=64, pattern=CLIENT_TOKEN)


class TypeScore(BaseModel):
    type: str = Field(description="RIASEC letter.")
    name: str
    score: float = Field(ge=0, le=1)


class QuizResult(BaseModel):
    scores: list[TypeScore] = Field(description="Every type, strongest first.")
    top: list[str] = Field(description="The names of the strongest types (at most two).")
    message: str = Field(description="The result as the student would say it, to send to the chat.")


@router.get("", response_model=Quiz)
def quiz() -> Quiz:
    """The 20 statements of the interest quiz (about three minutes)."""
    return Quiz(statements=[Statement(id=i, text=t) for i, _, t in STATEMENTS], answers=ANSWERS)


@router.post("", response_model=QuizResult, responses={422: {"model": ErrorResponse}})
def result(body: QuizAnswers, request: Request) -> QuizResult:
    """Score the answers. With a ``class_token`` the strongest types count in the class's dashboard."""
    outcome = score(body.answers)
    names = [TYPES[letter][0] for letter in outcome.top]
    classes: ClassSessions | None = request.app.state.classes
    if classes is not None and body.class_token:
        classes.record(body.class_token, {"type": names})
    ranked = sorted(outcome.scores, key=lambda letter: -outcome.scores[letter])
    return QuizResult(
        scores=[TypeScore(type=t, name=TYPES[t][0], score=outcome.scores[t]) for t in ranked],
        top=names,
        message=outcome.message,
    )
