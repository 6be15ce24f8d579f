"""The size of a request, refused (413) from its declared length before anything reads its
body: one upload may not take the server's memory or disk. The per-file limit is checked by
the doors that take files (`records.actions`), from each file's size before it is read."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render


class RequestSizeLimit:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.MAX_REQUEST_BYTES:
            limit = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            message = f"the request is larger than {limit:,} MB: send fewer or smaller files"
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            return render(request, "claims/too_large.html", {"message": message}, status=413)
        return self.get_response(request)


UPLOADS = frozenset({"/api/v1/referrals", "/referrals/new/"})
NUL_MESSAGE = "the request holds a NUL character (\\u0000), which no field takes"


class RefuseNulCharacters:
    """A NUL character in a query, a form or a JSON body refused (400) before any view: no
    field takes one, and PostgreSQL refuses it in text, which answered 500. A multipart
    upload's fields are left to their forms and doors (reading it here would read its files
    before the role is checked)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            found = _holds_nul(request)
        except (SuspiciousOperation, MultiPartParserError):
            # Too large, too many fields, unreadable: what reads it next answers that (413, 400).
            found = False
        if found:
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": NUL_MESSAGE}, status=400)
            return HttpResponseBadRequest(NUL_MESSAGE, content_type="text/plain")
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    if any("\x00" in key or "\x00" in value for key, value in request.GET.items()):
        return True
    if request.method != "POST":
        return False
    form = request.content_type == "application/x-www-form-urlencoded"
    # The pages' forms sent as multipart (any client may): read here, but not the uploads,
    # whose files would be read before the role is checked (their doors check their text).
    form = form or (request.content_type == "multipart/form-data" and request.path not in UPLOADS)
    if form:
        pairs = request.POST.lists()
        return any("\x00" in text for key, values in pairs for text in [key, *values])
    if request.content_type == "application/json":
        # JSON writes NUL as the escape \u0000 (or, invalidly, as the byte itself).
        return b"\\u0000" in request.body or b"\x00" in request.body
    return False
