"""A quoted sentence taken out of an answer, with its citation marker where no other sentence needs it
(bot.answer.offline.without_sentence: a glossary definition replaces a shorter wording of it)."""

from __future__ import annotations

from bot.answer.offline import without_sentence


def test_a_sentence_alone_in_its_run_goes_with_its_marker() -> None:
    assert without_sentence("Y staat er. [1] S staat er. [2] Z staat er. [3]", "S staat er.") == (
        "Y staat er. [1] Z staat er. [3]"
    )


def test_the_marker_stays_for_the_sentences_before_it_in_the_run() -> None:
    assert without_sentence("Y staat er. S staat er. [1] Z staat er. [2]", "S staat er.") == (
        "Y staat er. [1] Z staat er. [2]"
    )
    assert without_sentence("S staat er. Y staat er. [1]", "S staat er.") == "Y staat er. [1]"


def test_a_list_before_the_sentence_keeps_its_lines() -> None:
    text = "Dit zijn ze:\n- een\n- twee [1]\nS staat er. [2]"
    assert without_sentence(text, "S staat er.") == "Dit zijn ze:\n- een\n- twee [1]\n"
    assert without_sentence("Niets hiervan.", "S staat er.") == "Niets hiervan."
