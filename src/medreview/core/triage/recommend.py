"""Triage: recommend a path and route each question (docs/rules.md, "Triage paths" and
"Question routes").

Paths, first rule that applies wins:
1. No evaluation by a treating physician, or fewer than two clinical documents:
   obtain_records_first, unless fewer than 10 business days remain to the due date: ime_first.
2. Every question needs an exam: ime_first.
3. Some do, some do not: peer_review_first, unless peer-review turnaround plus IME lead time
   exceeds the business days to the due date: concurrent.
4. Otherwise peer_review_first.
Question routes are data (`data/question_routes.toml`); thresholds are `Thresholds`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Container, Sequence
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources

from medreview.core.records.classify import NON_CLINICAL_KINDS, TREATING_EVALUATION_KINDS
from medreview.core.records.model import Document, Gap
from medreview.core.records.opinions import conflicts
from medreview.core.referral import Question, ReferralData
from medreview.core.thresholds import Thresholds
from medreview.core.triage.clocks import business_days_between
from medreview.core.triage.model import QuestionRoute, Triage
from medreview.core.vocabulary import words

RECENT_EXAM_KINDS = frozenset({"progress_note", "consult_report"})


@lru_cache(maxsize=1)
def question_routes() -> dict[str, dict[str, str]]:
    raw = resources.files("medreview.data").joinpath("question_routes.toml").read_text()
    return tomllib.loads(raw)


def route_questions(
    questions: Sequence[Question],
    documents: Sequence[Document],
    received: date,
    settings: Thresholds,
) -> tuple[QuestionRoute, ...]:
    data = question_routes()
    recent = _recent_treating_exam(documents, received, settings)
    routed = []
    for q in questions:
        rule = data["routes"][q.type]
        explain = data["explain"][q.type]
        if rule == "records_if_recent_exam":
            if recent is not None:
                days = (received - recent.date).days if recent.date else 0
                routed.append(
                    QuestionRoute(
                        q.id,
                        q.type,
                        "records",
                        f"{explain.capitalize()} can be judged from the records: a treating physician examined the "
                        f"claimant on {recent.date} ({recent.name}, {recent.provider or 'provider not named'}), "
                        f"{days} days before the referral was received (within {settings.recent_exam_days}).",
                    )
                )
            else:
                routed.append(
                    QuestionRoute(
                        q.id,
                        q.type,
                        "exam",
                        f"{explain.capitalize()} needs an examination: no treating physician's examination (progress "
                        f"note or consult report) in the records is dated within {settings.recent_exam_days} "
                        f"days before {received}.",
                    )
                )
        elif rule == "exam":
            routed.append(QuestionRoute(q.id, q.type, "exam", f"Needs an examination: {explain}."))
        else:
            routed.append(
                QuestionRoute(q.id, q.type, "records", f"Answered from the records: {explain}.")
            )
    return tuple(routed)


def _recent_treating_exam(
    documents: Sequence[Document], received: date, settings: Thresholds
) -> Document | None:
    earliest = received - timedelta(days=settings.recent_exam_days)
    candidates = [
        d
        for d in documents
        if d.live
        and d.kind in RECENT_EXAM_KINDS
        and d.date is not None
        and earliest <= d.date <= received
    ]
    return max(candidates, key=lambda d: (d.date or date.min, d.name), default=None)


def triage(
    referral: ReferralData,
    documents: Sequence[Document],
    gaps: Sequence[Gap],
    holidays: Container[date],
    settings: Thresholds,
) -> Triage:
    """The recommended path, each question's route, and the rationale naming the rules that fired."""
    routes = route_questions(referral.questions, documents, referral.received, settings)
    live = [d for d in documents if d.live]
    clinical = [d for d in live if d.kind not in NON_CLINICAL_KINDS]
    evaluations = [d for d in live if d.kind in TREATING_EVALUATION_KINDS]
    bdays = (
        business_days_between(referral.received, referral.due, holidays) if referral.due else None
    )
    window = (
        f"{bdays} business days from received {referral.received} to due {referral.due} "
        f"({referral.jurisdiction} calendar)"
        if referral.due
        else f"no due date (received {referral.received})"
    )
    facts = [_records_summary(live, clinical, evaluations)]
    exam = [r for r in routes if r.route == "exam"]
    records = [r for r in routes if r.route == "records"]

    sparse = len(clinical) < settings.min_clinical_documents
    if not evaluations or sparse:
        why = (
            "the records hold no evaluation by a treating physician (therapy notes, imaging and bills are not one)"
            if not evaluations
            else f"the records are sparse: {len(clinical)} clinical document"
            f"{'' if len(clinical) == 1 else 's'}, fewer than {settings.min_clinical_documents}"
        )
        if bdays is not None and bdays < settings.min_business_days_to_obtain_records:
            path = "ime_first"
            decision = (
                f"Records missing, and no time to obtain them: {why}, but only {window}, "
                f"fewer than {settings.min_business_days_to_obtain_records}, so an IME first."
            )
        else:
            path = "obtain_records_first"
            decision = (
                f"Records missing: {why}, and {window} leave time to obtain them, so obtain the "
                "records first."
            )
    elif exam and not records:
        path = "ime_first"
        decision = f"Every question needs an examination ({_list(exam)}), so an IME first."
    elif exam:
        needed = settings.peer_review_turnaround_days + settings.ime_lead_time_days
        if bdays is not None and needed > bdays:
            path = "concurrent"
            decision = (
                f"Some questions need an examination: {_list(exam)} need{'s' if len(exam) == 1 else ''} one and {_list(records)} "
                f"can be answered from the records; peer review turnaround {settings.peer_review_turnaround_days} "
                f"+ IME lead time {settings.ime_lead_time_days} = {needed} business days exceeds the {window}, "
                "so the peer review and the IME run concurrently."
            )
        else:
            path = "peer_review_first"
            decision = (
                f"Some questions need an examination: {_list(exam)} need{'s' if len(exam) == 1 else ''} one and {_list(records)} "
                f"can be answered from the records; with {window} there is time for the peer review "
                f"({settings.peer_review_turnaround_days}) and then the IME ({settings.ime_lead_time_days}), so "
                "a peer review first: it narrows the exam."
            )
    else:
        path = "peer_review_first"
        decision = f"Every question can be answered from the records ({_list(records)}), so a peer review first."
    rationale = [decision, *facts, *conflicts(documents)]
    if gaps:
        kinds = sorted({words(g.kind).lower() for g in gaps})
        rationale.append(
            f"{len(gaps)} documentation gap{'' if len(gaps) == 1 else 's'} ({', '.join(kinds)}): records "
            "requests are advised."
        )
    if referral.requested_service in ("peer_review", "ime"):
        asked = "an IME" if referral.requested_service == "ime" else "a peer review"
        rationale.append(
            f"The client asked for {asked}; the recommendation above follows the triage rules."
        )
    return Triage(path, tuple(rationale), routes, bdays)


def _records_summary(
    live: Sequence[Document], clinical: Sequence[Document], evaluations: Sequence[Document]
) -> str:
    if not live:
        return "Records: no readable document."
    by_kind: dict[str, int] = {}
    for d in clinical:
        by_kind[d.kind] = by_kind.get(d.kind, 0) + 1
    kinds = ", ".join(
        f"{n} {words(k).lower()}{'s' if n > 1 else ''}" for k, n in sorted(by_kind.items())
    )
    evaluators = sorted({d.provider for d in evaluations if d.provider})
    who = f"; treating evaluations by {', '.join(evaluators)}" if evaluators else ""
    return f"Records: {len(clinical)} clinical document{'' if len(clinical) == 1 else 's'} ({kinds or 'none'}){who}."


def _list(routes: Sequence[QuestionRoute]) -> str:
    return ", ".join(f"{r.id}: {words(r.type).lower()}" for r in routes)
