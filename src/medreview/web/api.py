"""API version 1 (contracts/INTERFACES.md, "HTTP API"): one Ninja API, a router per app.

Callers authenticate with `Authorization: Bearer TOKEN` (integrations) or their session (the
pages, with CSRF). Every error answers JSON `{"detail": "…"}`; nothing of a stack trace, nor
any patient data, reaches a client.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import APIKeyCookie, HttpBearer

from medreview.claims.actions import ActionError
from medreview.claims.models import ApiToken

log = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = ApiToken.objects.user_for(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The pages' session, with Django's CSRF check on every unsafe method."""

    param_name = "sessionid"

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


api = NinjaAPI(
    title="medreview",
    version="1",
    urls_namespace="api-v1",
    auth=[BearerToken(), SessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _detail(request: HttpRequest, message: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": message}, status=status)


@api.exception_handler(ActionError)
def _action_error(request: HttpRequest, exc: ActionError) -> HttpResponse:
    message = (
        f"{exc.field}: {exc}" if exc.field and not str(exc).startswith(exc.field) else str(exc)
    )
    return _detail(request, message, exc.status)


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    parts = []
    for error in exc.errors:
        where = ".".join(
            str(p)
            for p in error.get("loc", ())
            if p not in ("body", "payload", "form", "query", "path")
        )
        parts.append(f"{where}: {error.get('msg', 'invalid')}" if where else error.get("msg", ""))
    return _detail(request, "; ".join(parts) or "invalid request", 422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _detail(request, "authentication required: send Authorization: Bearer TOKEN", 401)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _detail(request, "not found", 404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _detail(request, str(exc), exc.status_code)


@api.exception_handler(Exception)
def _unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Logged by type and place only: an exception's message may quote a record.
    log.error("API error %s at %s", type(exc).__name__, request.path)
    return _detail(request, "internal error", 500)


def _mount() -> None:
    from medreview.audit.api import router as audit_router
    from medreview.claims.api import router as claims_router
    from medreview.network.api import router as network_router
    from medreview.reviews.api import router as reviews_router
    from medreview.triage.api import router as triage_router

    api.add_router("/referrals", claims_router)
    api.add_router("/referrals", triage_router)
    api.add_router("/referrals", audit_router)
    api.add_router("/referrals", network_router)
    api.add_router("/referrals", reviews_router)


_mount()
