"""``koers serve`` (API), ``koers ui`` (Streamlit) and ``koers run`` (ingest if needed, then both)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType

import httpx
from fastapi import FastAPI

from bot.core.config import Settings
from bot.core.errors import ConfigError
from koers.cmd_ingest import prepare_sentences, print_report, run_ingest
from koers.common import console, err_console, settings

STARTUP_TIMEOUT_S = 180
SHUTDOWN_GRACE_S = 3


def serve() -> None:
    """Start the HTTP API (POST /v1/chat, GET /health) on the configured host and port."""
    import uvicorn

    from koers.app import build_app

    cfg = settings()
    if cfg.api.workers > 1:  # each worker process builds its own app from the same settings
        target: FastAPI | str = "koers.app:app_from_environment"
    else:
        target = build_app(cfg)
        target.state.service.warm_up()
    # On SIGTERM, requests still running after a few seconds are cancelled (an upload being read included),
    # so a service manager can stop Koers quickly; the ingest is crash-safe either way.
    uvicorn.run(
        target,
        factory=cfg.api.workers > 1,
        workers=cfg.api.workers,
        host=cfg.api.host,
        port=cfg.api.port,
        log_level="warning",
        timeout_graceful_shutdown=SHUTDOWN_GRACE_S,
        server_header=False,  # do not tell the world which server software answers
    )


def _ui_command(cfg: Settings) -> list[str]:
    app_path = Path(__file__).resolve().parent.parent / "ui" / "app.py"
    return [
        sys.executable, "-m", "streamlit", "run", str(app_path),
        "--server.address", cfg.ui.host,
        "--server.port", str(cfg.ui.port),
        "--server.headless", "true",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "minimal",  # students see the chat, not Streamlit's deploy menu
    ]  # fmt: skip


def _ui_env(cfg: Settings) -> dict[str, str]:
    """The UI reads no settings file: it gets the API's addresses and talks HTTP to it."""
    return {
        **os.environ,
        "KOERS_UI__API_URL": cfg.api_base_url,
        "KOERS_UI__PUBLIC_API_URL": cfg.ui.public_api_url or cfg.api_base_url,
        "KOERS_UI__PUBLIC_URL": cfg.ui.public_url,
    }


def ui() -> None:
    """Start the Streamlit chat page; it talks to the API over HTTP."""
    cfg = settings()
    raise SystemExit(subprocess.call(_ui_command(cfg), env=_ui_env(cfg)))


def _wait_for_api(url: str, api: subprocess.Popen[bytes]) -> bool:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline and api.poll() is None:
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for proc in processes:
        if proc.poll() is None:
            proc.terminate()
    for proc in processes:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _ensure_free(host: str, port: int, setting: str) -> None:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise ConfigError(
                f"Poort {port} op {host} is al in gebruik (draait Koers al?). "
                f"Stop dat programma, of kies een andere poort met {setting}."
            ) from exc


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run() -> None:
    """Ingest the corpus when it changed, prepare its sentences for quick answers, start the API and the UI,
    print both URLs; Ctrl-C stops both."""
    cfg = settings()
    _ensure_free(cfg.api.host, cfg.api.port, "KOERS_API__PORT")
    _ensure_free(cfg.ui.host, cfg.ui.port, "KOERS_UI__PORT")
    # A service manager stops us with SIGTERM: shut the children down as for Ctrl-C. SIGINT is set too:
    # started from a script's background job, Python inherits SIGINT as ignored and raises no
    # KeyboardInterrupt, while the API and the UI set their own handler and stop; we would then report
    # them as crashed and exit 1.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    report = run_ingest(cfg, cfg.corpus_dir)
    if report.changed:
        print_report(report, cfg.corpus_dir)
    else:
        console.print(f"Corpus is bij ({report.count('unchanged')} documenten, niets nieuws in te lezen).")
    prepare_sentences(cfg)

    api = subprocess.Popen([sys.executable, "-m", "koers", "serve"])
    processes = [api]
    try:
        with console.status("De API start (het model wordt geladen)..."):
            ready = _wait_for_api(cfg.api_base_url, api)
        if not ready:
            err_console.print("[red]De API is niet gestart.[/] Kijk bij de meldingen hierboven.")
            raise SystemExit(1)
        processes.append(subprocess.Popen(_ui_command(cfg), env=_ui_env(cfg)))
        console.print(f"[bold green]Koers draait.[/]\n  API: {cfg.api_base_url}/docs")
        console.print(f"  UI:  http://{cfg.ui.host}:{cfg.ui.port}\nDruk op Ctrl-C om te stoppen.")
        while all(proc.poll() is None for proc in processes):
            time.sleep(0.5)
        err_console.print("[red]Een deel van Koers is onverwacht gestopt; de rest stopt nu ook.[/]")
        raise SystemExit(1)
    except KeyboardInterrupt:
        console.print("\nKoers stopt...")
    finally:
        _stop(processes)
