"""A school's offered vmbo profielen: set through the admin API or CLI, respected by the recommendation."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.adapters.schools import SchoolProfielen, UnknownProfiel
from bot.service import ChatService
from tests.conftest import koers_cli, make_settings

SCOOTER = "ik vind sleutelen aan scooters leuk, welk profiel past bij mij?"


def test_a_profiel_the_school_does_not_offer_is_not_advised(service: ChatService, tmp_path: Path) -> None:
    schools = SchoolProfielen(tmp_path / "schools.sqlite")
    assert schools.offered("de-es") is None and not (tmp_path / "schools.sqlite").exists(), "no list, no file"
    schools.set("de-es", ["BWI", "pie"])
    local = dataclasses.replace(service, schools=schools)
    assert "vmbo:M&T" in local.answer(SCOOTER, school="andere-school").routes, "another school offers all"
    answer = local.answer(SCOOTER, school="de-es")
    assert answer.routes and "vmbo:M&T" not in answer.routes
    assert "Let op" not in answer.text, "a profiel the student did not name needs no note"


def test_a_named_profiel_the_school_lacks_is_answered_with_a_note(
    service: ChatService, tmp_path: Path
) -> None:
    schools = SchoolProfielen(tmp_path / "schools.sqlite")
    schools.set("de-es", ["BWI", "PIE"])
    answer = dataclasses.replace(service, schools=schools).answer(
        "wat leer je bij mobiliteit en transport?", school="de-es"
    )
    assert "vmbo:M&T" in answer.routes
    assert "jouw school heeft het profiel Mobiliteit en transport (M&T) niet" in answer.text
    assert "decaan" in answer.text


def test_an_unknown_profiel_changes_nothing_and_lists_the_codes(tmp_path: Path) -> None:
    schools = SchoolProfielen(tmp_path / "schools.sqlite")
    schools.set("de-es", ["BWI"])
    with pytest.raises(UnknownProfiel, match="M&T"):
        schools.set("de-es", ["PIE", "lassen"])
    assert schools.offered("de-es") == {"vmbo:BWI"}, "a refused list must not replace the stored one"
    schools.set("de-es", [])
    assert schools.offered("de-es") is None, "an empty list means every profiel again"


def test_the_cli_sets_a_schools_profielen(tmp_path: Path) -> None:
    cfg = make_settings(tmp_path)
    koers = ["admin", "set-profielen", "--school", "de-es"]
    done = koers_cli(cfg, *koers, "BWI", "M&T")
    assert done.exit_code == 0, done.output
    assert "Mobiliteit en transport (M&T)" in done.stdout
    assert SchoolProfielen(cfg.store.schools_path).offered("de-es") == {"vmbo:BWI", "vmbo:M&T"}
    wrong = koers_cli(cfg, *koers, "metaal")
    assert wrong.exit_code != 0 and "geen vmbo-profiel" in wrong.output
