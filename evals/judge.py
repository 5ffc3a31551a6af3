"""Embedding-similarity judging: is a fact (or a must-not behaviour) stated by one of the answer's sentences?

A sentence supports a fact when their cosine similarity reaches the threshold AND every number in the fact
also occurs in the sentence: embeddings barely tell "niveau 2" from "niveau 3" or "1 april" from "1 mei",
and numbers are where wrong answers differ most. The threshold is calibrated on hand-labelled pairs
(evals/calibration/fact_pairs.jsonl) by ``koers eval calibrate``, which stores it with its precision and
recall in evals/calibration/fact_judge.json.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bot.core.claims import numbers_in
from bot.core.errors import KoersError
from bot.core.ports import Embedder

CALIBRATION_DIR = Path(__file__).resolve().parent / "calibration"
PAIRS_FILE = CALIBRATION_DIR / "fact_pairs.jsonl"
RESULT_FILE = CALIBRATION_DIR / "fact_judge.json"


class CalibrationError(KoersError):
    code = "calibration_missing"


def numbers_agree(claim: str, sentence: str) -> bool:
    """Every number in ``claim`` occurs in ``sentence``, in digits or in words."""
    return numbers_in(claim) <= numbers_in(sentence)


class SimilarityJudge:
    """Cosine similarity between short Dutch statements (e5 'query: ' prompt on both sides, cached)."""

    def __init__(self, embedder: Embedder) -> None:
        self._embedder = embedder
        self._cache: dict[str, np.ndarray] = {}

    def _vectors(self, texts: Sequence[str]) -> np.ndarray:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for text, vector in zip(missing, self._embedder.embed(missing, kind="query"), strict=True):
                self._cache[text] = np.asarray(vector, dtype=np.float32)
        return np.stack([self._cache[t] for t in texts]) if texts else np.zeros((0, 1), dtype=np.float32)

    def best_scores(self, claims: Sequence[str], sentences: Sequence[str]) -> list[float]:
        """For each claim, the highest similarity to any sentence (0.0 when there are no sentences)."""
        if not claims:
            return []
        if not sentences:
            return [0.0] * len(claims)
        similarity = self._vectors(claims) @ self._vectors(sentences).T
        agree = np.array([[numbers_agree(c, s) for s in sentences] for c in claims])
        return [float(x) for x in np.where(agree, similarity, 0.0).max(axis=1)]

    def similarities(self, query: str, sentences: Sequence[str]) -> list[float]:
        """Plain cosine similarity of ``query`` to each sentence (numbers not compared)."""
        if not sentences:
            return []
        return [float(x) for x in self._vectors(sentences) @ self._vectors([query])[0]]

    def pair_scores(self, left: Sequence[str], right: Sequence[str]) -> list[float]:
        similarity = np.sum(self._vectors(left) * self._vectors(right), axis=1)
        return [
            float(x) if numbers_agree(a, b) else 0.0 for x, a, b in zip(similarity, left, right, strict=True)
        ]


@dataclass(frozen=True)
class Calibration:
    threshold: float
    precision: float
    recall: float
    f_half: float
    pairs: int
    model: str
    date: str


def calibrate(judge: SimilarityJudge, pairs_file: Path = PAIRS_FILE, model: str = "") -> Calibration:
    """Pick the threshold with the best F0.5 on the labelled pairs (ties: the higher threshold).

    F0.5 weighs precision twice as much as recall: crediting an answer with a fact it does not state is worse
    than missing one it does.
    """
    rows = [json.loads(line) for line in pairs_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    scores = np.array(judge.pair_scores([r["fact"] for r in rows], [r["sentence"] for r in rows]))
    truth = np.array([bool(r["supported"]) for r in rows])
    best: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 1.0)
    for threshold in np.unique(scores[scores > 0]):
        predicted = scores >= threshold
        tp = int(np.sum(predicted & truth))
        precision = tp / max(int(predicted.sum()), 1)
        recall = tp / max(int(truth.sum()), 1)
        f_half = 1.25 * precision * recall / (0.25 * precision + recall) if precision + recall else 0.0
        if (f_half, float(threshold)) > (best[0], best[3]):
            best = (f_half, precision, recall, float(threshold))
    f_half, precision, recall, threshold = best
    return Calibration(
        threshold=round(threshold, 4),
        precision=round(precision, 3),
        recall=round(recall, 3),
        f_half=round(f_half, 3),
        pairs=len(rows),
        model=model,
        date=dt.date.today().isoformat(),
    )


def save_calibration(calibration: Calibration, path: Path = RESULT_FILE) -> None:
    path.write_text(json.dumps(asdict(calibration), indent=2) + "\n", encoding="utf-8")


def load_calibration(path: Path = RESULT_FILE) -> Calibration:
    if not path.is_file():
        raise CalibrationError(f"{path} is missing. Run 'koers eval calibrate' to calibrate the fact judge.")
    return Calibration(**json.loads(path.read_text(encoding="utf-8")))
