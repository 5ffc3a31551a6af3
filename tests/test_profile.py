"""What the profile reads from a conversation (bot/understand/profile.py): leerweg, klas, likes, dislikes."""

from __future__ import annotations

from bot.core.route_graph import load_route_graph
from bot.core.schemas import Message
from bot.understand.profile import build_profile, leerwegen_in, without_klas
from tests.conftest import CORPUS

GRAPH = load_route_graph(CORPUS / "routes.yaml")


def _user(*texts: str) -> list[Message]:
    return [Message(role="user", content=t) for t in texts]


def test_the_profile_reads_leerweg_klas_interests_and_dislikes() -> None:
    profile = build_profile(
        "ik zit in klas 3 kader en ik hou niet van computers maar wel van lassen", [], GRAPH
    )
    assert profile.leerweg == "KB" and profile.klas == 3
    assert "lassen" in profile.interests and "computers" in profile.dislikes
    assert "computers" not in profile.interests


def test_a_school_year_written_against_the_leerweg_is_the_klas_and_no_niveau() -> None:
    for message, leerweg, klas in [
        ("ik zit in 3 kader en wil iets met auto's", "KB", 3),
        ("4e basis, ik kook graag", "BB", 4),
        ("3gl en goed in tekenen", "GL", 3),
        ("kb3 robots bouwen", "KB", 3),
    ]:
        profile = build_profile(message, [], GRAPH)
        assert (profile.leerweg, profile.klas) == (leerweg, klas), message
    assert (
        without_klas("ik zit in 3 kader en wil iets met auto's") == "ik zit in kader en wil iets met auto's"
    )
    assert leerwegen_in("kb3 robots bouwen") == ["KB"]
    # A niveau stays a niveau: only a number against the leerweg is taken for the klas.
    assert without_klas("kan ik met kader naar niveau 3") == "kan ik met kader naar niveau 3"
    assert without_klas("niveau 3 kader") == "niveau 3 kader"


def test_everyday_words_count_as_the_graphs_activity_words() -> None:
    profile = build_profile("iedereen vraagt mij om hun laptop te fixen en ik vlog graag", [], GRAPH)
    assert {"computers", "repareren", "filmen"} <= set(profile.interests)
    assert profile.said["computers"] == "laptop", "the reason quotes the student's own word"
    assert build_profile("ik vind school vervelend", [], GRAPH).interests == ()


def test_the_latest_leerweg_wins_and_earlier_interests_are_kept() -> None:
    history = _user("ik vind sleutelen aan auto's echt vet", "ik doe kader")
    profile = build_profile("sorry, ik zit eigenlijk in de basis", history, GRAPH)
    assert profile.leerweg == "BB"
    assert "sleutelen" in profile.interests
