"""The assignments' background door, through Django's Tasks API: computing a proposal for
the queue of waiting reviews. It takes an id and is safe to run twice."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from medreview.audit.actions import record
from medreview.claims.permissions import BACKGROUND
from medreview.reviews.models import AssignmentBatch
from medreview.reviews.queue import build_proposal, waiting_reviews

log = logging.getLogger(__name__)


@task()
def propose_assignments(batch_id: int) -> str | None:
    """The background half of `reviews.actions.do_propose_assignments`: the proposal for the
    waiting queue, computed and stored on the batch. Safe to run twice (a batch already
    computed is left as it is); returns the batch's status."""
    batch = AssignmentBatch.objects.filter(pk=batch_id).first()
    if batch is None or batch.status != AssignmentBatch.COMPUTING:
        return None if batch is None else batch.status
    try:
        waiting, undecided = waiting_reviews()
        proposal = build_proposal(waiting, today=timezone.localdate())
        proposal["undecided"] = undecided
    except Exception as exc:
        # Kept on the batch, so that its page stops waiting and says so. Only a ValueError's
        # message is ours (a referral the matcher cannot read); others might quote a record.
        error = (
            str(exc) if isinstance(exc, ValueError) else f"internal error ({type(exc).__name__})"
        )
        log.error("assignment batch %s failed: %s", batch_id, type(exc).__name__)
        with transaction.atomic():
            failed = AssignmentBatch.objects.filter(
                pk=batch_id, status=AssignmentBatch.COMPUTING
            ).update(status=AssignmentBatch.FAILED, error=error[:500])
            if failed:
                record(
                    "assignment_batch.failed",
                    actor=BACKGROUND,
                    organisation=batch.created_by.organisation,
                    detail={"batch": batch_id, "error": error[:500]},
                )
        return AssignmentBatch.objects.get(pk=batch_id).status
    with transaction.atomic():
        batch = AssignmentBatch.objects.select_for_update(no_key=True).get(pk=batch_id)
        if batch.status != AssignmentBatch.COMPUTING:
            return batch.status
        batch.proposal = proposal
        batch.status = AssignmentBatch.READY
        batch.save(update_fields=["proposal", "status"])
        optimal = proposal["optimal"]
        record(
            "assignment_batch.proposed",
            actor=BACKGROUND,
            organisation=batch.created_by.organisation,
            detail={
                "batch": batch.pk,
                "reviews": len(proposal["reviews"]),
                "assigned": len(optimal["assignments"]),
                "total_cost": optimal["total_cost"],
                "bound": optimal["bound"],
                "greedy_cost": proposal["greedy"]["total_cost"],
                "greedy_assigned": len(proposal["greedy"]["assignments"]),
            },
        )
    return batch.status
