"""The work queue: the referrals a person may see, most urgent first, found by claim number or
claimant, sorted by any column; each with its running clock latest or nearest to late (its
stage, due day and business days left: `claims.clocks`), marked late or nearly late."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from medreview.claims.actions import do_view_referral_list
from medreview.claims.clocks import left_in_words, stage_label, state_of
from medreview.claims.models import Clock, Notice, Referral
from medreview.claims.permissions import Permission, may
from medreview.core.triage.stages import most_urgent
from medreview.core.vocabulary import words
from medreview.encryption import query_tokens

SHOWN = 200
NOTICES_SHOWN = 5
# The columns a person may sort by, each with the order it means (ties: the newest first).
SORTS = {
    "due": ("due", "-created"),
    "-due": ("-due", "-created"),
    "received": ("received", "-created"),
    "-received": ("-received", "-created"),
    "claim": ("claim_number", "-created"),
    "-claim": ("-claim_number", "-created"),
    "claimant": (),  # in Python: the names are encrypted (`_sorted`)
    "-claimant": (),
    "status": ("status", "due", "-created"),
    "-status": ("-status", "due", "-created"),
}


@login_required
@require_safe
def work_queue(request: HttpRequest) -> HttpResponse:
    if may(request.user, Permission.REVIEW_ASSIGNMENTS):
        return redirect("portal")  # a physician's work is its own assignments
    status = request.GET.get("status") or ""
    query = (request.GET.get("q") or "").strip()[:100]
    sort = request.GET.get("sort") or "due"
    if sort not in SORTS:
        sort = "due"
    rows = (
        Referral.objects.visible_to(request.user)
        .select_related("organisation")
        .defer("payload", "triage")  # encrypted and large: the queue reads neither
    )
    if status in dict(Referral.STATUSES):
        rows = rows.filter(status=status)
    if query:
        rows = rows.filter(Q(claim_number__icontains=query) | _claimant_matches(query))
    total = rows.count()
    today = timezone.localdate()
    shown = list(_sorted(rows, sort)[:SHOWN])
    # The running clocks of every referral shown, in one query.
    running = Clock.objects.filter(stopped__isnull=True)
    prefetch_related_objects(shown, Prefetch("clocks", queryset=running, to_attr="running"))
    items = []
    for r in shown:
        path = r.decided_path or r.recommended_path or ""
        items.append(
            {
                "r": r,
                "clock": _most_urgent_clock(r, today),
                "path": words(path),
                "decided": bool(r.decided_path),
            }
        )
    do_view_referral_list(actor=request.user, shown=len(items), searched=bool(query))
    return render(
        request,
        "claims/work_queue.html",
        {
            "items": items,
            "statuses": Referral.STATUSES,
            "status": status,
            "q": query,
            "sort": sort,
            "total": total,
            "shown": SHOWN,
            "notices": _notices(request.user),
        },
    )


def _claimant_matches(query: str) -> Q:
    """The claimant's name starts a word with each word of the query: matched on the keyed
    tokens of the name (`claims.fields`), the name itself being encrypted."""
    tokens = query_tokens(query)
    if not tokens:
        return Q(pk__in=[])
    found = Q()
    for token in tokens:
        found &= Q(claimant_search__contains=token)
    return found


def _sorted(rows: QuerySet[Referral], sort: str) -> Any:
    """The rows in the order asked. By claimant, the names are decrypted and sorted here (in
    the database they are tokens): two queries, whatever the queue's length."""
    if sort not in ("claimant", "-claimant"):
        return rows.order_by(*SORTS[sort])
    names = list(rows.order_by("-created").values_list("pk", "claimant_name"))
    names.sort(key=lambda row: (row[1] or "").casefold(), reverse=sort == "-claimant")
    shown = [pk for pk, _ in names[:SHOWN]]
    by_pk = rows.in_bulk(shown)
    return [by_pk[pk] for pk in shown]


def _notices(user: Any) -> list[Notice]:
    """The latest news for a client's people (a report delivered, an addendum ready, a clock
    running late) and for the review desk's (clocks running late)."""
    if not (user.is_client or user.is_review_staff):
        return []
    return list(
        Notice.objects.filter(organisation_id=user.organisation_id).select_related("referral")[
            :NOTICES_SHOWN
        ]
    )


def _most_urgent_clock(r: Referral, today: date) -> dict[str, Any] | None:
    """The referral's running clock latest or nearest to late, as the queue shows it: the
    stage, the due day, the business days left and the state (`core.triage.stages`)."""
    states = [(clock, state_of(clock, today, r.jurisdiction)) for clock in r.running]  # type: ignore[attr-defined]
    found = most_urgent(states)
    if found is None:
        return None
    clock, state = found
    return {
        "stage": stage_label(clock.stage),
        "subject": clock.subject,
        "state": state,
        "words": left_in_words(state),
    }
