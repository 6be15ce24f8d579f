"""The sign-in page as django-axes answers once it has locked an account
(settings.AXES_LOCKOUT_CALLABLE): the same page, naming the lockout and its real cool-off,
so that a plain wrong password never reads as a lockout."""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    cool_off = get_cool_off(request)
    minutes = None if cool_off is None else round(cool_off.total_seconds() / 60)
    # Unbound: a bound form would authenticate once more, and count as one more failure.
    form = AuthenticationForm(
        request, initial={"username": get_client_username(request, credentials) or ""}
    )
    return render(
        request,
        "registration/login.html",
        {"form": form, "locked": True, "locked_minutes": minutes, "next": ""},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
