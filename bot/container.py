"""The composition root: the only place that turns settings into a wired ChatService."""

from __future__ import annotations

from bot.adapters import build_embedder, build_store
from bot.adapters.schools import SchoolProfielen
from bot.adapters.sentence_vectors import SentenceVectorFile
from bot.answer.rewrite import build_rewriter
from bot.core.config import Settings
from bot.core.ports import Embedder
from bot.core.route_graph import GRAPH_FILE, load_route_graph
from bot.retrieve.retriever import Retriever
from bot.service import ChatService
from bot.understand.detectors import load_detectors


def build_service(settings: Settings, embedder: Embedder | None = None) -> ChatService:
    """Wire the service; pass ``embedder`` to share an already loaded model (tests, evals, benches)."""
    embedder = embedder or build_embedder(settings)
    store = build_store(settings, embedder)
    retriever = Retriever(
        embedder=embedder,
        store=store,
        top_k=settings.retrieval.top_k,
        min_score=settings.retrieval.min_score,
        kind_penalty=settings.retrieval.kind_penalty,
        bm25_weight=settings.retrieval.bm25_weight,
    )
    graph_file = settings.corpus_dir / GRAPH_FILE
    graph = load_route_graph(graph_file) if graph_file.exists() else None
    return ChatService(
        settings=settings,
        store=store,
        retriever=retriever,
        detectors=load_detectors(settings, embedder),
        graph=graph,
        rewriter=build_rewriter(settings, embedder),
        schools=SchoolProfielen(settings.store.schools_path),
        sentence_vectors=sentence_vectors(settings),
    )


def sentence_vectors(settings: Settings) -> SentenceVectorFile:
    """The disk cache of passage sentence vectors for this model and question prompt."""
    model = f"{settings.embedding.model}|{settings.embedding.query_prompt}"
    return SentenceVectorFile(settings.store.sentence_vectors_path, model=model)
