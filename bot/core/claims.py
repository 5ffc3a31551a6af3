"""Claims Koers must never make up: numbers, money amounts and opleidingscodes (crebo). Shared by the
grounding check of LLM replies and the eval judge, so both read a number the same way."""

from __future__ import annotations

import re

# Five-digit codes verified against SBB's register (see the bronnen of corpus/mbo and corpus/metaal):
# opleidingscodes 25919 (Technicus engineering), 25309 and 25310 (Technicus service en onderhoud), dossier
# 23371 (Engineering). Any other five-digit number is treated as an
# invented code until someone verifies it and adds it here with its source.
VERIFIED_CODES = frozenset({"25919", "23371", "25309", "25310"})
_CODE = re.compile(r"(?<!\d)(?<!\d[.,])\d{5}(?!\d|[.,]\d)")
_MONEY = re.compile(r"€\s?\d|\d\s?(euro|eur)\b", re.IGNORECASE)


def unverified_codes(text: str) -> list[str]:
    return sorted(set(_CODE.findall(text)) - VERIFIED_CODES)


def states_money_amount(text: str) -> bool:
    return bool(_MONEY.search(text))


# Numbers written as words state the same number ("tien profielen" is "10 profielen"). Plain "een" is left
# out: it is nearly always the article; "één", with its accents, is the number.
_SMALL_NUMBERS = "nul één twee drie vier vijf zes zeven acht negen tien elf twaalf".split()  # noqa: SIM905
NUMBER_WORDS = {word: str(value) for value, word in enumerate(_SMALL_NUMBERS)} | {
    "twintig": "20",
    "dertig": "30",
    "veertig": "40",
    "vijftig": "50",
    "honderd": "100",
}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_LETTERS = re.compile(r"[^\W\d_]+")


def numbers_in(text: str) -> set[str]:
    """The numbers a text states, as digits: '3.500' and '3500' alike, and the number words above."""
    found = {re.sub(r"[.,](?=\d{3}\b)", "", n) for n in _NUMBER.findall(text)}
    return found | {NUMBER_WORDS[w] for w in _LETTERS.findall(text.lower()) if w in NUMBER_WORDS}
