"""Assigning reviews and exams to physicians: one at a time (`do_assign_physician`, the
contract's `POST /api/v1/referrals/{id}/assignments`) or a queue at once (a batch proposed
in the background by `do_propose_assignments` and applied whole by
`do_apply_assignment_batch`).

Either way the physician must pass every hard rule of the matcher at the moment of
assignment (`core.network.matching.why_not`), the first rule broken is named, and nothing is
changed. An assignment takes one of the physician's weekly slots (`open_assignments`) and is
due after the service's turnaround in the jurisdiction's business days: the peer review
turnaround for a peer review, the IME lead time for an exam (docs/rules.md, "Thresholds"); a
peer review is due when its clock is (`claims.clocks`: the client's service level, the
turnaround by default), and a review declined or cancelled takes its clock with it.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import replace
from datetime import date
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from medreview.audit.actions import record
from medreview.claims.clocks import drop_clocks, start_clock
from medreview.claims.errors import ActionError, text_of
from medreview.claims.models import Organisation, Referral, User
from medreview.claims.notices import notify
from medreview.claims.permissions import Actor, Permission, require
from medreview.claims.rules import current_rules
from medreview.core.config import rule_thresholds
from medreview.core.network import matching
from medreview.core.vocabulary import SERVICES_IN_A_SENTENCE
from medreview.network import pool
from medreview.network.models import Physician
from medreview.reviews.models import Assignment, AssignmentBatch, ClientSettings
from medreview.reviews.queue import declined_npis, keep_out, peer_reviewer_npis, waiting_reviews
from medreview.reviews.tasks import propose_assignments

_NOT_READY = {
    AssignmentBatch.COMPUTING: "this proposal is still being computed",
    AssignmentBatch.APPLIED: "this proposal was applied already",
    AssignmentBatch.FAILED: "this proposal could not be computed: make a new one",
}


def due_date(referral: Referral, service: str, today: date) -> date:
    return matching.service_due(service, referral.jurisdiction, today, rule_thresholds(os.environ))


def do_assign_physician(
    referral: Referral, *, actor: User, service: str, npi: str, today: date | None = None
) -> Assignment:
    """Give the referral's peer review or IME to the physician of this NPI, if they pass
    every hard rule now; otherwise raise (409) naming the first rule they break."""
    require(actor, Permission.ASSIGN_PHYSICIANS)
    if service not in SERVICES_IN_A_SENTENCE:
        raise ActionError("service must be 'peer_review' or 'ime'", field="service")
    npi = (npi or "").strip()
    today = today or timezone.localdate()
    with transaction.atomic():
        referral = Referral.objects.select_for_update(no_key=True).get(pk=referral.pk)
        row = Physician.objects.select_for_update(no_key=True).filter(npi=npi).first()
        if row is None or not row.active:
            raise ActionError(f"no active physician of the network has NPI {npi!r}", field="npi")
        _check_waiting(referral, service)
        request = _request(referral, service, today)
        physician = pool.load_physicians([npi])[npi]
        if (why := matching.why_not(physician, request, current_rules())) is not None:
            raise ActionError(why, status=409)
        made = _give(referral, service, row, physician, request, actor=actor, today=today)
        record(
            "assignment.created",
            actor=actor,
            referral=referral,
            detail=_detail(made),
        )
    return made


def do_assign_examiner(
    referral: Referral,
    *,
    actor: User,
    row: Physician,
    physician: matching.PhysicianProfile,
    request: matching.Request,
    today: date,
) -> Assignment:
    """Give the referral's IME to the examiner an appointment is booked with. Runs inside the
    booking door (`exams.actions.do_book_appointment`), which holds the permission and has
    checked the examiner against the matcher's rules and the scheduling rules, as
    `do_cancel_assignments` runs inside the decision that cancels."""
    with transaction.atomic():
        _check_waiting(referral, "ime")
        made = _give(referral, "ime", row, physician, request, actor=actor, today=today)
        record("assignment.created", actor=actor, referral=referral, detail=_detail(made))
    return made


def do_propose_assignments(*, actor: User) -> AssignmentBatch:
    """Start computing a proposal for the queue of waiting reviews (in the background)."""
    require(actor, Permission.APPLY_ASSIGNMENT_BATCHES)
    with transaction.atomic():
        batch = AssignmentBatch.objects.create(created_by=actor)
        record(
            "assignment_batch.requested",
            actor=actor,
            organisation=actor.organisation,
            detail={"batch": batch.pk},
        )
        transaction.on_commit(partial(propose_assignments.enqueue, batch.pk))
    return batch


def do_apply_assignment_batch(
    batch: AssignmentBatch, *, actor: User, today: date | None = None
) -> list[Assignment]:
    """Apply the batch's optimal proposal, all of it or nothing: each review must still be
    waiting and each physician still pass every hard rule, counting the slots this batch
    takes; otherwise raise (409) naming what changed, so that a new proposal is made."""
    require(actor, Permission.APPLY_ASSIGNMENT_BATCHES)
    today = today or timezone.localdate()
    rules = current_rules()
    with transaction.atomic():
        batch = AssignmentBatch.objects.select_for_update(no_key=True).get(pk=batch.pk)
        if batch.status != AssignmentBatch.READY or batch.proposal is None:
            raise ActionError(
                _NOT_READY.get(batch.status, "this proposal cannot be applied"), status=409
            )
        chosen = batch.proposal["optimal"]["assignments"]
        pairs = [(key.split(":", 1), found) for key, found in chosen.items()]
        referrals = Referral.objects.select_for_update(no_key=True).in_bulk(
            [rid for (rid, _), _ in pairs]
        )
        rows = Physician.objects.select_for_update(no_key=True).in_bulk(
            [found["npi"] for _, found in pairs], field_name="npi"
        )
        physicians = pool.load_physicians(rows)
        # What waits now, by the queue's own rule (decision in force, not yet given).
        waiting = {w.key for w in waiting_reviews()[0]}
        problems: list[str] = []
        made: list[Assignment] = []
        for (rid, service), found in pairs:
            referral = referrals.get(uuid.UUID(rid))
            npi = found["npi"]
            if referral is None:
                problems.append(f"a referral of this proposal no longer exists ({rid})")
                continue
            try:
                if f"{rid}:{service}" not in waiting:
                    _check_waiting(referral, service)  # names a review given meanwhile
                    raise ActionError(
                        f"the triage decision in force no longer calls for "
                        f"{'an IME' if service == 'ime' else 'a peer review'}"
                    )
                request = _request(referral, service, today)
            except ActionError as exc:
                problems.append(f"claim {referral.claim_number}: {exc}")
                continue
            physician = physicians.get(npi)
            why = (
                "the physician left the network"
                if physician is None or not rows[npi].active
                else matching.why_not(physician, request, rules)
            )
            if why is not None:
                problems.append(
                    f"claim {referral.claim_number}, {SERVICES_IN_A_SENTENCE[service]}: {why}"
                )
                continue
            assert physician is not None
            made.append(
                _give(
                    referral,
                    service,
                    rows[npi],
                    physician,
                    request,
                    actor=actor,
                    today=today,
                    batch=batch,
                    score=found["score"],
                )
            )
            # The next review of this batch sees the slot taken.
            physicians[npi] = replace(physician, open_assignments=physician.open_assignments + 1)
        if problems:  # raising rolls back every assignment made above
            shown = "; ".join(problems[:5]) + (
                f"; and {len(problems) - 5} more" if len(problems) > 5 else ""
            )
            raise ActionError(
                f"nothing was assigned: {len(problems)} of the {len(pairs)} proposed "
                f"assignments are no longer possible ({shown}). Make a new proposal.",
                status=409,
            )
        for assignment in made:
            record(
                "assignment.created",
                actor=actor,
                referral=assignment.referral,
                detail={**_detail(assignment), "batch": batch.pk},
            )
        batch.status = AssignmentBatch.APPLIED
        batch.applied_by = actor
        batch.applied = timezone.now()
        batch.save(update_fields=["status", "applied_by", "applied"])
        record(
            "assignment_batch.applied",
            actor=actor,
            organisation=actor.organisation,
            detail={"batch": batch.pk, "assigned": len(made)},
        )
    return made


def _check_waiting(referral: Referral, service: str) -> None:
    """Raise (409) unless the referral's records are read and its `service` is not given yet."""
    if referral.triage is None:
        raise ActionError("the records are still being read: there is no triage yet", status=409)
    if referral.status == Referral.CLOSED:
        raise ActionError("the referral is closed", status=409)
    taken = (
        Assignment.objects.active()
        .filter(referral=referral, service=service)
        .select_related("physician")
        .first()
    )
    if taken is not None:
        raise ActionError(
            f"the {SERVICES_IN_A_SENTENCE[service]} is already assigned to {taken.physician.name}",
            status=409,
        )


def _request(referral: Referral, service: str, today: date) -> matching.Request:
    parsed = referral.as_data()
    if (missing := matching.missing_for(parsed, service)) is not None:
        raise ActionError(missing, status=409)
    return keep_out(
        pool.request_for(parsed, service, today=today),
        referral,
        declined_npis([referral.pk]),
        peer_reviewer_npis([referral]),
    )


def _give(
    referral: Referral,
    service: str,
    row: Physician,
    physician: matching.PhysicianProfile,
    request: matching.Request,
    *,
    actor: User,
    today: date,
    batch: AssignmentBatch | None = None,
    score: float | None = None,
) -> Assignment:
    made = Assignment.objects.create(
        referral=referral,
        service=service,
        physician=row,
        due=due_date(referral, service, today),
        score=score,
        reasons=list(matching.qualifications(physician, request)),
        batch=batch,
        assigned_by=actor,
    )
    if service == "peer_review":
        # The review's clock runs from today by the client's service level; the assignment is
        # due when it is (docs/workflow.md, "Turnaround clocks").
        clock = start_clock(
            referral,
            "peer_review",
            today=today,
            subject=f"peer review by {row.name}",
            about=f"assignment:{made.pk}",
            npi=row.npi,
        )
        made.due = clock.due
        made.save(update_fields=["due"])
    Physician.objects.filter(pk=row.pk).update(
        open_assignments=F("open_assignments") + 1, updated=timezone.now()
    )
    if referral.status in (Referral.TRIAGED, Referral.DECIDED):
        referral.status = Referral.IN_REVIEW
        referral.save(update_fields=["status", "updated"])
    return made


def _detail(made: Assignment) -> dict[str, Any]:
    return {
        "assignment": made.pk,
        "service": made.service,
        "npi": made.physician.npi,
        "physician": made.physician.name,
        "due": made.due.isoformat(),
        "score": made.score,
    }


def do_cancel_assignments(
    referral: Referral, *, actor: Actor, keep: tuple[str, ...], reason: str
) -> list[Assignment]:
    """Cancel the referral's assignments of every service but those to `keep`, with the
    reason (a triage decision that no longer calls for them): the physician's slot is
    freed, and the assignment stays on the case, cancelled, for the physician and the file.
    Runs inside the transaction of the decision that cancels."""
    with transaction.atomic():
        cancelled = list(
            Assignment.objects.open()
            .select_for_update(no_key=True)
            .filter(referral=referral)
            .exclude(service__in=keep)
            .select_related("physician")
        )
        for a in cancelled:
            a.status = Assignment.CANCELLED
            a.cancelled = timezone.now()
            a.cancel_reason = reason
            a.save(update_fields=["status", "cancelled", "cancel_reason"])
            free_slot(a)
            drop_clocks(referral, about=f"assignment:{a.pk}")
            notify(
                f"Your {SERVICES_IN_A_SENTENCE[a.service]} of claim {referral.claim_number} was"
                f" cancelled: {reason}",
                referral=referral,
                npi=a.physician.npi,
            )
            record(
                "assignment.cancelled",
                actor=actor,
                referral=referral,
                detail={**_detail(a), "reason": reason},
            )
        in_force = Assignment.objects.active().filter(referral=referral).exists()
        if cancelled and referral.status == Referral.IN_REVIEW and not in_force:
            referral.status = Referral.DECIDED if referral.decided_path else Referral.TRIAGED
            referral.save(update_fields=["status", "updated"])
    return cancelled


def free_slot(assignment: Assignment) -> None:
    """The physician's slot of an assignment that leaves their open work (passed, declined,
    cancelled): their load falls by one."""
    Physician.objects.filter(pk=assignment.physician_id, open_assignments__gt=0).update(
        open_assignments=F("open_assignments") - 1, updated=timezone.now()
    )


def own_assignment(actor: Actor, assignment: Assignment) -> Assignment:
    """The assignment, locked, if the actor is its physician; 404 for anyone else (another
    physician's assignment tells nothing), 403 for a role that answers no review."""
    require(actor, Permission.REVIEW_ASSIGNMENTS)
    found = (
        Assignment.objects.of_physician(actor)
        .select_for_update(no_key=True)
        .select_related("physician", "referral")
        .filter(pk=assignment.pk)
        .first()
    )
    if found is None:
        raise ActionError("no such assignment", status=404)
    return found


# What a physician attests when it writes no statement of its own (URAC IR 3).
ATTESTATION = (
    "I have no professional, family or financial tie to the claimant, the treating providers,"
    " the employer or the insurer of this claim, no prior involvement in it, and my fee does"
    " not depend on my findings."
)


def do_attest_assignment(
    assignment: Assignment, *, actor: User, no_conflict: bool, statement: str = ""
) -> Assignment:
    """The physician's no-conflict attestation, signed before anything else of the case
    opens (URAC IR 3): its own statement, or the standard one. A physician with a conflict
    declines instead (`do_decline_assignment`)."""
    statement = text_of(statement, field="statement", limit=4000) or ATTESTATION
    with transaction.atomic():
        found = own_assignment(actor, assignment)
        if found.status != Assignment.OPEN:
            raise ActionError(
                NOT_NOW.get(found.status, "this assignment is attested already"), status=409
            )
        if not no_conflict:
            raise ActionError(
                "attest that you have no conflict of interest, or decline the assignment "
                "as a recusal",
                field="no_conflict",
            )
        found.status = Assignment.ATTESTED
        found.attested = timezone.now()
        found.attestation = statement
        found.save(update_fields=["status", "attested", "attestation"])
        record(
            "assignment.attested",
            actor=actor,
            referral=found.referral,
            detail={"assignment": found.pk, "statement": found.attestation},
        )
    return found


# Why an assignment in this state takes no more work from its physician (its doors and the
# `reports` app's say it alike).
NOT_NOW = {
    Assignment.CANCELLED: "this assignment was cancelled",
    Assignment.DECLINED: "this assignment was declined",
    Assignment.PASSED: "this review passed QA and was delivered: ask for changes through an"
    " addendum",
    Assignment.CLOSED: "this assignment is closed",
    Assignment.SUBMITTED: "this review is submitted and waits for QA",
}


def do_decline_assignment(
    assignment: Assignment, *, actor: User, reason: str, conflict: bool
) -> Assignment:
    """The physician declines, or recuses for a conflict found later: the review goes back to
    the queue, the slot is freed, and this physician is not offered for it again."""
    reason = text_of(reason, field="reason", limit=4000)
    with transaction.atomic():
        found = own_assignment(actor, assignment)
        if found.status not in Assignment.OPEN_STATUSES or found.status == Assignment.SUBMITTED:
            raise ActionError(
                NOT_NOW.get(found.status, "this assignment cannot be declined now"), status=409
            )
        if not reason:
            raise ActionError("say why you decline", field="reason")
        found.status = Assignment.DECLINED
        found.declined = timezone.now()
        found.decline_reason = reason
        found.recused = bool(conflict)
        found.save(update_fields=["status", "declined", "decline_reason", "recused"])
        free_slot(found)
        drop_clocks(found.referral, about=f"assignment:{found.pk}")
        referral = Referral.objects.select_for_update(no_key=True).get(pk=found.referral_id)
        if referral.status == Referral.IN_REVIEW and not (
            Assignment.objects.active().filter(referral=referral).exists()
        ):
            referral.status = Referral.DECIDED if referral.decided_path else Referral.TRIAGED
            referral.save(update_fields=["status", "updated"])
        record(
            "assignment.recused" if conflict else "assignment.declined",
            actor=actor,
            referral=referral,
            detail={**_detail(found), "reason": found.decline_reason, "conflict": bool(conflict)},
        )
    return found


def do_set_client_settings(
    organisation: Organisation, *, actor: User, ime_by_peer_reviewer: bool
) -> ClientSettings:
    """An administrator sets what a client allows beyond the rules: whether the physician who
    did a referral's peer review may also do its IME."""
    require(actor, Permission.EDIT_CLIENT_SETTINGS)
    if organisation.kind != Organisation.CLIENT:
        raise ActionError(f"{organisation.name} is not a client organisation", status=404)
    with transaction.atomic():
        found, _ = ClientSettings.objects.select_for_update(no_key=True).get_or_create(
            organisation=organisation
        )
        if found.ime_by_peer_reviewer != ime_by_peer_reviewer:
            found.ime_by_peer_reviewer = ime_by_peer_reviewer
            found.save(update_fields=["ime_by_peer_reviewer", "updated"])
            record(
                "client_settings.changed",
                actor=actor,
                organisation=organisation,
                detail={"ime_by_peer_reviewer": ime_by_peer_reviewer},
            )
    return found
