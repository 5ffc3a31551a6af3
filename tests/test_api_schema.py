"""Property-based tests of the whole API against its own OpenAPI schema (schemathesis): whatever a client
sends that the schema allows or not, no server error and no response that breaks the schema.

The app is what ``koers serve`` runs (``build_app``), on a copy of the corpus store, with server sessions on
and a real admin key, so the generated requests reach the code behind the checks. The rate limits are raised:
they have their own tests, and here every request comes from one client."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import APIOperation, Case, GenerationMode
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import positive_data_acceptance

from bot.adapters import LazyEmbedder
from bot.adapters.api_keys import ApiKeys
from bot.adapters.classes import ClassSessions
from bot.adapters.database import open_database
from bot.core.config import Settings
from bot.understand.guard import scrub_for_storage
from koers.app import build_app
from tests.conftest import make_settings

pytestmark = pytest.mark.slow
SCHOOL = "school-a"


@pytest.fixture(scope="module")
def admin_key(api_settings: Settings) -> str:
    return ApiKeys(api_settings.api.keys_path).create(SCHOOL)


@pytest.fixture(scope="module")
def mentor_code(api_settings: Settings) -> str:
    database = open_database(api_settings.database_url)
    return ClassSessions(database, scrub=scrub_for_storage).create_mentor_code(SCHOOL)


@pytest.fixture(scope="module")
def api_settings(corpus_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    root = tmp_path_factory.mktemp("schema")
    shutil.copytree(corpus_settings.store.path.parent, root / "store")  # uploads must not reach other tests
    return make_settings(
        root / "store",
        api={
            "keys_path": root / "keys.sqlite",
            "rate_per_client": "1000000/minute",
            "rate_per_conversation": "1000000/minute",
        },
        sessions={"enabled": True, "path": root / "sessions.sqlite"},
        database_url=f"sqlite:///{root}/koers.sqlite",
        ingest={"max_file_mb": 0.05},
    )


@pytest.fixture(scope="module")
def api_schema(api_settings: Settings, embedder: LazyEmbedder) -> Iterator[schemathesis.schemas.BaseSchema]:
    app = build_app(api_settings, embedder)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)


def exercise(operation: APIOperation, mode: GenerationMode, headers: dict[str, str]) -> None:
    """Send generated requests of one kind to one operation and run every check on each response."""
    # An upload the schema allows can still be a file Koers cannot read (no extension, not a PDF inside):
    # that 422 says so, in Dutch. Every other check holds for uploads too.
    excluded = [positive_data_acceptance] if operation.label == "POST /v1/admin/documents" else []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=10, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    def check(case: Case) -> None:
        case.call_and_validate(headers=headers, excluded_checks=excluded)

    check()


def test_no_request_breaks_the_api_or_its_schema(
    api_schema: schemathesis.schemas.BaseSchema, admin_key: str, mentor_code: str
) -> None:
    # One loop over the operations rather than schemathesis's pytest plugin: its lazy fixture loader does
    # not run on pytest 9 (it sets Function._nodeid, which pytest 9 removed).
    admin = {"Authorization": f"Bearer {admin_key}"}
    mentor = {"Authorization": f"Bearer {mentor_code}"}
    failures: list[str] = []
    labels: set[str] = set()
    tested: set[str] = set()
    for result in api_schema.get_all_operations():
        operation = result.ok()
        labels.add(operation.label)
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                exercise(operation, mode, mentor if "/v1/classes" in operation.label else admin)
            except Unsatisfiable:  # no invalid request exists for it (an endpoint without input)
                continue
            except (AssertionError, FailureGroup) as exc:  # every check failure of this operation
                failures.append(f"{operation.label} ({mode.value}): {exc}")
            tested.add(f"{operation.label} ({mode.value})")
    assert {f"{label} (positive)" for label in labels} <= tested and len(labels) >= 16
    assert len(tested) > len(labels), "invalid requests too, for the operations that take input"
    assert failures == [], "\n\n".join(failures)


def test_the_schema_documents_the_error_shape_everywhere(api_schema: schemathesis.schemas.BaseSchema) -> None:
    paths = api_schema.raw_schema["paths"]
    chat = paths["/v1/chat/stream"]["post"]["responses"]
    assert {"400", "403", "404", "422", "429", "503"} <= set(chat)
    assert "401" in paths["/v1/admin/documents"]["get"]["responses"]
