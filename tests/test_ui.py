"""The Streamlit page, driven by Streamlit's AppTest, talking HTTP to a real API on loopback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from bot.service import ChatService
from tests.servers import free_port, running_api

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
SCOOTER = "ik vind sleutelen aan scooters leuk, welk profiel past bij mij?"


def test_page_shows_the_api_answer_with_its_sources(
    service: ChatService, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_api(service) as url:
        monkeypatch.setenv("KOERS_UI__API_URL", url)
        at = AppTest.from_file(APP, default_timeout=60).run()
        assert "Hoi! Ik ben Koers" in at.markdown[0].value
        at.chat_input[0].set_value(SCOOTER).run()

    expected = service.answer(SCOOTER)
    shown = [m.value for m in at.markdown]
    assert SCOOTER in shown
    assert expected.text in shown
    assert "Mobiliteit en transport" in expected.text
    sources = at.expander[0]
    assert sources.label == f"Bronnen ({len(expected.citations)})"
    assert any(expected.citations[0].quote in m.value for m in sources.markdown)
    assert not at.exception


def test_a_clarifying_question_offers_its_choices_as_buttons(
    service: ChatService, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_api(service) as url:
        monkeypatch.setenv("KOERS_UI__API_URL", url)
        at = AppTest.from_file(APP, default_timeout=60).run()
        at.chat_input[0].set_value("welk niveau kan ik doen op het mbo?").run()
        labels = [b.label for b in at.button]
        assert labels == ["basis", "kader", "gemengd", "theoretisch"]
        at.button[1].click().run()  # "kader" is sent as the student's next message
        shown = [m.value for m in at.markdown]
    assert "kader" in shown
    assert not at.exception
    assert [b.label for b in at.button] != labels, "after the answer the buttons are the new next steps"


def test_page_explains_when_the_api_is_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KOERS_UI__API_URL", f"http://127.0.0.1:{free_port()}")
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.chat_input[0].set_value("hoi").run()
    assert "niet bereikbaar" in at.error[0].value
    assert not at.exception
