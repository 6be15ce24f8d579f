"""The queue of waiting reviews and the batch proposal built from it.

A review waits when its referral's triage decision in force (the latest, docs/workflow.md,
"Triage") calls for it and no physician has it yet: `peer_review_first` calls for a peer
review, `ime_first` for an IME, `concurrent` for both, `obtain_records_first` for neither
until the records are in (`core.triage.model.SERVICES_CALLED_FOR`). Referrals without a decision are not in the
batch: a batch applies many assignments at once, so each must rest on a person's decision.

Each waiting review's options are its eligible physicians (`core.network.matching.ranked`: the hard
rules and the score of the candidate list), at a cost of 1,000 less ten times the score, so
that the batch and the case page's candidate list rank physicians alike: the optimal batch
is the one of highest total score under every physician's capacity (weekly capacity less
open assignments), which OR-Tools finds and proves (`core.network.assignment`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from medreview.claims.models import Referral
from medreview.claims.rules import current_rules
from medreview.core.network import assignment, matching
from medreview.core.triage.model import SERVICES_CALLED_FOR
from medreview.network import pool
from medreview.reviews.models import Assignment, ClientSettings

# The best physicians of each review the solver chooses among. Beyond a few dozen, more
# options change nothing unless capacity is scarce; the page says when a review is left
# unassigned although it has more eligible physicians than were offered.
OPTIONS_PER_REVIEW = 50


@dataclass(frozen=True)
class WaitingReview:
    referral: Referral
    service: str

    @property
    def key(self) -> str:
        return f"{self.referral.pk}:{self.service}"


def waiting_reviews() -> tuple[list[WaitingReview], int]:
    """The reviews waiting for a physician, most urgent first (due date, then receipt), and
    the number of triaged referrals still waiting for a triage decision."""
    referrals = list(
        Referral.objects.filter(status__in=[Referral.TRIAGED, Referral.DECIDED, Referral.IN_REVIEW])
        .select_related("organisation")
        .order_by("received", "created")
    )
    taken: dict[Any, set[str]] = defaultdict(set)
    for rid, service in (
        Assignment.objects.active()
        .filter(referral__in=[r.pk for r in referrals])
        .values_list("referral_id", "service")
    ):
        taken[rid].add(service)
    waiting = [
        WaitingReview(r, service)
        for r in referrals
        if r.decided_path
        for service in SERVICES_CALLED_FOR.get(r.decided_path, ())
        if service not in taken[r.pk]
    ]
    # An undated referral is the least urgent.
    waiting.sort(key=lambda w: (w.referral.due is None, w.referral.due or date.max))
    undecided = sum(1 for r in referrals if r.status == Referral.TRIAGED and not r.decided_path)
    return waiting, undecided


def declined_npis(referral_ids: list[Any]) -> dict[tuple[str, str], frozenset[str]]:
    """The physicians who declined or recused from each review (referral id, service): never
    offered it again."""
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for rid, service, npi in Assignment.objects.filter(
        referral__in=referral_ids, status=Assignment.DECLINED
    ).values_list("referral_id", "service", "physician__npi"):
        found[(str(rid), service)].add(npi)
    return {key: frozenset(npis) for key, npis in found.items()}


def peer_reviewer_npis(referrals: list[Referral]) -> dict[str, frozenset[str]]:
    """The physicians of each referral's peer review in force (by referral id), kept out of
    its IME: the IME is an independent second opinion, unless the referral's client allows the
    same physician in its settings (`ClientSettings.ime_by_peer_reviewer`)."""
    allowed = set(
        ClientSettings.objects.filter(
            organisation__in={r.organisation_id for r in referrals}, ime_by_peer_reviewer=True
        ).values_list("organisation_id", flat=True)
    )
    asked = [r.pk for r in referrals if r.organisation_id not in allowed]
    found: dict[str, set[str]] = defaultdict(set)
    if asked:
        for rid, npi in (
            Assignment.objects.active()
            .filter(referral__in=asked, service="peer_review")
            .values_list("referral_id", "physician__npi")
        ):
            found[str(rid)].add(npi)
    return {rid: frozenset(npis) for rid, npis in found.items()}


def keep_out(
    request: matching.Request,
    referral: Referral,
    declined: dict[tuple[str, str], frozenset[str]],
    reviewers: dict[str, frozenset[str]],
) -> matching.Request:
    """The request without the physicians who may not take this review or exam: those who
    declined or recused from it, and for an IME the referral's peer reviewers."""
    rid = str(referral.pk)
    return replace(
        request,
        declined_npis=declined.get((rid, request.service), frozenset()),
        peer_reviewer_npis=reviewers.get(rid, frozenset())
        if request.service == "ime"
        else frozenset(),
    )


def build_proposal(waiting: list[WaitingReview], *, today: date) -> dict[str, Any]:
    """The optimal and the greedy assignment of the waiting reviews, as stored in
    `AssignmentBatch.proposal`."""
    rules = current_rules()
    reviews: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    requests: dict[str, matching.Request] = {}
    parsed = {w.referral.pk: w.referral.as_data() for w in waiting}
    groups = pool.groups_of(
        p.npi for referral in parsed.values() for p in referral.providers if p.npi
    )
    declined = declined_npis([w.referral.pk for w in waiting])
    reviewers = peer_reviewer_npis([w.referral for w in waiting])
    for w in waiting:
        row = _review_row(w)
        referral = parsed[w.referral.pk]
        if (missing := matching.missing_for(referral, w.service)) is not None:
            skipped.append({**row, "reason": missing})
            continue
        requests[w.key] = keep_out(
            pool.request_for(referral, w.service, today=today, groups=groups),
            w.referral,
            declined,
            reviewers,
        )
        reviews.append(row)
    networks = {
        service: pool.load_network(
            {c for k, r in requests.items() if r.service == service for c in _codes(r)}, service
        )
        for service in matching.SERVICES
        if any(r.service == service for r in requests.values())
    }
    options: list[assignment.Option] = []
    physicians: dict[str, matching.PhysicianProfile] = {}
    scores: dict[tuple[str, str], float] = {}
    for row in reviews:
        request = requests[row["key"]]
        ranked = matching.ranked(
            networks[request.service], request, rules, limit=OPTIONS_PER_REVIEW + 1
        )
        row["more_options"] = len(ranked) > OPTIONS_PER_REVIEW
        row["options"] = min(len(ranked), OPTIONS_PER_REVIEW)
        for p, score in ranked[:OPTIONS_PER_REVIEW]:
            physicians[p.npi] = p
            scores[(row["key"], p.npi)] = score
            options.append(assignment.Option(row["key"], p.npi, assignment.score_cost(score)))
    capacity = {
        npi: max(0, p.weekly_capacity - p.open_assignments) for npi, p in physicians.items()
    }
    keys = [row["key"] for row in reviews]
    optimal = assignment.propose(keys, options, capacity)
    greedy = assignment.greedy(keys, options, capacity)
    return {
        "reviews": reviews,
        "skipped": skipped,
        "physicians": {
            npi: {
                "name": p.name,
                "fee_peer_review": p.fee_peer_review,
                "fee_ime": p.fee_ime,
                "turnaround": p.median_turnaround_days,
                "capacity_left": capacity[npi],
            }
            for npi, p in physicians.items()
        },
        "optimal": _as_json(optimal, scores),
        "greedy": _as_json(greedy, scores),
    }


def _codes(request: matching.Request) -> tuple[str, ...]:
    return matching.similar_codes(request.specialties)


def _review_row(w: WaitingReview) -> dict[str, Any]:
    r = w.referral
    return {
        "key": w.key,
        "referral": str(r.pk),
        "claim": r.claim_number,
        "client": r.organisation.name,
        "service": w.service,
        "jurisdiction": r.jurisdiction,
        "due": r.due.isoformat() if r.due else None,
    }


def _as_json(proposal: assignment.Proposal, scores: dict[tuple[str, str], float]) -> dict[str, Any]:
    return {
        "method": proposal.method,
        "assignments": {
            a.review: {"npi": a.physician, "score": scores[(a.review, a.physician)], "cost": a.cost}
            for a in proposal.assignments
        },
        "unassigned": list(proposal.unassigned),
        "total_cost": proposal.total_cost,
        "bound": proposal.bound,
        "optimal": proposal.optimal,
        "seconds": round(proposal.seconds, 3),
    }
