"""The learned detectors an answer uses: the guardrail heads (with their thresholds) and the intent heads.

The weights shipped in ``bot/understand/weights`` were fitted with the bundled model on the training data
in ``bot/understand/data`` (their cards say on which data, by sha256). When a school configures another
embedding model, or the training data changed, the heads are fitted once for it and kept in the model cache
(outside git): a head only makes sense on the vectors of the model it was fitted with.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.core.config import Settings
from bot.core.ports import Embedder
from bot.understand.fit import WEIGHTS_DIR, fit_all
from bot.understand.heads import LinearHeads
from bot.understand.safety import Thresholds
from bot.understand.training import (
    DATA_DIR,
    DATA_FILES,
    GUARD_FILE,
    INTENTS_FILE,
    QUESTIONS_FILE,
    SCHOOL_FILE,
    GuardExample,
    IntentExample,
    QuestionExample,
    SchoolSentence,
    data_sha256,
    load_examples,
)

HEAD_SETS = ("guard", "intents", "school", "questions")

logger = logging.getLogger("koers")


@dataclass(frozen=True)
class Detectors:
    guard: LinearHeads
    intents: LinearHeads
    school: LinearHeads  # sentences of school documents (ingest.protect), not messages
    questions: LinearHeads  # what a message asks, and whether it leans on the turn before

    @property
    def thresholds(self) -> dict[str, Thresholds]:
        found = self.guard.card.get("thresholds", {})
        return {name: Thresholds(float(t["alert"]), float(t["sure"])) for name, t in found.items()}

    def save(self, folder: Path) -> None:
        for name in HEAD_SETS:
            getattr(self, name).save(folder / name)

    @classmethod
    def load(cls, folder: Path) -> Detectors:
        return cls(*(LinearHeads.load(folder / name) for name in HEAD_SETS))


def model_id(settings: Settings) -> str:
    """What the heads' vectors depend on: the embedding model and its query prompt."""
    return f"{settings.embedding.model}|{settings.embedding.query_prompt}"


def _matching(folder: Path, model: str, sha: str) -> Detectors | None:
    try:
        found = Detectors.load(folder)
    except (OSError, ValueError, KeyError):
        return None
    cards = [getattr(found, name).card for name in HEAD_SETS]
    return found if all(c.get("model") == model and c.get("data_sha256") == sha for c in cards) else None


def load_detectors(settings: Settings, embedder: Embedder, data_dir: Path = DATA_DIR) -> Detectors:
    model = model_id(settings)
    sha = data_sha256(*(data_dir / name for name in DATA_FILES))
    if (shipped := _matching(WEIGHTS_DIR, model, sha)) is not None:
        return shipped
    key = hashlib.sha256(f"{model}|{sha}".encode()).hexdigest()[:16]
    cached = settings.embedding.cache_dir / "heads" / key
    if (found := _matching(cached, model, sha)) is not None:
        return found
    logger.warning("Fitting the classifiers for model '%s' (once; kept in %s).", model, cached)
    fitted = fit_all(embedder, model, data_dir)
    detectors = Detectors(fitted.guard, fitted.intents, fitted.school, fitted.questions)
    detectors.save(cached)
    return detectors


# A fresh fit on vectors that differ in the last float bits (batch order, another machine) moves no
# probability by more than 0.0002, though the intercept of a rare intent may move by 0.1 where the loss is
# flat (2026-12-01, Newton-CG to 1e-6). So fits are compared by what they say, on a probe of messages.
PROBABILITY_TOLERANCE = 0.01


def probe_texts(data_dir: Path = DATA_DIR) -> list[str]:
    """Every tenth training message: what two fits are compared on."""
    texts = [e.text for e in load_examples(data_dir / GUARD_FILE, GuardExample)]
    texts += [e.text for e in load_examples(data_dir / INTENTS_FILE, IntentExample)]
    texts += [e.text for e in load_examples(data_dir / SCHOOL_FILE, SchoolSentence)]
    texts += [e.text for e in load_examples(data_dir / QUESTIONS_FILE, QuestionExample)]
    return texts[::10]


def compare(
    shipped: Detectors, fresh: Detectors, texts: Sequence[str], vectors: Sequence[Sequence[float]]
) -> list[str]:
    """What differs between two fits beyond float noise: labels, data, thresholds, or any probability on
    the probe ``texts`` by more than :data:`PROBABILITY_TOLERANCE`."""
    import numpy as np

    found: list[str] = []
    for name in HEAD_SETS:
        a, b = getattr(shipped, name), getattr(fresh, name)
        if a.labels != b.labels:
            found.append(f"{name}: labels {sorted(set(a.labels) ^ set(b.labels))} differ")
            continue
        for key in ("model", "data_sha256", "messages"):
            if a.card.get(key) != b.card.get(key):
                found.append(f"{name}: {key} is {a.card.get(key)!r}, a fresh fit gives {b.card.get(key)!r}")
        gap = float(np.max(np.abs(a.probabilities(texts, vectors) - b.probabilities(texts, vectors))))
        if gap > PROBABILITY_TOLERANCE:
            found.append(f"{name}: probabilities differ by up to {gap:.4f}")
    for label, limits in shipped.thresholds.items():
        other = fresh.thresholds.get(label)
        if (
            other is None
            or abs(other.alert - limits.alert) > PROBABILITY_TOLERANCE
            or abs(other.sure - limits.sure) > PROBABILITY_TOLERANCE
        ):
            found.append(f"guard: thresholds of {label} are {limits}, a fresh fit gives {other}")
    return found
