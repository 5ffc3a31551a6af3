"""Optional server-side conversations over the real API, service and SQLite file."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.adapters.sessions import SessionNotFound, SessionStore
from bot.api import create_app
from bot.core.schemas import Answer, Message
from bot.service import ChatService
from bot.understand.guard import scrub_for_storage
from evals.names import load_names_set, run_names

TURNS = ["ik vind lassen echt leuk", "ik zit in kader", "welk niveau kan ik dan doen op het mbo?"]


def _client(service: ChatService, store: SessionStore | None) -> TestClient:
    return TestClient(create_app(service, sessions=store))


def _store(tmp_path: Path, *, ttl: timedelta = timedelta(hours=1), max_messages: int = 20) -> SessionStore:
    return SessionStore(
        tmp_path / "sessions.sqlite", ttl=ttl, max_messages=max_messages, scrub=scrub_for_storage
    )


def test_sessions_are_off_by_default_and_say_to_send_the_history(service: ChatService) -> None:
    client = _client(service, None)
    started = client.post("/v1/sessions")
    assert started.status_code == 400 and started.json()["error"]["code"] == "sessions_disabled"
    chat = client.post("/v1/chat", json={"message": "hoi", "session_id": "abcdefghijklmnop"})
    assert chat.status_code == 400
    assert "history" in chat.json()["error"]["message"] and "gesprekken" in chat.json()["error"]["message"]
    assert client.post("/v1/chat", json={"message": TURNS[0]}).json()["session_id"] is None


def test_a_session_answers_as_if_the_client_had_sent_the_history(
    service: ChatService, tmp_path: Path
) -> None:
    client = _client(service, _store(tmp_path))
    session_id = client.post("/v1/sessions").json()["session_id"]
    history: list[Message] = []
    for message in TURNS:
        response = client.post("/v1/chat", json={"message": message, "session_id": session_id})
        assert response.status_code == 200, response.text
        assert response.json()["session_id"] == session_id
        kept = Answer.model_validate({k: v for k, v in response.json().items() if k != "session_id"})
        assert kept == service.answer(message, history), "the session must hold exactly the earlier turns"
        history += [Message(role="user", content=message), Message(role="assistant", content=kept.text)]
    assert not kept.clarifying_question, "the leerweg from turn 2 is remembered by the server"


def test_a_session_stores_no_personal_data(service: ChatService, tmp_path: Path) -> None:
    store = _store(tmp_path)
    client = _client(service, store)
    session_id = client.post("/v1/sessions").json()["session_id"]
    message = "ik ben Sanne, bel me op 0612345678 of mail sanne@example.nl, ik wil lassen"
    assert client.post("/v1/chat", json={"message": message, "session_id": session_id}).status_code == 200
    stored = "\n".join(store.stored_texts())
    assert "0612345678" not in stored and "sanne@example.nl" not in stored and "Sanne" not in stored
    assert "[telefoonnummer]" in stored and "lassen" in stored
    assert session_id not in (tmp_path / "sessions.sqlite").read_bytes().decode("latin-1"), "only a hash"


def test_a_session_stores_no_names_of_friends_or_family(service: ChatService, tmp_path: Path) -> None:
    """On the main of 2026-12-01 "mijn vriendin Noor ..." was kept word for word in a server session."""
    store = _store(tmp_path)
    client = _client(service, store)
    session_id = client.post("/v1/sessions").json()["session_id"]
    for message in (
        "mijn vriendin Noor van Dijk wil ook naar het mbo, kunnen we samen lassen doen?",
        "mn broer mohammed zegt dat autotechniek saai is",
    ):
        assert client.post("/v1/chat", json={"message": message, "session_id": session_id}).status_code == 200
    stored = "\n".join(store.stored_texts())
    assert not any(name in stored.lower() for name in ("noor", "dijk", "mohammed")), stored
    assert stored.count("[naam]") >= 2 and "lassen" in stored and "autotechniek" in stored


def test_names_are_removed_on_the_test_half_of_the_names_set() -> None:
    """The tagger on messages written apart from its training data (evals/datasets/names.jsonl, test half;
    its threshold was read off the tune half). Figures of 2026-12-01: name recall 0.982, false alarms 0.10."""
    summary = run_names(load_names_set(split="test")).summary()
    assert summary["name_recall"] >= 0.95 and summary["false_alarm_messages"] <= 0.2, summary


def test_a_session_keeps_only_the_newest_messages(tmp_path: Path) -> None:
    store = _store(tmp_path, max_messages=4)
    session_id = store.start()
    for n in range(3):
        store.append(
            session_id,
            [Message(role="user", content=f"vraag {n}"), Message(role="assistant", content=f"antwoord {n}")],
        )
    assert [m.content for m in store.history(session_id)] == [
        "vraag 1",
        "antwoord 1",
        "vraag 2",
        "antwoord 2",
    ]


def test_an_expired_or_ended_session_is_gone_with_a_clear_message(
    service: ChatService, tmp_path: Path
) -> None:
    expired = _store(tmp_path / "a", ttl=timedelta(0))
    session_id = expired.start()
    with pytest.raises(SessionNotFound):
        expired.history(session_id)
    expired.start()  # every write purges what expired
    assert expired.stored_texts() == [] and not expired.end(session_id)

    client = _client(service, _store(tmp_path / "b"))
    session_id = client.post("/v1/sessions").json()["session_id"]
    client.post("/v1/chat", json={"message": TURNS[0], "session_id": session_id})
    assert client.delete(f"/v1/sessions/{session_id}").status_code == 204
    gone = client.post("/v1/chat", json={"message": TURNS[1], "session_id": session_id})
    assert gone.status_code == 404
    assert (
        gone.json()["error"]["code"] == "session_not_found"
        and "nieuw gesprek" in gone.json()["error"]["message"]
    )
    assert client.delete(f"/v1/sessions/{session_id}").status_code == 404


def test_a_request_with_both_a_session_and_a_history_is_refused(service: ChatService, tmp_path: Path) -> None:
    client = _client(service, _store(tmp_path))
    session_id = client.post("/v1/sessions").json()["session_id"]
    both = {
        "message": "hoi",
        "session_id": session_id,
        "history": [{"role": "user", "content": "ik doe kader"}],
    }
    response = client.post("/v1/chat", json=both)
    assert response.status_code == 422 and "niet allebei" in response.json()["error"]["message"]
