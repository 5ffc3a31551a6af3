"""Dense retrieval: the passages nearest to the search query the understanding step built."""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from itertools import zip_longest

from bot.adapters.bm25 import LexicalIndex
from bot.core.ports import Embedder, Vector, VectorStore
from bot.core.schemas import Chunk, RetrievedChunk
from bot.retrieve.derived import StoreDerived
from bot.retrieve.query_vectors import QueryVectors

# With BM25 on, the dense search hands this many candidates to the mixed ranking: BM25 reorders passages that
# are close in meaning; it does not bring in passages that are not (the trust threshold stays dense).
LEXICAL_POOL = 30


def _for_leerweg(chunk: Chunk, leerweg: str | None, asked_about: Set[str]) -> bool:
    if not leerweg or not chunk.leerwegen or leerweg in chunk.leerwegen:
        return True
    return bool(asked_about & set(chunk.labels))


@dataclass
class Retriever:
    embedder: Embedder
    store: VectorStore
    top_k: int
    min_score: float
    kind_penalty: dict[str, float] = field(default_factory=dict)
    bm25_weight: float = 0.0  # share of BM25 in the ranking; 0 = dense only (see bot.adapters.bm25)
    vectors: QueryVectors = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # One question is searched more than once (passages, then the recommended routes' documents), and
        # the understanding step embeds the message before retrieval: they share one cache.
        self.vectors = QueryVectors(self.embedder)
        self._lexical = StoreDerived(self.store, lambda: LexicalIndex(self.store.all_chunks()))

    def prepare(self, queries: Sequence[str]) -> None:
        """Embed these queries in one batch (one model call is much cheaper than several)."""
        self.vectors.prepare(queries)

    def _vector(self, query: str) -> Vector:
        return self.vectors.get(query)

    def help_passages(self, query: str, *, top_k: int = 12) -> list[RetrievedChunk]:
        """The national help documents nearest to ``query``, whatever their score: a student in distress
        always gets the help information, even when the message matches it poorly. Never a school's own
        text: help lines are protected facts that a school document cannot change."""
        return self.store.query(self._vector(query), top_k=top_k, school=None, kinds=["hulp"])

    def retrieve(
        self,
        query: str,
        *,
        school: str | None = None,
        leerweg: str | None = None,
        asked_about: Set[str] = frozenset(),
        unpenalised: Set[str] = frozenset(),
    ) -> list[RetrievedChunk]:
        """Passages for ``query``, best first, without those too far from it to be trusted.

        Ranking subtracts the kind penalty and adds the BM25 share; the trust threshold applies to the true
        similarity. With a
        ``leerweg``, passages of documents written only for other leerwegen are left out (the technologieroute
        is no advice for a basis student), unless the document carries a label in ``asked_about`` (the routes
        the student named: "wat is de technologieroute?" gets its answer). Documents that name no leerwegen
        apply to all. Kinds in ``unpenalised`` lose nothing to the kind penalty (a mentor who plans a lesson
        asks for the lesson plans).

        Measured and not kept (2026-12-07, session 45): a head start for a passage labelled with a profiel,
        domein or opleiding the intent heads read in the message (weight times how sure, rescaled from 0.5),
        because "badkamers betegelen lijkt me chill, wat moet ik daarvoor doen" found the loopbaandossier
        and HBR before the tegelzetter. At 0.02: dev route recall 0.806 -> 0.808 and answer-first 0.644 ->
        0.653, but ``followups_dev`` (replayed) fact coverage 0.694 -> 0.667 and answer-first 0.66 -> 0.62,
        also with no head start for a follow-up; the candidate set 0.614 -> 0.609. At 0.04 dev fact coverage
        fell too (0.628).
        """
        vector = self._vector(query)
        fetch = self.top_k * 2 if self.kind_penalty or leerweg else self.top_k
        if self.bm25_weight:
            fetch = max(fetch, LEXICAL_POOL)
        hits = [
            h
            for h in self.store.query(vector, top_k=fetch, school=school)
            if h.score >= self.min_score and _for_leerweg(h.chunk, leerweg, asked_about)
        ]
        lexical = self._lexical.get().scores(query) if self.bm25_weight else {}
        hits.sort(
            key=lambda h: (
                h.score
                - (0.0 if h.chunk.kind in unpenalised else self.kind_penalty.get(h.chunk.kind, 0.0))
                + self.bm25_weight * lexical.get(h.chunk.id, 0.0)
            ),
            reverse=True,
        )
        return hits[: self.top_k]

    def from_documents(
        self, query: str, docs: Sequence[str], *, school: str | None = None, top_k: int = 2
    ) -> list[RetrievedChunk]:
        """The passages of these documents nearest to ``query``, whatever their score: the documents were
        chosen by the route graph, not by the question's wording."""
        if not docs:
            return []
        return self.store.query(self._vector(query), top_k=top_k, school=school, docs=docs)


def interleave(first: Sequence[RetrievedChunk], second: Sequence[RetrievedChunk]) -> list[RetrievedChunk]:
    """Two searches' passages taken in turn (``first`` leads), each passage once, as many as the longer
    list had."""
    taken: dict[str, RetrievedChunk] = {}
    for pair in zip_longest(first, second):
        for hit in pair:
            if hit is not None and hit.chunk.id not in taken:
                taken[hit.chunk.id] = hit
    return list(taken.values())[: max(len(first), len(second))]
