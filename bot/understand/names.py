"""Which route labels a text names outright: "kader", "niveau 4", "timmerman", "BBL", "Technicus engineering".

Naming is exact (a label's own value, the profiel's full name, a beroep's name for the opleidingen that
lead to it, a few everyday words for labels students rarely type as such). What a student *means* without
naming it ("ik help iedereen met hun laptop") is the intent classifier's job, not this module's.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

from bot.core.labels import CLOSED_VALUES, PROFIELEN, is_canonical, is_profiel, kind_of, value_of
from bot.core.route_graph import RouteGraph
from bot.core.text import fold
from bot.understand.profile import LEERWEG_WORDS

# Names for labels whose value a student rarely types as such.
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "mbo-leerweg:BBL": ("bbl", "werken en leren", "leren en werken", "werkend leren"),
    "mbo-leerweg:BOL": ("bol",),
    "mbo-niveau:1": ("entree", "niveau 1"),
    "route:havo": ("havo",),
    "route:stapelen": ("stapelen", "doorstromen naar een hoger niveau"),
    "vmbo:TL-techniek": ("tl-techniek", "sector techniek"),
    "vmbo:PGP": ("pgp", "praktijkgericht programma"),
}


def _aliases(graph: RouteGraph | None, labels: Iterable[str]) -> dict[str, list[str]]:
    """Folded phrases that name each label in a message."""
    found: dict[str, set[str]] = defaultdict(set)
    for label in labels:
        kind, value = kind_of(label), value_of(label)
        if kind in {"vmbo", "mbo-domein", "mbo", "route", "lob"}:
            found[label].add(fold(value))
        if is_profiel(label):
            found[label].add(fold(PROFIELEN[value]))
        if kind == "vmbo-leerweg":
            found[label].update(LEERWEG_WORDS[value])
        if kind == "mbo-niveau":
            found[label].add(f"niveau {value}")
        found[label].update(EXTRA_ALIASES.get(label, ()))
    if graph is None:
        return {label: sorted(names) for label, names in found.items()}
    for node in graph.nodes:
        if node.type == "beroep":
            # A beroep named by the student points at the opleidingen where the way to it starts: those
            # that lead to it, less the steps up a niveau ladder ("timmerman" -> Timmerman, not Allround).
            leading = {e.source for e in graph.edges if e.target == node.id and e.type == "leidt-tot"}
            steps_up = {e.target for e in graph.edges if e.type == "stapelen" and e.source in leading}
            for source in leading - steps_up:
                found[source].add(fold(node.name))
    return {label: sorted(names) for label, names in found.items()}


PASSAGE_SENTENCES_KEPT = 16_384  # the corpus holds about 7,800 sentences; a school's documents add to it


class LabelNames:
    """Finds the labels a text names: the store's labels, the closed label sets and the graph's nodes."""

    def __init__(self, graph: RouteGraph | None, known_labels: Iterable[str]) -> None:
        labels = {label for label in known_labels if is_canonical(label)}
        for kind, values in CLOSED_VALUES.items():
            labels.update(f"{kind}:{v}" for v in values)
        if graph is not None:
            labels.update(n.id for n in graph.nodes if n.type in {"profiel", "domein", "opleiding"})
        self._names = {label: names for label, names in _aliases(graph, labels).items() if names}
        self._patterns = {label: _pattern(names) for label, names in self._names.items()}
        self._profielen = {label: p for label, p in self._patterns.items() if is_profiel(label)}
        # A beroep's name also names the opleidingen that lead to it (see _aliases); here it names the beroep.
        beroepen = graph.nodes if graph is not None else []
        self._beroepen = {
            n.id: (fold(n.name), _pattern([fold(n.name)])) for n in beroepen if n.type == "beroep"
        }
        self._in_passage = lru_cache(maxsize=PASSAGE_SENTENCES_KEPT)(self._passage_names)

    def named(self, text: str) -> set[str]:
        """Labels the text names. The longest name wins: 'technicus engineering' names the opleiding, not
        also the domein Engineering."""
        return set(self.named_at(text))

    def in_passage(self, sentence: str) -> frozenset[str]:
        """The labels and beroepen a sentence of a passage names (:meth:`named` and :meth:`beroepen_at`),
        remembered: an answer's filters ask it for every sentence the answer may quote, and the corpus's
        sentences come back in answer after answer. Never for a message: what a student wrote is not kept."""
        return self._in_passage(sentence)

    def _passage_names(self, sentence: str) -> frozenset[str]:
        return frozenset(self.named(sentence)) | frozenset(self.beroepen_at(sentence))

    def named_at(self, text: str) -> dict[str, int]:
        """The labels the text names (see :meth:`named`), each with where the text first names it."""
        folded = fold(text)
        # A label's pattern can only match where one of its names occurs as a substring: that test is cheap,
        # and a sentence holds few names (about 0.5 -> 0.13 ms a sentence of the corpus, same labels found).
        spans = {
            label: [m.span() for m in self._patterns[label].finditer(folded)]
            for label, names in self._names.items()
            if any(name in folded for name in names)
        }
        found: dict[str, int] = {}
        for label, own in spans.items():
            for start, end in own:
                inside_longer = any(
                    (s <= start and end <= e) and (e - s) > (end - start)
                    for other, theirs in spans.items()
                    if other != label
                    for s, e in theirs
                )
                if not inside_longer:
                    found[label] = min(start, found.get(label, start))
        return found

    def profielen(self, text: str) -> set[str]:
        """The vmbo profielen a text names ("Met MVI kun je later ..." -> vmbo:MVI). :meth:`named` restricted
        to the ten profiel patterns: it runs for every sentence an answer may quote, where all the label
        patterns would cost more than the rest of the choice (a profiel's name never sits inside a longer
        name, so the longest-name rule of :meth:`named_at` changes nothing here)."""
        folded = fold(text)
        return {label for label, pattern in self._profielen.items() if pattern.search(folded)}

    def beroepen_at(self, text: str) -> dict[str, int]:
        """The beroepen a text names by name ("lasser of timmerman"), each with where it first names it."""
        folded = fold(text)
        return {
            label: m.start()
            for label, (name, pattern) in self._beroepen.items()
            if name in folded and (m := pattern.search(folded))
        }


def _pattern(names: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])" for name in names))
