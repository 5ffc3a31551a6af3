"""The Streamlit app in a real browser (Debian's Chromium, headless), against the real API on loopback: a
student's chat, the interest quiz and its result, and a mentor's dashboard after three students took part.

Screenshots are written to ``build/screenshots`` (git-ignored): app-chat.png, app-chat-sources.png,
app-quiz.png, app-mentor.png."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect, sync_playwright

from bot.adapters.classes import ClassSessions
from bot.adapters.database import open_database
from bot.adapters.feedback import FeedbackStore
from bot.api import create_app
from bot.service import ChatService
from bot.understand.guard import scrub_for_storage
from tests.servers import chromium_path, running_app, running_ui

pytestmark = pytest.mark.slow

SCREENSHOTS = Path(__file__).parent.parent / "build" / "screenshots"
TIMEOUT_MS = 60_000  # a first answer on a cold 2-core machine, and Streamlit's first page load
expect.set_options(timeout=TIMEOUT_MS)


@dataclass
class Koers:
    api: str
    ui: str
    mentor_code: str
    page: Page


@pytest.fixture(scope="module")
def koers(service: ChatService, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Koers]:
    database = open_database(f"sqlite:///{tmp_path_factory.mktemp('db')}/koers.sqlite")
    classes = ClassSessions(database, scrub=scrub_for_storage)
    code = classes.create_mentor_code("de-wissel")
    app = create_app(service, classes=classes, feedback=FeedbackStore(database, scrub=scrub_for_storage))
    with running_app(app) as api, running_ui(api) as ui, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), headless=True)
        # Streamlit scrolls inside the page, so a screenshot holds what fits in the window: make it tall.
        context = browser.new_context(viewport={"width": 1280, "height": 1700}, locale="nl-NL")
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        try:
            yield Koers(api, ui, code, page)
        finally:
            browser.close()


def test_a_student_chats_and_sees_route_cards_and_sources(koers: Koers) -> None:
    page = koers.page
    page.goto(koers.ui)
    expect(page.get_by_text("Hoi! Ik ben Koers")).to_be_visible()
    box = page.get_by_placeholder("Stel je vraag...")
    box.fill("ik zit in de kader en ik vind sleutelen aan scooters leuk, welk profiel past bij mij?")
    box.press("Enter")
    expect(page.get_by_text("Een route die bij je past, van vmbo naar werk")).to_be_visible()
    expect(page.get_by_text("Mobiliteit en transport (M&T)").first).to_be_visible()
    expect(page.get_by_role("button", name="Nieuw gesprek")).to_be_visible()
    # The welcome and its example questions go once the question is asked. Streamlit keeps the old screen
    # until the run ends, so this also waits for the answer to be whole before the screenshot.
    expect(page.get_by_text("Je kunt bijvoorbeeld vragen")).to_have_count(0)
    page.get_by_text("ik zit in de kader en ik vind sleutelen aan scooters leuk").scroll_into_view_if_needed()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "app-chat.png")
    page.get_by_text("Bronnen (").click()  # open the sources
    expect(page.get_by_role("link", name="Lees de bron").last).to_be_in_viewport()
    page.screenshot(path=SCREENSHOTS / "app-chat-sources.png")


def test_the_quiz_result_shows_as_a_chart(koers: Koers) -> None:
    page = koers.page
    page.goto(f"{koers.ui}/interessetest")
    statements = page.locator("[data-testid=stRadio]")
    expect(statements).to_have_count(20)
    for index in range(20):
        hands_on = index < 4  # the first statements are about working with your hands
        statements.nth(index).get_by_text("Ja" if hands_on else "Nee", exact=True).click()
    page.get_by_role("button", name="Bekijk je uitslag").click()
    expect(page.get_by_text("Dit past het meest bij jou")).to_be_visible()
    expect(page.locator("[data-testid=stVegaLiteChart]")).to_be_in_viewport()
    page.screenshot(path=SCREENSHOTS / "app-quiz.png")


def test_the_mentor_sees_three_students_anonymously(koers: Koers) -> None:
    mentor = {"Authorization": f"Bearer {koers.mentor_code}"}
    lesson = httpx.post(
        f"{koers.api}/v1/classes", json={"name": "LOB-les", "klas": "3B", "leerweg": "KB"}, headers=mentor
    ).json()
    messages = [
        "ik ben Sanne de Vries en ik vind lassen en metaal leuk, wat past bij mij?",
        "ik wil iets met auto's, mijn nummer is 0612345678",
        "wat verdient een dakdekker in groningen bij mijn oom piet?",
    ]
    for message in messages:
        token = httpx.post(f"{koers.api}/v1/classes/join", json={"code": lesson["join_code"]}).json()
        turn = {"message": message, "class_token": token["class_token"]}
        assert httpx.post(f"{koers.api}/v1/chat", json=turn, timeout=60).status_code == 200

    page = koers.page
    page.goto(f"{koers.ui}/mentor")
    page.get_by_label("Mentorcode", exact=True).fill(koers.mentor_code)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_text("LOB-les (3B)").first).to_be_visible()
    expect(page.locator("[data-testid=stMetricValue]")).to_have_text("3")
    expect(page.get_by_text(lesson["join_code"], exact=True)).to_be_visible()
    expect(page.get_by_role("img").first).to_be_visible()  # the QR code
    shown = page.locator("body").inner_text()
    for personal in ("Sanne", "Vries", "0612345678", "piet"):
        assert personal not in shown, f"{personal!r} typed by a student must not reach the mentor"
    page.screenshot(path=SCREENSHOTS / "app-mentor.png")
