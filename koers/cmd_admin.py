"""``koers admin``: school API keys for the admin endpoints (only a hash is stored; a key is shown once)."""

from __future__ import annotations

import re
from typing import Annotated

import typer
from rich.table import Table

from bot.api_keys import ApiKeys
from koers.common import console, err_console, reports_errors, settings

app = typer.Typer(help="Manage school admin API keys.", no_args_is_help=True)


@app.command("create-key")
@reports_errors
def create_key(school: Annotated[str, typer.Option(help="School id, e.g. 'de-wissel'.")]) -> None:
    """Create an API key for one school and print it once."""
    if not re.match(r"^[a-z0-9][a-z0-9-]*$", school):
        err_console.print("[red]Error:[/] --school takes lowercase letters, digits and hyphens.")
        raise typer.Exit(code=2)
    key = ApiKeys(settings().api.keys_path).create(school)
    console.print(f"API key for {school} (store it now; Koers keeps only a hash):\n{key}")


@app.command("list-keys")
@reports_errors
def list_keys() -> None:
    """List keys (id, school, created, revoked); never the keys themselves."""
    table = Table("key id", "school", "created", "revoked")
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
        err_console.print(f"[red]Error:[/] no key with id {key_id}.")
        raise typer.Exit(code=1)
    console.print(f"Key {key_id} revoked.")
