"""``koers ingest PATH``: sync a folder into the store, with a progress bar and a summary table."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from bot.core.config import Settings
from bot.core.schemas import SCHOOL_ID
from ingest.container import build_ingestor
from ingest.pipeline import IngestProgress, IngestReport
from koers.common import console, err_console, settings


def _progress_bar(title: str, counts: str) -> Progress:
    """A bar that says what it counts (done/total) and disappears when the work is done."""
    return Progress(
        TextColumn(f"[bold]{title}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn(counts),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def run_ingest(cfg: Settings, folder: Path, *, school: str = "") -> IngestReport:
    ingestor = build_ingestor(cfg)
    with _progress_bar(
        "Inlezen", "bestanden · {task.fields[chunks]} passages · {task.fields[rate]}"
    ) as progress:
        task = progress.add_task("ingest", total=None, chunks=0, rate="")
        started = progress.get_time()

        def on_progress(p: IngestProgress) -> None:
            elapsed = max(progress.get_time() - started, 1e-6)
            rate = f"{p.chunks_embedded / elapsed:.1f} passages/s" if p.chunks_embedded else ""
            progress.update(
                task, completed=p.files_done, total=p.files_total, chunks=p.chunks_embedded, rate=rate
            )

        return ingestor.sync(folder, school=school, on_progress=on_progress)


def print_report(report: IngestReport, folder: Path) -> None:
    table = Table(title=f"Inlezen van {folder} ({report.seconds:.1f} s)")
    for column in (
        "nieuw",
        "bijgewerkt",
        "ongewijzigd",
        "verwijderd",
        "mislukt",
        "passages ingelezen",
        "passages weg",
    ):
        table.add_column(column, justify="right")
    table.add_row(
        *(str(report.count(s)) for s in ("added", "updated", "unchanged", "deleted", "failed")),
        str(report.chunks_embedded),
        str(report.chunks_deleted),
    )
    console.print(table)
    notes = [(o.source, o.reason) for o in report.outcomes if o.reason and o.status in ("added", "updated")]
    _print_pairs("Opmerkingen", ("bestand", "opmerking"), notes)
    conflicts = [(o.source, c) for o in report.outcomes for c in o.conflicts if o.status != "failed"]
    _print_pairs(
        "Zinnen weggelaten (alleen de landelijke informatie mag dit zeggen)", ("bestand", "zin"), conflicts
    )
    _print_pairs("Niet ingelezen", ("bestand", "reden"), report.failed, error=True)


def _print_pairs(
    title: str, columns: tuple[str, str], rows: list[tuple[str, str]], *, error: bool = False
) -> None:
    """A two-column table, when there is anything to show; errors go to stderr in red."""
    if not rows:
        return
    table = Table(title=title, title_style="bold red" if error else None)
    for column in columns:
        table.add_column(column)
    for row in rows:
        table.add_row(*row)
    (err_console if error else console).print(table)


def ingest(
    path: Annotated[Path, typer.Argument(help="Folder with documents (.md, .txt, .pdf, .docx, .html).")],
    school: Annotated[str, typer.Option(help="School id: documents are visible to that school only.")] = "",
) -> None:
    """Add, update and remove documents so the store matches PATH. Exit 0 all ok, 1 some failed, 2 usage."""
    import re

    if not path.is_dir():
        err_console.print(f"[red]Fout:[/] {path} is geen map.")
        raise typer.Exit(code=2)
    if school and not re.match(SCHOOL_ID, school):
        err_console.print(
            "[red]Fout:[/] --school mag alleen kleine letters, cijfers en streepjes hebben ('de-wissel')."
        )
        raise typer.Exit(code=2)
    report = run_ingest(settings(), path, school=school)
    print_report(report, path)
    if not report.ok:
        raise typer.Exit(code=1)


def prepare_sentences(cfg: Settings) -> int:
    """Embed the stored passages' sentences the sentence-vector cache lacks, with a progress bar.

    Once after an install or a corpus change; the model is not even loaded when nothing is missing.
    """
    from bot.adapters import build_embedder, build_store
    from bot.adapters.sentence_vectors import fill
    from bot.container import sentence_vectors

    embedder = build_embedder(cfg)
    texts = [chunk.text for chunk in build_store(cfg, embedder).all_chunks()]
    with _progress_bar("Antwoorden voorbereiden", "zinnen") as progress:
        task = progress.add_task("sentences", total=None)
        added = fill(
            sentence_vectors(cfg),
            embedder,
            texts,
            lambda done, total: progress.update(task, completed=done, total=total),
        )
    if added:
        console.print(f"{added} zinnen voorbereid, zodat ook de eerste antwoorden snel zijn.")
    return added
