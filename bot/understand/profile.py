"""The student profile: what Koers has learned from the conversation so far.

Built fresh on every turn from the student's own messages (the client sends the history, or a school turned
on server sessions: bot.adapters.sessions), so no profile is ever stored. The latest message wins when it
contradicts an earlier one ("ik doe kader" ... "nee, ik zit in de basis").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.core.route_graph import RouteGraph
from bot.core.schemas import Message
from bot.core.text import fold

# Everyday words for the four vmbo leerwegen, as students type them.
LEERWEG_WORDS: dict[str, tuple[str, ...]] = {
    "BB": ("basis", "bb", "basisberoeps", "basisberoepsgerichte"),
    "KB": ("kader", "kb", "kaderberoeps", "kaderberoepsgerichte"),
    "GL": ("gl", "gemengd", "gemengde"),
    "TL": ("tl", "theoretisch", "theoretische", "mavo"),
}
LEERWEG_NAMES = {"BB": "basis", "KB": "kader", "GL": "gemengde leerweg", "TL": "theoretische leerweg"}
# RIASEC letters in the route graph, and the words a student uses for them.
RIASEC_WORDS: dict[str, tuple[str, ...]] = {
    "R": ("realistisch", "met je handen", "praktisch", "maken", "bouwen", "repareren"),
    "I": (
        "intellectueel",
        "onderzoekend",
        "uitzoeken",
        "hoe dingen werken",
        "onderzoeken",
        "wiskunde",
        "nask",
    ),
    "A": ("artistiek", "creatief", "tekenen", "ontwerpen", "knutselen", "muziek", "uitvinden"),
    "S": ("sociaal", "mensen helpen", "zorgen voor"),
    "E": ("ondernemend", "leiding geven", "verkopen", "eigen zaak", "ondernemen"),
    "C": ("conventioneel", "organiseren", "plannen", "precies werken", "netjes"),
}
# Everyday words students type for the route graph's activity words ("mijn laptop fixen" -> computers,
# repareren). Written from how students talk, not from evaluation questions; a word here counts exactly as the
# activity word itself (the reason still quotes the student's own word). Words match as prefixes, so none may
# start a common unrelated word or phrase ("verven" would match "vervelend", "coden" the crebo "code",
# "handig" every "handig om te weten").
EVERYDAY_WORDS: dict[str, tuple[str, ...]] = {
    "3d-printen": ("3d-printer", "3d printer", "3d printen"),
    "animatie": ("tekenfilm", "animaties maken"),
    "apps maken": ("app bouwen", "apps bouwen"),
    "auto's": ("auto", "garage"),
    "boren": ("boor", "boormachine"),
    "bouwen": ("bouwplaats", "huizen bouwen", "klussen"),
    "buiten werken": ("buitenlucht", "buiten bezig"),
    "computers": ("computer", "laptop", "pc", "printer", "tablet", "hardware"),
    "dieren": ("paarden", "honden", "boerderij"),
    "elektriciteit": ("stroom", "elektra", "elektronica", "stopcontact", "bedrading", "schakeling"),
    "energie": ("zonnepanelen", "windmolens", "duurzaam", "laadpalen"),
    "fabrieken": ("fabriek", "lopende band"),
    "filmen": ("video", "vlog", "youtube", "tiktok", "camera", "montage"),
    "fotograferen": ("foto", "fotografie"),
    "gamen": ("games", "gaming", "playstation", "xbox", "spelletjes"),
    "geluid": ("audio", "muziek maken", "beats maken"),
    "inrichten": ("interieur", "kamer inrichten"),
    "installeren": ("monteren", "installatie"),
    "koken": ("eten maken", "keuken"),
    "leidingen": ("loodgieter", "buizen", "riool"),
    "logistiek": ("magazijn", "pakketjes", "vervoer"),
    "machines": ("machine", "apparaten"),
    "met je handen": ("handwerk", "praktisch bezig"),
    "metaal": ("staal", "ijzer", "aluminium"),
    "metselen": ("muren metselen", "bakstenen"),
    "meubels maken": ("meubelmaker", "kasten maken"),
    "motoren": ("motor", "brommer", "crossmotor"),
    "netwerken": ("wifi", "router", "netwerk"),
    "programmeren": ("coderen", "code schrijven", "websites maken", "website bouwen"),
    "repareren": ("fixen", "herstellen", "kapot"),
    "robots": ("robot", "drones", "automatiseren"),
    "schepen": ("boot", "zeilen", "scheepvaart"),
    "schilderen": ("verf", "kwast"),
    "scooters": ("scooter", "brommer"),
    "solderen": ("printplaat", "arduino"),
    "sporten": ("sport", "voetbal", "fitness"),
    "tegelzetten": ("tegels",),
    "tekenen": ("schetsen", "tekeningen"),
    "timmeren": ("hamer", "houtbewerking"),
    "tuinieren": ("tuin", "bloemen"),
    "uitzoeken": ("onderzoek doen", "experimenten", "proefjes"),
    "verkopen": ("winkel", "handel"),
    "verwarming": ("cv-ketel", "airco", "ketel"),
    "vrachtwagens": ("vrachtwagen", "truck", "vrachtauto"),
    "zagen": ("zaag",),
}
# The everyday words above that name the one who does the work, not the work: a reason says the student wants
# to become one ("Omdat je loodgieter wilt worden"), not that they like it ("Omdat je loodgieter leuk vindt",
# said to "welke opleiding moet je doen voor loodgieter").
WORKER_WORDS = frozenset({"loodgieter", "meubelmaker"})
# "ik hou niet van X", "geen zin in X", "X vind ik saai": X is a dislike. A clause ends at punctuation or at
# "maar"/"wel" ("niet van computers maar wel van koken" likes koken).
_CLAUSE_BREAK = re.compile(r"[.,;!?]|\bmaar\b|\bwel\b")
_NEGATION_BEFORE = re.compile(r"\b(?:niet|geen|nooit|hekel)\b")
_NEGATION_AFTER = re.compile(r"^\s*(?:is|vind ik|lijkt me)?\s*(?:saai|stom|niks|niet leuk)\b")
_KLAS = re.compile(r"\b(?:klas|leerjaar)\s*([1-4])\b|\b([1-4])(?:e|de)?\s+(?:klas|jaar)\b")
# A school year written against the leerweg, as students write it: "3 kader", "4e basis", "3gl", "4-tl",
# "kb3". The number is the klas, never an mbo niveau ("niveau 3 kader" keeps its niveau).
_LEERWEG_WORD = "|".join(sorted({w for ws in LEERWEG_WORDS.values() for w in ws}, key=len, reverse=True))
_KLAS_AT_LEERWEG = re.compile(
    rf"(?<![\w-])(?<!niveau )([1-4])(?:e|de|ste)?[\s-]*(?=(?:{_LEERWEG_WORD})(?!\w))"
    r"|(?<=\b(?:kb|bb|gl|tl))([1-4])(?!\w)",
    re.IGNORECASE,
)
_WORD_CACHE: dict[str, re.Pattern[str]] = {}


# What may follow a short stem: Dutch inflections and diminutives. A stem under five letters is a prefix of
# too many other words ('verv' of 'vervelend', 'met' of 'metaal'), so it only matches with one of these, and
# a stem cut from a longer word ('met' from 'meten') needs one: 'met' alone is another word.
_SHORT_STEM = 5
_INFLECTION = r"(?:en|e|t|te|ten|de|den|er|ers|ing|ingen|s|'s|je|jes|tje|tjes|pje|pjes)"


def _word(term: str, *, cut: bool = False) -> re.Pattern[str]:
    """A folded term as a word prefix: 'sleutel' matches 'sleutelen' and 'sleutelt' (Dutch verb forms).
    ``cut``: the term is a stem cut from a longer activity word."""
    key = f"{term}|{cut}"
    if key not in _WORD_CACHE:
        folded = fold(term)
        rest = "[a-z']*"
        if len(folded) < _SHORT_STEM and " " not in folded:
            rest = _INFLECTION + ("" if cut else "?") + "(?![a-z'])"
        _WORD_CACHE[key] = re.compile(rf"(?<![a-z0-9]){re.escape(folded)}{rest}")
    return _WORD_CACHE[key]


def stem(term: str) -> str:
    """'sleutelen' -> 'sleutel', "auto's" -> 'auto': the part of an activity word every form contains."""
    folded = fold(term)
    for ending in ("'s", "en", "s"):
        if " " not in folded and folded.endswith(ending) and len(folded) - len(ending) >= 3:
            return folded[: -len(ending)]
    return folded


@dataclass(frozen=True)
class Profile:
    leerweg: str | None = None
    klas: int | None = None
    interests: tuple[str, ...] = ()  # the graph's activity words the student used, in the student's order
    dislikes: tuple[str, ...] = ()
    riasec: tuple[str, ...] = ()
    school: str | None = None
    turns: int = 0
    said: dict[str, str] = field(default_factory=dict)  # activity word -> the word as the student typed it

    @property
    def knows_interests(self) -> bool:
        return bool(self.interests or self.riasec)


def activity_words(graph: RouteGraph) -> list[str]:
    """Every everyday activity word the route graph knows (RIASEC letters excluded), longest first."""
    found = {word for node in graph.nodes for word in node.interests if len(word) > 1}
    return sorted(found, key=lambda w: (-len(w), w))


def interest_lexicon(graph: RouteGraph) -> list[tuple[str, str]]:
    """(what a student types, the graph's activity word) for every activity word and its everyday words,
    longest first, so 'met je handen' is matched before 'handen'."""
    pairs = [(word, word) for word in activity_words(graph)]
    pairs += [(typed, word) for word, _ in pairs for typed in EVERYDAY_WORDS.get(word, ())]
    return sorted(pairs, key=lambda pair: (-len(pair[0]), pair))


@functools.lru_cache(maxsize=8)
def _lexicon_patterns(lexicon: tuple[tuple[str, str], ...]) -> list[tuple[re.Pattern[str], str]]:
    """(the pattern of what a student types, the activity word), in the lexicon's order."""
    return [(_word(stem(typed), cut=stem(typed) != fold(typed)), word) for typed, word in lexicon]


def without_klas(message: str) -> str:
    """``message`` without the school year written against its leerweg ("ik zit in 3 kader" -> "ik zit in
    kader"): what the message is about (see :meth:`bot.understand.reader.Reader.read`). With the number,
    "ik zit in 3 kader en wil iets met auto's" found passages about the opleidingen of mbo niveau 3."""
    return _KLAS_AT_LEERWEG.sub("", message)


def leerwegen_in(message: str) -> list[str]:
    """The leerwegen named in ``message``, in the order they are named."""
    text = fold(message)
    found: list[tuple[int, str]] = []
    for leerweg, words in LEERWEG_WORDS.items():
        for word in words:
            # A klas number may touch the word ("3gl", "kb3"), a letter may not.
            found += [(m.start(), leerweg) for m in re.finditer(rf"(?<![a-z]){word}(?![a-z])", text)]
    return [leerweg for _, leerweg in sorted(found)]


def leerweg_in(message: str) -> str | None:
    """The leerweg named in ``message`` (the last one, when a student corrects themselves)."""
    named = leerwegen_in(message)
    return named[-1] if named else None


def build_profile(
    message: str, history: Sequence[Message], graph: RouteGraph, *, school: str | None = None
) -> Profile:
    """Read leerweg, klas, interests, dislikes and RIASEC types from the student's messages, oldest first."""
    texts = [fold(m.content) for m in history if m.role == "user"] + [fold(message)]
    leerweg: str | None = None
    klas: int | None = None
    interests: dict[str, None] = {}
    dislikes: dict[str, None] = {}
    said: dict[str, str] = {}
    riasec: dict[str, None] = {}
    lexicon = _lexicon_patterns(tuple(interest_lexicon(graph)))
    for text in texts:
        leerweg = leerweg_in(text) or leerweg
        if match := _KLAS.search(text) or _KLAS_AT_LEERWEG.search(text):
            klas = int(match.group(1) or match.group(2))
        taken: list[tuple[int, int]] = []
        for pattern, word in lexicon:
            for match in pattern.finditer(text):
                if any(a <= match.start() < b for a, b in taken):
                    continue  # 'met je handen' already covers 'handen'
                taken.append((match.start(), match.end()))
                before = _CLAUSE_BREAK.split(text[: match.start()])[-1]
                if _NEGATION_BEFORE.search(before) or _NEGATION_AFTER.search(text[match.end() :]):
                    dislikes[word] = None
                    interests.pop(word, None)
                else:
                    interests[word] = None
                    said.setdefault(word, match.group(0))
        for letter, cues in RIASEC_WORDS.items():
            if any(_word(cue).search(text) for cue in cues):
                riasec[letter] = None
    return Profile(
        leerweg=leerweg,
        klas=klas,
        interests=tuple(interests),
        dislikes=tuple(dislikes),
        riasec=tuple(riasec),
        school=school,
        turns=len(texts),
        said=said,
    )
