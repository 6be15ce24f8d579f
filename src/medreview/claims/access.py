"""Who may reach a referral: the one check every page, file and endpoint makes."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from medreview.claims.models import Referral


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


def refuse_unless_review_staff(request: HttpRequest) -> HttpResponse | None:
    """The 403 page for anyone but the review desk's staff (pages of the network and of
    assignments); None for the staff."""
    if not getattr(request.user, "is_review_staff", False):
        return render(request, "claims/forbidden.html", status=403)
    return None
