"""Which sentences of an answer say again what another one says (bot.answer.select)."""

from __future__ import annotations

from bot.answer.select import held_in, repeated


def test_a_sentence_whose_words_another_holds_says_nothing_new() -> None:
    short = "In PIE maak je dingen van metaal."
    long = "In het profiel Produceren, installeren en energie (PIE) maak je dingen van metaal."
    assert held_in(short, long)
    assert not held_in(long, short)
    assert not held_in(short, short), "the same sentence twice is for the similarity check"


def test_a_negation_in_one_of_two_sentences_makes_them_different() -> None:
    assert not held_in("Met BB kun je naar niveau 3.", "Met BB kun je niet meteen naar niveau 3.")
    assert held_in("Met BB kun je niet naar niveau 3.", "Met BB kun je niet meteen naar niveau 3.")


def test_a_short_sentence_is_not_judged_by_its_words() -> None:
    assert not held_in("Dat mag.", "Dat mag alleen met toestemming.")


def test_repeated_keeps_the_longer_wording_and_never_the_kept_ones() -> None:
    texts = [
        "In PIE maak je dingen van metaal.",  # a reason's quote: kept
        "In het profiel Produceren, installeren en energie (PIE) maak je dingen van metaal.",
        "Medewerker productietechniek duurt meestal één tot twee jaar.",
        "Medewerker productietechniek duurt meestal één tot twee jaar in de BBL.",
    ]
    assert repeated(texts, kept=1) == [False, False, True, False]
