"""What documents say about opleidingen must agree with the route graph: niveaus and status.

A document states an opleiding's niveau as ``<name> (niveau N)`` (corpus/README.md). Every such claim must
name an opleiding of ``routes.yaml`` with those niveaus, so two documents can never give different niveaus
for one opleiding, and each niveau traces to the node's ``bron``. A sentence that names an opleiding of the
graph together with a status word ("wordt afgebouwd", "is gestopt") must match the node's status.
"""

from __future__ import annotations

import re
from functools import cached_property

from bot.core.route_graph import Node, OpleidingStatus, RouteGraph
from bot.core.text import sentences

_NIVEAU_CLAIM = re.compile(r"\(niveau ((?:\d|\s|,|en|of|tot|-)+)\)")
_AFTER_NAME = re.compile(r"\s+(?:op\s+)?niveau\s+(\d)\b")  # "Timmerman niveau 4", "Timmerman op niveau 4"
# Words before "(niveau N)" that name a level, not an opleiding: "de vakopleiding (niveau 3)".
_GENERIC = {
    "mbo", "opleiding", "opleidingen", "entree", "entreeopleiding", "assistentenopleiding",
    "basisberoepsopleiding", "vakopleiding", "middenkaderopleiding", "specialistenopleiding", "diploma",
    "bbl", "bol",
}  # fmt: skip
_STATUS_WORDS: dict[OpleidingStatus, re.Pattern[str]] = {
    "afbouw": re.compile(r"\bafgebouwd\b|\bafbouw|\bgeen nieuwe (?:studenten|leerlingen)\b", re.IGNORECASE),
    "gestopt": re.compile(r"\bgestopt\b|\bbestaat niet meer\b|\bopgeheven\b|\bvervallen\b", re.IGNORECASE),
}


def _claimed_niveaus(text: str) -> set[int]:
    return {int(d) for d in re.findall(r"\d", text)}


class GraphClaims:
    """Checks one document's text against the opleidingen of the route graph."""

    def __init__(self, graph: RouteGraph) -> None:
        self.graph = graph
        self.niveau_claims = 0  # how many "(niveau N)" claims and status sentences were compared
        self.status_claims = 0

    @cached_property
    def _opleidingen(self) -> list[Node]:
        # Longest names first, so "Eerste monteur X" is matched before "Monteur X" could be.
        return sorted((n for n in self.graph.nodes if n.type == "opleiding"), key=lambda n: -len(n.name))

    @cached_property
    def _name_pattern(self) -> re.Pattern[str]:
        names = "|".join(re.escape(n.name) for n in self._opleidingen)
        return re.compile(rf"(?<![\w-])({names})(?![\w-])")

    @cached_property
    def _by_name(self) -> dict[str, Node]:
        return {n.name: n for n in self._opleidingen}

    def problems(self, body: str) -> list[str]:
        found: list[str] = []
        for line in body.splitlines():
            units = [line.lstrip("# ")] if line.startswith("#") else sentences(line)
            for sentence in units:
                found += self._niveau_problems(sentence) + self._status_problems(sentence)
        return list(dict.fromkeys(found))

    def _niveau_problems(self, sentence: str) -> list[str]:
        found: list[str] = []
        named_ends: dict[int, Node] = {}
        for match in self._name_pattern.finditer(sentence):
            node = self._by_name[match.group(1)]
            named_ends[match.end()] = node
            if after := _AFTER_NAME.match(sentence, match.end()):
                self.niveau_claims += 1
                found += self._compare(node, {int(after.group(1))}, sentence)
        for claim in _NIVEAU_CLAIM.finditer(sentence):
            self.niveau_claims += 1
            before = sentence[: claim.start()].rstrip()
            named = named_ends.get(len(before))
            if named is not None:
                found += self._compare(named, _claimed_niveaus(claim.group(1)), sentence)
                continue
            last_word = before.rsplit(" ", 1)[-1].strip("*_,:;").lower()
            if last_word and last_word not in _GENERIC:
                shown = " ".join(before.split()[-5:])
                found.append(
                    f"'… {shown} (niveau {claim.group(1).strip()})' gives a niveau for an opleiding that is "
                    "not in routes.yaml: write its name exactly as the graph has it, or add the node with "
                    "its bron"
                )
        return found

    def _compare(self, node: Node, claimed: set[int], sentence: str) -> list[str]:
        if not node.niveaus or claimed <= set(node.niveaus):
            return []
        said = ", ".join(map(str, sorted(claimed)))
        graph = ", ".join(map(str, node.niveaus))
        return [f"says '{node.name}' is niveau {said}; routes.yaml has {graph} (sentence: '{sentence[:90]}')"]

    def _status_problems(self, sentence: str) -> list[str]:
        said = [status for status, pattern in _STATUS_WORDS.items() if pattern.search(sentence)]
        if len(said) != 1:
            return []
        found: list[str] = []
        for match in self._name_pattern.finditer(sentence):
            node = self._by_name[match.group(1)]
            self.status_claims += 1
            if node.status != said[0]:
                found.append(
                    f"says '{node.name}' is {said[0]}; routes.yaml has status {node.status} "
                    f"(sentence: '{sentence[:90]}')"
                )
        return found
