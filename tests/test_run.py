"""`koers run` end to end: ingest, API and UI up, the acceptance question answered, Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from bot.core.config import Settings
from tests.conftest import CORPUS, env_for, make_settings
from tests.servers import free_port

SCOOTER = "ik vind sleutelen aan scooters leuk, welk profiel past bij mij?"


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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


def _env(settings: Settings, api_port: int, ui_port: int) -> dict[str, str]:
    return {
        **env_for(settings),
        "KOERS_CORPUS_DIR": str(CORPUS),
        "KOERS_API__PORT": str(api_port),
        "KOERS_UI__PORT": str(ui_port),
        "COLUMNS": "200",
    }


@pytest.mark.slow
@pytest.mark.parametrize("stop", ["ctrl-c", "sigterm"])
def test_run_starts_api_and_ui_and_stops_cleanly(corpus_settings: Settings, stop: str) -> None:
    # The corpus is already in this store, so `koers run` finds it up to date, as a second run would.
    api_port, ui_port = free_port(), free_port()
    env = _env(corpus_settings, api_port, ui_port)
    proc = subprocess.Popen(
        [sys.executable, "-m", "koers", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, like a terminal's foreground job
        # Started as a script's background job starts it: with SIGINT ignored, which Python then keeps.
        preexec_fn=_ignore_sigint if stop == "ctrl-c" else None,
    )
    try:
        output = _wait_for_line(proc, "Druk op Ctrl-C om te stoppen", timeout_s=240)
        assert any("Corpus is bij" in line and "niets nieuws in te lezen" in line for line in output)
        assert any(f"http://127.0.0.1:{api_port}" in line for line in output)
        assert any(f"http://127.0.0.1:{ui_port}" in line for line in output)

        answer = httpx.post(
            f"http://127.0.0.1:{api_port}/v1/chat", json={"message": SCOOTER}, timeout=60
        ).json()
        assert "Mobiliteit en transport" in answer["text"] and answer["citations"]
        assert corpus_settings.store.sentence_vectors_path.is_file(), "sentences prepared for quick answers"

        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{ui_port}/_stcore/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            raise AssertionError("the Streamlit UI did not come up")

        if stop == "ctrl-c":
            os.killpg(proc.pid, signal.SIGINT)  # a terminal sends SIGINT to the whole foreground group
        else:
            proc.send_signal(signal.SIGTERM)  # a service manager signals only the main process
        rest, _ = proc.communicate(timeout=30)
        assert proc.returncode == 0, "".join(output) + rest
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
    for port in (api_port, ui_port):
        try:
            httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
        except httpx.ConnectError:
            continue
        raise AssertionError(f"port {port} still answers after Ctrl-C")


def test_run_refuses_a_port_that_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "koers", "run"],
            env=_env(make_settings(tmp_path / "store"), port, free_port()),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"Poort {port}" in result.stderr and "KOERS_API__PORT" in result.stderr
