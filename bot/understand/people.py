"""Which words of a message are people's names ("mijn vriendin noor", "Daan zegt", "meneer De Vries").

Names cannot be listed: students write about friends, family and teachers of every background, often in
lower case. A token classifier decides per word from its form (character n-grams, capital letter, place in
the sentence), its neighbours ("vriendin", "zegt", another name) and whether the word occurs in lower case
in Koers's own corpus (then it is an ordinary Dutch word: "roos", "storm", "bas" mostly are). It is a
logistic regression over hashed features, fitted on ``bot/understand/data/names.jsonl`` (written apart from
the evaluation set ``evals/datasets/names.jsonl``) by :func:`fit_people`; the weights ship beside the other
heads. It is used to keep names out of everything Koers stores (see
``bot.understand.guard.scrub_for_storage``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from sklearn.feature_extraction import FeatureHasher

WEIGHTS_DIR = Path(__file__).resolve().parent / "weights"
PEOPLE_FILE = "people"
N_FEATURES = 1 << 18
PLACEHOLDER = "[naam]"
_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?:;\n]")
# Between two name words only a space, a hyphen or an apostrophe: "Anne-Fleur", "van 't Hof".
_JOINER = re.compile(r"^[\s\-'\u2019]*$")


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


def _shape(word: str) -> str:
    if word.isupper() and len(word) > 1:
        return "upper"
    if word[0].isupper():
        return "cap"
    return "lower"


def token_features(text: str, words: Sequence[Token], vocabulary: frozenset[str]) -> list[list[str]]:
    """The features of every token of ``text``, as strings (hashed later)."""
    lowered = [w.text.lower() for w in words]
    rows: list[list[str]] = []
    for i, word in enumerate(words):
        low = lowered[i]
        before = text[words[i - 1].end : word.start] if i else ""
        first = i == 0 or bool(_SENTENCE_END.search(before))
        shape = _shape(word.text)
        padded = f"<{low}>"
        row = [
            f"w={low}",
            f"shape={shape}",
            f"shape_first={shape}_{first}",
            f"len={min(len(low), 10)}",
            f"vocab={low in vocabulary}",
            f"vocab_shape={low in vocabulary}_{shape}_{first}",
            *(f"g3={padded[j : j + 3]}" for j in range(len(padded) - 2)),
            f"suf2={low[-2:]}",
            f"suf3={low[-3:]}",
            f"pre3={low[:3]}",
        ]
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < len(words):
                row.append(f"ctx{offset}={lowered[j]}")
                row.append(f"ctx{offset}_shape={_shape(words[j].text)}")
                row.append(f"ctx{offset}_vocab={lowered[j] in vocabulary}")
            else:
                row.append(f"ctx{offset}=<edge>")
        rows.append(row)
    return rows


def _hasher() -> FeatureHasher:
    return FeatureHasher(n_features=N_FEATURES, input_type="string", alternate_sign=False)


@dataclass(frozen=True)
class PeopleTagger:
    weights: npt.NDArray[np.float32]  # [N_FEATURES]
    bias: float
    threshold: float
    vocabulary: frozenset[str]

    def probabilities(self, text: str) -> list[tuple[Token, float]]:
        words = tokens(text)
        if not words:
            return []
        matrix = _hasher().transform(token_features(text, words, self.vocabulary))
        logits = matrix @ self.weights + self.bias
        return list(zip(words, (1.0 / (1.0 + np.exp(-logits))).tolist(), strict=True))

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the names in ``text``; adjacent name words form one span."""
        found: list[tuple[int, int]] = []
        for word, probability in self.probabilities(text):
            placeholder = text[word.start - 1 : word.start] == "[" and text[word.end : word.end + 1] == "]"
            if probability < self.threshold or placeholder:  # "[naam]" is already scrubbed
                continue
            if found and _JOINER.match(text[found[-1][1] : word.start]):
                found[-1] = (found[-1][0], word.end)
            else:
                found.append((word.start, word.end))
        return found

    def replace(self, text: str) -> tuple[str, int]:
        """``text`` with every name replaced by :data:`PLACEHOLDER`, and how many were replaced."""
        spans = self.spans(text)
        for start, end in reversed(spans):
            text = text[:start] + PLACEHOLDER + text[end:]
        return text, len(spans)

    def save(self, path: Path) -> None:
        np.savez_compressed(path.with_suffix(".npz"), weights=self.weights.astype(np.float32))
        card = {
            "task": "people",
            "bias": self.bias,
            "threshold": self.threshold,
            "vocabulary": sorted(self.vocabulary),
        }
        path.with_suffix(".json").write_text(json.dumps(card, ensure_ascii=False, indent=1) + "\n")

    @classmethod
    def load(cls, path: Path = WEIGHTS_DIR / PEOPLE_FILE) -> PeopleTagger:
        card = json.loads(path.with_suffix(".json").read_text())
        with np.load(path.with_suffix(".npz")) as data:
            weights = data["weights"].astype(np.float32)
        return cls(weights, float(card["bias"]), float(card["threshold"]), frozenset(card["vocabulary"]))


def corpus_vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Words that occur written in lower case in these texts: ordinary words, whatever else they may be."""
    return frozenset(w for text in texts for w in _WORD.findall(text) if w.islower() and len(w) > 1)
