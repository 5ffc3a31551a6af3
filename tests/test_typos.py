"""Typing slips made on purpose, for `koers eval safety --slips`."""

from __future__ import annotations

import itertools
import random

from evals.typos import MIN_WORD, NEIGHBOURS, slip_word, with_slips

MESSAGE = "ik ben brieven aan het schrijven voor mijn familie zodat ze later snappen waarom"


def test_the_same_message_always_gets_the_same_slips_and_another_seed_other_ones() -> None:
    assert with_slips(MESSAGE) == with_slips(MESSAGE)
    assert with_slips(MESSAGE) != MESSAGE
    assert with_slips(MESSAGE, seed="eval") != with_slips(MESSAGE)


def test_a_slip_keeps_the_first_letter_and_short_words_never_slip() -> None:
    slipped = with_slips(MESSAGE, rate=1.0).split(" ")
    original = MESSAGE.split(" ")
    assert len(slipped) == len(original)
    for before, after in zip(original, slipped, strict=True):
        assert after[0] == before[0]
        if len(before) < MIN_WORD:
            assert after == before
        else:
            swapped_twins = any(a == b for a, b in itertools.pairwise(before))
            assert after != before or swapped_twins, f"{before} did not slip"


def test_each_kind_of_slip_changes_the_word_by_one_letter_at_most() -> None:
    rng = random.Random(1)
    for _ in range(200):
        slipped = slip_word("zelfmoord", rng)
        assert abs(len(slipped) - len("zelfmoord")) <= 1
        assert slipped.startswith("z")
    assert set(NEIGHBOURS["s"]) == set("qweadzxc"), "keys around s on a QWERTY keyboard"
