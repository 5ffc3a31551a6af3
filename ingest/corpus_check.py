"""`koers corpus check` and `koers corpus stats`: every document valid, sourced, readable, and linked up."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.core.claims import states_money_amount, unverified_codes
from bot.core.errors import DocumentError
from bot.core.labels import kind_of
from bot.core.route_graph import GRAPH_FILE, RouteGraph, load_route_graph
from bot.core.text import (
    ABOUT_THE_TEXT,
    SIGNPOST,
    fold,
    leans_on_before,
    plain,
    quote_units,
    readability,
    words,
)
from ingest.documents import Document, load_markdown
from ingest.graph_claims import GraphClaims
from ingest.pipeline import list_files

MIN_WORDS, MAX_WORDS = 150, 800
MAX_AVG_SENTENCE_WORDS = 15.0  # our B1 measure, see corpus/README.md
# A niveau claim ("Allround timmerman (niveau 3)", "naar niveau 4"): the fact students ask about most.
_NIVEAU = re.compile(r"\bniveau \d|\(niveau\b")
# A claim of how long something takes: "Matroos binnenvaart duurt twee jaar."
_DURATION = re.compile(r"\b(duurt|duren|duurde|duurden)\b.*\b(jaar|jaren|maanden)\b")
# An activity word in more of the documents than this share names the whole field, not a route: a student
# who writes "iets met techniek" likes no node in particular. "techniek" (in 96 of 173 documents, 55 %) sent
# such a student to Machinist railvervoer, one of the two nodes that listed it; the next most common,
# "installeren", is in 49 (28 %) (2026-12-07). Words match as a student's word does, as the start of a word.
MAX_INTEREST_DOCUMENT_SHARE = 0.4


@dataclass
class DocCheck:
    source: str
    doc: Document | None = None
    words: int = 0
    avg_sentence: float = 0.0
    long_words: float = 0.0
    problems: list[str] = field(default_factory=list)


@dataclass
class CorpusCheck:
    docs: list[DocCheck]
    graph: RouteGraph | None
    graph_problems: list[str]
    claims: dict[str, int] = field(default_factory=dict)  # rule -> how many claims it compared

    @property
    def ok(self) -> bool:
        return not self.graph_problems and all(not d.problems for d in self.docs)


def _content_problems(doc: Document, n_words: int, avg_sentence: float) -> list[str]:
    problems: list[str] = []
    if not MIN_WORDS <= n_words <= MAX_WORDS:
        problems.append(f"{n_words} words (expected {MIN_WORDS}-{MAX_WORDS})")
    if avg_sentence > MAX_AVG_SENTENCE_WORDS:
        problems.append(
            f"average sentence {avg_sentence:.1f} words (B1: at most {MAX_AVG_SENTENCE_WORDS:.0f})"
        )
    for code in unverified_codes(doc.body):
        problems.append(f"five-digit number {code} is not a verified opleidingscode (bot/core/claims.py)")
    if states_money_amount(doc.body):
        problems.append("states an amount of money; amounts change yearly, point to the school instead")
    if not doc.body.lstrip().startswith(f"# {doc.meta.title}"):
        problems.append("the first line must be '# ' followed by the title from the front matter")
    problems += [
        f"{what} sentence leans on the sentence before it, so Koers cannot quote it alone: '{plain(unit)}'; "
        "name what 'daarna', 'die', 'ze' ... point at"
        for what, unit in _leaning_claims(doc.body)
    ]
    problems += [
        f"sentence speaks about the document, so Koers cannot quote it: '{plain(unit)}'; say the fact itself "
        "('Het bedrag verandert elk jaar.')"
        for unit in quote_units(doc.body)
        if ABOUT_THE_TEXT.search(unit) and not SIGNPOST.search(unit)
    ]
    return problems


def _leaning_claims(body: str) -> list[tuple[str, str]]:
    """Niveau and duration claims that an answer cannot quote alone ("Daarna kun je naar Allround timmerman
    (niveau 3).", "Die duurt twee jaar."), as (what they claim, the sentence): Koers quotes single
    sentences, so a ladder or a duration told in such sentences never reaches a student. A question ("Begin
    je liever op niveau 2?") is answered by the sentence after it and may lean."""
    found = []
    for unit in quote_units(body):
        if not leans_on_before(unit) or unit.rstrip().endswith("?") or SIGNPOST.search(unit):
            continue  # a signpost ("Hier lees je welke opleidingen erin zitten") is never quoted
        if _NIVEAU.search(unit):
            found.append(("niveau", unit))
        elif _DURATION.search(unit):
            found.append(("duration", unit))
    return found


def check_document(path: Path, root: Path) -> DocCheck:
    check = DocCheck(source=path.relative_to(root).as_posix())
    if path.suffix != ".md":
        check.problems.append("corpus documents are Markdown (.md) with front matter")
        return check
    try:
        check.doc = load_markdown(path, root)
    except DocumentError as exc:
        check.problems.append(exc.message)
        return check
    check.words = len(words(check.doc.body))
    check.avg_sentence, check.long_words = readability(check.doc.body)
    check.problems += _content_problems(check.doc, check.words, check.avg_sentence)
    return check


def check_corpus(root: Path) -> CorpusCheck:
    checks = [check_document(path, root) for path in list_files(root)]
    first_seen: dict[str, str] = {}
    for check in checks:
        if check.doc is None:
            continue
        if check.doc.meta.id in first_seen:
            check.problems.append(f"id '{check.doc.meta.id}' is also used by {first_seen[check.doc.meta.id]}")
        first_seen.setdefault(check.doc.meta.id, check.source)
    graph: RouteGraph | None = None
    try:
        graph = load_route_graph(root / GRAPH_FILE)
        graph_problems = graph.problems(set(first_seen))
    except DocumentError as exc:
        graph_problems = [exc.message]
    counts: dict[str, int] = {}
    if graph is not None:
        claims = GraphClaims(graph)
        for check in checks:
            if check.doc is not None:
                check.problems += claims.problems(check.doc.body)
                check.problems += [
                    f"label '{label}' names an opleiding that is not in routes.yaml (add it with its bron)"
                    for label in check.doc.meta.labels
                    if kind_of(label) == "mbo" and graph.find(label) is None
                ]
        graph_problems += _field_words(graph, [c.doc for c in checks if c.doc is not None])
        counts = {
            "niveau claims": claims.niveau_claims,
            "status claims": claims.status_claims,
            "opleiding labels": sum(
                1 for c in checks if c.doc for label in c.doc.meta.labels if kind_of(label) == "mbo"
            ),
            "opleidingen with niveaus and a bron": len(graph.sourced_opleidingen()),
        }
    return CorpusCheck(checks, graph, graph_problems, counts)


def _field_words(graph: RouteGraph, docs: Sequence[Document]) -> list[str]:
    """Activity words of the route graph that most documents use: they say nothing about which route fits
    (the recommender weighs a word by how few nodes list it, so a field word on one node pulls every
    student there)."""
    bodies = [fold(f"{doc.meta.title}\n{doc.body}") for doc in docs]
    problems: list[str] = []
    for word in sorted({w for node in graph.nodes for w in node.interests if len(w) > 1}):
        pattern = re.compile(rf"\b{re.escape(fold(word))}")
        share = sum(1 for body in bodies if pattern.search(body)) / max(1, len(bodies))
        if share > MAX_INTEREST_DOCUMENT_SHARE:
            nodes = [n.id for n in graph.nodes if word in n.interests]
            problems.append(
                f"interest '{word}' of {', '.join(nodes)} is in {share:.0%} of the documents: it names the "
                "field, not this route; list an activity of the route instead"
            )
    return problems


@dataclass
class CorpusStats:
    documents: int
    words: int
    per_kind: Counter[str]
    per_label_kind: Counter[str]
    labels: set[str]
    graph_nodes: Counter[str]
    graph_edges: int
    ladders: list[tuple[str, ...]]
    opleidingen_sourced: int  # opleiding nodes with niveaus and a bron
    opleidingen_unconfirmed: list[str]  # opleiding nodes whose niveaus no source confirmed (see controleren)


def corpus_stats(check: CorpusCheck) -> CorpusStats:
    docs = [c for c in check.docs if c.doc is not None]
    labels = {label for c in docs if c.doc for label in c.doc.meta.labels}
    return CorpusStats(
        documents=len(docs),
        words=sum(c.words for c in docs),
        per_kind=Counter(c.doc.meta.kind for c in docs if c.doc),
        per_label_kind=Counter(kind_of(label) for label in labels),
        labels=labels,
        graph_nodes=Counter(n.type for n in check.graph.nodes) if check.graph else Counter(),
        graph_edges=len(check.graph.edges) if check.graph else 0,
        ladders=check.graph.ladders() if check.graph else [],
        opleidingen_unconfirmed=[n.id for n in check.graph.nodes if n.type == "opleiding" and not n.niveaus]
        if check.graph
        else [],
        opleidingen_sourced=len(check.graph.sourced_opleidingen()) if check.graph else 0,
    )
