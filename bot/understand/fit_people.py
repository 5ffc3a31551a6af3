"""Fit the name tagger (:mod:`bot.understand.people`) on ``data/names.jsonl``, deterministically.

Each line is a message and the names in it, as they are written. Every word inside a name is a positive
token, every other word a negative one. The regularisation ``C`` was chosen by 5-fold cross-validation on
the training data, grouped by message (token F1 on 2026-12-01: C 0.25 0.878, 1 0.897, 4 0.911, 16 0.913;
4 was kept, 16 gains little). The threshold was read off the tune half of ``evals/datasets/names.jsonl``
(0.3-0.7: 0.4 keeps name recall 0.982 at 2 of 30 false alarms); its test half is only measured.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydantic import BaseModel

from bot.understand.people import PeopleTagger, Token, _hasher, corpus_vocabulary, token_features, tokens
from bot.understand.training import DATA_DIR, NAMES_FILE

# Words written in lower case in the corpus of 2026-12-01 (see corpus_vocabulary), kept as a data file so
# that editing the corpus does not change the tagger.
WORDS_FILE = "words.txt"
C = 4.0
THRESHOLD = 0.4


class NameExample(BaseModel):
    text: str
    names: list[str]


@dataclass(frozen=True)
class TokenRows:
    features: list[list[str]]
    labels: list[int]
    groups: list[int]  # which message each token belongs to


def name_tokens(text: str, names: list[str], words: list[Token]) -> list[int]:
    """1 for every word that lies inside an occurrence of one of ``names`` (matched with case), else 0."""
    inside: set[int] = set()
    for name in names:
        start = text.find(name)
        while start >= 0:
            inside.update(range(start, start + len(name)))
            start = text.find(name, start + 1)
    return [int(w.start in inside) for w in words]


def load_names(path: Path = DATA_DIR / NAMES_FILE) -> list[NameExample]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [NameExample.model_validate(json.loads(line)) for line in lines if line.strip()]


def token_rows(examples: list[NameExample], vocabulary: frozenset[str]) -> TokenRows:
    rows = TokenRows([], [], [])
    for number, example in enumerate(examples):
        words = tokens(example.text)
        rows.features.extend(token_features(example.text, words, vocabulary))
        rows.labels.extend(name_tokens(example.text, example.names, words))
        rows.groups.extend([number] * len(words))
    return rows


def corpus_texts(corpus_dir: Path) -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(corpus_dir.rglob("*.md"))]


def write_words(corpus_dir: Path, path: Path = DATA_DIR / WORDS_FILE) -> None:
    """Make the word list from a corpus (once; the file is then training data like the others)."""
    words = sorted(corpus_vocabulary(corpus_texts(corpus_dir)))
    path.write_text("\n".join(words) + "\n", encoding="utf-8")


def load_words(path: Path = DATA_DIR / WORDS_FILE) -> frozenset[str]:
    return frozenset(line for line in path.read_text(encoding="utf-8").splitlines() if line)


def fit_people(data: Path = DATA_DIR / NAMES_FILE, c: float = C) -> PeopleTagger:
    from sklearn.linear_model import LogisticRegression

    vocabulary = load_words()
    rows = token_rows(load_names(data), vocabulary)
    matrix = _hasher().transform(rows.features)
    model = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0)
    model.fit(matrix, np.asarray(rows.labels))
    weights = model.coef_[0].astype(np.float32)
    return PeopleTagger(weights, float(model.intercept_[0]), THRESHOLD, vocabulary)


def cross_validate(cs: tuple[float, ...] = (0.25, 1.0, 4.0, 16.0)) -> dict[float, float]:
    """Token F1 per ``C``, 5 folds grouped by message, on the training data only."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import GroupKFold

    rows = token_rows(load_names(), load_words())
    matrix = _hasher().transform(rows.features)
    labels = np.asarray(rows.labels)
    scores: dict[float, float] = {}
    for c in cs:
        predicted = np.zeros_like(labels)
        for train, test in GroupKFold(n_splits=5).split(matrix, labels, rows.groups):
            model = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0).fit(
                matrix[train], labels[train]
            )
            predicted[test] = model.predict(matrix[test])
        scores[c] = float(f1_score(labels, predicted))
    return scores


def compare_people(shipped: PeopleTagger, fresh: PeopleTagger, texts: list[str]) -> list[str]:
    """What differs between the shipped tagger and a fresh fit beyond float noise."""
    found: list[str] = []
    if shipped.vocabulary != fresh.vocabulary:
        found.append("people: the word list differs from data/words.txt")
    if abs(shipped.threshold - fresh.threshold) > 1e-9:
        found.append(f"people: threshold {shipped.threshold}, a fresh fit gives {fresh.threshold}")
    gap = max(
        (abs(a - b) for text in texts
         for (_, a), (_, b) in zip(shipped.probabilities(text), fresh.probabilities(text), strict=True)),
        default=0.0,
    )  # fmt: skip
    if gap > 1e-3:
        found.append(f"people: probabilities differ by up to {gap:.4f}")
    return found
