"""The widget in a real browser (Debian's Chromium, headless) on a school page served from a second local
origin, against the real API on loopback: ask, read the streamed answer, follow a source, give feedback, start
again, do it all by keyboard and on a 360 px phone; an accessibility scan (axe-core); and a page on an origin
the school did not allow gets no answer.

Screenshots of the open widget are written to ``build/screenshots`` (git-ignored)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from bot.adapters.database import open_database
from bot.adapters.feedback import FeedbackStore
from bot.api import create_app
from bot.core.school_sites import SchoolSite, SchoolSites
from bot.service import ChatService
from bot.understand.guard import scrub_for_storage
from tests.servers import chromium_path, free_port, running_app

pytestmark = pytest.mark.slow

SCREENSHOTS = Path(__file__).parent.parent / "build" / "screenshots"
QUESTION = "ik vind sleutelen aan scooters leuk, welk profiel past bij mij?"
TIMEOUT_MS = 30_000  # a first answer on a cold 2-core machine
expect.set_options(timeout=TIMEOUT_MS)


@contextmanager
def school_site(api: str, school: str) -> Iterator[str]:
    """A school's own web page with the widget's one tag, on a second loopback origin."""
    page = (
        '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Vmbo De Wissel</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">'
        "</head><body><main><h1>Vmbo De Wissel</h1><p>Welkom op onze website.</p></main>"
        f'<script src="{api}/widget.js" data-school="{school}" defer></script></body></html>'
    ).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Setup:
    api: str
    school_page: str
    other_page: str
    feedback: FeedbackStore
    browser: Browser


@pytest.fixture(scope="module")
def setup(service: ChatService, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Setup]:
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('db')}/koers.sqlite")
    feedback = FeedbackStore(database, scrub=scrub_for_storage)
    port = free_port()
    api_url = f"http://127.0.0.1:{port}"
    # The school page's origin must be known before the API starts (it is in the CORS list).
    with school_site(api_url, "de-wissel") as school_page, school_site(api_url, "de-wissel") as other_page:
        sites = SchoolSites(
            [SchoolSite(id="de-wissel", name="Vmbo De Wissel", allowed_origins=[school_page])]
        )
        app = create_app(service, sites=sites, feedback=feedback)
        with running_app(app, port=port) as api, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
            try:
                yield Setup(api, school_page, other_page, feedback, browser)
            finally:
                browser.close()


@pytest.fixture
def page(setup: Setup) -> Iterator[Page]:
    context = setup.browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    context.close()


def widget(page: Page) -> Locator:
    return page.locator("koers-widget")


def ask(page: Page, question: str) -> Locator:
    """Type ``question`` in the open widget, send it with Enter; the finished answer (it has feedback)."""
    box = page.get_by_role("textbox", name="Typ je vraag…")
    box.fill(question)
    box.press("Enter")
    answer = widget(page).locator(".msg.bot").last
    expect(answer.locator(".feedback")).to_be_visible()
    return answer


def serious_violations(page: Page) -> list[tuple[str, str]]:
    """What axe-core (injected into the page, no network) finds that is serious or critical."""
    results = Axe().run(page)
    return [
        (violation["id"], violation["impact"])
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def test_a_student_reads_a_streamed_answer_and_follows_a_source(setup: Setup, page: Page) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(setup.school_page)
    page.get_by_role("button", name="Open de keuzehulp").click()
    answer = ask(page, QUESTION)
    expect(answer).to_contain_text("Mobiliteit en transport")
    expect(answer.locator(".cards li").first).to_contain_text("Profiel")
    path = answer.locator(".path .card")  # the leerroute: profiel -> opleiding (with its niveau) -> beroep
    expect(path).to_have_count(3)
    expect(path.nth(1)).to_contain_text("Opleiding")
    expect(path.nth(1)).to_contain_text("mbo-niveau")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "widget-desktop.png")
    path.first.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "widget-route.png")
    assert serious_violations(page) == []
    # Streamed: the answer came over the SSE endpoint; the widget asked nothing of anyone else.
    assert f"{setup.api}/v1/chat/stream" in requests
    assert all(url.startswith((setup.api, setup.school_page, "data:")) for url in requests), requests
    link = answer.locator("sup a").first
    href = link.get_attribute("href") or ""
    assert href.startswith(f"{setup.api}/v1/sources/") and href.endswith("#citaat")
    with page.context.expect_page() as opened:
        link.click()
    source = opened.value
    source.wait_for_load_state()
    expect(source.locator("mark#citaat")).to_be_visible()
    # The conversation lives in the tab, not on the server: a reload shows it again.
    page.reload()
    expect(widget(page).locator(".msg.user")).to_have_text([QUESTION])


def test_feedback_and_a_new_conversation(setup: Setup, page: Page) -> None:
    page.goto(setup.school_page)
    page.get_by_role("button", name="Open de keuzehulp").click()
    answer = ask(page, "wat is het verschil tussen bol en bbl?")
    before = len(setup.feedback.list("de-wissel"))
    with page.expect_response(lambda response: response.url.endswith("/v1/feedback")) as sent:
        answer.get_by_role("button", name="Goed antwoord", exact=True).click()
    assert sent.value.status == 201
    answer = widget(page).locator(".msg.bot").last  # drawn again with the rating
    expect(answer.get_by_role("button", name="Goed antwoord", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(answer).to_contain_text("Bedankt voor je reactie!")
    stored = setup.feedback.list("de-wissel")
    assert len(stored) == before + 1 and stored[-1].rating == "up" and stored[-1].sources
    page.get_by_role("button", name="Nieuw gesprek").click()
    expect(widget(page).locator(".msg.user")).to_have_count(0)
    expect(widget(page).locator(".msg.bot")).to_have_count(1)  # the greeting
    expect(page.get_by_role("textbox", name="Typ je vraag…")).to_be_focused()


def test_everything_works_by_keyboard(setup: Setup, page: Page) -> None:
    page.goto(setup.school_page)
    launcher = page.get_by_role("button", name="Open de keuzehulp")
    for _ in range(5):  # from the top of the page to the widget's button
        page.keyboard.press("Tab")
        if launcher.evaluate("el => el.getRootNode().activeElement === el"):
            break
    expect(launcher).to_be_focused()
    page.keyboard.press("Enter")
    box = page.get_by_role("textbox", name="Typ je vraag…")
    expect(box).to_be_focused()
    page.keyboard.type("wat is mechatronica?")
    page.keyboard.press("Enter")
    answer = widget(page).locator(".msg.bot").last
    expect(answer.locator(".feedback")).to_be_visible()
    expect(box).to_be_focused()  # ready for the next question
    # A follow-up button is reachable with Tab and sends its question with Enter.
    follow_up = answer.locator(".chips button").first
    follow_up.focus()
    question = follow_up.inner_text()
    page.keyboard.press("Enter")
    expect(widget(page).locator(".msg.user").last).to_have_text(question)
    expect(widget(page).locator(".msg.bot").last.locator(".feedback")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    expect(launcher).to_be_focused()


def test_the_widget_fills_a_360_px_phone_and_passes_an_accessibility_scan(setup: Setup, page: Page) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(setup.school_page)
    page.get_by_role("button", name="Open de keuzehulp").click()
    ask(page, QUESTION)
    box = page.get_by_role("dialog").bounding_box()
    assert box is not None and box["width"] == 360 and box["x"] == 0
    page.screenshot(path=SCREENSHOTS / "widget-mobile.png")
    assert serious_violations(page) == []


def test_a_page_on_another_origin_gets_no_answer(setup: Setup, page: Page) -> None:
    page.goto(setup.other_page)
    page.get_by_role("button", name="Open de keuzehulp").click()
    box = page.get_by_role("textbox", name="Typ je vraag…")
    box.fill(QUESTION)
    box.press("Enter")
    alert = widget(page).get_by_role("alert")
    expect(alert).to_have_text("Er ging iets mis. Probeer het zo nog eens.")
    expect(widget(page).locator(".feedback")).to_have_count(0)
    expect(widget(page).locator("sup a")).to_have_count(0)
