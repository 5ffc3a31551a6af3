"""JSON Lines files validated line by line: training data, eval sets. Every bad line is reported at once."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from bot.core.errors import KoersError, describe_validation_error

Model = TypeVar("Model", bound=BaseModel)


def read_models(path: Path, model: type[Model]) -> tuple[list[Model], list[str]]:
    """The valid lines of ``path`` as ``model`` and a 'line N: why' problem for each bad one.

    Raises ``OSError`` when the file cannot be read; the caller words that for its own users."""
    found: list[Model] = []
    problems: list[str] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            found.append(model.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            problems.append(f"line {number}: not valid JSON ({exc.msg})")
        except ValidationError as exc:
            problems.append(f"line {number}: {describe_validation_error(exc)}")
    return found, problems


def load_models(path: Path, model: type[Model], error: type[KoersError], what: str) -> list[Model]:
    """Every line of ``path`` as ``model``, or ``error`` naming the file (a ``what``) and its bad lines."""
    try:
        found, problems = read_models(path, model)
    except OSError as exc:
        raise error(f"Cannot read the {what} {path}: {exc.strerror}") from exc
    if problems:
        raise error(f"{path} has {len(problems)} problem(s): " + " | ".join(problems[:10]))
    return found
