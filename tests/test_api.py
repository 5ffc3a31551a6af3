"""The HTTP API over the real service, real store and real model."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bot.adapters import LazyEmbedder
from bot.api import create_app
from bot.container import build_service
from bot.service import ChatService
from tests.conftest import make_settings

SCOOTER = "ik vind sleutelen aan scooters leuk, welk profiel past bij mij?"


def test_health_reports_the_indexed_chunks(service: ChatService) -> None:
    body = TestClient(create_app(service)).get("/health").json()
    assert body["status"] == "ok" and body["chunks"] == service.chunk_count() > 0


def test_scooter_question_names_mobiliteit_en_transport_with_valid_citations(service: ChatService) -> None:
    response = TestClient(create_app(service)).post("/v1/chat", json={"message": SCOOTER})
    assert response.status_code == 200
    answer = response.json()
    assert "Mobiliteit en transport" in answer["text"]
    assert answer["routes"][0] == "vmbo:M&T"
    assert answer["citations"], "an answer without sources is not grounded"
    assert answer["follow_up_questions"]
    # The passages this answer could quote: those retrieved, plus any looked up to back a reason.
    texts = {h.chunk.id: h.chunk.text for h in service.respond(SCOOTER).hits}
    for citation in answer["citations"]:
        assert f"[{citation['number']}]" in answer["text"]
        assert citation["quote"] in texts[citation["chunk_id"]], (
            "a quote must be copied from a retrieved chunk"
        )


def test_a_short_follow_up_uses_the_earlier_question(service: ChatService) -> None:
    history = [{"role": "user", "content": "Wat is het verschil tussen BOL en BBL?"}]
    answer = (
        TestClient(create_app(service))
        .post("/v1/chat", json={"message": "en wat kost dat?", "history": history})
        .json()
    )
    assert any(label.startswith("mbo-leerweg:") for label in answer["routes"][:3])


def test_a_quiz_question_gets_a_friendly_redirect_without_sources(service: ChatService) -> None:
    answer = (
        TestClient(create_app(service))
        .post("/v1/chat", json={"message": "Wat is de hoofdstad van Australië?"})
        .json()
    )
    assert answer["citations"] == [] and answer["routes"] == []
    assert answer["policy"] == "off_topic" and "opleidingen en beroepen" in answer["text"]


def test_malformed_requests_get_a_clear_json_error(service: ChatService) -> None:
    client = TestClient(create_app(service))
    for body in ({}, {"message": ""}, {"message": "hoi", "history": [{"role": "hacker", "content": "x"}]}):
        response = client.post("/v1/chat", json=body)
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "invalid_request" and "Stuur JSON" in error["message"]
    broken = client.post("/v1/chat", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 422 and broken.json()["error"]["code"] == "invalid_request"


def test_an_empty_store_says_what_to_run(tmp_path: Path, embedder: LazyEmbedder) -> None:
    empty = build_service(make_settings(tmp_path / "empty"), embedder)
    response = TestClient(create_app(empty)).post("/v1/chat", json={"message": "hoi"})
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["code"] == "empty_index" and "koers ingest" in error["message"]


@pytest.mark.parametrize("message", ["???", "👍👍", "?!"])
def test_a_message_without_words_gets_a_short_i_do_not_understand(service: ChatService, message: str) -> None:
    """On the main of 2026-12-01 "???" got eight unrelated quoted sentences."""
    answer = TestClient(create_app(service)).post("/v1/chat", json={"message": message}).json()
    assert answer["text"].startswith("Ik begrijp je vraag niet.")
    assert answer["citations"] == [] and answer["routes"] == []
