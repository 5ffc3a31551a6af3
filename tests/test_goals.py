"""Work a student wants to do that no document mentions (bot.understand.goals)."""

from __future__ import annotations

from bot.understand.goals import Vocabulary, goals, pay_asked_for, unfound_goal, unknown_goal

WORDS = Vocabulary.of(
    [
        "Een elektricien legt stroom aan.",
        "Een monteur of technicus repareert scooters.",
        "Het geluid op een podium.",
        "ik wil",
        "Een lager niveau.",
    ]
)


def vocabulary() -> Vocabulary:
    return WORDS


def test_the_work_is_read_from_the_grammar_and_compared_with_the_documents_words() -> None:
    assert unknown_goal("ik wil piloot worden", vocabulary) == "piloot worden"
    assert unknown_goal("later werken als een stewardess?", vocabulary) == "werken als een stewardess"
    assert unknown_goal("ik wil elektricien worden", vocabulary) == ""
    assert unknown_goal("ik wil elektrisien worden", vocabulary) == "", "a typo of a known word"
    assert unknown_goal("ik wil jager worden", vocabulary) == "jager worden", "not a slip of 'lager'"
    assert unknown_goal("ik wil scootermonteur worden", vocabulary) == "", "a compound of known words"
    assert unknown_goal("hoe word je geluidstechnicus", vocabulary) == "", "a compound with a linking s"
    assert unknown_goal("hoe word je piloot", vocabulary) == "piloot worden"
    assert unknown_goal("hoe word je chef-kok", vocabulary) == "chef-kok worden", "a hyphenated word is one"
    assert unknown_goal("wat verdient een piloot eigenlijk", vocabulary) == "het werk van een piloot"
    assert unknown_goal("wat doet een elektricien", vocabulary) == ""
    assert unknown_goal("welk profiel past bij mij", vocabulary) == "", "no work named"
    assert unknown_goal("ik wil bij de brandweer, welk profiel", vocabulary) == "werken bij de brandweer"
    assert unknown_goal("ik wil later bij de monteur", vocabulary) == "", "a place of work the documents name"
    assert unknown_goal("ik werk bij de jumbo, kan ik bbl doen", vocabulary) == "", "a side job, not a goal"


def test_work_the_documents_name_must_be_named_by_those_found_too() -> None:
    """To the documents "slager" is a slip of "slagen", and "politie" is a word of one of them: the
    documents of the passages found for the message must name the work too, in any form that counts."""
    about_welding = ["Een lasser maakt van losse stukken metaal een geheel.", "Werk je graag precies?"]
    assert unfound_goal(goals("hoe word je slager"), about_welding) == "slager worden"
    assert unfound_goal(goals("ik wil bij de politie werken"), about_welding) == "werken bij de politie"
    assert unfound_goal(goals("ik wil lasser worden"), about_welding) == ""
    assert unfound_goal(goals("ik wil lassers worden"), about_welding) == "", "another form of a named word"
    assert unfound_goal(goals("hoe word je slager"), [*about_welding, "Slagen doe je zo."]) == "", "a slip"
    assert unfound_goal(goals("welk profiel past bij mij"), about_welding) == "", "no work named"
    assert WORDS.knows_whole("elektrisien") and WORDS.knows_whole("lager")
    assert not WORDS.knows_whole("scootermonteur"), "a compound is known from its parts only"


def test_a_longer_message_is_about_more_than_the_work_it_names() -> None:
    message = "ik wil profvoetballer worden maar als dat niet lukt, wat kan ik dan in de sport doen?"
    assert unknown_goal("ik wil profvoetballer worden", vocabulary) == "profvoetballer worden"
    assert unknown_goal(message, vocabulary) == ""


def test_a_question_about_pay_names_the_work() -> None:
    assert pay_asked_for("wat verdien je als autotechnicus") == "autotechnicus"
    assert pay_asked_for("hoeveel verdient een lasser eigenlijk") == "lasser"
    assert pay_asked_for("hoeveel herkansingen krijg je in kader") == ""
    assert pay_asked_for("en wat verdien je dan?") == "", "no work named"
    assert pay_asked_for("en wat verdien je dan?", "ik wil elektricien worden") == "elektricien"
    assert pay_asked_for("en wat kost dat dan?", "ik wil elektricien worden") == "", "a cost, not pay"
    assert pay_asked_for("en wat verdien je daarmee") == "", "no work named"
    assert pay_asked_for("ik wil bij de brandweer, wat verdien je daar") == "", "a place of work, not work"
