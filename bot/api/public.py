"""What a school's website and a student's browser use besides the chat: the widget script, a school's widget
settings, the demo page, the source pages that citations link to, and feedback on an answer."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field

from bot.adapters.feedback import FeedbackStore
from bot.api.errors import ErrorResponse
from bot.api.pages import demo_page, document_text, missing_school_page, missing_source_page, source_page
from bot.api.protect import RateLimits, check_origin, client_address
from bot.core.errors import KoersError
from bot.core.schemas import CLIENT_TOKEN, SCHOOL_ID
from bot.core.school_sites import SchoolSites
from bot.service import ChatService

WIDGET_JS = Path(__file__).parent / "static" / "widget.js"
ANSWER_ID = r"^[a-f0-9]{32}$"
DOC_ID = r"^[A-Za-z0-9._:-]+$"


class UnknownSchool(KoersError):
    code = "unknown_school"
    http_status = 404


class FeedbackOff(KoersError):
    code = "feedback_disabled"
    http_status = 404


class WidgetConfig(BaseModel):
    """What the widget shows for a school. Public: nothing here is secret."""

    id: str
    name: str
    colour: str = Field(description="Theme colour, '#rrggbb'.")
    greeting: str
    texts: dict[str, str] = Field(
        description="Every text of the widget, with the school's own where it set one."
    )


class LessonSection(BaseModel):
    heading: str = Field(description="Heading of this part of the lesson plan; empty for its introduction.")
    text: str = Field(description="Markdown text of this part.")


class LessonPlan(BaseModel):
    """A LOB lesson plan for mentors, from the corpus (documents of kind 'les')."""

    doc_id: str = Field(description="Its source page: GET /v1/sources/{doc_id}.")
    title: str
    url: str = Field(description="Public web address of its first source, if any.")
    sections: list[LessonSection]


class FeedbackRequest(BaseModel):
    answer_id: str = Field(
        pattern=ANSWER_ID,
        description="The 'answer_id' of the answer being rated.",
        examples=["4f6c1e0a9b2d4c8e8f1a2b3c4d5e6f70"],
    )
    rating: Literal["up", "down"]
    comment: str = Field(
        default="",
        max_length=500,
        description="Optional; personal data is removed.",
        examples=["Ik snap niet wat een kwalificatiedossier is."],
    )
    school: str | None = Field(default=None, max_length=100, pattern=SCHOOL_ID)
    routes: list[Annotated[str, Field(max_length=200)]] = Field(default_factory=list, max_length=10)
    sources: list[Annotated[str, Field(max_length=200, pattern=DOC_ID)]] = Field(
        default_factory=list, max_length=20, description="The doc_ids the answer cited."
    )
    conversation_id: str | None = Field(default=None, max_length=64, pattern=CLIENT_TOKEN)


class FeedbackSaved(BaseModel):
    status: Literal["saved"] = "saved"


def _sites(request: Request) -> SchoolSites:
    sites: SchoolSites = request.app.state.sites
    return sites


def _service(request: Request) -> ChatService:
    service: ChatService = request.app.state.service
    return service


Sites = Annotated[SchoolSites, Depends(_sites)]
SchoolId = Annotated[str, PathParam(max_length=100, pattern=SCHOOL_ID)]
Service = Annotated[ChatService, Depends(_service)]
router = APIRouter(tags=["widget"])


@router.get("/widget.js", response_class=Response, responses={200: {"content": {"text/javascript": {}}}})
def widget_script() -> Response:
    """The chat widget. A school puts one tag on its site:
    ``<script src="https://HOST/widget.js" data-school="ID" defer></script>``."""
    return Response(WIDGET_JS.read_bytes(), media_type="text/javascript; charset=utf-8")


@router.get("/demo/{school}", response_class=HTMLResponse, responses={404: {"content": {"text/html": {}}}})
def demo(request: Request, sites: Sites, school: SchoolId) -> HTMLResponse:
    """A demo page with the widget of ``school`` on it, as it will look on the school's own site."""
    site = sites.get(school)
    if site is None:
        return HTMLResponse(missing_school_page(school), status_code=404)
    return HTMLResponse(demo_page(site, str(request.url_for("widget_script"))))


@router.get(
    "/v1/schools/{school}/widget-config",
    response_model=WidgetConfig,
    responses={404: {"model": ErrorResponse}},
)
def widget_config(sites: Sites, school: SchoolId) -> WidgetConfig:
    """A school's name, colour, greeting and widget texts (public)."""
    site = sites.get(school)
    if site is None:
        raise UnknownSchool(
            f"Koers kent geen school '{school}'. (Beheerder: zet de school in schools.yaml, en 'data-school' "
            "in de scripttag op dezelfde id.)"
        )
    return WidgetConfig(
        id=site.id, name=site.name, colour=site.colour, greeting=site.greeting, texts=site.widget_texts()
    )


@router.get(
    "/v1/sources/{doc_id}",
    response_class=HTMLResponse,
    responses={404: {"content": {"text/html": {}}}},
)
def source(
    service: Service,
    doc_id: Annotated[str, PathParam(max_length=200, pattern=DOC_ID)],
    quote: Annotated[str, Query(max_length=4000, description="The quoted text to mark.")] = "",
    school: Annotated[str | None, Query(max_length=100, pattern=SCHOOL_ID)] = None,
) -> HTMLResponse:
    """A cited document as a readable page, with the quoted passage marked (link to ``...#citaat``)."""
    chunks = service.source(doc_id, school)
    if not chunks:
        return HTMLResponse(missing_source_page(doc_id), status_code=404)
    return HTMLResponse(source_page(chunks, quote))


@router.get("/v1/lessons", response_model=list[LessonPlan])
def lessons(
    service: Service, school: Annotated[str | None, Query(max_length=100, pattern=SCHOOL_ID)] = None
) -> list[LessonPlan]:
    """The LOB lesson plans of the corpus (and of the school), whole and in order, for the mentor's page."""
    return [
        LessonPlan(
            doc_id=chunks[0].doc_id,
            title=chunks[0].title,
            url=chunks[0].url,
            sections=[LessonSection(heading=h, text=t) for h, t in document_text(chunks)],
        )
        for chunks in service.lesson_plans(school)
    ]


@router.post(
    "/v1/feedback",
    response_model=FeedbackSaved,
    status_code=201,
    responses={status: {"model": ErrorResponse} for status in (400, 403, 404, 422, 429)},
)
def feedback(body: FeedbackRequest, request: Request, sites: Sites) -> FeedbackSaved:
    """Thumbs up or down on an answer. Stored without the student's message or the answer text."""
    check_origin(request, sites, body.school)
    limits: RateLimits = request.app.state.rate_limits
    limits.hit(client_address(request), body.conversation_id)
    store: FeedbackStore | None = request.app.state.feedback
    if store is None:
        raise FeedbackOff("Deze server bewaart geen feedback.")
    store.add(
        school=body.school or "",
        answer_id=body.answer_id,
        rating=body.rating,
        comment=body.comment,
        routes=body.routes,
        sources=body.sources,
    )
    return FeedbackSaved()
