"""The sentence-vector cache on disk: a restarted Koers reuses it, never stores a student's message, and
answers as before when the file is broken."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.adapters import LazyEmbedder
from bot.adapters.sentence_vectors import SentenceVectorFile, fill
from bot.container import build_service, sentence_vectors
from bot.core.config import Settings
from bot.core.ports import Vector

QUESTION = "ik vind lassen vet maar ik doe kader, wat moet ik kiezen?"


class CountingEmbedder:
    """The real model, counting the texts it is asked to embed."""

    def __init__(self, model: LazyEmbedder) -> None:
        self._model = model
        self.texts: list[str] = []

    def embed(self, texts: Sequence[str], *, kind: str) -> list[Vector]:
        self.texts += texts
        return self._model.embed(texts, kind=kind)


def _settings(corpus_settings: Settings, cache: Path) -> Settings:
    store = corpus_settings.store.model_copy(update={"sentence_vectors_path": cache})
    return corpus_settings.model_copy(update={"store": store})


def test_a_restarted_service_reads_sentence_vectors_from_disk(
    corpus_settings: Settings, embedder: LazyEmbedder, tmp_path: Path
) -> None:
    settings = _settings(corpus_settings, tmp_path / "sentences.sqlite")
    first_model = CountingEmbedder(embedder)
    before = build_service(settings, first_model).answer(QUESTION)
    assert settings.store.sentence_vectors_path.is_file()
    restarted_model = CountingEmbedder(embedder)
    after = build_service(settings, restarted_model).answer(QUESTION)
    assert after == before
    stored = {text for text in first_model.texts if sentence_vectors(settings).get([text])}
    assert len(stored) > 20, "the first service kept the passage sentences it compared"
    assert not stored & set(restarted_model.texts), "the restarted one read them from disk"
    assert len(restarted_model.texts) < len(first_model.texts) / 4, "and embedded the questions only"


def test_a_students_message_is_never_written(
    corpus_settings: Settings, embedder: LazyEmbedder, tmp_path: Path
) -> None:
    settings = _settings(corpus_settings, tmp_path / "sentences.sqlite")
    service = build_service(settings, embedder)
    message = "ik heet Sanne en ik vind lassen vet, wat past bij mij?"
    answer = service.answer(message)
    disk = sentence_vectors(settings)
    assert any(disk.get([c.quote]) for c in answer.citations), "passage sentences are kept"
    assert disk.get([message]) == {} and disk.get([message.replace("Sanne", "[naam]")]) == {}


def test_stored_vectors_are_the_models_vectors(embedder: LazyEmbedder, tmp_path: Path) -> None:
    disk = SentenceVectorFile(tmp_path / "v.sqlite", model="m")
    text = "Met een KB-diploma mag je naar mbo niveau 3 of 4."
    vector = np.asarray(embedder.embed([text], kind="query")[0], dtype=np.float32)
    disk.put({text: vector})
    assert np.array_equal(disk.get([text])[text], vector)
    assert SentenceVectorFile(tmp_path / "v.sqlite", model="other").get([text]) == {}, "keyed by model"


def test_a_broken_cache_file_changes_no_answer(
    corpus_settings: Settings, embedder: LazyEmbedder, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "sentences.sqlite"
    broken.write_bytes(b"this is not a database" * 100)
    expected = build_service(_settings(corpus_settings, tmp_path / "fresh.sqlite"), embedder).answer(QUESTION)
    with caplog.at_level(logging.WARNING, logger="koers"):
        answer = build_service(_settings(corpus_settings, broken), embedder).answer(QUESTION)
    assert answer == expected
    assert "delete the file" in caplog.text
    assert broken.read_bytes() == b"this is not a database" * 100, "what Koers cannot read, it leaves"


def test_fill_embeds_each_missing_sentence_once_with_progress(embedder: LazyEmbedder, tmp_path: Path) -> None:
    disk = SentenceVectorFile(tmp_path / "v.sqlite", model="m")
    passages = ["Lassen is leuk. Je werkt met metaal.", "Je werkt met metaal. BBL is werken en leren."]
    seen: list[tuple[int, int]] = []
    assert fill(disk, embedder, passages, lambda done, total: seen.append((done, total))) == 3
    assert seen[-1] == (3, 3)
    assert set(disk.get(["Lassen is leuk.", "Je werkt met metaal.", "BBL is werken en leren."])) == {
        "Lassen is leuk.",
        "Je werkt met metaal.",
        "BBL is werken en leren.",
    }
    model = CountingEmbedder(embedder)
    assert fill(disk, model, passages) == 0 and model.texts == [], "nothing is embedded twice"
