"""A thin HTTP client for the Koers API, with Dutch messages for anything that goes wrong."""

from __future__ import annotations

from typing import Any

import httpx

TIMEOUT_S = 60.0


class ApiUnavailable(Exception):
    """The API could not give an answer; the message is for the student."""


def ask(base_url: str, message: str, history: list[dict[str, str]]) -> dict[str, Any]:
    try:
        response = httpx.post(
            f"{base_url}/v1/chat", json={"message": message, "history": history}, timeout=TIMEOUT_S
        )
    except httpx.HTTPError as exc:
        raise ApiUnavailable(
            "Koers is nu niet bereikbaar. Probeer het zo nog eens, of vraag je mentor om hulp."
        ) from exc
    if response.status_code != 200:
        try:
            detail = response.json()["error"]["message"]
        except (ValueError, KeyError, TypeError):
            detail = f"foutcode {response.status_code}"
        raise ApiUnavailable(f"Er ging iets mis: {detail}")
    data: dict[str, Any] = response.json()
    return data
