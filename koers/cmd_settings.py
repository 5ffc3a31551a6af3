"""``koers settings``: the settings table of the README, generated from :class:`bot.core.config.Settings`.

The README's table sits between two markers and is written by ``koers settings --write``; a test checks that
it matches the code, so a new setting cannot be forgotten in the docs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel, SecretStr

from bot.core.config import Settings
from koers.common import console

README = Path(__file__).resolve().parent.parent / "README.md"
START = "<!-- settings:start (koers settings --write) -->"
END = "<!-- settings:end -->"


def _rows(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, Any, str]]:
    for name, field in model.model_fields.items():
        kind = field.annotation
        if isinstance(kind, type) and issubclass(kind, BaseModel):
            yield from _rows(kind, f"{prefix}{name.upper()}__")
        else:
            default = field.get_default(call_default_factory=True)
            yield f"{prefix}{name.upper()}", default, field.description or ""


def _shown(value: Any) -> str:
    if value is None or isinstance(value, SecretStr):
        return "(none)"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Path):
        home = str(Path.home())
        text = str(value)
        return "~" + text[len(home) :] if text.startswith(home) else text
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value) if value != "" else "(empty)"


def settings_table() -> str:
    """Every setting as a Markdown table row: environment variable, default, meaning."""
    lines = ["| Variable | Default | Meaning |", "|---|---|---|"]
    for env, default, meaning in _rows(Settings, "KOERS_"):
        cell = meaning.replace("|", "\\|").replace("\n", " ")
        lines.append(f"| `{env}` | `{_shown(default)}` | {cell} |")
    return "\n".join(lines)


def readme_table(readme: Path = README) -> str:
    text = readme.read_text(encoding="utf-8")
    return text.split(START, 1)[1].split(END, 1)[0].strip()


def settings(
    write: Annotated[bool, typer.Option(help="Write the table into README.md.")] = False,
) -> None:
    """Print the table of every setting (environment variable, default, meaning), or write it into the
    README."""
    table = settings_table()
    if not write:
        console.print(table, markup=False, highlight=False, soft_wrap=True)
        return
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(START, 1)
    after = rest.split(END, 1)[1]
    README.write_text(f"{before}{START}\n{table}\n{END}{after}", encoding="utf-8")
    console.print(f"Tabel met instellingen bijgewerkt in {README.name}.")
