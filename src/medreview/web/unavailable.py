"""The database out of reach (restarting, stopped, the network to it down): a request answers
503 "the database is unavailable, try again shortly", as JSON under /api/ and as a page of the
site elsewhere, and nothing of the error itself. Any other error answers the site's 500 page.

This is the site's `handler500`, so that a database error raised by a middleware (a session
looked up) is answered as one raised by a view; the API's own handler answers those of its
operations (`web/api.py`)."""

from __future__ import annotations

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

log = logging.getLogger(__name__)
MESSAGE = "the database is unavailable, try again shortly"
RETRY_AFTER = "5"  # seconds: a restart's length, not a promise


def is_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` says the database is out of reach (not that a query was wrong)."""
    return isinstance(exc, OperationalError | InterfaceError)


def answer(request: HttpRequest) -> HttpResponse:
    """The 503 answer: JSON `{"detail": …}` under /api/, else a page needing no database."""
    log.warning("database unavailable at %s", request.path)  # the error's words may quote data
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": MESSAGE}, status=503)
    else:
        page = loader.get_template("503.html").render({"message": MESSAGE})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = RETRY_AFTER
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: Django calls it while handling the exception, which is still current."""
    if is_unavailable(sys.exc_info()[1]):
        return answer(request)
    return defaults.server_error(request)
