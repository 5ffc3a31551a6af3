"""Real servers on loopback for tests: the Koers API in a background thread, the Streamlit app in a process,
and where to find Chromium."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from bot.api import create_app
from bot.service import ChatService


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_api(service: ChatService) -> Iterator[str]:
    with running_app(create_app(service)) as url:
        yield url


@contextmanager
def running_app(app: FastAPI, *, port: int | None = None) -> Iterator[str]:
    """The app served by uvicorn in a background thread on ``port`` (default: a free loopback port)."""
    port = port or free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def chromium_path() -> str:
    path = os.environ.get("KOERS_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.fail(
            "Chromium ontbreekt. Installeer het met 'apt-get install chromium' (dat doet .ci/run ook)."
        )
    return path


UI_APP = Path(__file__).resolve().parent.parent / "ui" / "app.py"


def wait_until_healthy(
    health_url: str, proc: subprocess.Popen[bytes], *, timeout_s: float, what: str
) -> None:
    """Wait until ``health_url`` answers 200 while ``proc`` runs; fail when the process stopped."""
    deadline = time.monotonic() + timeout_s
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            if httpx.get(health_url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    assert proc.poll() is None, f"{what} stopped during start-up"


@contextmanager
def running_ui(api_url: str) -> Iterator[str]:
    """The Streamlit app (``ui/app.py``) in a process of its own on a free loopback port."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(UI_APP),
            "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
            "--browser.gatherUsageStats", "false", "--client.toolbarMode", "minimal",
        ],
        env={**os.environ, "KOERS_UI__API_URL": api_url},
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(f"{url}/_stcore/health", proc, timeout_s=60, what="streamlit")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@contextmanager
def koers_serve(env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real ``koers serve`` process on a free port, with the given environment; stopped with SIGTERM."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "koers", "serve"],
        env={**env, "KOERS_API__PORT": str(port)},
        start_new_session=True,  # its worker processes are stopped with it
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(f"{url}/health", proc, timeout_s=180, what="koers serve")
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
