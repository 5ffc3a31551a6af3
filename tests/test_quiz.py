"""The interest quiz: scoring, its result read into the profile, the class dashboard, and the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from streamlit.testing.v1 import AppTest

from bot.adapters.classes import ClassSessions
from bot.adapters.database import open_database
from bot.api import create_app
from bot.routes.quiz import STATEMENTS, score
from bot.service import ChatService
from bot.understand.guard import scrub_for_storage
from bot.understand.profile import build_profile
from tests.servers import running_api

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")


def answers_for(*letters: str) -> dict[str, int]:
    """'ja' to the statements of ``letters``, 'nee' to the rest."""
    return {statement_id: 2 if letter in letters else 0 for statement_id, letter, _ in STATEMENTS}


def test_the_strongest_types_make_the_result(service: ChatService) -> None:
    result = score(answers_for("R", "I"))
    assert result.scores["R"] == result.scores["I"] == 1.0 and result.scores["S"] == 0.0
    assert set(result.top) == {"R", "I"}
    # The sentence the chat sends is read like anything a student types: the same types come out.
    profile = build_profile(result.message, [], service.graph)
    assert set(profile.riasec) == {"R", "I"}


def test_netjes_and_precies_is_read_too(service: ChatService) -> None:
    result = score(answers_for("C"))
    assert result.top == ("C",)
    assert build_profile(result.message, [], service.graph).riasec == ("C",)


def test_no_type_stands_out_when_everything_is_nee() -> None:
    result = score(answers_for())
    assert result.top == () and result.message == ""


def test_a_quiz_in_class_counts_in_the_dashboard(service: ChatService, tmp_path: Path) -> None:
    classes = ClassSessions(open_database(f"sqlite:///{tmp_path / 'koers.sqlite'}"), scrub=scrub_for_storage)
    session = classes.start("de-wissel", name="LOB", klas="3B")
    _, token = classes.join(session.join_code)
    client = TestClient(create_app(service, classes=classes))
    assert len(client.get("/v1/quiz").json()["statements"]) == 20
    body = client.post("/v1/quiz", json={"answers": answers_for("A"), "class_token": token}).json()
    assert body["top"] == ["Creatief"] and body["scores"][0]["name"] == "Creatief"
    assert classes.summary(session.id).types == [("Creatief", 1)]
    wrong = client.post("/v1/quiz", json={"answers": {"r1": 5}})
    assert wrong.status_code == 422


def test_the_quiz_page_shows_the_result_and_asks_koers_about_it(
    service: ChatService, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_api(service) as url:
        monkeypatch.setenv("KOERS_UI__API_URL", url)
        at = AppTest.from_file(APP, default_timeout=60).switch_page("pages/interessetest.py").run()
        assert len(at.radio) == 20
        at.button[0].click().run()
        assert "zinnen nog niet beantwoord" in at.warning[0].value
        for radio in at.radio:
            radio.set_value(2 if radio.label.startswith("Ik repareer") or "handen" in radio.label else 0)
        at.button[0].click().run()
        assert not at.exception
        assert "Dit past het meest bij jou: Praktisch." in at.success[0].value
        assert len(at.get("vega_lite_chart")) == 1, "the scores as a chart"
        next(b for b in at.button if b.label == "Vraag Koers wat daarbij past").click().run()
    assert not at.exception
    asked, answered = at.chat_message
    assert asked.markdown[0].value == "Uit de interessetest: ik ben praktisch. Wat past bij mij?"
    assert answered.markdown[0].value, "the chat page answers the quiz result as the student's message"
