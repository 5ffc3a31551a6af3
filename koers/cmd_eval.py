"""``koers eval``: measure answer quality on a Dutch question set; ``koers eval calibrate`` for the judge."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.adapters import build_embedder
from evals.dataset import load_dataset, stratified_sample
from evals.judge import PAIRS_FILE, SimilarityJudge, calibrate, save_calibration
from evals.report import METRICS, failing_cases, markdown_report
from evals.run import SYSTEMS, THRESHOLDS_FILE, check_thresholds, run_eval
from koers.common import console, err_console, reports_errors, settings

app = typer.Typer(help="Measure answer quality on an eval set.", invoke_without_command=True)
MAX_FAILING_SHOWN = 25


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
    with Progress(
        TextColumn("[bold]Evaluating"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=console, transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("eval", total=len(cases))
        result = run_eval(
            settings(), cases, names, on_case=lambda done, _total: progress.update(task, completed=done)
        )

    table = Table(title=f"{dataset} ({len(cases)} cases, fact threshold {result.fact_threshold})")
    table.add_column("metric")
    for name in result.systems:
        table.add_column(name, justify="right")
    for metric in METRICS:
        table.add_row(metric, *(str(result.systems[name][metric]) for name in result.systems))
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
