"""Benchmarks, measured against a baseline in the same process (never asserted in tests)."""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.adapters import build_embedder
from bot.adapters.embedder_st import SentenceTransformerEmbedder
from bot.container import build_service
from bot.core.config import Settings
from bot.core.ports import Embedder
from bot.understand.detectors import Detectors
from evals.dataset import load_dataset
from evals.systems import DenseNaiveSystem, KoersSystem, System
from ingest.container import build_ingestor
from ingest.pipeline import plan_chunks
from ingest.split import embedding_text


@dataclass(frozen=True)
class IngestBench:
    chunks: int
    files: int
    raw_encode_s: float
    ingest_s: float
    reingest_s: float
    peak_rss_mb: float

    @property
    def raw_chunks_per_s(self) -> float:
        return self.chunks / self.raw_encode_s

    @property
    def ingest_chunks_per_s(self) -> float:
        return self.chunks / self.ingest_s

    @property
    def ratio(self) -> float:
        """Ingest throughput as a share of raw encode throughput (1.0 = no overhead)."""
        return self.ingest_chunks_per_s / self.raw_chunks_per_s


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def bench_ingest(settings: Settings, corpus: Path) -> IngestBench:
    """Full ingest of ``corpus`` into a fresh store vs. a raw ``SentenceTransformer.encode`` of the same chunk
    texts with the same model instance, then a re-ingest with nothing changed."""
    embedder = build_embedder(settings)
    model = embedder.load()
    assert isinstance(model, SentenceTransformerEmbedder)
    chunks, _ = plan_chunks(corpus)
    texts = [embedding_text(c) for c in chunks]
    model.embed(texts[:8], kind="passage")  # warm-up: first calls allocate
    started = time.perf_counter()
    emb = settings.embedding
    model.model.encode(
        texts,
        prompt=emb.passage_prompt,
        batch_size=emb.batch_size,
        normalize_embeddings=True,
        show_progress_bar=False,
    )
    raw = time.perf_counter() - started

    workdir = Path(tempfile.mkdtemp(prefix="koers-bench-"))
    try:
        cfg = settings.model_copy(
            update={
                "store": settings.store.model_copy(update={"path": workdir / "chroma"}),
                "ingest": settings.ingest.model_copy(update={"manifest_path": workdir / "manifest.sqlite"}),
            }
        )
        ingestor = build_ingestor(cfg, embedder)
        started = time.perf_counter()
        report = ingestor.sync(corpus)
        full = time.perf_counter() - started
        started = time.perf_counter()
        build_ingestor(cfg, embedder).sync(corpus)
        again = time.perf_counter() - started
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return IngestBench(
        chunks=report.chunks_embedded,
        files=len(report.outcomes),
        raw_encode_s=raw,
        ingest_s=full,
        reingest_s=again,
        peak_rss_mb=_peak_rss_mb(),
    )


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p95_ms: float
    mean_ms: float

    @classmethod
    def of(cls, samples: list[float]) -> Latency:
        return cls(
            p50_ms=float(np.percentile(samples, 50)),
            p95_ms=float(np.percentile(samples, 95)),
            mean_ms=float(np.mean(samples)),
        )


@dataclass(frozen=True)
class AnswerBench:
    questions: int
    koers_cold: Latency  # first pass: a fresh process, no sentence vectors on disk (unprepared documents)
    koers_restart: Latency  # a fresh process reading the sentence vectors on disk (after koers run)
    koers_warm: Latency  # the same process again, its in-memory cache filled
    baseline: Latency  # dense-naive (LangChain Chroma similarity_search), same model, same chunks
    peak_rss_mb: float
    classifiers: Latency  # the guardrail and intent heads on one message whose vector is known
    embed_one: Latency  # embedding that one message: the cost the classifiers ride on (shared with search)


def bench_answer(settings: Settings, dataset: Path) -> AnswerBench:
    """Per-answer latency of Koers and the dense-naive baseline over every case of ``dataset``.

    Both answer the same question one after the other, so machine noise hits both alike. Koers is measured
    three times: cold (no sentence vectors on disk: documents added since ``koers run`` prepared them),
    after a restart (a new service reading the vectors the cold pass kept on disk, as ``koers run`` leaves
    them) and warm (that service's memory cache filled). The sentence-vector file is a temporary one, so
    earlier runs on this machine do not count.
    """
    embedder = build_embedder(settings)
    ingestor = build_ingestor(settings, embedder)
    ingestor.sync(settings.corpus_dir)
    chunks, _ = plan_chunks(settings.corpus_dir, chunking=ingestor.chunking)
    cases = load_dataset(dataset)
    baseline: System = DenseNaiveSystem(chunks, embedder)
    embedder.embed(["opwarmen"], kind="query")  # load the model before the clock runs
    with tempfile.TemporaryDirectory(prefix="koers-bench-") as folder:
        store = settings.store.model_copy(update={"sentence_vectors_path": Path(folder) / "sentences.sqlite"})
        fresh = settings.model_copy(update={"store": store})
        koers: System = KoersSystem(build_service(fresh, embedder))
        cold: list[float] = []
        base: list[float] = []
        for case in cases:
            cold.append(koers.run(case).latency_ms)
            base.append(baseline.run(case).latency_ms)
        service = build_service(fresh, embedder)
        restarted: System = KoersSystem(service)
        restart = [restarted.run(case).latency_ms for case in cases]
        warm = [restarted.run(case).latency_ms for case in cases]
        heads, embed_one = _classifier_costs(service.detectors, embedder, [case.question for case in cases])
    return AnswerBench(
        questions=len(cases),
        koers_cold=Latency.of(cold),
        koers_restart=Latency.of(restart),
        koers_warm=Latency.of(warm),
        baseline=Latency.of(base),
        peak_rss_mb=_peak_rss_mb(),
        classifiers=Latency.of(heads),
        embed_one=Latency.of(embed_one),
    )


def _classifier_costs(
    detectors: Detectors, embedder: Embedder, texts: list[str]
) -> tuple[list[float], list[float]]:
    """Milliseconds per message: both classifiers' heads on a known vector, and embedding the message."""
    heads: list[float] = []
    embed: list[float] = []
    for text in texts:
        started = time.perf_counter()
        vector = embedder.embed([text], kind="query")[0]
        embed.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        detectors.guard.scores(text, vector)
        detectors.intents.scores(text, vector)
        heads.append((time.perf_counter() - started) * 1000)
    return heads, embed
