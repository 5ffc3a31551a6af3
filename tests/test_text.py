"""The one sentence splitter: passages, LLM replies and long paragraphs are cut the same way."""

from __future__ import annotations

from bot.core.text import sentences, split_sentences


def test_a_dutch_abbreviation_ends_no_sentence() -> None:
    text = "Je leert bijv. Lassen en o.a. Solderen. Daarna ga je op stage. Dat duurt ca. 20 weken!"
    assert split_sentences(text) == [
        "Je leert bijv. Lassen en o.a. Solderen.",
        "Daarna ga je op stage.",
        "Dat duurt ca. 20 weken!",
    ]


def test_a_lower_case_word_after_a_full_stop_continues_the_sentence() -> None:
    assert split_sentences("Niveau 2 duurt 2 jaar. bij BBL soms langer.") == [
        "Niveau 2 duurt 2 jaar. bij BBL soms langer."
    ]


def test_a_citation_marker_after_a_sentence_starts_a_new_part() -> None:
    assert split_sentences("BBL betekent werken en leren. [2] Je krijgt loon.") == [
        "BBL betekent werken en leren.",
        "[2] Je krijgt loon.",
    ]


def test_passage_sentences_use_the_same_splitter_per_line() -> None:
    passage = "# Lassen\n\nJe werkt bijv. Met staal. Het is zwaar werk.\n- Een lijstje zonder punt"
    expected = ["Je werkt bijv. Met staal.", "Het is zwaar werk.", "Een lijstje zonder punt"]
    assert sentences(passage) == expected
