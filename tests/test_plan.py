"""The route cards and the leerroute of an answer (bot/routes/plan.py), on the real route graph."""

from __future__ import annotations

from bot.core.labels import KIND_NAMES, LABEL_KINDS, display_name
from bot.core.route_graph import load_route_graph
from bot.routes.plan import _reason_units, route_cards, route_line, route_path, shown_word
from tests.conftest import CORPUS

GRAPH = load_route_graph(CORPUS / "routes.yaml")
PROFIELEN = [node.id for node in GRAPH.nodes if node.type == "profiel"]


def startable(node_id: str) -> bool:
    node = GRAPH.node(node_id)
    return node.type == "opleiding" and node.status == "open" and node.soort == "kwalificatie"


def test_every_open_opleiding_a_profiel_leads_to_makes_a_path_to_its_first_beroep() -> None:
    checked = 0
    for profiel in PROFIELEN:
        for opleiding in sorted(GRAPH.reachable(profiel, "opleiding")):
            beroepen = GRAPH.successors(opleiding, "leidt-tot")
            expected = [profiel, opleiding, *beroepen[:1]] if startable(opleiding) else []
            assert route_path([profiel, opleiding], GRAPH) == expected, (profiel, opleiding)
            checked += 1
    assert checked > 50


def test_a_stopped_opleiding_or_a_dossier_is_never_a_step() -> None:
    closed = [
        (profiel, opleiding)
        for profiel in PROFIELEN
        for opleiding in GRAPH.reachable(profiel, "opleiding")
        if not startable(opleiding)
    ]
    assert {GRAPH.node(o).status for _, o in closed} >= {"afbouw"}
    assert "dossier" in {GRAPH.node(o).soort for _, o in closed}
    for profiel, opleiding in closed:
        assert route_path([profiel, opleiding], GRAPH) == []


def test_the_path_follows_the_ranking_and_makes_up_no_step() -> None:
    profiel = "vmbo:BWI"
    opleidingen = [o for o in sorted(GRAPH.reachable(profiel, "opleiding")) if startable(o)]
    first, second = opleidingen[:2]
    assert route_path([profiel, second, first], GRAPH)[1] == second, "the better-ranked opleiding"
    assert route_path([second, first], GRAPH) == [], "no profiel among the routes: no path"
    unrelated = next(p for p in PROFIELEN if first not in GRAPH.reachable(p, "opleiding"))
    assert route_path([unrelated, first], GRAPH) == [], "a profiel that does not lead there"
    assert route_path([unrelated, profiel, first], GRAPH) == [], "a lower-ranked profiel is never put first"


def test_the_route_line_names_the_path_else_the_domein_or_dossier_and_makes_up_no_step() -> None:
    profiel = "vmbo:BWI"
    opleiding = next(o for o in sorted(GRAPH.reachable(profiel, "opleiding")) if startable(o))
    line = route_line([profiel, "mbo-domein:Bouw en infra", opleiding], GRAPH)
    assert line == (
        f"Een route die bij je kan passen: het profiel {display_name(profiel)}, "
        f"en daarna de mbo-opleiding {GRAPH.node(opleiding).name}."
    )
    assert "bij de leerling kan passen" in route_line([profiel, opleiding], GRAPH, asker="mentor")
    assert "bij je kind kan passen" in route_line([profiel, opleiding], GRAPH, asker="parent")
    dossier = next(
        o for o in sorted(GRAPH.reachable("vmbo:PIE", "opleiding")) if GRAPH.node(o).soort == "dossier"
    )
    assert route_line(["vmbo:PIE", dossier], GRAPH).endswith(
        f"en daarna een mbo-opleiding in {GRAPH.node(dossier).name}."
    ), "no kwalificatie among the routes: the dossier it leads to"
    assert route_line(["vmbo:PIE", dossier], GRAPH, broad=False) == "", "asked which opleiding: no dossier"
    domein = next(iter(sorted(GRAPH.reachable("vmbo:PIE", "domein"))))
    assert route_line(["vmbo:PIE", "lob:open dag", domein], GRAPH).endswith(f"{GRAPH.node(domein).name}.")
    assert route_line([opleiding], GRAPH) == "", "no profiel among the routes: no line"
    elsewhere = next(
        d
        for d in sorted(n.id for n in GRAPH.nodes if n.type == "domein")
        if d not in GRAPH.reachable(profiel, "domein")
    )
    assert route_line([profiel, elsewhere], GRAPH) == "", "a domein the profiel does not lead to"
    assert route_line(["vmbo:PIE", "lob:open dag"], GRAPH) == ""


def test_a_recommended_beroep_is_preferred_to_the_graphs_first() -> None:
    profiel, opleiding, beroepen = next(
        (p, o, GRAPH.successors(o, "leidt-tot"))
        for p in PROFIELEN
        for o in sorted(GRAPH.reachable(p, "opleiding"))
        if startable(o) and len(GRAPH.successors(o, "leidt-tot")) >= 2
    )
    assert route_path([profiel, opleiding, beroepen[1]], GRAPH) == [profiel, opleiding, beroepen[1]]


def test_cards_take_name_niveaus_and_document_from_the_graph_and_invent_nothing() -> None:
    opleiding = next(node for node in GRAPH.nodes if node.type == "opleiding" and node.niveaus)
    known, unknown = route_cards([opleiding.id, "mbo:Bestaat niet"], GRAPH)
    assert (known.kind, known.name) == ("Opleiding", opleiding.name)
    assert (known.niveaus, known.doc_id) == (opleiding.niveaus, opleiding.doc)
    assert (unknown.kind, unknown.name, unknown.niveaus) == ("Opleiding", "Bestaat niet", [])
    assert unknown.doc_id == "", "no document is made up for a route the graph does not know"
    [without_graph] = route_cards(["vmbo:M&T"], None)
    assert without_graph.name == display_name("vmbo:M&T") and without_graph.kind == "Profiel"


def test_every_kind_of_label_has_a_name_on_a_card() -> None:
    assert set(LABEL_KINDS) | {"beroep"} <= set(KIND_NAMES)


def test_a_reason_shows_the_students_word_unless_it_is_a_conjugated_verb() -> None:
    assert shown_word("tekenen", "teken") == "tekenen"  # "ik teken graag"
    assert shown_word("scooters", "scooters") == "scooters"
    assert shown_word("sleutelen", "sleutelen") == "sleutelen"
    assert shown_word("gamen", "games") == "games", "the student's own word"
    assert shown_word("sleutelen", "sleutelt") == "sleutelen"  # "mijn zoon sleutelt altijd"
    assert shown_word("bouwen", "bouwt") == "bouwen"


def test_a_reason_quotes_a_leaning_sentence_with_the_one_before_it_and_never_a_question() -> None:
    text = (
        "PIE past bij je als je graag met je handen werkt. Denk aan lassen. Wil je dat? Dan kan het. "
        "Lassen is precies werk. PIE past bij je als je graag met je handen werkt. Denk aan solderen."
    )
    units = _reason_units(text)
    assert "PIE past bij je als je graag met je handen werkt. Denk aan lassen." in units
    # The second "Denk aan" comes with the second copy of the sentence before it, not with all in between.
    assert units[-1] == "PIE past bij je als je graag met je handen werkt. Denk aan solderen."
    assert "Denk aan lassen." not in units and all(not u.endswith("?") for u in units)
