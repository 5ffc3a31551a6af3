"""Hard words explained the first time an answer uses them, from the glossary documents of the corpus.

A glossary document (``kind: begrip``, ``corpus/begrippen``) has one section per word: the heading is the
word ("Kwalificatiedossier"), the section's first sentence defines it ("Een kwalificatiedossier is ...").
When an answer uses such a word and the conversation has not used it before, the definition is quoted
after the paragraph that uses it, with its citation. Which words exist is the corpus's choice; which of
them are hard follows the readability measure (13+ letters), or they are abbreviations.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.core.ports import VectorStore
from bot.core.schemas import Chunk
from bot.core.text import LONG_WORD_LETTERS, fold, sentences
from bot.retrieve.derived import StoreDerived

GLOSSARY_KIND = "begrip"
MAX_EXPLAINED = 2  # more definitions than this bury the answer


@dataclass(frozen=True)
class Entry:
    word: str
    chunk: Chunk
    definition: str  # the section's first sentence, verbatim

    @property
    def hard(self) -> bool:
        """A long word (as the readability measure counts them) or an abbreviation ("CSPE", "BBL"); the
        glossary also defines everyday school words (profiel, decaan) that need no explaining in an answer."""
        return len(self.word) >= LONG_WORD_LETTERS or (self.word.isupper() and len(self.word) >= 2)

    def used_in(self, text: str) -> bool:
        """The word occurs in ``text``, also as a regular plural ("profielmodules", "opleidingsdomeinen")."""
        return re.search(rf"\b{re.escape(fold(self.word))}(?:s|en|n)?\b", fold(text)) is not None


def _entries(chunks: Sequence[Chunk]) -> list[Entry]:
    found: dict[str, Entry] = {}
    for chunk in chunks:
        word = chunk.heading.split(" > ")[-1].strip()
        first = next(iter(sentences(chunk.text)), "")
        if word and first and fold(word) in fold(first) and word not in found:
            found[word] = Entry(word, chunk, first)
    return list(found.values())


class Glossary:
    def __init__(self, store: VectorStore) -> None:
        # The national glossary only: a school's document cannot redefine a word Koers explains.
        self._entries = StoreDerived(store, lambda: _entries(store.chunks_of_kind(GLOSSARY_KIND)))

    def entry(self, word: str) -> Entry | None:
        """The entry for this word (any case), if the glossary has one."""
        return next((e for e in self._entries.get() if fold(e.word) == fold(word)), None)

    def used_in(self, text: str) -> list[Entry]:
        """The entries whose word the text uses."""
        return [entry for entry in self._entries.get() if entry.used_in(text)]

    def to_explain(self, answer: str, said_before: Sequence[str]) -> list[Entry]:
        """The hard words ``answer`` uses that no earlier turn used (in the order they occur), at most
        :data:`MAX_EXPLAINED`; never one the answer already defines."""
        earlier = " ".join(said_before)
        used = [
            entry
            for entry in self._entries.get()
            if entry.hard
            and entry.used_in(answer)
            and not entry.used_in(earlier)
            and entry.definition not in answer
        ]
        used.sort(key=lambda entry: fold(answer).find(fold(entry.word)))
        return used[:MAX_EXPLAINED]
