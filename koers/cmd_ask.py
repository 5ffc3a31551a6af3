"""``koers ask "..."``: one answer with its sources, in the terminal."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.panel import Panel

from bot.container import build_service
from koers.common import console, settings


def ask(
    question: Annotated[str, typer.Argument(help="Your question, in Dutch.")],
    school: Annotated[str, typer.Option(help="Answer as this school (also searches its documents).")] = "",
) -> None:
    """Ask Koers a question and print the answer, the routes and the sources."""
    service = build_service(settings())
    answer = service.answer(question, school=school or None)
    console.print(Panel(answer.text, title="Koers", expand=False))
    if answer.routes:
        console.print("[bold]Routes:[/] " + ", ".join(answer.routes))
    for citation in answer.citations:
        where = f"{citation.doc_id}, p. {citation.page}" if citation.page else citation.doc_id
        console.print(f'[bold][{citation.number}][/] {citation.title} ({where}): "{citation.quote}"')
    if answer.choices:
        console.print("[bold]Kies:[/] " + " | ".join(answer.choices))
    for question_text in answer.follow_up_questions:
        console.print(f"  - {question_text}")
