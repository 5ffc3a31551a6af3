"""The interest quiz: 20 short statements, six interest types (RIASEC, after Holland), about three minutes.

A student answers each statement with nee (0), een beetje (1) or ja (2). A type's score is its share of the
points it could get. The result is also a sentence in the student's own words ("ik ben vooral praktisch en
onderzoekend") that the chat can send as the student's message: Koers then reads the types from it as from
anything a student types, so the quiz feeds the same profile (``bot.understand.profile.RIASEC_WORDS``).
The statements are Koers's own wording.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

# Letter -> (name shown to the student, how the result sentence says it).
TYPES: dict[str, tuple[str, str]] = {
    "R": ("Praktisch", "ik ben praktisch"),
    "I": ("Onderzoekend", "ik ben onderzoekend"),
    "A": ("Creatief", "ik ben creatief"),
    "S": ("Sociaal", "ik ben sociaal"),
    "E": ("Ondernemend", "ik ben ondernemend"),
    "C": ("Netjes en precies", "ik werk graag netjes en precies"),
}
STATEMENTS: tuple[tuple[str, str, str], ...] = (
    ("r1", "R", "Ik repareer graag dingen, zoals een fiets of een scooter."),
    ("r2", "R", "Ik werk graag met mijn handen."),
    ("r3", "R", "Ik zou graag in een werkplaats of buiten werken."),
    ("r4", "R", "Ik maak graag iets dat je echt kunt vastpakken."),
    ("i1", "I", "Ik wil graag weten hoe een machine of apparaat werkt."),
    ("i2", "I", "Ik zoek graag uit waarom iets kapot is."),
    ("i3", "I", "Ik vind proefjes bij nask of biologie leuk."),
    ("a1", "A", "Ik teken, ontwerp of maak graag iets moois."),
    ("a2", "A", "Ik bedenk graag nieuwe ideeën."),
    ("a3", "A", "Ik maak graag foto's, filmpjes of muziek."),
    ("s1", "S", "Ik help graag andere mensen."),
    ("s2", "S", "Ik leg graag iets uit aan een ander."),
    ("s3", "S", "Ik werk liever samen dan alleen."),
    ("e1", "E", "Ik neem graag de leiding in een groep."),
    ("e2", "E", "Later wil ik misschien een eigen bedrijf."),
    ("e3", "E", "Ik praat graag met klanten of verkoop graag iets."),
    ("c1", "C", "Ik werk graag netjes en precies."),
    ("c2", "C", "Ik maak graag een planning."),
    ("c3", "C", "Ik houd van duidelijke stappen en regels."),
    ("c4", "C", "Ik controleer graag of alles klopt."),
)
ANSWERS = {0: "Nee", 1: "Een beetje", 2: "Ja"}
TOP_SHARE = 0.5  # a type is named in the result when it has at least half its points


@dataclass(frozen=True)
class QuizResult:
    scores: dict[str, float]  # letter -> share of its points, 0..1
    top: tuple[str, ...]  # the strongest types (at most 2), strongest first
    message: str  # the result as the student would say it; empty when no type stands out


def score(answers: Mapping[str, int]) -> QuizResult:
    """Scores of the answered statements (ids as in STATEMENTS; unknown ids are ignored)."""
    got = dict.fromkeys(TYPES, 0)
    possible = dict.fromkeys(TYPES, 0)
    for statement_id, letter, _ in STATEMENTS:
        if statement_id in answers:
            got[letter] += max(0, min(2, answers[statement_id]))
            possible[letter] += 2
    scores = {
        letter: round(got[letter] / possible[letter], 2) if possible[letter] else 0.0 for letter in TYPES
    }
    ranked = sorted((letter for letter in TYPES if scores[letter] >= TOP_SHARE), key=lambda t: -scores[t])
    top = tuple(ranked[:2])
    phrases = " en ".join(TYPES[letter][1] for letter in top)
    message = f"Uit de interessetest: {phrases}. Wat past bij mij?" if top else ""
    return QuizResult(scores=scores, top=top, message=message)
