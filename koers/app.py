"""The composition root of the HTTP API: settings in, a wired FastAPI app out.

``koers serve`` (and so ``koers run``) and the tests build the app here, so what the tests drive is what a
school runs. The service side is wired in :func:`bot.container.build_service`, the ingest side in
:func:`ingest.container.build_ingestor`; this module joins them, because ``bot`` never imports ``ingest``.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import FastAPI

from bot.adapters import build_embedder
from bot.adapters.api_keys import ApiKeys
from bot.adapters.classes import ClassSessions
from bot.adapters.database import open_database
from bot.adapters.feedback import FeedbackStore
from bot.adapters.sessions import SessionStore
from bot.api import create_app
from bot.api.protect import RateLimits
from bot.container import build_service
from bot.core.config import Settings, load_settings
from bot.core.ports import Embedder
from bot.core.school_sites import SchoolSites
from bot.service import ChatService
from bot.understand.guard import scrub_for_storage
from ingest.container import build_ingestor
from ingest.library import UploadLibrary


def build_app(
    settings: Settings, embedder: Embedder | None = None, *, service: ChatService | None = None
) -> FastAPI:
    """The API with the school admin endpoints and, when a school turned them on, server-side sessions.
    Pass ``embedder`` and ``service`` to share what this process already loaded (tests, benches)."""
    embedder = embedder or build_embedder(settings)
    service = service or build_service(settings, embedder)
    ingestor = build_ingestor(settings, embedder, service.detectors)  # the heads are loaded once
    database = open_database(settings.database_url)
    cfg = settings.sessions
    sessions = (
        SessionStore(
            cfg.path,
            ttl=timedelta(minutes=cfg.ttl_minutes),
            max_messages=cfg.max_messages,
            scrub=scrub_for_storage,
        )
        if cfg.enabled
        else None
    )
    return create_app(
        service,
        library=UploadLibrary(ingestor, settings.ingest.uploads_dir),
        api_keys=ApiKeys(settings.api.keys_path),
        max_upload_bytes=ingestor.max_bytes,
        max_body_bytes=settings.api.max_body_kb * 1024,
        key_attempts=settings.api.admin_key_attempts,
        sessions=sessions,
        sites=SchoolSites.load(settings.api.schools_file),
        feedback=FeedbackStore(database, scrub=scrub_for_storage),
        classes=ClassSessions(
            database, scrub=scrub_for_storage, retention=timedelta(days=settings.classes.retention_days)
        ),
        rate_limits=RateLimits(settings.api.rate_per_conversation, settings.api.rate_per_client),
        answers_at_once=answer_slots(settings),
    )


# With an LLM server an answer mostly waits on the network, so many may wait at the same time.
LLM_ANSWERS_AT_ONCE = 16


def answer_slots(settings: Settings) -> int:
    """Answers composed at the same time: the setting for the offline composer (CPU work), at least
    ``LLM_ANSWERS_AT_ONCE`` when an LLM server writes them."""
    if settings.composer.provider == "offline":
        return settings.api.answers_at_once
    return max(settings.api.answers_at_once, LLM_ANSWERS_AT_ONCE)


def app_from_environment() -> FastAPI:
    """The app of one API worker process (``koers serve`` with ``KOERS_API__WORKERS`` above 1): settings
    from the environment, the model loaded before the first request."""
    app = build_app(load_settings())
    app.state.service.warm_up()
    return app
