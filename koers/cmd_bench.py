"""``koers bench ...``: speed and memory, with ratios against a baseline measured in the same run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from evals.bench import bench_answer, bench_ingest
from koers.common import console, reports_errors, settings

app = typer.Typer(help="Measure speed and memory against in-process baselines.", no_args_is_help=True)


@app.command("ingest")
@reports_errors
def ingest(
    corpus: Annotated[Path | None, typer.Argument(help="Folder (default: the corpus).")] = None,
) -> None:
    """Chunks/s of a full ingest vs a raw encode of the same chunks; peak RSS; unchanged re-ingest time."""
    cfg = settings()
    result = bench_ingest(cfg, corpus or cfg.corpus_dir)
    table = Table(title=f"koers bench ingest: {result.files} files, {result.chunks} chunks")
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_row(
        "raw encode (baseline)", f"{result.raw_encode_s:.2f} s = {result.raw_chunks_per_s:.1f} chunks/s"
    )
    table.add_row("full ingest", f"{result.ingest_s:.2f} s = {result.ingest_chunks_per_s:.1f} chunks/s")
    table.add_row("ingest / raw throughput", f"{result.ratio:.2f}")
    table.add_row("re-ingest, nothing changed", f"{result.reingest_s:.2f} s")
    table.add_row("peak RSS", f"{result.peak_rss_mb:.0f} MB")
    console.print(table)


@app.command("answer")
@reports_errors
def answer(
    dataset: Annotated[
        Path, typer.Option("--set", help="JSON Lines eval set whose questions are asked.")
    ] = Path("evals/datasets/dev.jsonl"),
) -> None:
    """Per-answer latency p50/p95 of Koers (offline composer) vs the dense-naive baseline, same process."""
    result = bench_answer(settings(), dataset)
    table = Table(title=f"koers bench answer: {result.questions} questions from {dataset}")
    for column in ("system", "p50 ms", "p95 ms", "mean ms", "p95 / baseline p95"):
        table.add_column(column, justify="right" if column != "system" else "left")
    rows = [
        ("koers, unprepared", result.koers_cold),  # no sentence vectors on disk yet
        ("koers, prepared (restart)", result.koers_restart),  # as after `koers run`
        ("koers, warm", result.koers_warm),
        ("dense-naive (baseline)", result.baseline),
    ]
    for name, latency in rows:
        ratio = latency.p95_ms / result.baseline.p95_ms if result.baseline.p95_ms else float("nan")
        table.add_row(
            name, f"{latency.p50_ms:.1f}", f"{latency.p95_ms:.1f}", f"{latency.mean_ms:.1f}", f"{ratio:.2f}"
        )
    for name, latency in (
        ("classifiers (guard + intents)", result.classifiers),
        ("embed one message", result.embed_one),
    ):
        ratio = latency.p95_ms / result.baseline.p95_ms if result.baseline.p95_ms else float("nan")
        table.add_row(
            name, f"{latency.p50_ms:.1f}", f"{latency.p95_ms:.1f}", f"{latency.mean_ms:.1f}", f"{ratio:.2f}"
        )
    console.print(table)
    console.print(f"peak RSS {result.peak_rss_mb:.0f} MB")


@app.command("load")
@reports_errors
def load(
    users: Annotated[list[int] | None, typer.Option("--users", help="Students at once (repeat).")] = None,
    turns: Annotated[int, typer.Option(help="Questions per student.")] = 3,
    think: Annotated[float, typer.Option(help="Seconds a student reads before asking again (class).")] = 8.0,
    port: Annotated[int, typer.Option(help="Port of the koers serve that is measured.")] = 8765,
    dataset: Annotated[
        Path, typer.Option("--set", help="JSON Lines eval set whose questions are asked.")
    ] = Path("evals/datasets/dev.jsonl"),
) -> None:
    """A class on the API at once: answer latency p50/p95, first token, errors, for a class (students
    reading between questions) and a burst (all at once), vs one student alone in the same run."""
    from evals.dataset import load_dataset
    from evals.load import koers_server, run_load

    questions = [case.question for case in load_dataset(dataset)]
    table = Table(title=f"koers bench load: {turns} questions per student, real koers serve on :{port}")
    for column in (
        "pattern", "students", "requests", "errors", "p50 ms", "p95 ms", "first token p95 ms",
        "answers/s", "p95 / alone",
    ):  # fmt: skip
        table.add_column(column, justify="left" if column == "pattern" else "right")
    with koers_server(port) as url:
        run_load(url, questions, 1, turns=2)  # warm up: the first answers of a process are slower
        alone = run_load(url, questions, 1, turns=10, seed=1)
        runs = [alone]
        for n in users or [30, 100]:
            runs += [
                run_load(url, questions, n, turns=turns, think_s=think),
                run_load(url, questions, n, turns=turns),
            ]
    for run in runs:
        name = "alone (baseline)" if run is alone else run.pattern
        table.add_row(
            name, str(run.users), str(run.requests), str(run.errors), f"{run.answer.p50_ms:.0f}",
            f"{run.answer.p95_ms:.0f}", f"{run.first_token.p95_ms:.0f}", f"{run.answers_per_s:.1f}",
            f"{run.answer.p95_ms / alone.answer.p95_ms:.1f}",
        )  # fmt: skip
    console.print(table)
    for run in runs:
        if run.failures:
            console.print(f"{run.pattern}, {run.users} students: failures {run.failures}")


@app.command("hostile")
@reports_errors
def hostile() -> None:
    """Seconds until a DOCX bomb, a PDF bomb and an honest but slow PDF are refused, each against reading
    one ordinary corpus document through the same bounded reader (ingest.isolation)."""
    from evals.hostile import bench_hostile
    from ingest.container import reader_for

    cfg = settings()
    reader = reader_for(cfg)
    try:
        ordinary, refusals = bench_hostile(reader, cfg.corpus_dir / "beroepen" / "lasser.md")
    finally:
        reader.close()
    table = Table(
        title=f"koers bench hostile (limits: {reader.limits.seconds:g} s, {reader.limits.memory_mb} MB)"
    )
    for column in ("file", "size", "seconds to refusal", "/ ordinary read", "reason"):
        table.add_column(column, justify="left" if column in {"file", "reason"} else "right")
    table.add_row("ordinary document (baseline)", "", f"{ordinary:.3f}", "1", "read")
    for r in refusals:
        table.add_row(
            r.name, f"{r.size_kb:.0f} kB", f"{r.seconds:.2f}", f"{r.seconds / ordinary:.0f}", r.reason
        )
    console.print(table)
