"""The review desk's endpoints of assignment (docs/api.md): the candidates for a referral's
review or exam, giving it to one physician, and the assignment batches of the whole waiting
queue (proposed in the background, read, applied whole or not at all)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.responses import Status

from medreview.claims.access import referral_or_404, row_id
from medreview.claims.errors import ActionError
from medreview.claims.permissions import Permission, require
from medreview.core.network.matching import missing_for
from medreview.network.pool import match_request, request_for
from medreview.reviews.actions import (
    do_apply_assignment_batch,
    do_assign_physician,
    do_propose_assignments,
)
from medreview.reviews.models import Assignment, AssignmentBatch
from medreview.reviews.queue import declined_npis, keep_out, peer_reviewer_npis
from medreview.reviews.schemas import (
    AssignmentIn,
    AssignmentOut,
    BatchApplied,
    BatchCreated,
    BatchOut,
    CandidatesOut,
)

router = Router(tags=["assignments"])
batches = Router(tags=["assignment batches"])


class CandidatesQuery(Schema):
    service: Literal["peer_review", "ime"]
    top: int = 10


def candidates_for(referral: Any, user: Any, service: str, top: int) -> dict[str, Any]:
    """The match of a referral, for a member of the review desk: never a physician who
    declined or recused from this review, nor for an IME the referral's peer reviewer."""
    require(user, Permission.SEE_NETWORK)
    if not 1 <= top <= 100:
        raise ActionError("top must be between 1 and 100", field="top")
    parsed = referral.as_data()
    if (missing := missing_for(parsed, service)) is not None:
        raise ActionError(missing, field="service")
    request = keep_out(
        request_for(parsed, service, today=timezone.localdate(), top=top),
        referral,
        declined_npis([referral.pk]),
        peer_reviewer_npis([referral]),
    )
    return match_request(request).as_json()


@router.get("/{referral_id}/candidates", response=CandidatesOut)
def candidates(
    request: HttpRequest, referral_id: str, query: Query[CandidatesQuery]
) -> dict[str, Any]:
    referral = referral_or_404(request.user, referral_id)
    return candidates_for(referral, request.user, query.service, query.top)


@router.post("/{referral_id}/assignments", response={201: AssignmentOut})
def assign(request: HttpRequest, referral_id: str, body: AssignmentIn) -> Status[AssignmentOut]:
    referral = referral_or_404(request.user, referral_id)
    made = do_assign_physician(
        referral,
        actor=request.user,  # type: ignore[arg-type]
        service=body.service,
        npi=body.npi,
    )
    return Status(201, _assignment_out(made))


def _assignment_out(made: Assignment) -> AssignmentOut:
    return AssignmentOut(id=made.pk, service=made.service, npi=made.physician.npi, due=made.due)


@batches.post("", response={202: BatchCreated}, summary="Propose assignments for the queue")
def propose(request: HttpRequest) -> Status[BatchCreated]:
    require(request.user, Permission.APPLY_ASSIGNMENT_BATCHES)
    made = do_propose_assignments(actor=request.user)  # type: ignore[arg-type]
    return Status(202, BatchCreated(id=made.pk, status=made.status))


def _batch(user: Any, batch_id: int) -> AssignmentBatch:
    require(user, Permission.SEE_ASSIGNMENT_BATCHES)
    found = AssignmentBatch.objects.filter(pk=row_id(batch_id)).first()
    if found is None:
        raise Http404("no such batch")
    return found


@batches.get("/{batch_id}", response=BatchOut, summary="A proposal, once computed")
def batch(request: HttpRequest, batch_id: int) -> BatchOut:
    found = _batch(request.user, batch_id)
    return BatchOut(
        id=found.pk,
        status=found.status,
        created=found.created,
        applied=found.applied,
        error=found.error or None,
        proposal=found.proposal,
        rows=_rows(found.proposal) if found.proposal else [],
    )


def _rows(proposal: dict[str, Any]) -> list[dict[str, Any]]:
    """A row per review: the optimal and the greedy choice side by side."""
    rows = []
    for review in proposal["reviews"]:
        key = review["key"]
        best = proposal["optimal"]["assignments"].get(key)
        greedy = proposal["greedy"]["assignments"].get(key)
        rows.append(
            {
                "referral": review["referral"],
                "claim": review["claim"],
                "service": review["service"],
                "due": review["due"],
                "optimal": best and {"npi": best["npi"], "score": best["score"]},
                "greedy": greedy and {"npi": greedy["npi"], "score": greedy["score"]},
            }
        )
    return rows


@batches.post("/{batch_id}/apply", response=BatchApplied, summary="Apply a proposal whole")
def apply(request: HttpRequest, batch_id: int) -> BatchApplied:
    require(request.user, Permission.APPLY_ASSIGNMENT_BATCHES)
    found = _batch(request.user, batch_id)
    made = do_apply_assignment_batch(found, actor=request.user)  # type: ignore[arg-type]
    found.refresh_from_db()
    return BatchApplied(
        id=found.pk, status=found.status, assigned=[_assignment_out(a) for a in made]
    )
