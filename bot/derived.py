"""Values built from the store's contents (the recommender's labels, the BM25 index), kept fresh."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from bot.ports import VectorStore

T = TypeVar("T")


class StoreDerived(Generic[T]):
    """``build()``'s result, rebuilt when the store's size changed (an ingest or a school's upload), so a new
    document counts without a restart. A change that keeps the size exactly (a re-upload with as many
    passages) is only seen after a restart."""

    def __init__(self, store: VectorStore, build: Callable[[], T]) -> None:
        self._store = store
        self._build = build
        self._value: T | None = None
        self._built_for = -1  # the store size the value was built for

    def get(self) -> T:
        size = self._store.count()
        if self._value is None or size != self._built_for:
            self._value = self._build()
            self._built_for = size
        return self._value
