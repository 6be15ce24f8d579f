"""Who may reach a referral (the one check every page, file and endpoint of a referral makes),
and the refusal page of the permission table (`claims.permissions`)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from medreview.claims.models import Referral
from medreview.claims.permissions import Permission, may


def referral_or_404(user: Any, referral_id: object) -> Referral:
    """The referral if the user may see it; otherwise 404, exactly as for one that does not
    exist (an id of another client's referral tells nothing)."""
    try:
        key = referral_id if isinstance(referral_id, uuid.UUID) else uuid.UUID(str(referral_id))
    except ValueError:
        raise Http404("no such referral") from None
    found = Referral.objects.visible_to(user).filter(pk=key).first()
    if found is None:
        raise Http404("no such referral")
    return found


# The largest id a database integer column holds: a larger one in a URL names nothing (and
# PostgreSQL would refuse the query instead of finding no row).
LARGEST_ID = 2**31 - 1


def row_id(value: int) -> int:
    """An id from a URL, or 404 for one no row can have."""
    if not 1 <= value <= LARGEST_ID:
        raise Http404("no such object")
    return value


def refuse_unless(request: HttpRequest, permission: Permission) -> HttpResponse | None:
    """The 403 page for anyone without the permission; None for those who hold it."""
    if not may(request.user, permission):
        return render(request, "claims/forbidden.html", status=403)
    return None
