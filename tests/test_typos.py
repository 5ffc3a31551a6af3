"""Typing slips made on purpose: the guardrail classifier's training copies and ``eval safety --slips``."""

from __future__ import annotations

import itertools
import random

import numpy as np

from bot.understand.fit import Copies, out_of_fold
from bot.understand.typos import MIN_WORD, NEIGHBOURS, slip_word, with_slips

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


def test_out_of_fold_a_message_is_never_predicted_by_heads_that_learned_its_copy() -> None:
    """Random classes on random vectors cannot be learned, only remembered. A copy identical to its message
    gives it away if the two fall on different sides of a fold (then this scored 1.0); kept together they do
    not (chance is a third)."""
    rng = np.random.default_rng(0)
    n, labels = 120, ["a", "b", "c"]
    vectors = rng.normal(size=(n, 256))
    targets = [frozenset({labels[rng.integers(3)]}) for _ in range(n)]
    texts = [f"bericht {i}" for i in range(n)]
    copies = Copies(texts, vectors.copy(), np.arange(n))
    oof = out_of_fold(texts, vectors, targets, labels, c=64.0, softmax=True, ngrams=False, copies=copies)
    right = np.mean([labels[int(row.argmax())] in t for row, t in zip(oof, targets, strict=True)])
    assert right < 0.5, f"out-of-fold accuracy {right:.2f}: a copy gave its message away"
