"""Typing slips are mended before a message is read for what it is about; the message itself is kept as typed.

The messages here are written for these tests, not taken from an eval set."""

from __future__ import annotations

from bot.service import ChatService
from bot.understand.spelling import Speller

CORPUS = [
    "Een metselaar bouwt muren van steen. Een elektricien legt leidingen aan.",
    "Mechatronica is mechanica, elektronica en software samen. Technici werken met machines.",
]


def test_a_slip_in_a_long_word_becomes_the_corpus_word_one_edit_away() -> None:
    speller = Speller.of(CORPUS)
    assert speller.mended("mn opa was metslaar") == "mn opa was metselaar"
    assert speller.mended("wat is mechatronika") == "wat is mechatronica"
    assert speller.mended("ik wil Elektrisien worden") == "ik wil elektricien worden"


def test_dutch_and_english_words_short_words_and_words_near_no_corpus_word_stay_as_they_were() -> None:
    speller = Speller.of(CORPUS)
    # "technic" is one edit from the corpus's "technici" but English; "tiktok" and "editen" are near no
    # corpus word (one edit from Dutch "tiktak" and "edicten").
    kept = "mijn vriendin wnt gwn egt scootermonteur worden, technic, tiktok filmpjes editen"
    assert speller.mended(kept) == kept


def test_a_route_named_with_a_slip_is_found_and_the_message_is_kept_as_typed(service: ChatService) -> None:
    understanding = service.reader.read("mijn opa was vroeger metslaar en dat wil ik ook")
    assert "mbo:Metselaar" in understanding.named, understanding.named
    assert understanding.text == "mijn opa was vroeger metslaar en dat wil ik ook"


def test_what_a_student_likes_is_read_with_its_slips_mended(service: ChatService) -> None:
    understanding = service.reader.read("ik vind programeren en solderen echt leuk")
    assert {"programmeren", "solderen"} <= set(understanding.profile.interests), understanding.profile
