"""The route graph: vmbo profielen -> mbo domeinen and opleidingen -> beroepen, plus admission rules.

Loaded from ``corpus/routes.yaml``. Node ids of profielen, domeinen and opleidingen are canonical labels
(``vmbo:PIE``, ``mbo-domein:ICT``, ``mbo:Technicus engineering``); modules and beroepen use ``module:`` and
``beroep:`` ids. Every node names the corpus document that supports it, so a recommendation can be cited.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.core.errors import DocumentError, describe_validation_error
from bot.core.labels import TECHNICAL_PROFIELEN, label_problem

GRAPH_FILE = "routes.yaml"  # in the corpus folder
NodeType = Literal["profiel", "module", "domein", "opleiding", "beroep"]
EdgeType = Literal["bevat", "doorstroom", "leidt-tot", "stapelen"]
# An opleiding node is a kwalificatie a student enrols in, or a kwalificatiedossier that groups several
# (Mechatronica, Productietechniek): a dossier "bevat" its kwalificaties and is never a diploma itself.
OpleidingSoort = Literal["kwalificatie", "dossier"]
# open: new students can start; afbouw: no new students, running groups finish; gestopt: no longer given.
OpleidingStatus = Literal["open", "afbouw", "gestopt"]
LADDER_NIVEAUS = (2, 3, 4)  # a complete ladder in one trade: niveau 2 -> 3 -> 4 through stapelen edges

_ID_PREFIX: dict[str, str] = {
    "profiel": "vmbo:",
    "module": "module:",
    "domein": "mbo-domein:",
    "opleiding": "mbo:",
    "beroep": "beroep:",
}
# Which node types an edge of each type may connect (from, to).
_EDGE_ENDS: dict[str, set[tuple[str, str]]] = {
    "bevat": {("profiel", "module"), ("domein", "opleiding"), ("opleiding", "opleiding")},
    "doorstroom": {("profiel", "domein"), ("profiel", "opleiding"), ("module", "opleiding")},
    # From a domein only where no source names an opleiding of its own (the beroep's document says so).
    "leidt-tot": {("opleiding", "beroep"), ("domein", "beroep")},
    "stapelen": {("opleiding", "opleiding")},
}


class Node(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    type: NodeType
    name: str = Field(min_length=2, description="Name as a student reads it.")
    doc: str = Field(description="Id of the corpus document that supports this node.")
    niveaus: list[int] = Field(
        default_factory=list, description="mbo niveaus, only where a source gives them."
    )
    mbo_leerwegen: list[Literal["BOL", "BBL"]] = Field(default_factory=list)
    dossier: str | None = Field(default=None, description="Kwalificatiedossier, where sourced.")
    code: str | None = Field(default=None, description="Erkende opleidingscode (crebo), only where verified.")
    bron: str | None = Field(
        default=None, pattern=r"^https?://", description="URL of the source that confirms name and niveaus."
    )
    soort: OpleidingSoort = "kwalificatie"
    status: OpleidingStatus = "open"
    controleren: str | None = Field(
        default=None,
        description="What no source confirmed yet (an opleiding without niveaus must say why); in REVIEW.md.",
    )
    interests: list[str] = Field(
        default_factory=list,
        description="RIASEC letters and everyday Dutch activity words (sleutelen, lassen).",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Node:
        prefix = _ID_PREFIX[self.type]
        if not self.id.startswith(prefix):
            raise ValueError(f"a {self.type} node id must start with '{prefix}'")
        if self.type in {"profiel", "domein", "opleiding"} and (problem := label_problem(self.id)):
            raise ValueError(problem)
        if any(n not in (1, 2, 3, 4) for n in self.niveaus):
            raise ValueError("niveaus must be 1-4")
        if self.type != "opleiding" and (
            self.niveaus or self.code or self.dossier or self.bron or self.soort != "kwalificatie"
        ):
            raise ValueError("only opleidingen have niveaus, a dossier, a code, a bron or a soort")
        return self


class Edge(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    source: str = Field(alias="from")
    target: str = Field(alias="to")
    type: EdgeType
    doc: str | None = Field(default=None, description="Document that supports the link, if not the nodes'.")


class Admission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    leerweg: Literal["BB", "KB", "GL", "TL"]
    niveaus: list[int] = Field(min_length=1, description="mbo niveaus a diploma of this leerweg admits to.")
    doc: str


class RouteGraph(BaseModel):
    model_config = ConfigDict(extra="forbid")

    nodes: list[Node]
    edges: list[Edge]
    admission: list[Admission]

    def node(self, node_id: str) -> Node:
        return self._index[node_id]

    def find(self, node_id: str) -> Node | None:
        return self._index.get(node_id)

    @cached_property
    def _index(self) -> dict[str, Node]:
        # Built once: a loaded graph is not changed, and recommendations look nodes up on every answer.
        return {n.id: n for n in self.nodes}

    def successors(self, node_id: str, *types: EdgeType) -> list[str]:
        return [e.target for e in self.edges if e.source == node_id and (not types or e.type in types)]

    @cached_property
    def _steps(self) -> dict[bool, dict[str, list[str]]]:
        """For each node, the nodes its edges lead to (``True``) and the nodes whose edges lead to it."""
        steps: dict[bool, dict[str, list[str]]] = {True: {}, False: {}}
        for edge in self.edges:
            steps[True].setdefault(edge.source, []).append(edge.target)
            steps[False].setdefault(edge.target, []).append(edge.source)
        return steps

    def _walk(
        self, starts: Iterable[str], *, forward: bool = True, passing: frozenset[str] = frozenset()
    ) -> set[str]:
        """``starts`` and the nodes reachable from them along the edges (against them when not ``forward``),
        leaving out nodes of the types in ``passing``."""
        index, steps = self._index, self._steps[forward]
        seen = set(starts)
        queue = deque(seen)
        while queue:
            for nxt in steps.get(queue.popleft(), ()):
                if nxt not in seen and nxt in index and index[nxt].type not in passing:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def reachable(self, start: str, node_type: NodeType) -> set[str]:
        """Nodes of ``node_type`` reachable from ``start`` along the edges' direction."""
        index = self._index
        return {n for n in self._walk([start]) if n != start and index[n].type == node_type}

    def linked(self, starts: Iterable[str]) -> set[str]:
        """``starts`` and every node the edges lead to from them or from which they lead to them, not through
        a profiel's modules (a profiel's domeinen, opleidingen and beroepen; an opleiding's profielen and
        domein)."""
        starts = set(starts)
        modules = frozenset({"module"})
        return self._walk(starts, passing=modules) | self._walk(starts, forward=False, passing=modules)

    def ladders(self) -> list[tuple[str, ...]]:
        """Complete niveau ladders: kwalificaties joined by stapelen edges through niveau 2, 3 and 4.

        One ladder per niveau-2 kwalificatie (its first complete path), so a trade with two niveau-4 options
        counts once."""
        index = self._index
        kwalificaties = {n.id for n in self.nodes if n.type == "opleiding" and n.soort == "kwalificatie"}

        def steps(node_id: str, niveau: int) -> list[str]:
            return [
                t
                for t in self.successors(node_id, "stapelen")
                if t in kwalificaties and niveau in index[t].niveaus
            ]

        low, mid, high = LADDER_NIVEAUS
        ladders: dict[str, tuple[str, ...]] = {}
        for start in sorted(kwalificaties):
            if low not in index[start].niveaus:
                continue
            for middle in steps(start, mid):
                for top in steps(middle, high):
                    ladders.setdefault(start, (start, middle, top))
        return list(ladders.values())

    def sourced_opleidingen(self) -> list[str]:
        """Opleidingen whose niveaus a source confirms: they have niveaus and a bron."""
        return [n.id for n in self.nodes if n.type == "opleiding" and n.niveaus and n.bron]

    def niveaus_for(self, leerweg: str) -> list[int]:
        return next((a.niveaus for a in self.admission if a.leerweg == leerweg), [])

    def problems(self, document_ids: set[str]) -> list[str]:
        """Integrity problems: duplicates, dangling edges or documents, and routes that lead nowhere."""
        found: list[str] = []
        index = self._index
        ids = [n.id for n in self.nodes]
        found += [f"node '{i}' is defined twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
        for node in self.nodes:
            if node.doc not in document_ids:
                found.append(f"node '{node.id}' cites document '{node.doc}', which does not exist")
        for edge in self.edges:
            ends = [index.get(edge.source), index.get(edge.target)]
            for end_id, end in zip((edge.source, edge.target), ends, strict=True):
                if end is None:
                    found.append(f"edge {edge.source} -> {edge.target}: no node '{end_id}'")
            if ends[0] and ends[1] and (ends[0].type, ends[1].type) not in _EDGE_ENDS[edge.type]:
                found.append(
                    f"edge {edge.source} -> {edge.target}: a '{edge.type}' edge cannot join these types"
                )
            if edge.doc and edge.doc not in document_ids:
                found.append(f"edge {edge.source} -> {edge.target} cites missing document '{edge.doc}'")
        for profiel in (f"vmbo:{p}" for p in TECHNICAL_PROFIELEN):
            if profiel not in index:
                found.append(f"technical profiel '{profiel}' is missing")
            elif len(self.reachable(profiel, "opleiding")) < 3:
                found.append(f"'{profiel}' reaches fewer than 3 opleidingen")
        leads = [(index[e.source].type, e) for e in self.edges if e.type == "leidt-tot" and e.source in index]
        reached = {edge.target for _, edge in leads}
        by_opleiding = {edge.target for kind, edge in leads if kind == "opleiding"}
        found += [
            f"edge {edge.source} -> {edge.target}: a domein leads to a beroep only where no opleiding does"
            for kind, edge in leads
            if kind == "domein" and edge.target in by_opleiding
        ]
        for node in self.nodes:
            if node.type == "opleiding":
                found += _opleiding_problems(node, self)
            if node.type == "beroep" and node.id not in reached:
                # An answer keeps to the routes it advises (the graph's links); a beroep no route reaches
                # belonged to none, and a sentence naming it was left out of answers about its own domein.
                found.append(f"beroep '{node.id}' is reached by no route (no 'leidt-tot' edge leads to it)")
        for edge in self.edges:
            source, target = index.get(edge.source), index.get(edge.target)
            if source is None or target is None or source.type != "opleiding":
                continue
            if edge.type == "bevat" and source.soort != "dossier":
                found.append(f"edge {edge.source} -> {edge.target}: only a dossier 'bevat' an opleiding")
            up = not (source.niveaus and target.niveaus) or max(target.niveaus) > min(source.niveaus)
            if edge.type == "stapelen" and not up:
                found.append(f"stapelen {edge.source} -> {edge.target} does not go to a higher niveau")
        missing = {"BB", "KB", "GL", "TL"} - {a.leerweg for a in self.admission}
        found += [f"no admission rule for leerweg {leerweg}" for leerweg in sorted(missing)]
        found += [f"admission {a.leerweg} cites missing document '{a.doc}'" for a in self.admission
                  if a.doc not in document_ids]  # fmt: skip
        return found


def _opleiding_problems(node: Node, graph: RouteGraph) -> list[str]:
    found: list[str] = []
    if not node.niveaus and not node.controleren:
        found.append(f"opleiding '{node.id}' has no niveaus (or a 'controleren' note that says why)")
    if not node.bron:
        found.append(f"opleiding '{node.id}' has no bron (the URL that confirms its name and niveaus)")
    if node.status == "open" and not graph.reachable(node.id, "beroep"):
        found.append(f"opleiding '{node.id}' leads to no beroep")
    return found


# libyaml's safe loader, where PyYAML was built with it: with the pure-Python one, building a ChatService
# took 0.31 s, with this one 0.11 s (routes.yaml, 2026-12-02). Both give the same data.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_route_graph(path: Path) -> RouteGraph:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except FileNotFoundError as exc:
        raise DocumentError(f"{path} bestaat niet. De routekaart staat in corpus/routes.yaml.") from exc
    except yaml.YAMLError as exc:
        raise DocumentError(f"{path} is geen geldige YAML: {exc}") from exc
    try:
        return RouteGraph.model_validate(data)
    except ValidationError as exc:
        problems = describe_validation_error(exc)
        raise DocumentError(f"{path}: de routekaart klopt niet ({problems})") from exc
