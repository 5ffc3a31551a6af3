"""Values built from the store's contents (the recommender's labels, the BM25 index), kept fresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from bot.core.ports import VectorStore

T = TypeVar("T")


class StoreDerived(Generic[T]):
    """``build()``'s result, rebuilt after any write to the store (an upload, or ``koers ingest`` in another
    process), so a new or changed document counts without a restart."""

    def __init__(self, store: VectorStore, build: Callable[[], T]) -> None:
        self._store = store
        self._build = build
        self._value: T | None = None
        self._built_for: str | None = None  # the store version the value was built for

    def get(self) -> T:
        version = self._store.version()
        if self._value is None or version != self._built_for:
            self._value = self._build()
            self._built_for = version
        return self._value
