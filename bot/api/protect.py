"""What makes the public API safe to put on a school's website: origins, rate limits and security headers.

* **Origins.** The CORS list is every origin some school allows (Starlette's ``CORSMiddleware``); on top of
  that, a browser request that names a school must come from one of *that* school's origins, or from Koers's
  own pages. A page elsewhere gets a 403 and no answer. Requests without an ``Origin`` header (curl, the
  Streamlit app, a school's server) are not browser pages and pass; the rate limits still hold for them.
* **Rate limits** (the ``limits`` library, in memory, one process): per conversation (the widget sends a
  random id; about 20 messages a minute) and per client address (higher: a class behind one router shares
  one address). A refusal says in Dutch how long to wait and sends ``Retry-After``.
* **Security headers** (the ``secure`` library), chosen per kind of response: JSON, the HTML pages, the
  widget script (which other sites must be able to load) and the API docs.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from fastapi import Request
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from secure import (
    CacheControl,
    ContentSecurityPolicy,
    CrossOriginOpenerPolicy,
    CrossOriginResourcePolicy,
    PermissionsPolicy,
    ReferrerPolicy,
    Secure,
    StrictTransportSecurity,
    XContentTypeOptions,
    XFrameOptions,
)
from secure.middleware import SecureASGIMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.core.errors import KoersError
from bot.core.school_sites import SchoolSites


class OriginNotAllowed(KoersError):
    code = "origin_not_allowed"
    http_status = 403


class TooManyMessages(KoersError):
    code = "too_many_requests"
    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


def own_origin(request: Request) -> str:
    """The origin of this server as the browser sees it (the demo page and the source pages live here)."""
    return f"{request.url.scheme}://{request.url.netloc}".lower()


def check_origin(request: Request, sites: SchoolSites, school: str | None) -> None:
    """Refuse a browser page that may not use Koers for ``school`` (see the module docstring)."""
    origin = request.headers.get("origin")
    if origin is None or origin.lower() == own_origin(request) or sites.allows(school, origin):
        return
    raise OriginNotAllowed(
        "Deze website mag Koers niet gebruiken. (Beheerder: zet het adres van de website bij "
        "'allowed_origins' van de school in schools.yaml.)"
    )


class RateLimits:
    """Moving-window limits per conversation and per client address."""

    def __init__(self, per_conversation: str, per_client: str) -> None:
        self._conversation: RateLimitItem = parse(per_conversation)
        self._client: RateLimitItem = parse(per_client)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, client: str, conversation: str | None) -> None:
        """Count one request; raise :class:`TooManyMessages` when a limit is reached (nothing is counted)."""
        checks: list[tuple[RateLimitItem, str]] = [(self._client, f"client:{client}")]
        if conversation:
            checks.append((self._conversation, f"conversation:{conversation}"))
        for item, key in checks:
            if not self._limiter.test(item, key):
                reset = self._limiter.get_window_stats(item, key).reset_time
                wait = max(1, round(reset - time.time()))
                raise TooManyMessages(
                    f"Je stuurt veel berichten snel achter elkaar. Wacht {wait} seconden en probeer het "
                    "dan opnieuw.",
                    retry_after=wait,
                )
        for item, key in checks:
            self._limiter.hit(item, key)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "onbekend"


def _headers(
    *,
    csp: ContentSecurityPolicy | None = None,
    xfo: XFrameOptions | None = None,
    cache: CacheControl | None = None,
    corp: CrossOriginResourcePolicy | None = None,
    coop: CrossOriginOpenerPolicy | None = None,
) -> Secure:
    """The headers every response gets, plus those of one kind of response."""
    return Secure(
        hsts=StrictTransportSecurity().max_age(31536000),
        referrer=ReferrerPolicy().strict_origin_when_cross_origin(),
        xcto=XContentTypeOptions().nosniff(),
        permissions=PermissionsPolicy().geolocation().microphone().camera(),
        csp=csp,
        xfo=xfo,
        cache=cache,
        corp=corp,
        coop=coop,
    )


# JSON and event streams: nothing to run, nothing to frame, nothing to keep in a shared cache.
API_HEADERS = _headers(
    csp=ContentSecurityPolicy().default_src("'none'").frame_ancestors("'none'"),
    xfo=XFrameOptions().deny(),
    cache=CacheControl().no_store(),
)
# The source pages and the demo page: own scripts and styles only; no one may frame them.
PAGE_HEADERS = _headers(
    csp=ContentSecurityPolicy()
    .default_src("'self'")
    .script_src("'self'")
    .style_src("'self'", "'unsafe-inline'")
    .img_src("'self'", "data:")
    .object_src("'none'")
    .base_uri("'none'")
    .form_action("'none'")
    .frame_ancestors("'none'"),
    xfo=XFrameOptions().deny(),
    coop=CrossOriginOpenerPolicy().same_origin(),
)
# The widget script is loaded by school pages on other origins, so it must be readable cross-origin.
SCRIPT_HEADERS = _headers(
    corp=CrossOriginResourcePolicy().cross_origin(),
    cache=CacheControl().public().max_age(300),
)
# Swagger UI and ReDoc (served from this server by fastapi-offline) run an inline start-up script.
DOCS_HEADERS = _headers(
    csp=ContentSecurityPolicy()
    .default_src("'self'")
    .script_src("'self'", "'unsafe-inline'")
    .style_src("'self'", "'unsafe-inline'")
    .img_src("'self'", "data:")
    .frame_ancestors("'none'"),
    xfo=XFrameOptions().deny(),
)


class SecurityHeaders:
    """Add the security headers that fit the path: the first matching prefix wins, else ``API_HEADERS``."""

    def __init__(self, app: ASGIApp, *, by_prefix: Sequence[tuple[str, Secure]]) -> None:
        self._routes = [(prefix, SecureASGIMiddleware(app, secure=secure)) for prefix, secure in by_prefix]
        self._default = SecureASGIMiddleware(app, secure=API_HEADERS)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        handler = next((mw for prefix, mw in self._routes if path.startswith(prefix)), self._default)
        await handler(scope, receive, send)  # type: ignore[arg-type]


PAGES: tuple[tuple[str, Secure], ...] = (
    ("/widget.js", SCRIPT_HEADERS),
    ("/demo/", PAGE_HEADERS),
    ("/v1/sources/", PAGE_HEADERS),
    ("/docs", DOCS_HEADERS),
    ("/redoc", DOCS_HEADERS),
    ("/static-offline-docs", DOCS_HEADERS),
)
