"""The learned detectors stay honest: their training data never near-duplicates an eval message, and the
weights shipped in the repository are exactly what the training data gives."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pytest

from bot.adapters import LazyEmbedder
from bot.core.ports import Vector
from bot.understand.detectors import Detectors, compare, model_id, probe_texts
from bot.understand.fit import WEIGHTS_DIR, fit_all
from bot.understand.training import DATA_DIR, TEXT_FILES
from evals.leakage import NEAR_DUPLICATE, eval_messages, near_duplicates
from tests.conftest import make_settings


class RememberingEmbedder:
    """The real model, remembering what it embedded: both tests embed the same 3,000 training messages."""

    def __init__(self, embedder: LazyEmbedder) -> None:
        self._embedder = embedder
        self._seen: dict[tuple[str, str], Vector] = {}

    def embed(self, texts: Sequence[str], *, kind: str) -> list[Vector]:
        missing = [t for t in dict.fromkeys(texts) if (kind, t) not in self._seen]
        for text, vector in zip(missing, self._embedder.embed(missing, kind=kind), strict=True):
            self._seen[(kind, text)] = vector
        return [self._seen[(kind, t)] for t in texts]


@pytest.fixture(scope="module")
def remembering(embedder: LazyEmbedder) -> RememberingEmbedder:
    return RememberingEmbedder(embedder)


def _training_texts() -> list[str]:
    return [
        json.loads(line)["text"]
        for name in TEXT_FILES
        for line in (DATA_DIR / name).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


@pytest.mark.slow
def test_no_training_message_is_a_near_duplicate_of_an_eval_message(remembering: RememberingEmbedder) -> None:
    evals = eval_messages()
    named = {"dev", "test", "safety", "paraphrases", "names", "protected", "askers"}
    assert {name for name, _ in evals} >= named
    pairs = near_duplicates(_training_texts(), evals, remembering)
    shown = "; ".join(f"{p.similarity} {p.training!r} ~ [{p.eval_set}] {p.evaluation!r}" for p in pairs[:5])
    assert not pairs, f"{len(pairs)} training messages at or above {NEAR_DUPLICATE}: {shown}"


def test_the_near_duplicate_check_finds_a_reworded_eval_question(remembering: RememberingEmbedder) -> None:
    evals = [("dev", "wat is het verschil tussen bol en bbl")]
    found = near_duplicates(
        ["wat is t verschil tussen bol en bbl", "ik wil later lassen"], evals, remembering
    )
    assert [p.training for p in found] == ["wat is t verschil tussen bol en bbl"]


@pytest.mark.slow
def test_the_shipped_weights_are_what_the_training_data_gives(
    remembering: RememberingEmbedder, tmp_path_factory: pytest.TempPathFactory
) -> None:
    settings = make_settings(tmp_path_factory.mktemp("unused"))
    fresh = fit_all(remembering, model_id(settings), DATA_DIR)
    shipped = Detectors.load(WEIGHTS_DIR)
    probe = probe_texts()
    fitted = Detectors(fresh.guard, fresh.intents, fresh.school, fresh.questions)
    differences = compare(shipped, fitted, probe, remembering.embed(probe, kind="query"))
    assert not differences, "run 'koers models train': " + "; ".join(differences)
