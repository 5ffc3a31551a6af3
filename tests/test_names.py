"""Which route labels a message names outright (bot/understand/names.py), on the real route graph."""

from __future__ import annotations

from bot.core.route_graph import load_route_graph
from bot.understand.names import LabelNames
from bot.understand.reader import compared_routes
from tests.conftest import CORPUS

GRAPH = load_route_graph(CORPUS / "routes.yaml")
NAMES = LabelNames(GRAPH, [])


def test_a_beroep_names_the_opleiding_where_the_way_to_it_starts() -> None:
    named = NAMES.named("ik wil later timmerman worden")
    assert "mbo:Timmerman" in named
    assert "mbo:Allround timmerman" not in named  # a step up the ladder, not where you start


def test_an_opleiding_is_named_by_its_own_name_and_the_longest_name_wins() -> None:
    assert NAMES.named("wat is allround timmerman") == {"mbo:Allround timmerman"}
    assert "mbo-domein:Engineering" not in NAMES.named("ik wil technicus engineering doen")


def compared(text: str) -> tuple[str, ...]:
    return compared_routes(NAMES.named_at(text), NAMES.beroepen_at(text), GRAPH)


def test_a_comparison_is_of_the_things_it_names_in_their_order() -> None:
    # "lasser" and "timmerman" also name the opleidingen that lead to them; the beroepen are compared.
    assert compared("timmerman of lasser, wat is beter") == ("beroep:timmerman", "beroep:lasser")
    assert compared("wat is het verschil tussen pie en bwi") == ("vmbo:PIE", "vmbo:BWI")


def test_things_of_different_kinds_are_not_compared() -> None:
    assert compared("welke pie module past het best bij mechatronica") == ()
    assert compared("wat is het verschil tussen lassen en solderen") == ()  # names no route at all


def test_a_passage_sentence_names_its_labels_and_beroepen_and_is_read_once() -> None:
    names = LabelNames(GRAPH, [])
    sentence = "Een lasser werkt vaak in de metaal, na de opleiding Medewerker productietechniek."
    found = names.in_passage(sentence)
    assert found == names.named(sentence) | set(names.beroepen_at(sentence))
    assert {"beroep:lasser", "mbo:Medewerker productietechniek"} <= found
    names.in_passage(sentence)
    assert names._in_passage.cache_info().hits == 1


def test_what_a_student_writes_is_not_kept() -> None:
    names = LabelNames(GRAPH, [])
    names.named("ik wil lasser worden")
    names.named_at("ik wil lasser worden")
    names.beroepen_at("ik wil lasser worden")
    assert names._in_passage.cache_info().currsize == 0
