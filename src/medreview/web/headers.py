"""`Cache-Control: no-store` on every page and answer but the static files: a page of
medreview may carry patient data, and no browser or proxy cache may keep it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class NoStore:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/static/") and request.path != "/favicon.ico":
            response["Cache-Control"] = "private, no-store"
        return response
