"""Which route labels a message names outright (bot/understand/names.py), on the real route graph."""

from __future__ import annotations

from bot.core.route_graph import load_route_graph
from bot.understand.names import LabelNames
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
