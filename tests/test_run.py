"""`koers run` end to end: ingest, API and UI up, the acceptance question answered, Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import CORPUS
from tests.servers import free_port

SCOOTER = "ik vind sleutelen aan scooters leuk, welk profiel past bij mij?"


def _wait_for_line(proc: subprocess.Popen[str], needle: str, timeout_s: float) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout_s
    assert proc.stdout is not None
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line and proc.poll() is not None:
            break
        seen.append(line)
        if needle in line:
            return seen
    raise AssertionError(f"'{needle}' not printed; output was:\n{''.join(seen)}")


def test_run_starts_api_and_ui_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    api_port, ui_port = free_port(), free_port()
    env = {
        **os.environ,
        "KOERS_STORE__PATH": str(tmp_path / "store"),
        "KOERS_CORPUS_DIR": str(CORPUS),
        "KOERS_API__PORT": str(api_port),
        "KOERS_UI__PORT": str(ui_port),
        "COLUMNS": "200",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "koers", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )
    try:
        output = _wait_for_line(proc, "Press Ctrl-C to stop", timeout_s=240)
        assert any(f"http://127.0.0.1:{api_port}" in line for line in output)
        assert any(f"http://127.0.0.1:{ui_port}" in line for line in output)

        answer = httpx.post(
            f"http://127.0.0.1:{api_port}/v1/chat", json={"message": SCOOTER}, timeout=60
        ).json()
        assert "Mobiliteit en transport" in answer["text"] and answer["citations"]

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{ui_port}/_stcore/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise AssertionError("the Streamlit UI did not come up")

        os.killpg(proc.pid, signal.SIGINT)
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    for port in (api_port, ui_port):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
        except httpx.ConnectError:
            continue
        raise AssertionError(f"port {port} still answers after Ctrl-C")
