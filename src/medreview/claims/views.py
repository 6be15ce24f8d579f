"""The work queue: the referrals a person may see, most urgent first."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from medreview.claims.models import Referral
from medreview.core.vocabulary import words


@login_required
def work_queue(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or ""
    rows = Referral.objects.visible_to(request.user).select_related("organisation")
    if status in dict(Referral.STATUSES):
        rows = rows.filter(status=status)
    today = timezone.localdate()
    items = []
    for r in rows.order_by("due", "-created")[:200]:
        late = r.due is not None and r.due < today and r.status != Referral.CLOSED
        soon = not late and r.due is not None and r.due <= today + timedelta(days=2)
        items.append({"r": r, "late": late, "soon": soon, "path": words(r.path_in_force)})
    return render(
        request,
        "claims/work_queue.html",
        {"items": items, "statuses": Referral.STATUSES, "status": status},
    )
