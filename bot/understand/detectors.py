"""The learned detectors an answer uses: the guardrail heads (with their thresholds) and the intent heads.

The weights shipped in ``bot/understand/weights`` were fitted with the bundled model on the training data
in ``bot/understand/data`` (their cards say on which data, by sha256). When a school configures another
embedding model, or the training data changed, the heads are fitted once for it and kept in the model cache
(outside git): a head only makes sense on the vectors of the model it was fitted with.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from bot.config import Settings
from bot.ports import Embedder
from bot.understand.fit import WEIGHTS_DIR, fit_all
from bot.understand.heads import LinearHeads
from bot.understand.safety import Thresholds
from bot.understand.training import DATA_DIR, GUARD_FILE, INTENTS_FILE, data_sha256

logger = logging.getLogger("koers")


@dataclass(frozen=True)
class Detectors:
    guard: LinearHeads
    intents: LinearHeads

    @property
    def thresholds(self) -> dict[str, Thresholds]:
        found = self.guard.card.get("thresholds", {})
        return {name: Thresholds(float(t["alert"]), float(t["sure"])) for name, t in found.items()}

    def save(self, folder: Path) -> None:
        self.guard.save(folder / "guard")
        self.intents.save(folder / "intents")


def model_id(settings: Settings) -> str:
    """What the heads' vectors depend on: the embedding model and its query prompt."""
    return f"{settings.embedding.model}|{settings.embedding.query_prompt}"


def _matching(folder: Path, model: str, sha: str) -> Detectors | None:
    try:
        found = Detectors(LinearHeads.load(folder / "guard"), LinearHeads.load(folder / "intents"))
    except (OSError, ValueError, KeyError):
        return None
    cards = (found.guard.card, found.intents.card)
    return found if all(c.get("model") == model and c.get("data_sha256") == sha for c in cards) else None


def load_detectors(settings: Settings, embedder: Embedder, data_dir: Path = DATA_DIR) -> Detectors:
    model = model_id(settings)
    sha = data_sha256(data_dir / GUARD_FILE, data_dir / INTENTS_FILE)
    if (shipped := _matching(WEIGHTS_DIR, model, sha)) is not None:
        return shipped
    key = hashlib.sha256(f"{model}|{sha}".encode()).hexdigest()[:16]
    cached = settings.embedding.cache_dir / "heads" / key
    if (found := _matching(cached, model, sha)) is not None:
        return found
    logger.warning("Fitting the classifiers for model '%s' (once; kept in %s).", model, cached)
    fitted = fit_all(embedder, model, data_dir)
    detectors = Detectors(fitted.guard, fitted.intents)
    detectors.save(cached)
    return detectors


# A fresh fit on vectors that differ in the last float bits (batch order, another machine) moved the guard
# weights by 1e-6 and the intent weights by up to 0.0035 (2026-12-01, Newton-CG to 1e-6): far below what
# changes a decision, and far below what a stale or hand-edited file would show.
WEIGHT_TOLERANCE = 0.01


def compare(shipped: Detectors, fresh: Detectors) -> list[str]:
    """What differs between two sets of detectors beyond float noise: labels, data, weights, thresholds."""
    import numpy as np

    found: list[str] = []
    for name, a, b in (("guard", shipped.guard, fresh.guard), ("intents", shipped.intents, fresh.intents)):
        if a.labels != b.labels:
            found.append(f"{name}: labels {sorted(set(a.labels) ^ set(b.labels))} differ")
            continue
        for key in ("model", "data_sha256", "messages"):
            if a.card.get(key) != b.card.get(key):
                found.append(f"{name}: {key} is {a.card.get(key)!r}, a fresh fit gives {b.card.get(key)!r}")
        gap = float(np.max(np.abs(a.weights - b.weights))) if a.weights.size else 0.0
        if gap > WEIGHT_TOLERANCE or float(np.max(np.abs(a.bias - b.bias))) > WEIGHT_TOLERANCE:
            found.append(f"{name}: weights differ by up to {gap:.4f}")
    for label, limits in shipped.thresholds.items():
        other = fresh.thresholds.get(label)
        if (
            other is None
            or abs(other.alert - limits.alert) > WEIGHT_TOLERANCE
            or abs(other.sure - limits.sure) > WEIGHT_TOLERANCE
        ):
            found.append(f"guard: thresholds of {label} are {limits}, a fresh fit gives {other}")
    return found
