"""The chat page of the Streamlit app, driven by AppTest, talking HTTP to a real API on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bot.adapters.database import open_database
from bot.adapters.feedback import FeedbackStore
from bot.api import create_app
from bot.service import ChatService
from bot.understand.guard import scrub_for_storage
from tests.servers import free_port, running_app

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
SCOOTER = "ik vind sleutelen aan scooters leuk, welk profiel past bij mij?"


@pytest.fixture
def feedback(tmp_path: Path) -> FeedbackStore:
    return FeedbackStore(open_database(f"sqlite:///{tmp_path / 'koers.sqlite'}"), scrub=scrub_for_storage)


@pytest.fixture
def api(service: ChatService, feedback: FeedbackStore, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with running_app(create_app(service, feedback=feedback)) as url:
        monkeypatch.setenv("KOERS_UI__API_URL", url)
        monkeypatch.setenv("KOERS_UI__PUBLIC_API_URL", "https://koers.example.nl")
        yield url


def shown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_the_chat_streams_the_answer_with_route_cards_sources_and_thumbs(
    api: str, service: ChatService, feedback: FeedbackStore
) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert "Hoi! Ik ben Koers" in at.chat_message[0].markdown[0].value
    assert "bewaart je gesprek niet" in shown(at), "the privacy notice is on the page"
    at.chat_input[0].set_value(SCOOTER).run()
    assert not at.exception

    expected = service.answer(SCOOTER)
    assert SCOOTER in shown(at)
    assert expected.text in shown(at), "the streamed text is the API's answer, whole"
    assert "Mobiliteit en transport" in expected.text
    assert [card.kind for card in expected.route_path] == ["Profiel", "Opleiding", "Beroep"]
    for card in expected.route_path:  # the leerroute as cards: profiel -> opleiding -> beroep
        assert f"**{card.name}**" in shown(at)
        assert f"https://koers.example.nl/v1/sources/{card.doc_id}" in shown(at)
    assert [m.value for m in at.markdown].count("→") == 2
    sources = at.expander[1]
    assert sources.label == f"Bronnen ({len(expected.citations)})"
    quoted = "\n".join(m.value for m in sources.markdown)
    assert expected.citations[0].quote in quoted
    assert f"https://koers.example.nl/v1/sources/{expected.citations[0].doc_id}?quote=" in quoted

    thumbs = at.feedback[0]
    thumbs.set_value(1).run()
    assert not at.exception
    assert "Bedankt voor je reactie!" in [t.value for t in at.toast]
    [stored] = feedback.list()
    assert stored.rating == "up" and stored.routes == expected.routes[:10]
    assert stored.sources == sorted({c.doc_id for c in expected.citations})


def test_an_example_question_is_asked_with_one_click_and_a_new_conversation_starts_empty(api: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    example = next(b for b in at.button if b.label.startswith("Wat is het verschil tussen BOL en BBL"))
    example.click().run()
    assert not at.exception
    assert len(at.chat_message) == 2, "the question and its answer, and the welcome is gone"
    assert "BBL" in at.chat_message[1].markdown[0].value

    next(b for b in at.button if b.label == "Nieuw gesprek").click().run()
    assert at.session_state["turns"] == []
    assert "Hoi! Ik ben Koers" in at.chat_message[0].markdown[0].value


def test_a_clarifying_question_offers_its_choices_as_buttons(api: str) -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.chat_input[0].set_value("welk niveau kan ik doen op het mbo?").run()
    labels = [b.label for b in at.main.button]
    assert labels == ["basis", "kader", "gemengd", "theoretisch"]
    at.main.button[1].click().run()  # "kader" is sent as the student's next message
    assert "kader" in [m.value for m in at.markdown]
    assert not at.exception
    assert [b.label for b in at.main.button] != labels, "after the answer the buttons are the new next steps"


def test_page_explains_when_the_api_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOERS_UI__API_URL", f"http://127.0.0.1:{free_port()}")
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.chat_input[0].set_value("hoi").run()
    assert "niet bereikbaar" in at.error[0].value
    assert not at.exception
