"""Typing slips in a student's message, mended before the message is read for what it is about.

"me opa was vroeger metslaar en ik wil dat ook doen" named no route: neither the route names nor the intent
heads read "metslaar" as "metselaar". A word of at least :data:`MIN_LENGTH` letters that is not a word of the
corpus, nor Dutch or English (the word lists pyspellchecker ships, from OpenSubtitles), is replaced by the
corpus word one edit away (a letter left out, added or changed, or two letters swapped) that the corpus uses
most. Only corpus words are put in: mending into any Dutch word one edit away turned "tiktok" into "tiktak"
and "editen" into "edicten" (2026-12-06). Shorter words stay as they are: "wnt" and "gwn" are how students
write "want" and "gewoon", and one edit makes other words of them. The guardrails read the message as it
came: they learned slips and teen spelling from their own data, and a mended word must never hide a signal.

Known wrong mends: a real word that neither list holds and that is one edit from a corpus word. Of the words
this changes in the student messages of the training data, "bedraden" became "bedragen", "leerder"
"eerder" and "modden" "midden"; most were slips ("autotechnikus", "carosserie", "tegelzeter", "opleding").
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import numpy as np

MIN_LENGTH = 6
_WORD = re.compile(r"[^\W\d_]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyzéëèïöü"
# One entry of a pyspellchecker word list: "woord": frequency.
_ENTRY = re.compile(r'"([^"\\]+)": (\d+)')


def listed_words(language: str) -> Iterator[tuple[str, int]]:
    """Each word of pyspellchecker's word list for ``language`` ("nl", "en") with how often its source uses
    it, one at a time (a list of all of them costs tens of MB)."""
    path = str(files("spellchecker") / "resources" / f"{language}.json.gz")
    with gzip.open(path, "rt", encoding="utf-8") as listed:
        text = listed.read()
    return ((entry.group(1), int(entry.group(2))) for entry in _ENTRY.finditer(text))


@cache
def _known_hashes() -> np.ndarray:
    """The hashes of the Dutch and English words of at least :data:`MIN_LENGTH` letters, sorted. Hashes, not
    the words: read into a set of strings they raised peak memory by 85 MB, into this array by 40 MB while
    reading and 4 MB after (465,000 words, 2026-12-06). Python's string hashes differ between processes, so
    each process builds its own array."""
    parts = [
        np.fromiter((hash(w) for w, _ in listed_words(language) if len(w) >= MIN_LENGTH), dtype=np.int64)
        for language in ("nl", "en")
    ]
    return np.unique(np.concatenate(parts))


def is_known_word(word: str) -> bool:
    """Whether ``word`` (lower case, at least :data:`MIN_LENGTH` letters) is a Dutch or English word."""
    known = _known_hashes()
    key = hash(word)
    at = int(np.searchsorted(known, key))
    return at < len(known) and int(known[at]) == key


def one_edit_away(word: str) -> set[str]:
    """Every string one edit from ``word``: a letter left out, added or changed, or two neighbours swapped."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return {
        *(head + tail[1:] for head, tail in splits if tail),
        *(head + tail[1] + tail[0] + tail[2:] for head, tail in splits if len(tail) > 1),
        *(head + letter + tail[1:] for head, tail in splits if tail for letter in _LETTERS),
        *(head + letter + tail for head, tail in splits for letter in _LETTERS),
    }


@dataclass(frozen=True)
class Speller:
    corpus: Counter[str]  # lower-case word -> how often the corpus uses it

    @classmethod
    def of(cls, texts: Iterable[str]) -> Speller:
        _known_hashes()  # read the word lists now, not while a student waits for an answer
        return cls(Counter(word for text in texts for word in _WORD.findall(text.lower())))

    def mended(self, text: str) -> str:
        """``text`` with each slip replaced by the corpus word meant ("metslaar" -> "metselaar")."""
        return _WORD.sub(lambda found: self._word(found.group(0)), text)

    def _word(self, word: str) -> str:
        lower = word.lower()
        if len(lower) < MIN_LENGTH or lower in self.corpus or is_known_word(lower):
            return word
        meant = [candidate for candidate in one_edit_away(lower) if candidate in self.corpus]
        return max(meant, key=lambda candidate: (self.corpus[candidate], candidate)) if meant else word
