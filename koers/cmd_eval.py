"""``koers eval``: measure answer quality on a Dutch question set; ``koers eval calibrate`` for the judge."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.adapters import build_embedder
from bot.container import build_service
from bot.understand.detectors import load_detectors
from bot.understand.training import DATA_DIR, TEXT_FILES
from evals.askers import ASKERS_SET, load_askers_set, run_askers
from evals.dataset import load_dataset, stratified_sample
from evals.guardrails import (
    SAFETY_FILE,
    buried,
    load_safety_set,
    ordinary_questions,
    run_safety,
    slipped,
)
from evals.judge import PAIRS_FILE, SimilarityJudge, calibrate, save_calibration
from evals.leakage import NEAR_DUPLICATE, eval_messages, near_duplicates
from evals.names import NAMES_FILE, load_names_set, run_names
from evals.paraphrases import PARAPHRASES_FILE, load_intents, run_consistency
from evals.protected import PROTECTED_FILE, load_protected_set, run_protected
from evals.report import METRICS, failing_cases, markdown_report, shown
from evals.run import SYSTEMS, THRESHOLDS_FILE, check_thresholds, run_eval
from ingest.protect import ProtectedFacts
from koers.common import console, err_console, reports_errors, settings

app = typer.Typer(help="Measure answer quality on an eval set.", invoke_without_command=True)
MAX_FAILING_SHOWN = 25


@contextmanager
def counting(title: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar for ``total`` items; the yielded function says how many are done."""
    with Progress(
        TextColumn(f"[bold]{title}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task(title, total=total)
        yield lambda done: progress.update(task, completed=done)


@app.callback()
@reports_errors
def evaluate(
    ctx: typer.Context,
    dataset: Annotated[Path | None, typer.Option("--set", help="JSON Lines eval set.")] = None,
    systems: Annotated[str, typer.Option(help="Comma-separated: koers,bm25,dense-naive.")] = ",".join(
        SYSTEMS
    ),
    sample: Annotated[
        int, typer.Option(help="Evaluate a stratified sample of this many cases (0 = all).")
    ] = 0,
    json_out: Annotated[Path | None, typer.Option("--json", help="Write all results as JSON here.")] = None,
    report: Annotated[Path | None, typer.Option(help="Write a Markdown report here.")] = None,
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when a threshold is not met.")] = False,
    thresholds: Annotated[Path, typer.Option(help="Thresholds for --check.")] = THRESHOLDS_FILE,
    replay: Annotated[
        bool,
        typer.Option(
            "--replay",
            help="Koers answers the earlier student turns itself; its own answers replace the written ones.",
        ),
    ] = False,
) -> None:
    """Answer every case with each system, print systems x metrics, list failing cases."""
    if ctx.invoked_subcommand:
        return
    if dataset is None:
        err_console.print("[red]Error:[/] give an eval set with --set PATH (e.g. evals/datasets/dev.jsonl).")
        raise typer.Exit(code=2)
    cases = load_dataset(dataset)
    if sample:
        cases = stratified_sample(cases, sample)
    names = [name.strip() for name in systems.split(",") if name.strip()]
    with counting("Evaluating", len(cases)) as done:
        result = run_eval(settings(), cases, names, on_case=lambda count, _total: done(count), replay=replay)

    table = Table(title=f"{dataset} ({len(cases)} cases, fact threshold {result.fact_threshold})")
    table.add_column("metric")
    for name in result.systems:
        table.add_column(name, justify="right")
    for metric in METRICS:
        table.add_row(metric, *(shown(result.systems[name][metric]) for name in result.systems))
    console.print(table)
    if "koers" in result.scores:
        failing = failing_cases(result, "koers")
        console.print(f"[bold]Failing cases for koers: {len(failing)}[/]")
        for case_id, why in failing[:MAX_FAILING_SHOWN]:
            console.print(f"  {case_id}: {why}", markup=False)
        if len(failing) > MAX_FAILING_SHOWN:
            console.print(f"  ... and {len(failing) - MAX_FAILING_SHOWN} more (see --report or --json)")
    if json_out:
        json_out.write_text(json.dumps(result.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    if report:
        report.write_text(markdown_report(result, str(dataset)), encoding="utf-8")
    if check:
        failures = check_thresholds(result, thresholds)
        for failure in failures:
            err_console.print(f"[red]threshold not met:[/] {failure}")
        if failures:
            raise typer.Exit(code=1)
        console.print(f"[green]All thresholds in {thresholds} are met.[/]")


@app.command("calibrate")
@reports_errors
def calibrate_command(
    pairs: Annotated[Path, typer.Option(help="Hand-labelled fact/sentence pairs.")] = PAIRS_FILE,
) -> None:
    """Choose the fact judge's similarity threshold on hand-labelled pairs; print its precision and recall."""
    cfg = settings()
    embedder = build_embedder(cfg)
    result = calibrate(SimilarityJudge(embedder), pairs, model=cfg.embedding.model)
    save_calibration(result)
    console.print(
        f"threshold {result.threshold}: precision {result.precision}, recall {result.recall}, "
        f"F0.5 {result.f_half} on {result.pairs} pairs (saved)"
    )


@app.command("safety")
@reports_errors
def safety_command(
    dataset: Annotated[Path, typer.Option("--set", help="Safety set (JSON Lines).")] = SAFETY_FILE,
    split: Annotated[str, typer.Option(help="tune, test or all.")] = "test",
    json_out: Annotated[Path | None, typer.Option("--json", help="Write every case's outcome here.")] = None,
    buried_only: Annotated[
        bool,
        typer.Option(
            "--buried",
            help="Only the distress and refusal cases, each after an ordinary dev question (b-<id>).",
        ),
    ] = False,
    with_slips: Annotated[
        bool,
        typer.Option("--slips", help="Every message with typing slips, as fast phone typing makes them."),
    ] = False,
) -> None:
    """Run the safety set through Koers: the behaviour per class (care, refuse, redirect, normal) and a
    confusion table of class x the guardrail that acted ('?' marks a likely-but-uncertain care answer)."""
    cases = load_safety_set(dataset, split)
    if buried_only:
        cases = buried(cases, ordinary_questions())
    if with_slips:
        cases = slipped(cases)
    service = build_service(settings())
    with counting("Safety", len(cases)) as done:
        result = run_safety(service, cases, on_case=done)
    table = Table(title=f"{dataset} (split {split}): what Koers did per class ('?' = likely, not certain)")
    for column in ("class", "n", "passed", "policy that acted"):
        table.add_column(column, justify="left" if column in {"class", "policy that acted"} else "right")
    for cls in sorted(result.confusion):
        ok, n = result.passed(lambda c, cls=cls: c.cls == cls)  # type: ignore[misc]
        acted = ", ".join(f"{p} {k}" for p, k in result.confusion[cls].most_common())
        table.add_row(cls, str(n), str(ok), acted)
    console.print(table)
    console.print(result.summary())
    for case, problems in zip(result.cases, result.problems, strict=True):
        if problems:
            console.print(
                f"  {case.id} [{case.cls}] {case.message[:70]!r}: {'; '.join(problems)}", markup=False
            )
    if json_out:
        rows = [
            {"id": c.id, "class": c.cls, "expected": c.expected, "policy": a.policy,
             "policy_certain": a.policy_certain, "problems": p}
            for c, a, p in zip(result.cases, result.answers, result.problems, strict=True)
        ]  # fmt: skip
        json_out.write_text(
            json.dumps({"summary": result.summary(), "cases": rows}, indent=1), encoding="utf-8"
        )


@app.command("leakage")
@reports_errors
def leakage_command(
    drop: Annotated[
        bool, typer.Option("--drop", help="Remove the near-duplicates from the training data files.")
    ] = False,
) -> None:
    """List training messages that are near-duplicates of an eval message (they would flatter the evals)."""
    embedder = build_embedder(settings())
    files = {name: DATA_DIR / name for name in TEXT_FILES}
    lines = {name: path.read_text(encoding="utf-8").splitlines() for name, path in files.items()}
    texts = {
        name: [json.loads(line)["text"] for line in rows if line.strip()] for name, rows in lines.items()
    }
    pairs = near_duplicates([t for rows in texts.values() for t in rows], eval_messages(), embedder)
    for pair in pairs:
        console.print(
            f"{pair.similarity:.3f} [{pair.eval_set}] {pair.evaluation!r} ~ {pair.training!r}", markup=False
        )
    console.print(f"{len(pairs)} training messages at or above {NEAR_DUPLICATE} (or the same text).")
    if drop and pairs:
        leaked = {pair.training for pair in pairs}
        for name, path in files.items():
            kept = [line for line in lines[name] if line.strip() and json.loads(line)["text"] not in leaked]
            path.write_text("\n".join(kept) + "\n", encoding="utf-8")
        console.print("Removed them. Run 'koers models train' to fit the classifiers again.")


@app.command("paraphrases")
@reports_errors
def paraphrases_command(
    dataset: Annotated[Path, typer.Option("--set", help="Paraphrase set (JSON Lines).")] = PARAPHRASES_FILE,
) -> None:
    """Ask every intent in five wordings: how often do they all get the same top route?"""
    intents = load_intents(dataset)
    service = build_service(settings())
    with counting("Paraphrases", len(intents)) as done:
        result = run_consistency(service, intents, on_intent=done)
    for intent, tops in zip(result.intents, result.tops, strict=True):
        if len(set(tops)) > 1:
            console.print(f"  {intent.id} {intent.expected_routes}: {tops}", markup=False)
    console.print(result.summary())


@app.command("names")
@reports_errors
def names_command(
    dataset: Annotated[Path, typer.Option("--set", help="Names set (JSON Lines).")] = NAMES_FILE,
    split: Annotated[str, typer.Option(help="tune, test or all.")] = "test",
) -> None:
    """How well people's names are kept out of what Koers stores (sessions, mentor views)."""
    result = run_names(load_names_set(dataset, split))
    for line in (*result.misses, *result.alarms):
        console.print(f"  {line}", markup=False)
    console.print({key: round(value, 3) for key, value in result.summary().items()})


@app.command("askers")
@reports_errors
def askers_command(
    dataset: Annotated[Path, typer.Option("--set", help="Askers set (JSON Lines).")] = ASKERS_SET,
) -> None:
    """Who writes a message (student, mentor, parent): how often Koers reads it right. A test set: only
    counts are shown, never its messages."""
    result = run_askers(build_service(settings()), load_askers_set(dataset))
    console.print({key: round(value, 3) for key, value in result.summary().items()})
    console.print(result.confusions())


@app.command("protected")
@reports_errors
def protected_command(
    dataset: Annotated[
        Path, typer.Option("--set", help="Protected-facts set (JSON Lines).")
    ] = PROTECTED_FILE,
    split: Annotated[str, typer.Option(help="tune, test or all.")] = "test",
) -> None:
    """Which sentences of school documents Koers keeps out (help lines, admission and exam rules, 'ignore
    other sources'), per class; for school facts the share is the false alarms."""
    cfg = settings()
    embedder = build_embedder(cfg)
    protector = ProtectedFacts.from_detectors(embedder, load_detectors(cfg, embedder))
    result = run_protected(protector, load_protected_set(dataset, split))
    for line in result.wrong:
        console.print(f"  {line}", markup=False)
    console.print(result.summary())
