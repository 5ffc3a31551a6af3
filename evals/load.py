"""``koers bench load``: a class of students using Koers at the same time, through the real HTTP API.

A real ``koers serve`` runs in its own process (so the load generator does not share its cores' Python with
it); simulated students each hold a conversation of a few turns over ``POST /v1/chat/stream``, with the
history, their own ``conversation_id`` and the default rate limits. Two patterns:

* **class**: students start within the first ``think`` seconds and read for about ``think`` seconds before
  the next question, as in a lesson;
* **burst**: every student sends at the same moment and the next question as soon as an answer is in (the
  worst case: a mentor says "ask it now").

The baseline, in the same run, is one student alone; the ratio is p95 under load / p95 alone.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from evals.bench import Latency

STARTUP_S = 300
REQUEST_TIMEOUT_S = 120


@dataclass(frozen=True)
class LoadRun:
    pattern: str
    users: int
    requests: int
    errors: int
    failures: dict[str, int]  # what went wrong, how often
    answer: Latency  # until the whole answer has streamed (the 'done' event)
    first_token: Latency
    seconds: float

    @property
    def answers_per_s(self) -> float:
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0


@contextmanager
def koers_server(port: int) -> Iterator[str]:
    """``koers serve`` on ``port`` with this process's settings; ready when /ready says so."""
    env = {
        **os.environ,
        "KOERS_API__HOST": "127.0.0.1",
        "KOERS_API__PORT": str(port),
        # Every simulated student comes from 127.0.0.1: the limit per address would measure itself. The limit
        # per conversation stays as configured (each student has its own conversation).
        "KOERS_API__RATE_PER_CLIENT": "1000000/minute",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "koers", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError("koers serve stopte tijdens het opstarten; zie de melding hierboven.")
            try:
                if httpx.get(f"{url}/ready", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            raise RuntimeError(f"koers serve was na {STARTUP_S} s nog niet klaar.")
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@dataclass
class _Result:
    status: str  # "ok", an HTTP status code, "timeout" or "no answer" (the stream ended without one)
    answer_s: float
    first_token_s: float
    text: str

    @property
    def ok(self) -> bool:
        return self.status == "ok"


async def _ask(client: httpx.AsyncClient, url: str, body: Mapping[str, object]) -> _Result:
    start = time.perf_counter()
    first: float | None = None
    text = ""
    event = ""
    try:
        async with client.stream("POST", f"{url}/v1/chat/stream", json=body) as response:
            if response.status_code != 200:
                await response.aread()
                return _Result(str(response.status_code), time.perf_counter() - start, 0.0, "")
            async for line in response.aiter_lines():
                if line.startswith("event:"):
                    event = line.removeprefix("event:").strip()
                elif line.startswith("data:") and event == "token" and first is None:
                    first = time.perf_counter() - start
                elif line.startswith("data:") and event == "done":
                    text = json.loads(line.removeprefix("data:").strip())["text"]
    except httpx.TimeoutException:
        return _Result("timeout", time.perf_counter() - start, 0.0, "")
    except httpx.HTTPError as exc:
        return _Result(type(exc).__name__, time.perf_counter() - start, 0.0, "")
    elapsed = time.perf_counter() - start
    return _Result("ok" if text else "no answer", elapsed, first if first is not None else elapsed, text)


async def _student(
    client: httpx.AsyncClient,
    url: str,
    questions: Sequence[str],
    turns: int,
    think_s: float,
    rng: random.Random,
    results: list[_Result],
) -> None:
    conversation = f"load-{rng.getrandbits(64):016x}"
    history: list[dict[str, str]] = []
    await asyncio.sleep(rng.uniform(0, think_s))  # a class does not press Enter in the same millisecond
    for turn in range(turns):
        question = rng.choice(questions)
        body = {"message": question, "history": history[-50:], "conversation_id": conversation}
        result = await _ask(client, url, body)
        results.append(result)
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": result.text[:4000]},
        ]
        if turn < turns - 1:
            await asyncio.sleep(rng.uniform(0.5 * think_s, 1.5 * think_s))


async def _run(
    url: str, questions: Sequence[str], users: int, turns: int, think_s: float, seed: int
) -> LoadRun:
    results: list[_Result] = []
    limits = httpx.Limits(max_connections=users + 10, max_keepalive_connections=users + 10)
    async with httpx.AsyncClient(timeout=REQUEST_TIMEOUT_S, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(
            *(
                _student(client, url, questions, turns, think_s, random.Random(seed * 1000 + i), results)
                for i in range(users)
            )
        )
        seconds = time.perf_counter() - start
    ok = [r for r in results if r.ok] or [_Result("none", 0.0, 0.0, "")]
    failures = Counter(r.status for r in results if not r.ok)
    return LoadRun(
        pattern="class" if think_s else "burst",
        users=users,
        requests=len(results),
        errors=sum(failures.values()),
        failures=dict(failures),
        answer=Latency.of([r.answer_s * 1000 for r in ok]),
        first_token=Latency.of([r.first_token_s * 1000 for r in ok]),
        seconds=seconds,
    )


def run_load(
    url: str, questions: Sequence[str], users: int, *, turns: int = 3, think_s: float = 0.0, seed: int = 7
) -> LoadRun:
    """``users`` students at once, ``turns`` questions each (think_s = 0: the burst pattern)."""
    return asyncio.run(_run(url, questions, users, turns, think_s, seed))
