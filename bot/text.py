"""Small Dutch text helpers shared by retrieval and composition: sentences and content words."""

from __future__ import annotations

import re
import unicodedata

# Frequent Dutch function words; they say nothing about what a student asks for.
STOPWORDS = frozenset(
    """aan al alles als altijd andere ben bij daar dan dat de der deze die dit doe doen door dus een en er
    ga gaan had heb hebben heeft hem het hier hij hoe hun ik in is ja je jij jou jouw kan kun kunnen
    leuk leuke maar me meer men met mij mijn moet moeten na naar niet niets nog nu of om omdat ons ook
    op over past passen precies te tot u uit van veel voor want waar wanneer wat welk welke wel wie wij
    wil willen word worden wordt zal ze zelf zich zij zijn zo zou zoals""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-z0-9&]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")


def fold(text: str) -> str:
    """Lowercase and strip accents, so 'oriëntatie' and 'orientatie' match."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def content_words(text: str) -> set[str]:
    """Content words reduced to a crude stem (first 6 letters), enough to match 'sleutelen'/'sleutel'."""
    return {w[:6] for w in _WORD.findall(fold(text)) if w not in STOPWORDS and len(w) > 2}


def sentences(text: str) -> list[str]:
    """Split a passage into sentences and list items, each an exact substring of ``text``."""
    found: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        stripped = re.sub(r"^([-*+]|\d+[.)])\s+", "", stripped)
        if not stripped or stripped.startswith("#"):
            continue
        found.extend(part.strip() for part in _SENTENCE_END.split(stripped) if part.strip())
    return found


def plain(text: str) -> str:
    """Drop Markdown emphasis for display; quotes keep the original characters."""
    return re.sub(r"(\*\*|__|\*|`)", "", text)
