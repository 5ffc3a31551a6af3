"""A thin HTTP client for the Koers API, with Dutch messages for anything that goes wrong."""

from __future__ import annotations

from typing import Any

import httpx

TIMEOUT_S = 60.0


class ApiUnavailable(Exception):
    """The API could not give an answer; the message is for the student."""


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
        raise ApiUnavailable(
            "Koers is nu niet bereikbaar. Probeer het zo nog eens, of vraag je mentor om hulp."
        ) from exc
    if not response.is_success:
        try:
            detail = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            detail = f"foutcode {response.status_code}"
        raise ApiUnavailable(f"Er ging iets mis: {detail}")
    return response


def ask(
    base_url: str, message: str, history: list[dict[str, str]], class_token: str | None = None
) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "history": history}
    if class_token:
        body["class_token"] = class_token  # this turn counts, anonymously, in the mentor's dashboard
    data: dict[str, Any] = call("POST", base_url, "/v1/chat", json=body).json()
    return data
