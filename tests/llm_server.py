"""A scripted LLM server on loopback: the one fake in the LLM tests, and it speaks the real wire protocols.

``POST /v1/chat/completions`` answers as an OpenAI-compatible server (vLLM, LM Studio, llama.cpp): one JSON
``chat.completion`` object, or with ``"stream": true`` Server-Sent Events of ``chat.completion.chunk``
objects ending in ``data: [DONE]``. ``POST /api/chat`` answers as Ollama's native API: one JSON object, or
NDJSON lines by default. Each test scripts the reply, status, delays and stalls, and reads back the
requests the server received.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Script:
    """What the server does with the next requests."""

    reply: str = "Goede vraag!"
    status: int = 200
    delay: float = 0.0  # seconds before anything is sent
    stall_after: int | None = None  # streaming: content chunks sent before the stream goes quiet
    stall: float = 0.0  # how long it stays quiet before finishing
    trickle: float = 0.0  # pause before each content chunk: always busy, never done in time
    body: bytes | None = None  # sent as is, with status 200, instead of a protocol reply


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    def content(self, role: str) -> list[str]:
        return [str(m["content"]) for m in self.messages if m["role"] == role]


@dataclass
class LlmServer:
    port: int
    script: Script = field(default_factory=Script)
    requests: list[Received] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        """For provider 'openai' (includes /v1, as vLLM and LM Studio document it)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def ollama_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a handler sleeping through a stall must not block shutdown
    llm: LlmServer


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # silence: pytest shows what matters
        pass

    def do_POST(self) -> None:
        llm = self.server.llm
        raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        body = json.loads(raw or b"{}")
        llm.requests.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        script = llm.script
        try:
            time.sleep(script.delay)
            if script.body is not None:
                self._send(200, "text/html", script.body)
            elif script.status != 200:
                error = {"error": {"message": "scripted failure", "type": "server_error", "code": None}}
                self._send(script.status, "application/json", json.dumps(error).encode())
            elif self.path == "/v1/chat/completions":
                self._openai(body, script)
            elif self.path == "/api/chat":
                self._ollama(body, script)
            else:
                self._send(404, "application/json", b'{"error": "not found"}')
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test); nothing to clean up

    def _send(self, status: int, content_type: str, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _openai(self, body: dict[str, Any], script: Script) -> None:
        model = str(body.get("model", ""))
        if not body.get("stream"):
            message = {"role": "assistant", "content": script.reply}
            completion = {
                "id": "chatcmpl-koers-test",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "message": message, "logprobs": None, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
            }
            self._send(200, "application/json", json.dumps(completion).encode())
            return

        def chunk(delta: dict[str, str], finish: str | None) -> bytes:
            data = {
                "id": "chatcmpl-koers-test",
                "object": "chat.completion.chunk",
                "created": int(time.time()),
                "model": model,
                "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
            }
            return f"data: {json.dumps(data)}\n\n".encode()

        self._start_stream("text/event-stream")
        self._write(chunk({"role": "assistant", "content": ""}, None))
        self._stream_pieces(script, lambda piece: chunk({"content": piece}, None))
        self._write(chunk({}, "stop"))
        self._write(b"data: [DONE]\n\n")

    def _ollama(self, body: dict[str, Any], script: Script) -> None:
        model = str(body.get("model", ""))

        def line(content: str, done: bool) -> bytes:
            data: dict[str, Any] = {
                "model": model,
                "created_at": "2026-01-01T00:00:00Z",
                "message": {"role": "assistant", "content": content},
                "done": done,
            }
            if done:
                data |= {"done_reason": "stop", "total_duration": 1, "eval_count": 1, "prompt_eval_count": 1}
            return (json.dumps(data) + "\n").encode()

        if body.get("stream") is False:
            self._send(200, "application/json", line(script.reply, True))
            return
        self._start_stream("application/x-ndjson")
        self._stream_pieces(script, lambda piece: line(piece, False))
        self._write(line("", True))

    def _start_stream(self, content_type: str) -> None:
        # HTTP/1.0 without Content-Length: the body ends when the connection closes, as with SSE proxies.
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()

    def _stream_pieces(self, script: Script, encode: Any) -> None:
        for index, piece in enumerate(re.findall(r"\S+\s*", script.reply)):
            if index == script.stall_after:
                time.sleep(script.stall)
            time.sleep(script.trickle)
            self._write(encode(piece))

    def _write(self, data: bytes) -> None:
        self.wfile.write(data)
        self.wfile.flush()


@contextmanager
def running_llm() -> Iterator[LlmServer]:
    """Start the scripted server on a free loopback port; stop it afterwards."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.llm = LlmServer(port=server.server_address[1])
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.llm
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
