"""What every page of the Streamlit app shares: the API's address."""

from __future__ import annotations

import os

# `koers ui` and `koers run` pass the API's address in KOERS_UI__API_URL; the UI only talks HTTP to it.
DEFAULT_API_URL = "http://127.0.0.1:8000"


def api_url() -> str:
    return os.environ.get("KOERS_UI__API_URL") or DEFAULT_API_URL
