"""``koers admin``: school API keys for the admin endpoints (only a hash is stored; a key is shown once)."""

from __future__ import annotations

import re
from typing import Annotated

import typer
from rich.table import Table

from bot.adapters.api_keys import ApiKeys
from bot.adapters.schools import SchoolProfielen
from bot.core.labels import display_name
from bot.core.schemas import SCHOOL_ID
from koers.common import console, err_console, reports_errors, settings

app = typer.Typer(help="Manage school admin API keys and school settings.", no_args_is_help=True)


def _check_school(school: str) -> None:
    if not re.match(SCHOOL_ID, school):
        err_console.print("[red]Fout:[/] --school mag alleen kleine letters, cijfers en streepjes hebben.")
        raise typer.Exit(code=2)


@app.command("create-key")
@reports_errors
def create_key(school: Annotated[str, typer.Option(help="School id, e.g. 'de-wissel'.")]) -> None:
    """Create an API key for one school and print it once."""
    _check_school(school)
    key = ApiKeys(settings().api.keys_path).create(school)
    console.print(f"API-sleutel voor {school} (bewaar hem nu: Koers bewaart alleen een hash):\n{key}")


@app.command("list-keys")
@reports_errors
def list_keys() -> None:
    """List keys (id, school, created, revoked); never the keys themselves."""
    table = Table("sleutel-id", "school", "gemaakt", "ingetrokken")
    for key_id, school, created, revoked in ApiKeys(settings().api.keys_path).list():
        table.add_row(key_id, school, created, "yes" if revoked else "")
    console.print(table)


@app.command("revoke-key")
@reports_errors
def revoke_key(
    key_id: Annotated[str, typer.Argument(help="The key id from 'koers admin list-keys'.")],
) -> None:
    """Revoke a key at once."""
    if not ApiKeys(settings().api.keys_path).revoke(key_id):
        err_console.print(f"[red]Fout:[/] er is geen sleutel met id {key_id}.")
        raise typer.Exit(code=1)
    console.print(f"Sleutel {key_id} is ingetrokken.")


@app.command("create-mentor-code")
@reports_errors
def create_mentor_code(school: Annotated[str, typer.Option(help="School id, e.g. 'de-wissel'.")]) -> None:
    """Create a mentor code for one school (mentors sign in with it to run class sessions); printed once."""
    _check_school(school)
    from bot.adapters.classes import ClassSessions
    from bot.adapters.database import open_database
    from bot.understand.guard import scrub_for_storage

    cfg = settings()
    code = ClassSessions(open_database(cfg.database_url), scrub=scrub_for_storage).create_mentor_code(school)
    console.print(f"Mentorcode voor {school} (bewaar hem nu: Koers bewaart alleen een hash):\n{code}")


@app.command("set-profielen")
@reports_errors
def set_profielen(
    school: Annotated[str, typer.Option(help="School id, e.g. 'de-wissel'.")],
    profielen: Annotated[
        list[str] | None,
        typer.Argument(help="Codes of the vmbo profielen the school offers, e.g. BWI PIE M&T. None = all."),
    ] = None,
) -> None:
    """Set which vmbo profielen a school offers; Koers then advises only those to its students."""
    _check_school(school)
    stored = SchoolProfielen(settings().store.schools_path).set(school, profielen or [])
    if stored:
        console.print(f"{school} biedt aan: {', '.join(display_name(label) for label in stored)}.")
    else:
        console.print(f"{school}: Koers mag elk profiel noemen (er is geen lijst ingesteld).")
