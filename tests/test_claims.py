"""Numbers are read one way everywhere: the grounding check of LLM replies and the eval judge share it."""

from __future__ import annotations

from bot.core.claims import numbers_in


def test_digits_and_number_words_are_the_same_number() -> None:
    assert numbers_in("€ 3.500 of 3500 euro") == {"3500"}
    assert numbers_in("twintig weken, twee dagen en één jaar") == {"20", "2", "1"}
    assert numbers_in("Twaalf profielen? Nee, tien.") == {"12", "10"}


def test_the_article_een_is_no_number() -> None:
    assert numbers_in("een dag per week op een mbo") == set()
