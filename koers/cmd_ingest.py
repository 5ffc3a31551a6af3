"""``koers ingest PATH``: sync a folder of documents into the vector store, with progress and a summary."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from bot.adapters import build_embedder, build_store
from bot.config import Settings
from ingest.pipeline import IngestReport, sync_folder
from koers.common import console, err_console, settings


def run_ingest(cfg: Settings, folder: Path, *, school: str = "") -> IngestReport:
    embedder = build_embedder(cfg)
    store = build_store(cfg, embedder)
    with Progress(
        TextColumn("[bold]Embedding"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("chunks"),
        TimeRemainingColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("embed", total=None)

        def on_progress(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        return sync_folder(
            folder,
            embedder,
            store,
            school=school,
            batch_size=cfg.embedding.batch_size,
            on_progress=on_progress,
        )


def print_report(report: IngestReport, folder: Path) -> None:
    table = Table(title=f"Ingest of {folder}")
    for column in ("documents", "added", "unchanged", "deleted", "failed"):
        table.add_column(column, justify="right")
    table.add_row(
        *(
            str(v)
            for v in (report.documents, report.added, report.unchanged, report.deleted, len(report.failed))
        )
    )
    console.print(table)
    for source, message in report.failed:
        err_console.print(f"[red]failed[/] {source}: {message}")


def ingest(
    path: Annotated[Path, typer.Argument(help="Folder with documents (Markdown with front matter).")],
    school: Annotated[str, typer.Option(help="School id: documents are visible to that school only.")] = "",
) -> None:
    """Add, update and remove chunks so the store matches PATH. Unchanged text is not embedded again."""
    if not path.is_dir():
        err_console.print(f"[red]Error:[/] {path} is not a folder.")
        raise typer.Exit(code=2)
    report = run_ingest(settings(), path, school=school)
    print_report(report, path)
    if not report.ok:
        raise typer.Exit(code=1)
