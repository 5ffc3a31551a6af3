"""Pick the sentences of the retrieved passages that answer the question best, without repeating each other.

Sentences are compared with the question by embedding similarity (the same model as retrieval, with the
question prompt on both sides, as two statements are compared). Vectors are cached per sentence, in memory
and on disk (bot.adapters.sentence_vectors): the corpus repeats, so after a few questions most sentences
are embedded already, also after a restart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from cachetools import LRUCache

from bot.adapters.sentence_vectors import SentenceVectorFile
from bot.answer.grounding import NEGATIONS
from bot.core.ports import Embedder
from bot.core.text import folded_words

CACHE_SIZE = 20_000  # sentences; ~30 MB of float32 vectors for a 384-dimensional model
MMR_LAMBDA = 0.75  # weight of relevance against novelty (maximal marginal relevance)
# Sentences this far below the best one are off the question's topic, however novel they are.
RELEVANCE_MARGIN = 0.12  # 0.05: fact coverage 0.375, 0.08: 0.439, 0.12 and off: 0.458
# Two sentences this similar, with the same numbers, say the same thing ("Met KB, GL of TL kun je naar niveau
# 3 of 4." five times over in one answer); only the first is quoted. 0.95 and 0.965 both leave fact coverage
# at 0.553 on the dev set and remove the repeats; different numbers always count as different facts.
DUPLICATE = 0.95
_NUMBER = re.compile(r"\d+")
# Numbers written as words count as the numbers they are: "duurt meestal één tot twee jaar" and "duurt
# meestal 1 tot 2 jaar" from two documents say the same. "een" is left out: it is also the article.
_NUMBER_WORDS = {
    word: str(value)
    for value, word in enumerate(
        ["één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf"], 1
    )
}
_NUMBER_WORDS["eén"] = "1"  # "Eén" at the start of a sentence, lower-cased
_NUMBER_WORD = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)})\b", re.IGNORECASE)


MIN_HELD_WORDS = 4  # a shorter sentence says too little to be judged by its words alone


def held_in(text: str, other: str) -> bool:
    """Whether every word of ``text`` occurs in ``other``, which has more words and the same polarity: then
    ``text`` says nothing that ``other`` does not ("In PIE maak je dingen van metaal." in "In het profiel
    Produceren, installeren en energie (PIE) maak je dingen van metaal.", cosine 0.93). A "niet" or "geen"
    in only one of the two makes them say different things."""
    mine, theirs = folded_words(text), folded_words(other)
    return len(mine) >= MIN_HELD_WORDS and mine < theirs and (mine & NEGATIONS) == (theirs & NEGATIONS)


def repeated(texts: Sequence[str], *, kept: int = 0) -> list[bool]:
    """For each of ``texts``, whether another one holds all of its words (:func:`held_in`), so that it
    adds nothing. The first ``kept`` stay whatever they say; one found repeated no longer counts for the
    ones after it. Only words, not embedding similarity: two sentences about different routes are worded
    alike ("Maritiem en logistiek gaat over schepen, havens en het vervoer van goederen." and "Het profiel
    MaT gaat over schepen, havens en vervoer over water.", cosine 0.95) and each is a fact of its own."""
    dropped: set[int] = set()
    for i in range(kept, len(texts)):
        if any(held_in(texts[i], texts[j]) for j in range(len(texts)) if j != i and j not in dropped):
            dropped.add(i)
    return [i in dropped for i in range(len(texts))]


def numbers_in(text: str) -> frozenset[str]:
    """The numbers a sentence states, in digits or in words."""
    words = (_NUMBER_WORDS[w.lower()] for w in _NUMBER_WORD.findall(text))
    return frozenset([*_NUMBER.findall(text), *words])


class SentenceSelector:
    def __init__(self, embedder: Embedder, disk: SentenceVectorFile | None = None) -> None:
        self._embedder = embedder
        self._disk = disk  # passage sentences only; a student's message is never written
        self._cache: LRUCache[str, np.ndarray] = LRUCache(maxsize=CACHE_SIZE)

    def vectors(self, queries: Sequence[str], sentences: Sequence[str] = ()) -> np.ndarray:
        """Vectors of ``queries`` then of the passage ``sentences``, in that order, in one model call.

        Sentences come from memory, then from the disk cache, then from the model (and are kept on disk);
        queries (what a student wrote, or a plan's own question) stay in memory only."""
        texts = [*queries, *sentences]
        found = {t: self._cache[t] for t in dict.fromkeys(texts) if t in self._cache}  # now recently used
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            asked = set(queries)
            keepable = [t for t in missing if t not in asked]
            stored = self._disk.get(keepable) if self._disk is not None else {}
            todo = [t for t in missing if t not in stored]
            embedded = {
                text: np.asarray(vector, dtype=np.float32)
                for text, vector in zip(todo, self._embedder.embed(todo, kind="query"), strict=True)
            }
            if self._disk is not None:
                self._disk.put({t: v for t, v in embedded.items() if t not in asked})
            found |= stored | embedded
            self._cache.update(stored | embedded)
        return np.stack([found[t] for t in texts])

    def relevance(self, query: str, sentences: Sequence[str]) -> list[float]:
        """How close each of the passage ``sentences`` is to ``query`` (cosine)."""
        vectors = self.vectors([query], sentences)
        return [float(x) for x in vectors[1:] @ vectors[0]]

    def says(self, text: str, said: Sequence[str]) -> bool:
        """Whether one of ``said`` says ``text`` already: nearly the same (:data:`DUPLICATE`), with the same
        numbers."""
        if not said:
            return False
        vectors = self.vectors([], [text, *said])
        close = vectors[1:] @ vectors[0] >= DUPLICATE
        return any(c and numbers_in(s) == numbers_in(text) for c, s in zip(close, said, strict=True))

    def select(
        self,
        query: str,
        candidates: Sequence[str],
        prior: Sequence[float],
        count: int,
        chosen: Sequence[int] = (),
    ) -> list[int]:
        """Indexes of up to ``count`` candidates: relevant to ``query`` (plus ``prior``), not redundant.

        ``chosen`` are already in the answer: they count towards ``count`` and against redundancy.
        """
        if not candidates or count <= 0:
            return list(chosen)
        vectors = self.vectors([query], candidates)
        relevance = vectors[1:] @ vectors[0] + np.asarray(prior, dtype=np.float32)
        similarity = vectors[1:] @ vectors[1:].T
        eligible = relevance >= relevance.max() - RELEVANCE_MARGIN
        eligible[list(chosen)] = True
        chosen = list(chosen)
        numbers = [numbers_in(c) for c in candidates]
        while True:
            for picked in chosen:  # a sentence that says what one in the answer says adds nothing
                same = (similarity[:, picked] >= DUPLICATE) & np.array(
                    [n == numbers[picked] for n in numbers]
                )
                eligible[same] = False
            eligible[chosen] = True
            if len(chosen) >= min(count, int(eligible.sum())):
                return chosen
            novelty = similarity[:, chosen].max(axis=1) if chosen else np.zeros(len(candidates))
            mmr = MMR_LAMBDA * relevance - (1 - MMR_LAMBDA) * novelty
            mmr[chosen] = -np.inf
            mmr[~eligible] = -np.inf
            chosen.append(int(np.argmax(mmr)))
