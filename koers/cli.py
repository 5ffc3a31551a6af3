"""The ``koers`` command. Subcommands in flow order: models, corpus, ingest, ask, serve, ui, run, eval,
bench, admin, settings."""

from __future__ import annotations

import typer

from koers import (
    cmd_admin,
    cmd_ask,
    cmd_bench,
    cmd_corpus,
    cmd_eval,
    cmd_ingest,
    cmd_models,
    cmd_serve,
    cmd_settings,
)
from koers.common import reports_errors

app = typer.Typer(
    name="koers",
    help="Koers: Dutch career-orientation assistant for vmbo students. Offline by default.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(cmd_models.app, name="models")
app.add_typer(cmd_corpus.app, name="corpus")
app.command("ingest")(reports_errors(cmd_ingest.ingest))
app.command("ask")(reports_errors(cmd_ask.ask))
app.command("serve")(reports_errors(cmd_serve.serve))
app.command("ui")(reports_errors(cmd_serve.ui))
app.command("run")(reports_errors(cmd_serve.run))
app.add_typer(cmd_eval.app, name="eval")
app.add_typer(cmd_bench.app, name="bench")
app.add_typer(cmd_admin.app, name="admin")
app.command("settings")(cmd_settings.settings)


def main() -> None:
    app()
