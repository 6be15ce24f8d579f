"""Pages for assigning physicians: the batch page (the queue of waiting reviews, the optimal
proposal beside the greedy one, and the button that applies it) and the case page's
"Assign" button. The review desk sees them; a coordinator or a scheduler acts; a client's
user and a physician get 403 and change nothing."""

from __future__ import annotations

from statistics import mean
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from medreview.claims.access import refuse_unless, row_id
from medreview.claims.errors import ActionError
from medreview.claims.models import Organisation
from medreview.claims.permissions import Permission, may
from medreview.reviews.actions import (
    do_apply_assignment_batch,
    do_propose_assignments,
    do_set_client_settings,
)
from medreview.reviews.models import AssignmentBatch
from medreview.reviews.queue import waiting_reviews


@login_required
@require_safe
def batches(request: HttpRequest) -> HttpResponse:
    """The latest proposal, or the queue waiting for one."""
    if (denied := refuse_unless(request, Permission.SEE_ASSIGNMENT_BATCHES)) is not None:
        return denied
    latest = AssignmentBatch.objects.select_related("created_by", "applied_by").first()
    return _render(request, latest)


@login_required
@require_safe
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.SEE_ASSIGNMENT_BATCHES)) is not None:
        return denied
    found = get_object_or_404(
        AssignmentBatch.objects.select_related("created_by", "applied_by"), pk=row_id(batch_id)
    )
    return _render(request, found)


@login_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.SEE_ASSIGNMENT_BATCHES)) is not None:
        return denied
    try:
        made = do_propose_assignments(actor=request.user)  # type: ignore[arg-type]
    except ActionError as exc:
        return _render(request, None, error=str(exc), status=exc.status)
    return redirect("assignment-batch", batch_id=made.pk)


@login_required
@require_POST
def apply(request: HttpRequest, batch_id: int) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.SEE_ASSIGNMENT_BATCHES)) is not None:
        return denied
    found = get_object_or_404(AssignmentBatch, pk=row_id(batch_id))
    try:
        do_apply_assignment_batch(found, actor=request.user)  # type: ignore[arg-type]
    except ActionError as exc:
        found.refresh_from_db()
        return _render(request, found, error=str(exc), status=exc.status)
    return redirect("assignment-batch", batch_id=found.pk)


def _render(
    request: HttpRequest,
    found: AssignmentBatch | None,
    *,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "batch": found,
        "error": error,
        "may_assign": may(request.user, Permission.APPLY_ASSIGNMENT_BATCHES),
    }
    if found is None or found.status != AssignmentBatch.READY:
        waiting, undecided = waiting_reviews()
        context.update(waiting=len(waiting), undecided=undecided)
    if found is not None and found.proposal:
        context.update(_comparison(found.proposal))
    return render(request, "reviews/batch.html", context, status=status)


def _comparison(proposal: dict[str, Any]) -> dict[str, Any]:
    """The optimal and greedy proposals side by side: a row per review, and totals."""
    physicians = proposal["physicians"]
    rows = []
    for review in proposal["reviews"]:
        key = review["key"]
        best = proposal["optimal"]["assignments"].get(key)
        greedy = proposal["greedy"]["assignments"].get(key)
        rows.append(
            {
                **review,
                "best": _pick(best, physicians),
                "greedy": _pick(greedy, physicians),
                "differs": (best or {}).get("npi") != (greedy or {}).get("npi"),
            }
        )
    return {
        "rows": rows,
        "skipped": proposal.get("skipped", []),
        "undecided_then": proposal.get("undecided", 0),
        "summary": [
            _summary("Optimal (OR-Tools)", proposal["optimal"], proposal),
            _summary("Greedy (most urgent first)", proposal["greedy"], proposal),
        ],
        "bound": _points(proposal["optimal"]["bound"]),
        "proven": proposal["optimal"]["optimal"],
        "saving": _saving(proposal),
    }


def _pick(chosen: dict[str, Any] | None, physicians: dict[str, Any]) -> dict[str, Any] | None:
    if chosen is None:
        return None
    return {**chosen, "name": physicians[chosen["npi"]]["name"]}


def _summary(label: str, side: dict[str, Any], proposal: dict[str, Any]) -> dict[str, Any]:
    physicians = proposal["physicians"]
    service = {r["key"]: r["service"] for r in proposal["reviews"]}
    chosen = side["assignments"]
    fees = [
        physicians[a["npi"]][f"fee_{service[key]}"]
        for key, a in chosen.items()
        if physicians[a["npi"]][f"fee_{service[key]}"] is not None
    ]
    return {
        "label": label,
        "assigned": len(chosen),
        "unassigned": len(side["unassigned"]),
        "score": round(mean(a["score"] for a in chosen.values()), 1) if chosen else None,
        "fees": sum(fees),
        "turnaround": (
            round(mean(physicians[a["npi"]]["turnaround"] for a in chosen.values()), 1)
            if chosen
            else None
        ),
        "shortfall": _points(side["total_cost"]),
        "seconds": round(side["seconds"], 2),
    }


def _points(cost: int | None) -> float | None:
    """The solver's cost in the words of the page: points of score short of a perfect 100,
    summed over the reviews (the cost is ten per point: `core.network.assignment`)."""
    return None if cost is None else round(cost / 10, 1)


def _saving(proposal: dict[str, Any]) -> str:
    best, greedy = proposal["optimal"], proposal["greedy"]
    more = len(best["assignments"]) - len(greedy["assignments"])
    if more > 0:
        return f"The optimal proposal assigns {more} more review{'s' if more != 1 else ''}."
    if greedy["total_cost"] > best["total_cost"] and best["total_cost"]:
        pct = 100 * (greedy["total_cost"] - best["total_cost"]) / best["total_cost"]
        return (
            f"The greedy proposal falls {pct:.1f}% further short of perfect scores for the "
            "same number of reviews."
        )
    return "The greedy proposal is as good here."


@login_required
@require_safe
def client_settings(request: HttpRequest) -> HttpResponse:
    """Each client's settings for the desk's reviews, for an administrator to change."""
    if (denied := refuse_unless(request, Permission.EDIT_CLIENT_SETTINGS)) is not None:
        return denied
    return _settings_page(request)


@login_required
@require_POST
def change_client_settings(request: HttpRequest, organisation_id: int) -> HttpResponse:
    if (denied := refuse_unless(request, Permission.EDIT_CLIENT_SETTINGS)) is not None:
        return denied
    client = get_object_or_404(Organisation, pk=row_id(organisation_id), kind=Organisation.CLIENT)
    try:
        do_set_client_settings(
            client,
            actor=request.user,  # type: ignore[arg-type]
            ime_by_peer_reviewer=request.POST.get("ime_by_peer_reviewer") == "on",
        )
    except ActionError as exc:
        return _settings_page(request, error=str(exc), status=exc.status)
    return redirect("client-settings")


def _settings_page(request: HttpRequest, *, error: str = "", status: int = 200) -> HttpResponse:
    clients = list(
        Organisation.objects.filter(kind=Organisation.CLIENT)
        .select_related("review_settings")
        .order_by("name")
    )
    rows = [
        (c, getattr(getattr(c, "review_settings", None), "ime_by_peer_reviewer", False))
        for c in clients
    ]
    return render(
        request,
        "reviews/client_settings.html",
        {"rows": rows, "error": error},
        status=status,
    )
