"""What every page of the Streamlit app shares: the API's address, and the addresses browsers use."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import streamlit as st

# `koers ui` and `koers run` pass the API's addresses in KOERS_UI__*; the UI only talks HTTP to the API.
DEFAULT_API_URL = "http://127.0.0.1:8000"


def api_url() -> str:
    return os.environ.get("KOERS_UI__API_URL") or DEFAULT_API_URL


def public_api_url() -> str:
    """The API as a student's browser reaches it (links to source pages); behind a proxy it differs."""
    return (os.environ.get("KOERS_UI__PUBLIC_API_URL") or api_url()).rstrip("/")


def public_ui_url() -> str:
    """This app as students reach it (the join QR code): the setting, else the address the mentor's browser
    shows."""
    configured = os.environ.get("KOERS_UI__PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    seen = urlsplit(st.context.url or "http://127.0.0.1:8501")
    return f"{seen.scheme}://{seen.netloc}"
