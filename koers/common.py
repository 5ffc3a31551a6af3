"""What every subcommand shares: consoles, settings loading and error reporting."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console

from bot.core.config import Settings, load_settings
from bot.core.errors import KoersError

console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def reports_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Show a KoersError as one actionable line (exit code 1) instead of a traceback."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except KoersError as exc:
            err_console.print(f"[bold red]Fout ({exc.code}):[/] {exc.message}")
            raise typer.Exit(code=1) from exc

    return wrapper


def settings() -> Settings:
    return load_settings()
