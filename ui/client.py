"""A thin HTTP client for the Koers API, with Dutch messages for anything that goes wrong."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
from httpx_sse import SSEError, connect_sse

TIMEOUT_S = 60.0
UNREACHABLE = "Koers is nu niet bereikbaar. Probeer het zo nog eens, of vraag je mentor om hulp."


class ApiUnavailable(Exception):
    """The API could not give an answer; the message is for the student."""


def _problem(response: httpx.Response) -> ApiUnavailable:
    """The API's own Dutch message for a failed request."""
    try:
        detail = response.json()["error"]["message"]
    except (ValueError, KeyError, TypeError):
        detail = f"foutcode {response.status_code}"
    return ApiUnavailable(f"Er ging iets mis: {detail}")


def call(
    method: str, base_url: str, path: str, *, json: object = None, token: str | None = None, **params: str
) -> httpx.Response:
    """One request to the API; anything but success raises :class:`ApiUnavailable` with the API's own
    Dutch message."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = httpx.request(
            method, f"{base_url}{path}", json=json, headers=headers, params=params, timeout=TIMEOUT_S
        )
    except httpx.HTTPError as exc:
        raise ApiUnavailable(UNREACHABLE) from exc
    if not response.is_success:
        raise _problem(response)
    return response


def chat_body(message: str, history: list[dict[str, str]], class_token: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "history": history}
    if class_token:
        body["class_token"] = class_token  # this turn counts, anonymously, in the mentor's dashboard
    return body


class AnswerStream:
    """The streamed answer of ``POST /v1/chat/stream``: iterate for the text as it comes (for
    ``st.write_stream``); afterwards ``answer`` holds the whole answer with its ``answer_id``."""

    def __init__(self, base_url: str, body: dict[str, Any]) -> None:
        self.base_url, self.body = base_url, body
        self.answer: dict[str, Any] = {}

    def __iter__(self) -> Iterator[str]:
        try:
            with (
                httpx.Client(timeout=TIMEOUT_S) as client,
                connect_sse(client, "POST", f"{self.base_url}/v1/chat/stream", json=self.body) as source,
            ):
                if not source.response.is_success:
                    source.response.read()
                    raise _problem(source.response)
                for event in source.iter_sse():
                    if event.event == "token":
                        yield str(json.loads(event.data))
                    elif event.event == "done":
                        self.answer = json.loads(event.data)
        except (httpx.HTTPError, SSEError) as exc:
            raise ApiUnavailable(UNREACHABLE) from exc
        if not self.answer:
            raise ApiUnavailable(UNREACHABLE)  # the stream ended before the whole answer came


def send_feedback(base_url: str, answer: dict[str, Any], rating: str) -> None:
    """Thumbs up or down on an answer: its id, routes and cited documents; never the question."""
    body = {
        "answer_id": answer["answer_id"],
        "rating": rating,
        "routes": answer.get("routes", [])[:10],
        "sources": sorted({c["doc_id"] for c in answer.get("citations", [])})[:20],
    }
    call("POST", base_url, "/v1/feedback", json=body)
