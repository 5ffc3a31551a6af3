"""Read each file in a separate worker process with limits on time, memory and text, so that one hostile or
broken file can neither stall nor exhaust the API or a folder ingest.

The worker is started once (``forkserver``: a clean process, never a fork of one that holds the model and
server threads) and reused. A file that runs over its time is stopped by killing the worker; one that
needs too much memory fails inside the worker (an address-space limit) or kills it. Either way the file is
reported with a Dutch reason and the next file gets a fresh worker.
"""

from __future__ import annotations

import multiprocessing
import resource
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path

from pebble import ProcessExpired, ProcessPool

from bot.core.errors import DocumentError
from ingest.loaders import MAX_BYTES, MAX_CHARS, MAX_UNPACKED_BYTES, LoadedFile, load_file, messages


@dataclass(frozen=True)
class ReadLimits:
    """What reading one file may cost. The defaults leave room for a 300-page school guide."""

    seconds: float = 30.0
    memory_mb: int = 2048
    max_bytes: int = MAX_BYTES
    max_chars: int = MAX_CHARS
    max_unpacked_bytes: int = MAX_UNPACKED_BYTES


def _limit_memory(memory_mb: int) -> None:
    """Runs once in each new worker: cap its address space, so a parser that balloons gets MemoryError."""
    limit = memory_mb * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard if hard != resource.RLIM_INFINITY else limit))


def _read(path: Path, root: Path, school: str, limits: ReadLimits) -> LoadedFile:
    """Runs in the worker. A MemoryError becomes a DocumentError so the reason survives the trip back."""
    try:
        return load_file(
            path,
            root,
            school=school,
            max_bytes=limits.max_bytes,
            max_chars=limits.max_chars,
            max_unpacked_bytes=limits.max_unpacked_bytes,
        )
    except MemoryError:
        raise DocumentError(messages.TOO_HEAVY) from None


# One worker per memory limit in a process, shared by every reader (the API's upload library and the ingest
# of a folder need no worker each). pebble's pool is thread-safe; starting and stopping it is not.
_pools: dict[int, ProcessPool] = {}
_pools_lock = threading.Lock()


class IsolatedReader:
    """``read(path, root, school)`` like :func:`ingest.loaders.load_file`, in a bounded worker process."""

    def __init__(self, limits: ReadLimits | None = None) -> None:
        self.limits = limits or ReadLimits()

    def _workers(self) -> ProcessPool:
        with _pools_lock:
            pool = _pools.get(self.limits.memory_mb)
            if pool is None or not pool.active:
                pool = _pools[self.limits.memory_mb] = ProcessPool(
                    max_workers=1,
                    initializer=_limit_memory,
                    initargs=(self.limits.memory_mb,),
                    context=multiprocessing.get_context("forkserver"),
                )
            return pool

    def read(self, path: Path, root: Path, school: str = "") -> LoadedFile:
        future = self._workers().schedule(
            _read, args=(path, root, school, self.limits), timeout=self.limits.seconds
        )
        try:
            loaded: LoadedFile = future.result()
        except FutureTimeout:
            raise DocumentError(messages.too_slow(self.limits.seconds)) from None
        except ProcessExpired:  # killed by the kernel: out of memory, or a native parser crashed
            raise DocumentError(messages.TOO_HEAVY) from None
        return loaded

    def close(self) -> None:
        """Stop the worker now, even in the middle of a file (at shutdown); a next read starts a new one."""
        with _pools_lock:
            pool = _pools.pop(self.limits.memory_mb, None)
        if pool is not None:
            pool.stop()  # type: ignore[no-untyped-call]
            pool.join(timeout=5)
