"""``koers corpus check`` and ``koers corpus stats``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from ingest.corpus_check import MAX_AVG_SENTENCE_WORDS, check_corpus, corpus_stats
from ingest.review import REVIEW_FILE, render_review, review_corpus
from koers.common import console, err_console, reports_errors, settings

app = typer.Typer(help="Check the corpus or show what it covers.", no_args_is_help=True)
PathOption = Annotated[Path | None, typer.Argument(help="Corpus folder (default: KOERS_CORPUS_DIR).")]


@app.command("check")
@reports_errors
def check(path: PathOption = None, verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    """Validate front matter, sources, labels, length, readability and the route graph. Exit 1 on problems."""
    root = path or settings().corpus_dir
    result = check_corpus(root)
    table = Table(title=f"Corpus check: {root}")
    for column in ("document", "words", "words/sentence", "long words", "problems"):
        table.add_column(column, justify="left" if column in {"document", "problems"} else "right")
    for doc in result.docs:
        if verbose or doc.problems:
            table.add_row(
                doc.source,
                str(doc.words),
                f"{doc.avg_sentence:.1f}",
                f"{doc.long_words:.0%}",
                "; ".join(doc.problems) or "ok",
            )
    if table.row_count:
        console.print(table)
    for problem in result.graph_problems:
        err_console.print(f"[red]route graph:[/] {problem}")
    checked = [d for d in result.docs if d.doc]
    mean = sum(d.avg_sentence for d in checked) / max(len(checked), 1)
    bad = sum(1 for d in result.docs if d.problems)
    console.print(
        f"{len(result.docs)} documents, {bad} with problems; mean {mean:.1f} words per sentence "
        f"(limit {MAX_AVG_SENTENCE_WORDS:.0f} per document); route graph: "
        f"{'ok' if not result.graph_problems else f'{len(result.graph_problems)} problems'}"
    )
    if result.claims:
        console.print(
            "Compared with the route graph: " + ", ".join(f"{n} {rule}" for rule, n in result.claims.items())
        )
    if not result.ok:
        raise typer.Exit(code=1)


@app.command("stats")
@reports_errors
def stats(path: PathOption = None) -> None:
    """Documents per kind, words, and which labels the corpus covers."""
    root = path or settings().corpus_dir
    result = corpus_stats(check_corpus(root))
    table = Table(title=f"Corpus {root}: {result.documents} documents, {result.words} words")
    table.add_column("kind")
    table.add_column("documents", justify="right")
    for kind, count in sorted(result.per_kind.items()):
        table.add_row(kind, str(count))
    console.print(table)
    labels = Table(title=f"Labels covered ({len(result.labels)})")
    labels.add_column("label kind")
    labels.add_column("count", justify="right")
    labels.add_column("values")
    for kind, count in sorted(result.per_label_kind.items()):
        values = sorted(label.split(":", 1)[1] for label in result.labels if label.startswith(f"{kind}:"))
        labels.add_row(kind, str(count), ", ".join(values))
    console.print(labels)
    graph = ", ".join(f"{count} {kind}" for kind, count in sorted(result.graph_nodes.items()))
    console.print(f"Route graph: {graph or 'missing'}; {result.graph_edges} edges")
    opleidingen = result.graph_nodes.get("opleiding", 0)
    console.print(f"Opleidingen with niveaus and a bron: {result.opleidingen_sourced} of {opleidingen}")
    if result.opleidingen_unconfirmed:
        unconfirmed = ", ".join(n.removeprefix("mbo:") for n in result.opleidingen_unconfirmed)
        console.print(f"  niveaus not confirmed by a source (see REVIEW.md): {unconfirmed}")
    console.print(f"Complete niveau ladders (2 -> 3 -> 4): {len(result.ladders)}")
    for ladder in result.ladders:
        console.print("  " + " -> ".join(step.removeprefix("mbo:") for step in ladder))


@app.command("review")
@reports_errors
def review(path: PathOption = None) -> None:
    """Write REVIEW.md: per document, the claims still unverified or older than five years, as a checklist."""
    root = path or settings().corpus_dir
    check = check_corpus(root)
    today = dt.date.today()
    reviews = review_corpus(check, today)
    documents = sum(1 for d in check.docs if d.doc is not None)
    target = root / REVIEW_FILE
    target.write_text(render_review(reviews, documents, today), encoding="utf-8")
    items = sum(len(r.items) for r in reviews)
    console.print(f"{target}: {items} points to check in {len(reviews)} of {documents} documents")
