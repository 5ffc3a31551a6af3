"""Canonical route labels and their plain Dutch names (bot/core/labels.py)."""

from __future__ import annotations

import pytest

from bot.core.labels import LABEL_KINDS, display_name, is_canonical, kind_of, label_problem, value_of


def test_a_label_is_kind_and_value() -> None:
    assert (kind_of("mbo:Eerste monteur: elektro"), value_of("mbo:Eerste monteur: elektro")) == (
        "mbo",
        "Eerste monteur: elektro",
    ), "only the first colon separates the kind"
    assert value_of("zonder-soort") == "zonder-soort"


@pytest.mark.parametrize(
    ("label", "problem"),
    [
        ("PIE", "has no kind"),
        ("vak:PIE", "unknown kind"),
        ("vmbo:Techniek", "is not one of"),
        ("mbo:", "empty value"),
        ("mbo: Timmerman", "stray spaces"),
        ("vmbo-leerweg:kader", "is not one of"),
    ],
)
def test_a_label_that_is_not_canonical_says_why(label: str, problem: str) -> None:
    found = label_problem(label)
    assert found is not None and problem in found and not is_canonical(label)


def test_open_kinds_take_any_name_and_closed_kinds_their_list() -> None:
    assert is_canonical("mbo:Timmerman") and is_canonical("lob:meeloopdag") and is_canonical("vmbo:M&T")
    assert {"vmbo", "mbo", "mbo-domein", "mbo-niveau", "lob"} <= set(LABEL_KINDS)


def test_names_as_a_student_reads_them() -> None:
    assert display_name("vmbo:M&T") == "Mobiliteit en transport (M&T)"
    assert display_name("vmbo:Groen") == "Groen", "a profiel whose name is its short form, once"
    assert display_name("mbo-niveau:2") == "mbo niveau 2"
    assert display_name("mbo:Timmerman") == "Timmerman"
    assert display_name("vmbo:TL-techniek") == "TL-techniek"
