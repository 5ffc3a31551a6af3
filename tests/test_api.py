"""The HTTP API over the real service, real store and real model."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

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
        assert error["code"] == "invalid_request" and error["message"].startswith("Je verzoek klopt niet.")
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


class _JsonResponse(Protocol):
    def json(self) -> Any: ...


def _error(response: _JsonResponse) -> dict[str, str]:
    """The one error envelope: exactly a code and a Dutch message."""
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}, body
    error: dict[str, str] = body["error"]
    return error


def test_every_error_has_one_envelope_with_a_dutch_message(service: ChatService) -> None:
    """On the main of 2026-12-01 these came back as FastAPI's English ``{"detail": ...}`` or as half-English
    validation text ("String should have at most 2000 characters")."""
    client = TestClient(create_app(service, max_body_bytes=64 * 1024))
    unknown = client.get("/v1/nothing-here")
    assert unknown.status_code == 404 and "bestaat niet" in _error(unknown)["message"]
    wrong_method = client.get("/v1/chat")
    assert wrong_method.status_code == 405 and _error(wrong_method)["code"] == "method_not_allowed"
    too_long = client.post("/v1/chat", json={"message": "a" * 2001})
    assert too_long.status_code == 422
    assert _error(too_long)["message"].startswith("Je bericht is te lang: hoogstens 2000 tekens")
    not_json = client.post("/v1/chat", content=b"{not json", headers={"content-type": "application/json"})
    assert not_json.status_code == 422 and "geen geldige JSON" in _error(not_json)["message"]
    wrong_type = client.post("/v1/chat", json={"message": "hoi", "history": "alles"})
    assert "'history' moet een lijst zijn" in _error(wrong_type)["message"]
    for text in (_error(r)["message"] for r in (unknown, wrong_method, too_long, not_json, wrong_type)):
        assert not any(word in text for word in ("should", "Field required", "Not Found", "Input")), text


def test_a_body_over_the_cap_is_refused_before_it_is_read(service: ChatService) -> None:
    client = TestClient(create_app(service, max_body_bytes=64 * 1024))
    history = [{"role": "user", "content": "x" * 1900}] * 50  # valid fields, ~95 kB in all
    declared = client.post("/v1/chat", json={"message": "hoi", "history": history})
    assert declared.status_code == 413 and "te groot: hoogstens 64 kB" in _error(declared)["message"]

    def chunked() -> Iterator[bytes]:  # no Content-Length: the cap must count what arrives
        yield b'{"message": "hoi", "history": ['
        for _ in range(49):
            yield b'{"role": "user", "content": "' + b"x" * 1900 + b'"},'
        yield b'{"role": "user", "content": "x"}]}'

    streamed = client.post("/v1/chat", content=chunked(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413 and _error(streamed)["code"] == "too_large"
    small = client.post("/v1/chat", content=iter([b'{"message": ', b'"hoi"}']), headers={
        "content-type": "application/json"})  # fmt: skip
    assert small.status_code == 200, small.text


def test_docs_work_without_internet(service: ChatService) -> None:
    """On the main of 2026-12-01 /docs loaded Swagger UI from a CDN, which an offline school laptop lacks."""
    client = TestClient(create_app(service))
    page = client.get("/docs")
    assert page.status_code == 200
    scripts = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', page.text)
    assert scripts and all(src.startswith("/") for src in scripts), scripts
    assert all(client.get(src).status_code == 200 for src in scripts)
