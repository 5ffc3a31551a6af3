"""Typing slips made on purpose: a copy of a message as a student typing fast on a phone might send it.

The guardrail classifier learns from a slipped copy of each of its training messages beside the message
itself (see :func:`bot.understand.fit.fit_guard`), so that "ik ben briejfes aan het schrijven vor mn fmailie"
reads like the message without the slips. A slip is one of what fast typing does to a word: a letter left
out, two letters swapped, a letter typed twice, or a key next to the right one. Only words of at least
:data:`MIN_WORD` letters slip, and never their first letter (people read and type that one with care).

The copies are deterministic: the random generator is seeded with the message itself, so the same data
always gives the same copies and the same weights (``koers models train --check``).
"""

from __future__ import annotations

import random

# Letters next to each other on a QWERTY keyboard, the layout Dutch phones and laptops use.
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
NEIGHBOURS: dict[str, str] = {
    letter: "".join(
        other
        for other_row, other_line in enumerate(_ROWS)
        for other_col, other in enumerate(other_line)
        if other != letter and abs(other_row - row) <= 1 and abs(other_col - col) <= 1
    )
    for row, line in enumerate(_ROWS)
    for col, letter in enumerate(line)
}
MIN_WORD = 4
SLIP_RATE = 0.3  # the share of long enough words that slip


def slip_word(word: str, rng: random.Random) -> str:
    """``word`` with one slip somewhere after its first letter."""
    at = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:  # left out
        return word[:at] + word[at + 1 :]
    if kind == 1:  # swapped with the next letter
        return word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    if kind == 2:  # typed twice
        return word[:at] + word[at] + word[at:]
    near = NEIGHBOURS.get(word[at].lower(), "")
    return word[:at] + rng.choice(near) + word[at + 1 :] if near else word[:at] + word[at + 1 :]


def with_slips(text: str, rate: float = SLIP_RATE, seed: str = "") -> str:
    """``text`` with a slip in about ``rate`` of its words of at least :data:`MIN_WORD` letters; the same
    text (and seed) always gives the same result."""
    rng = random.Random(f"{seed}{text}")
    words = text.split(" ")
    slipped = [
        slip_word(word, rng) if len(word) >= MIN_WORD and word.isalpha() and rng.random() < rate else word
        for word in words
    ]
    return " ".join(slipped)
