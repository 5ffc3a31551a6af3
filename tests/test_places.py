"""The Dutch place a where-question names, and the places a passage names (bot.understand.places)."""

from __future__ import annotations

from bot.understand.places import about_place, place_asked, places_named, unknown_place_lead


def test_the_place_is_read_after_a_word_that_says_where() -> None:
    assert place_asked("waar kan ik lassen doen in rotterdam") == "Rotterdam"
    assert place_asked("zijn er scholen in de buurt van utrecht met mechatronica") == "Utrecht"
    assert place_asked("welke school in den haag heeft ict") == "Den Haag", "another name of the town"
    assert place_asked("opleiding in capelle aan den ijssel") == "Capelle aan den IJssel", "the longest name"
    assert place_asked("kan dat ook in brabant") == "Brabant", "a province"
    assert place_asked("waar kan ik dat doen") == ""
    assert place_asked("in de klas vind ik rotterdam leuk") == "", "a town that no word of place comes before"


def test_a_place_that_is_an_everyday_word_counts_only_with_a_capital() -> None:
    assert place_asked("waar ben ik het best in") == ""
    assert place_asked("welke school in best heeft ict") == ""
    assert place_asked("welke school in Best heeft ict") == "Best"


def test_a_passage_names_the_places_it_writes_with_a_capital() -> None:
    text = "Mbo-school Vonk in Den Helder geeft VeVa. Best lastig. Het Drenthe College zit in de buurt."
    assert places_named(text) == {"Den Helder", "Drenthe"}
    assert about_place(text, "Den Helder") and not about_place(text, "Rotterdam")
    assert about_place("Ga naar een open dag van een mbo-school.", "Rotterdam"), "no place: still an answer"


def test_the_lead_says_koers_does_not_know_the_schools_there() -> None:
    assert unknown_place_lead("Zwolle").startswith("Welke scholen in Zwolle dit hebben, weet ik niet.")
    assert "vraag je mentor" in unknown_place_lead("Zwolle")
    assert "vraag de decaan" in unknown_place_lead("Zwolle", "mentor")
