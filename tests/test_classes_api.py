"""A mentor's class session through the API: start, three students join and chat, the anonymous dashboard,
export, end; over the real service, model and database."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.adapters.classes import ClassSessions
from bot.adapters.database import open_database
from bot.api import create_app
from bot.service import ChatService
from bot.understand.guard import scrub_for_storage

STUDENTS = [
    ["ik vind sleutelen aan scooters leuk, welk profiel past bij mij?", "hoe lang duurt de opleiding dan"],
    ["Ik ben Sanne de Vries, mijn nummer is 0612345678. Ik wil iets met sleutelen en auto's."],
    ["kan ik met een vmbo diploma astronaut worden op de maan bij de nasa"],
]
PERSONAL = ["Sanne", "Vries", "0612345678"]


@pytest.fixture
def setup(service: ChatService, tmp_path: Path) -> tuple[TestClient, str, ClassSessions]:
    classes = ClassSessions(open_database(f"sqlite:///{tmp_path / 'koers.sqlite'}"), scrub=scrub_for_storage)
    code = classes.create_mentor_code("de-wissel")
    return TestClient(create_app(service, classes=classes)), code, classes


def test_a_class_session_from_start_to_export(setup: tuple[TestClient, str, ClassSessions]) -> None:
    client, mentor_code, _ = setup
    mentor = {"Authorization": f"Bearer {mentor_code}"}
    started = client.post(
        "/v1/classes", json={"name": "LOB techniek", "klas": "3B", "leerweg": "KB"}, headers=mentor
    )
    assert started.status_code == 201
    info = started.json()
    assert len(info["join_code"]) == 6 and info["open"]

    for messages in STUDENTS:
        joined = client.post("/v1/classes/join", json={"code": info["join_code"].lower()})
        assert joined.status_code == 201 and joined.json()["name"] == "LOB techniek"
        token = joined.json()["class_token"]
        history: list[dict[str, str]] = []
        for message in messages:
            answer = client.post(
                "/v1/chat", json={"message": message, "history": history, "class_token": token}
            )
            assert answer.status_code == 200
            history += [
                {"role": "user", "content": message},
                {"role": "assistant", "content": answer.json()["text"]},
            ]

    board = client.get(f"/v1/classes/{info['id']}", headers=mentor).json()
    assert board["participants"] == 3
    interests = {c["value"]: c["count"] for c in board["interests"]}
    assert interests.get("sleutelen") == 2  # two students, each counted in the turn that said it
    assert any(c["label"] == "Mobiliteit en transport (M&T)" for c in board["routes"])
    assert any(c["value"] == "duration" for c in board["topics"])
    everything = str(board)
    assert not [word for word in PERSONAL if word in everything], "the dashboard holds no personal data"

    exported = client.get(f"/v1/classes/{info['id']}/export", params={"format": "csv"}, headers=mentor)
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == ["soort", "waarde", "aantal"] and ["deelnemers", "", "3"] in rows
    markdown = client.get(f"/v1/classes/{info['id']}/export", headers=mentor).text
    assert markdown.startswith("# LOB techniek (3B)") and "Deelnemers: 3" in markdown

    ended = client.post(f"/v1/classes/{info['id']}/end", headers=mentor).json()
    assert not ended["open"]
    late = client.post("/v1/classes/join", json={"code": info["join_code"]})
    assert late.status_code == 404 and "Deze code hoort niet bij een les die nu bezig is" in late.text


def test_a_distress_message_in_class_never_reaches_the_dashboard(
    setup: tuple[TestClient, str, ClassSessions],
) -> None:
    client, mentor_code, _ = setup
    mentor = {"Authorization": f"Bearer {mentor_code}"}
    info = client.post("/v1/classes", json={"name": "LOB", "klas": "3A"}, headers=mentor).json()
    token = client.post("/v1/classes/join", json={"code": info["join_code"]}).json()["class_token"]
    answer = client.post("/v1/chat", json={"message": "ik wil niet meer leven", "class_token": token}).json()
    assert answer["policy"] == "self_harm"
    board = client.get(f"/v1/classes/{info['id']}", headers=mentor).json()
    assert board["unanswered"] == [] and board["topics"] == [] and board["interests"] == []


def test_mentors_see_only_their_own_schools_sessions(setup: tuple[TestClient, str, ClassSessions]) -> None:
    client, mentor_code, classes = setup
    other = {"Authorization": f"Bearer {classes.create_mentor_code('andere-school')}"}
    info = client.post(
        "/v1/classes", json={"name": "LOB", "klas": "3A"}, headers={"Authorization": f"Bearer {mentor_code}"}
    ).json()
    assert client.get(f"/v1/classes/{info['id']}", headers=other).status_code == 404
    assert client.get("/v1/classes", headers=other).json() == []
    wrong = client.get("/v1/classes", headers={"Authorization": "Bearer mentor-fout"})
    assert wrong.status_code == 401 and "mentorcode" in wrong.json()["error"]["message"]


def test_a_wrong_method_on_a_path_written_out_names_only_its_own_methods(
    setup: tuple[TestClient, str, ClassSessions],
) -> None:
    client, _, _ = setup
    response = client.put("/v1/classes/join", json={"code": "ABCDEF"})
    assert response.status_code == 405 and response.headers["allow"] == "POST"
