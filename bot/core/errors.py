"""Domain errors carry a message a person can act on; the CLI and API show it without a traceback."""

from __future__ import annotations

from pydantic import ValidationError


class KoersError(Exception):
    """Base class for every error Koers reports to a person.

    ``code`` is stable (clients may switch on it); ``message`` says what happened and how to fix it.
    """

    code = "koers_error"
    http_status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(KoersError):
    """A setting is missing or wrong, or a backend it names is not installed."""

    code = "config_error"


class ModelError(KoersError):
    """The embedding model is missing, corrupt or cannot be built."""

    code = "model_error"
    http_status = 503


class StoreError(KoersError):
    """The vector store cannot be opened or queried."""

    code = "store_error"
    http_status = 503


class EmptyIndexError(StoreError):
    """Nothing has been ingested yet, so there is nothing to answer from."""

    code = "empty_index"


class DocumentError(KoersError):
    """A source document cannot be read or does not follow the corpus format."""

    code = "document_error"
    http_status = 422


def describe_validation_error(exc: ValidationError, limit: int = 10) -> str:
    """'field.sub: message; ...' for the first ``limit`` problems, for one-line error messages."""
    return "; ".join(
        f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg'].removeprefix('Value error, ')}"
        for e in exc.errors()[:limit]
    )
