"""The class pages of the Streamlit app (join, mentor), driven by AppTest against a real API on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from bot.adapters.classes import ClassSessions
from bot.adapters.database import open_database
from bot.api import create_app
from bot.service import ChatService
from bot.understand.guard import scrub_for_storage
from tests.servers import running_app

UI = Path(__file__).resolve().parent.parent / "ui"


@pytest.fixture
def api(service: ChatService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, str]]:
    classes = ClassSessions(open_database(f"sqlite:///{tmp_path / 'koers.sqlite'}"), scrub=scrub_for_storage)
    code = classes.create_mentor_code("de-wissel")
    with running_app(create_app(service, classes=classes)) as url:
        monkeypatch.setenv("KOERS_UI__API_URL", url)
        yield url, code


def test_a_mentor_signs_in_starts_a_lesson_and_sees_students_join(api: tuple[str, str]) -> None:
    url, code = api
    at = AppTest.from_file(str(UI / "pages" / "mentor.py"), default_timeout=60).run()
    at.text_input[0].set_value("mentor-fout")
    at.button[0].click().run()
    assert "mentorcode ontbreekt of klopt niet" in at.error[0].value

    at.text_input[0].set_value(code)
    at.button[0].click().run()
    assert at.session_state["mentor_code"] == code
    klas = next(field for field in at.text_input if field.label == "Klas")
    klas.set_value("3B")
    next(button for button in at.button if button.label == "Start de les").click().run()
    assert not at.exception
    board = "\n".join(m.value for m in at.tabs[0].markdown)
    join_code = board.split("\n# ", 1)[1].split()[0]
    assert len(join_code) == 6
    assert len(at.tabs[0].get("image")) == 1, "the QR code is on the board"
    assert any(f"/klas?code={join_code}" in c.value for c in at.caption), "the QR code opens the join page"
    assert at.metric[0].value == "0"
    assert [c.value for c in at.caption].count("Nog niets.") == 4  # four charts, all empty

    joined = httpx.post(f"{url}/v1/classes/join", json={"code": join_code}).json()
    message = {"message": "ik vind lassen leuk, wat past bij mij?", "class_token": joined["class_token"]}
    assert httpx.post(f"{url}/v1/chat", json=message, timeout=60).status_code == 200
    at.run()
    assert at.metric[0].value == "1"
    assert [c.value for c in at.caption].count("Nog niets.") < 4, "the student's turn shows in the charts"
    next(button for button in at.button if button.label == "Les beëindigen").click().run()
    assert any("Deze les is afgelopen" in w.value for w in at.warning)


def test_the_mentor_reads_the_lesson_plans_whole_and_in_order(api: tuple[str, str]) -> None:
    _, code = api
    at = AppTest.from_file(str(UI / "pages" / "mentor.py"), default_timeout=60).run()
    at.text_input[0].set_value(code)
    at.button[0].click().run()
    plans = at.tabs[1]
    titles = [e.label for e in plans.expander]
    assert len(titles) >= 6 and all(t.startswith("Les:") for t in titles)
    plan = next(e for e in plans.expander if e.label.startswith("Les: Wat past bij mij"))
    text = "\n".join(m.value for m in plan.markdown)
    goal, steps, closing = (text.find(h) for h in ("#### Doel", "#### Lesverloop", "#### Afsluiting"))
    assert -1 < goal < steps < closing, "the sections come whole, in the order of the lesson"
    assert "- 5 minuten: start." in text and text.count("Ik sleutel graag aan brommers.") == 1
    assert not at.exception


def test_a_student_joins_with_the_code_and_the_chat_counts_for_the_class(api: tuple[str, str]) -> None:
    url, code = api
    info = httpx.post(
        f"{url}/v1/classes", json={"name": "LOB", "klas": "3A"}, headers={"Authorization": f"Bearer {code}"}
    ).json()
    join = AppTest.from_file(str(UI / "pages" / "klas.py"), default_timeout=60).run()
    join.text_input[0].set_value("ZZZZZZ")
    join.button[0].click().run()
    assert "Deze code hoort niet bij een les die nu bezig is" in join.error[0].value

    # The QR code on the board opens the join page with the code filled in; the student only confirms.
    chat = AppTest.from_file(str(UI / "app.py"), default_timeout=60)
    chat.query_params["code"] = info["join_code"]
    chat.switch_page("pages/klas.py").run()
    assert chat.text_input[0].value == info["join_code"]
    next(b for b in chat.button if b.label == "Meedoen").click().run()
    assert "Je doet mee met de les LOB (3A)" in chat.success[0].value
    next(b for b in chat.button if b.label == "Naar de chat").click().run()
    assert "Je doet mee met de les LOB (3A)" in chat.info[0].value  # the chat page, in the class
    chat.switch_page("pages/chat.py")  # AppTest reruns the page it was given, not where st.switch_page went
    chat.chat_input[0].set_value("ik vind sleutelen aan scooters leuk, welk profiel past bij mij?").run()
    assert not chat.exception
    board = httpx.get(f"{url}/v1/classes/{info['id']}", headers={"Authorization": f"Bearer {code}"}).json()
    assert board["participants"] == 1 and board["routes"]
