"""Work a student wants to do that Koers's documents never mention ("ik wil piloot worden").

Without this, such a message got routes all the same: the passages nearest to "ik wil piloot worden" are
about other work, and the answer quoted them as if they were about flying. The honest answer says that
Koers knows nothing about it and sends the student to the mentor or decaan.

What the student wants to become is read from the grammar ("X worden", "werken als X"), not from a list of
jobs: any word in that place counts. It is unknown when no document uses the word, nor a word that differs
from it by a typo ("elektrisien" is "elektricien"), nor two words it is compounded of ("scootermonteur").
The intent heads may still know the work without the documents naming it ("ik wil kapper worden" -> the
profiel Zorg en welzijn); see :data:`ROUTE_SURE`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

from bot.core.labels import display_name
from bot.core.text import fold

# "piloot worden", "werken als piloot", "hoe word je piloot", "wat doet een piloot", "hoeveel verdient een
# piloot", "ik wil bij de brandweer (werken)": the word in the place of the work or of where it is done
# (folded text). No eval message reads otherwise with the last form (2026-12-06); before it, "ik wil bij de
# brandweer, welk profiel past daarbij" got PIE and a sentence about the loopbaandossier. Not "ik werk bij
# de ...": that is the student's side job ("ik werk bij de jumbo, kan ik bbl doen"), not work they want.
# Not kept (2026-12-06): the work before a place in "monteur bij een loonbedrijf worden" ("monteur"). The
# corpus knows no loonbedrijf, and the answer became one about installatie monteurs; "Over loonbedrijf worden
# heb ik geen informatie" is the more honest of the two.
_WORK = r"[a-z]{4,}(?:-[a-z]+)*"  # "chef-kok" is one word
_GOAL = re.compile(
    rf"\bhoe word (?:je|ik) (?:een )?(?P<how>{_WORK})\b"
    rf"|\b(?P<word>{_WORK}) worden\b"
    rf"|\bwerken als (?:een )?(?P<as>{_WORK})\b"
    rf"|\b(?:wat|hoeveel) (?:doet|verdient|verdien(?:t)? je als) (?:een )?(?P<what>{_WORK})\b"
    rf"|\b(?:wil|wilde|willen|werken) (?:\w+ )?bij de (?P<at>{_WORK})\b"
)
_ASKS_PAY = re.compile(r"\bverdien")
_WORD = re.compile(r"[a-z]+")
# A word this close to a known one is that word misspelled (difflib's ratio: "elektrisien" and "elektricien"
# 0.91, "stewardess" and any corpus word below 0.7).
TYPO_CUTOFF = 0.8
MIN_PART = 4  # a compound's parts are words of at least this many letters ("scooter" + "monteur")
# A route intent head this sure knows the work without the documents naming it ("kapper" -> Zorg en welzijn
# 0.99, "dierenarts" -> Groen 0.99); below it the routes are guesses ("piloot" -> PIE 0.62, "brandweerman"
# -> MVI 0.57). Set on a dozen such messages written for this module, none from an evaluation set.
ROUTE_SURE = 0.9
# Not kept (2026-12-06): when the whole message is not sure, the route read from the words that name the work.
# "Mijn dochter wil verpleegkundige worden. Welk vmbo-profiel kan zij het beste kiezen?" reads Z&W 0.22 whole;
# "verpleegkundige worden" alone reads 0.88, still below, so no answer changed.
# A longer message says more than the work it names, and that is what the answer is about: "ik wil
# profvoetballer worden maar als dat niet lukt, wat kan ik dan in de sport doen?", "mijn vader zegt ik moet
# kapper worden ... maar ik wil liever iets met dieren".
GOAL_MAX_WORDS = 12


@dataclass(frozen=True)
class Vocabulary:
    """The folded words of every stored passage and of the route graph's names."""

    words: frozenset[str]

    @classmethod
    def of(cls, texts: Iterable[str]) -> Vocabulary:
        return cls(frozenset(word for text in texts for word in _WORD.findall(fold(text))))

    def knows(self, word: str) -> bool:
        """The word, a misspelling of it, or a compound of two known words ("scootermonteur"); each part of
        a hyphenated word ("chef-kok")."""
        if "-" in word:
            return all(self.knows(part) for part in word.split("-") if part)
        if self.knows_whole(word):
            return True
        return any(
            self._first_part(word[:cut]) and self._part(word[cut:])
            for cut in range(MIN_PART, len(word) - MIN_PART + 1)
        )

    def knows_whole(self, word: str) -> bool:
        """The word itself or a misspelling of it, not as a compound of two known words."""
        return word in self.words or self._misspelled(word)

    def _misspelled(self, word: str) -> bool:
        """Whether ``word`` is a word of the documents with a slip in it: close to it (:data:`TYPO_CUTOFF`)
        and with the same first letter. A slip seldom hits the first letter, and a short word with another
        one is another word: closeness alone read "jager" as "lager" (0.8) and "ik wil jager worden" got
        the profiel MaT. No eval message reads otherwise with this rule (2026-12-06).

        Measured and not kept: no word of the Dutch or English word lists counts as a slip
        (:func:`bot.understand.spelling.is_known_word`), so that "slager" is not "slagen" (0.83) and "hoe
        word je slager" no longer gets the passages about lassers. Closeness also stands in for the
        documents' other forms of a word: "loodgieter", "programmeur", "hacker" and "cameraman" are in
        no document, but close to "loodgieters", "programmeren", "hackers" and "camera"; with the rule,
        five messages of the dev and paraphrase tune sets about such work got "geen informatie"."""
        same_start = self._by_first_letter.get(word[:1], [])
        return bool(difflib.get_close_matches(word, same_start, n=1, cutoff=TYPO_CUTOFF))

    @cached_property
    def _by_first_letter(self) -> dict[str, list[str]]:
        # difflib compares a word with every candidate: only those with the same first letter are candidates.
        found: dict[str, list[str]] = {}
        for word in sorted(self.words):
            found.setdefault(word[0], []).append(word)
        return found

    def _first_part(self, part: str) -> bool:
        # A compound's first part may carry a linking s that the word alone lacks: "geluidstechnicus" is
        # "geluid" + "technicus", "onderhoudsmonteur" is "onderhoud" + "monteur".
        linked = part.endswith("s") and len(part) > MIN_PART and self._part(part[:-1])
        return self._part(part) or linked

    def _part(self, part: str) -> bool:
        # A compound's part may be a plural or take a linking sound ("tweewieler" of "tweewielers").
        return any(part + ending in self.words for ending in ("", "s", "en", "e"))


def goals(text: str) -> list[tuple[str, str]]:
    """The words in the place of work the student wants, each with the phrase that says so ("piloot",
    "piloot worden"); none when the message says more than that (see :data:`GOAL_MAX_WORDS`)."""
    if len(text.split()) > GOAL_MAX_WORDS:
        return []
    found: list[tuple[str, str]] = []
    for match in _GOAL.finditer(fold(text)):
        if match.group("how"):
            found.append((match.group("how"), f"{match.group('how')} worden"))
        elif match.group("what"):
            found.append((match.group("what"), f"het werk van een {match.group('what')}"))
        elif match.group("at"):
            found.append((match.group("at"), f"werken bij de {match.group('at')}"))
        else:
            found.append((match.group("word") or match.group("as"), match.group(0)))
    return found


def unknown_goal(text: str, vocabulary: Callable[[], Vocabulary]) -> str:
    """The student's words for work no document mentions ("piloot worden"), or "" when there is none, or
    when the message says more than that (see :data:`GOAL_MAX_WORDS`). ``vocabulary`` is called only when
    the message names work: building it reads every stored passage."""
    return next((goal for word, goal in goals(text) if not vocabulary().knows(word)), "")


def unfound_goal(named: Sequence[tuple[str, str]], documents: Iterable[str]) -> str:
    """Of the ``named`` work (word and phrase, see :func:`goals`), the phrase of the first that none of the
    ``documents`` of the passages found for the message names, or "": those passages are about other work.

    "politie" occurs in the document on opvoeren ("De politie controleert dit"), and "ik wil bij de politie
    werken" got passages on loopbaancompetenties and a plaatwerker; "slager" is a slip of "slagen" to the
    documents, and "hoe word je slager" got the passages about lassers. A word counts as named in any form
    :meth:`Vocabulary.knows` accepts (other forms, slips, compounds). Only the work the documents name as a
    word or a slip of one is checked (:meth:`Vocabulary.knows_whole`): a compound is known from its parts,
    which the documents about it need not use."""
    if not named:
        return ""
    found = Vocabulary.of(documents)
    return next((goal for word, goal in named if not found.knows(word)), "")


def unknown_goal_answer(goal: str, asker: str = "student") -> str:
    """What Koers says about work it has no documents on: its own words, no facts. A mentor or a parent asks
    about a student, and is pointed to the decaan."""
    if asker != "student":
        return (
            f"Over {goal} heb ik geen informatie. Ik wil niets verkeerds vertellen. "
            "De decaan van de school kan verder helpen. Vertel me wat de leerling graag doet. "
            "Dan zoek ik welk profiel bij de leerling past."
        )
    return (
        f"Over {goal} heb ik geen informatie. Ik wil je niets verkeerds vertellen. "
        "Vraag het aan je mentor of decaan. Vertel me ook wat je graag doet. "
        "Dan zoek ik welk profiel bij je past."
    )


def unknown_goal_lead(goal: str, route: str, asker: str = "student", *, named: bool = False) -> str:
    """Said before the passages of the route a head is sure the unknown work belongs to ("dierenarts" ->
    Groen): Koers's own words, no facts. Work the documents do ``named`` elsewhere (``unfound_goal``) is not
    said to be unknown: the corpus names loodgieters once, in the timmerman document, and "ik wil loodgieter
    worden" is answered from the installatie documents a head is sure of, led by the route's name only."""
    if named:
        return f"Dit vond ik over {display_name(route)}:"
    ask = "Vraag het aan je mentor of decaan." if asker == "student" else "De decaan van de school weet meer."
    return f"Over {goal} heb ik geen informatie. {ask} Dit vond ik over {display_name(route)}:"


def pay_asked_for(text: str, before: str = "") -> str:
    """The work whose pay the message asks about ("autotechnicus"), or "". A message that asks about pay and
    names no work ("en wat verdien je dan?") asks about the work the student's message ``before`` named
    ("ik wil elektricien worden")."""
    if not asks_pay(text):
        return ""
    return named_work(text) or named_work(before)


def named_work(text: str) -> str:
    """The word in the place of the work in ``text`` ("lasser" in "ik wil lasser worden"), or ""."""
    match = _GOAL.search(fold(text))
    if match is None:
        return ""
    # Not the place of work ("bij de brandweer"): "wat je als brandweer verdient" says nothing.
    return next((word for name in ("how", "word", "as", "what") if (word := match.group(name))), "")


def asks_pay(text: str) -> bool:
    """Whether the message asks what someone earns ("en wat verdien je dan later")."""
    return bool(_ASKS_PAY.search(fold(text)))


def no_pay_found(work: str = "") -> str:
    """Said before an answer to a question about pay in which no sentence is about pay: Koers's own words.
    Without the work named (now or the turn before), what is asked is what the student will earn."""
    if not work:
        return "Wat je later verdient, heb ik niet gevonden in mijn teksten."
    return f"Wat je als {work} verdient, heb ik niet gevonden in mijn teksten."
