"""The doors of a physician's review, from the first answer to the report the client reads
(docs/workflow.md, "Peer review" to "Report and QA"): a determination per question, the
peer-to-peer log, the submission and its rules, QA's pass or return, the report, the IME
referral narrowed to what the review left open, addenda, and closing the referral.

Each runs in one transaction with its audit event; the rules themselves are the core's
(`core.review`), their words and citations data.
"""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from medreview.audit.actions import record
from medreview.claims.clocks import start_clock, stop_clock, stop_every_clock
from medreview.claims.errors import ActionError, text_of
from medreview.claims.models import Referral, User
from medreview.claims.notices import notify
from medreview.claims.permissions import Permission, require
from medreview.claims.rules import current_rules
from medreview.core.config import rule_thresholds
from medreview.core.review.narrowing import fee, narrow
from medreview.core.review.report import render_report
from medreview.core.review.rules import missing_for_submission, qa_checklist
from medreview.core.triage.calendars import holidays_for
from medreview.core.triage.clocks import add_business_days
from medreview.core.vocabulary import DETERMINATIONS, PEER_TO_PEER_OUTCOMES, SERVICES_IN_A_SENTENCE
from medreview.network.models import Physician
from medreview.outbox.actions import announce
from medreview.records import storage
from medreview.reports.models import (
    Addendum,
    Determination,
    ImeReferral,
    PeerToPeer,
    QaReview,
    Report,
)
from medreview.reports.review import questions_of, record_name, record_pages, review_of
from medreview.reviews.actions import NOT_NOW, free_slot, own_assignment
from medreview.reviews.models import Assignment

MAX_CITATIONS = 200
MAX_TEXT = 20_000


def do_record_determination(
    assignment: Assignment,
    *,
    actor: User,
    question_id: str,
    determination: str,
    rationale: str,
    citations: list[dict[str, Any]],
    disputes: list[str] | None = None,
) -> Determination:
    """The physician's answer to one question; a new one replaces the old. A page citation
    must name a page the records have; a guideline is named, never quoted."""
    with transaction.atomic():
        found = own_assignment(actor, assignment)
        _editable(found)
        asked = {str(q.get("id")) for q in questions_of(found)}
        if question_id not in asked:
            raise ActionError(f"this review has no question {question_id!r}", field="question_id")
        if determination not in DETERMINATIONS:
            raise ActionError(
                f"{determination!r} is not one of {', '.join(DETERMINATIONS)}",
                field="determination",
            )
        cited = _citations(citations, record_pages(found.referral))
        made, _ = Determination.objects.update_or_create(
            assignment=found,
            question_id=question_id,
            defaults={
                "determination": determination,
                "rationale": text_of(rationale, field="rationale", limit=MAX_TEXT),
                "citations": cited,
                "disputes": _disputes(disputes or []),
                "answered": timezone.now(),
            },
        )
        record(
            "determination.recorded",
            actor=actor,
            referral=found.referral,
            detail={
                "assignment": found.pk,
                "question": question_id,
                "determination": determination,
                "rationale": made.rationale,
                "citations": cited,
                "disputes": made.disputes,
            },
        )
    return made


def _disputes(raw: list[str]) -> list[str]:
    found = [text_of(d, field="disputes", limit=1000) for d in raw]
    found = [d for d in found if d]
    if len(found) > 20:
        raise ActionError("at most 20 disputes", field="disputes")
    return found


def _editable(found: Assignment) -> None:
    if found.status == Assignment.OPEN:
        raise ActionError(
            "sign the no-conflict attestation first: nothing of the case opens before it",
            status=409,
        )
    if found.status not in Assignment.EDITABLE:
        raise ActionError(NOT_NOW.get(found.status, "this review is closed"), status=409)


def _citations(raw: Any, pages: dict[str, int]) -> list[dict[str, Any]]:
    """Citations as stored: `{"file", "page"}` resolving to a page of the records, or
    `{"guideline", "edition", "section"}`."""
    if not isinstance(raw, list):
        raise ActionError("a list of citations", field="citations")
    if len(raw) > MAX_CITATIONS:
        raise ActionError(f"at most {MAX_CITATIONS} citations", field="citations")
    found: list[dict[str, Any]] = []
    for n, c in enumerate(raw, start=1):
        if not isinstance(c, dict):
            raise ActionError(f"citation {n} is not an object", field="citations")
        if c.get("guideline"):
            entry = {
                k: text_of(c.get(k), field="citations", limit=300)
                for k in ("guideline", "edition", "section")
            }
            found.append({k: v for k, v in entry.items() if v})
            continue
        file = record_name(str(c.get("file") or ""), pages)
        page = c.get("page")
        if not file or isinstance(page, bool) or not isinstance(page, int):
            raise ActionError(
                f"citation {n} names neither a record page (file and page) nor a guideline",
                field="citations",
            )
        if file not in pages:
            raise ActionError(f"citation {n}: the records have no file {file!r}", field="citations")
        if not 1 <= page <= pages[file]:
            raise ActionError(
                f"citation {n}: {file} has {pages[file]} page(s), not a page {page}",
                field="citations",
            )
        found.append({"file": file, "page": page})
    return found


def do_log_peer_to_peer(
    assignment: Assignment, *, actor: User, at: datetime, with_whom: str, outcome: str, note: str
) -> PeerToPeer:
    """One offer, attempt or call with a treating provider, logged for the report."""
    with transaction.atomic():
        found = own_assignment(actor, assignment)
        if found.status in (Assignment.OPEN, *Assignment.ENDED, Assignment.CLOSED):
            _editable(found)
        if outcome not in PEER_TO_PEER_OUTCOMES:
            raise ActionError(
                f"{outcome!r} is not one of {', '.join(PEER_TO_PEER_OUTCOMES)}", field="outcome"
            )
        with_whom = text_of(with_whom, field="with", limit=200)
        if not with_whom:
            raise ActionError("name the treating provider", field="with")
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        # Stored in UTC: PostgreSQL refuses offsets beyond ±15:59, which ISO 8601 allows.
        at = at.astimezone(UTC)
        if at > timezone.now() + timezone.timedelta(minutes=5):
            raise ActionError("a call logged cannot lie in the future", field="at")
        made = PeerToPeer.objects.create(
            assignment=found,
            at=at,
            with_whom=text_of(with_whom, field="with", limit=200),
            outcome=outcome,
            note=text_of(note, field="note", limit=MAX_TEXT),
        )
        record(
            "peer_to_peer.logged",
            actor=actor,
            referral=found.referral,
            detail={
                "assignment": found.pk,
                "at": at.isoformat(),
                "with": made.with_whom,
                "outcome": outcome,
                "note": made.note,
            },
        )
    return made


def do_submit_review(assignment: Assignment, *, actor: User) -> Assignment:
    """Submit the review to QA, or refuse (409) naming everything it still lacks."""
    with transaction.atomic():
        found = own_assignment(actor, assignment)
        if found.status not in (Assignment.OPEN, *Assignment.EDITABLE):
            _editable(found)
        missing = missing_for_submission(review_of(found), current_rules())
        if missing:
            raise ActionError("the review cannot be submitted: " + "; ".join(missing), status=409)
        found.status = Assignment.SUBMITTED
        found.submitted = timezone.now()
        found.save(update_fields=["status", "submitted"])
        _clocks_on_submission(found)
        record(
            "review.submitted",
            actor=actor,
            referral=found.referral,
            detail={"assignment": found.pk},
        )
    return found


def do_qa_review(assignment: Assignment, *, actor: User, decision: str, note: str) -> QaReview:
    """QA's pass or return of what the physician submitted: the review, or its addendum.
    A pass needs every item of the checklist; it delivers the report. A return needs a note,
    which goes back to the physician. No one passes their own review."""
    require(actor, Permission.PASS_QA)
    note = text_of(note, field="note", limit=MAX_TEXT)
    if decision not in (QaReview.PASS, QaReview.RETURN):
        raise ActionError("decision is 'pass' or 'return'", field="decision")
    with transaction.atomic():
        found = (
            Assignment.objects.select_for_update(no_key=True)
            .select_related("physician", "referral")
            .get(pk=assignment.pk)
        )
        if actor.npi and actor.npi == found.physician.npi:
            raise ActionError("a physician never passes QA of their own review", status=403)
        addendum = (
            Addendum.objects.select_for_update(no_key=True)
            .filter(assignment=found, status=Addendum.SUBMITTED)
            .first()
        )
        if addendum is None and found.status != Assignment.SUBMITTED:
            raise ActionError("nothing of this assignment waits for QA", status=409)
        if decision == QaReview.RETURN and not note:
            raise ActionError("say what the physician must change", field="note")
        review = review_of(found)
        checklist = [
            {"label": i.label, "ok": i.ok, "detail": i.detail}
            for i in qa_checklist(review, current_rules())
        ]
        if addendum is not None:
            checklist = [_addendum_item(addendum)]
        failing = [i for i in checklist if not i["ok"]]
        if decision == QaReview.PASS and failing:
            raise ActionError(
                "QA cannot pass this: "
                + "; ".join(f"{i['label']} ({i['detail']})" for i in failing),
                status=409,
            )
        made = QaReview.objects.create(
            assignment=found,
            addendum=addendum,
            decision=decision,
            note=note,
            checklist=checklist,
            reviewed_by=actor,
        )
        what = f"addendum {addendum.number}" if addendum else "review"
        record(
            f"qa.{'passed' if decision == QaReview.PASS else 'returned'}",
            actor=actor,
            referral=found.referral,
            detail={
                "assignment": found.pk,
                "what": what,
                "note": made.note,
                "checklist": checklist,
            },
        )
        if decision == QaReview.RETURN:
            _return(found, addendum, note)
        elif addendum is not None:
            _deliver_addendum(found, addendum, actor)
        else:
            _deliver(found, actor)
        _clocks_after_qa(found, addendum, decision)
        if addendum is None:
            _keep_first_pass_rate(found.physician_id)
    return made


# The clocks of an assignment's stages (docs/workflow.md, "Turnaround clocks"): the peer review
# runs from the assignment to the submission, again from a QA return; QA from a submission to
# its pass or return; an addendum from the client's request to its delivery. A peer review's
# report is delivered when QA passes it, so its QA is its last stage; an IME's report has a
# clock of its own (`report`, from the exam attended), which its delivery stops.


def _clock_of(found: Assignment, addendum: Addendum | None = None) -> tuple[str, str]:
    """What a clock of the assignment (or of its addendum) names: the work in words, and
    the assignment or addendum its doors stop it by."""
    work = f"{SERVICES_IN_A_SENTENCE[found.service]} by {found.physician.name}"
    if addendum is not None:
        return f"addendum {addendum.number} to the {work}", f"addendum:{addendum.pk}"
    return work, f"assignment:{found.pk}"


def _clocks_on_submission(found: Assignment, addendum: Addendum | None = None) -> None:
    today = timezone.localdate()
    subject, about = _clock_of(found, addendum)
    if addendum is None:
        stop_clock(found.referral, "peer_review", today=today, about=about)
    start_clock(found.referral, "qa", today=today, subject=subject, about=about)


def _clocks_after_qa(found: Assignment, addendum: Addendum | None, decision: str) -> None:
    today = timezone.localdate()
    subject, about = _clock_of(found, addendum)
    stop_clock(found.referral, "qa", today=today, about=about)
    if decision == QaReview.RETURN:
        if addendum is None and found.service == "peer_review":
            start_clock(
                found.referral,
                "peer_review",
                today=today,
                subject=subject,
                about=about,
                npi=found.physician.npi,
            )
    elif addendum is not None:
        stop_clock(found.referral, "addendum", today=today, about=about)
    else:
        stop_clock(found.referral, "report", today=today, about=about)


def _addendum_item(addendum: Addendum) -> dict[str, Any]:
    ok = bool(addendum.response.strip())
    return {
        "label": "The addendum answers the request",
        "ok": ok,
        "detail": f"{len(addendum.citations)} citation(s)" if ok else "no response",
    }


def _return(found: Assignment, addendum: Addendum | None, note: str) -> None:
    if addendum is not None:
        addendum.status = Addendum.RETURNED
        addendum.save(update_fields=["status"])
        what = f"Addendum {addendum.number}"
    else:
        found.status = Assignment.RETURNED
        found.save(update_fields=["status"])
        what = "Your review"
    notify(
        f"{what} of claim {found.referral.claim_number} was returned by QA: {note}",
        referral=found.referral,
        npi=found.physician.npi,
    )


def _deliver(found: Assignment, actor: User) -> None:
    found.status = Assignment.PASSED
    found.delivered = timezone.now()
    found.save(update_fields=["status", "delivered"])
    free_slot(found)
    report = _store_report(found, version=1)
    referral = found.referral
    record(
        "report.delivered",
        actor=actor,
        referral=referral,
        detail={"assignment": found.pk, "version": 1, "sha256": report.sha256},
    )
    announce(
        "report.delivered",
        referral=referral,
        text=f"The {SERVICES_IN_A_SENTENCE[found.service]} report of claim"
        f" {referral.claim_number} is ready.",
        data={"service": found.service, "report_version": 1},
    )
    if found.service == "peer_review":
        _draft_ime_referral(found, actor)


def _store_report(found: Assignment, *, version: int) -> Report:
    found.refresh_from_db()
    pdf = render_report(review_of(found), generated=timezone.localdate())
    return Report.objects.create(
        assignment=found,
        version=version,
        stored_as=storage.store(pdf),
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
    )


def _draft_ime_referral(found: Assignment, actor: User) -> None:
    """What a passed peer review leaves for an IME: the questions still needing an exam, the
    disputes named and the same records; or the IME avoided, with its fee."""
    referral = found.referral
    narrowed = narrow(review_of(found))
    left = {q.id for q in narrowed.questions}
    questions = [q for q in referral.questions if str(q.get("id")) in left]
    records = [f.name for f in referral.record_files.all()]
    avoided = fee(referral.jurisdiction, "ime") if narrowed.avoided else None
    ime, _ = ImeReferral.objects.update_or_create(
        referral=referral,
        defaults={
            "assignment": found,
            "status": ImeReferral.AVOIDED if narrowed.avoided else ImeReferral.DRAFT,
            "questions": questions,
            "disputes": list(narrowed.disputes),
            "records": records,
            "cost_avoided": Decimal(str(avoided.amount)) if avoided else None,
            "fee_citation": avoided.citation if avoided else "",
            "confirmed_by": None,
            "confirmed": None,
        },
    )
    record(
        "ime.avoided" if narrowed.avoided else "ime_referral.drafted",
        actor=actor,
        referral=referral,
        detail={
            "questions": [q.get("id") for q in questions],
            "disputes": ime.disputes,
            "records": len(records),
            "cost_avoided": str(ime.cost_avoided) if ime.cost_avoided is not None else None,
        },
    )


def _keep_first_pass_rate(physician_id: int) -> None:
    """The physician's share of reviews passing QA the first time (the network's `qa_score`)."""
    firsts: dict[int, str] = {}
    for assignment_id, decision in (
        QaReview.objects.filter(assignment__physician_id=physician_id, addendum__isnull=True)
        .order_by("reviewed", "id")
        .values_list("assignment_id", "decision")
    ):
        firsts.setdefault(assignment_id, decision)
    if firsts:
        rate = sum(1 for d in firsts.values() if d == QaReview.PASS) / len(firsts)
        Physician.objects.filter(pk=physician_id).update(qa_score=round(rate, 3), qa_measured=True)


def do_confirm_ime_referral(referral: Referral, *, actor: User) -> ImeReferral:
    """The coordinator confirms the IME referral a peer review drafted."""
    require(actor, Permission.CONFIRM_IME_REFERRAL)
    with transaction.atomic():
        ime = ImeReferral.objects.select_for_update(no_key=True).filter(referral=referral).first()
        if ime is None:
            raise ActionError("no IME referral was drafted: no peer review passed QA", status=409)
        if ime.status != ImeReferral.DRAFT:
            raise ActionError(
                "the IME was avoided: no question needs an exam"
                if ime.status == ImeReferral.AVOIDED
                else "this IME referral is confirmed already",
                status=409,
            )
        ime.status = ImeReferral.CONFIRMED
        ime.confirmed_by = actor
        ime.confirmed = timezone.now()
        ime.save(update_fields=["status", "confirmed_by", "confirmed"])
        # The exam is to be scheduled now: its clock runs until an appointment is booked
        # (exams.actions.do_book_appointment stops it).
        start_clock(referral, "scheduling", today=timezone.localdate(), subject="IME scheduling")
        record(
            "ime_referral.confirmed",
            actor=actor,
            referral=referral,
            detail={"questions": [q.get("id") for q in ime.questions]},
        )
    return ime


def do_close_referral(referral: Referral, *, actor: User, reason: str) -> Referral:
    """Close a referral whose work is done: no assignment or addendum still open."""
    require(actor, Permission.CONFIRM_IME_REFERRAL)
    reason = text_of(reason, field="reason", limit=2000)
    with transaction.atomic():
        referral = Referral.objects.select_for_update(no_key=True).get(pk=referral.pk)
        if referral.status == Referral.CLOSED:
            raise ActionError("the referral is closed already", status=409)
        if not reason:
            raise ActionError("say why the referral closes", field="reason")
        if Assignment.objects.open().filter(referral=referral).exists():
            raise ActionError("an assignment of this referral is still open", status=409)
        if Addendum.objects.filter(
            assignment__referral=referral,
            status__in=[Addendum.OPEN, Addendum.SUBMITTED, Addendum.RETURNED],
        ).exists():
            raise ActionError("an addendum of this referral is still open", status=409)
        ime = ImeReferral.objects.filter(referral=referral).first()
        if (
            ime is not None
            and ime.status == ImeReferral.CONFIRMED
            and not Assignment.objects.filter(
                referral=referral, service="ime", status__in=[Assignment.PASSED, Assignment.CLOSED]
            ).exists()
        ):
            raise ActionError("the confirmed IME has no report yet", status=409)
        Assignment.objects.filter(referral=referral, status=Assignment.PASSED).update(
            status=Assignment.CLOSED, closed=timezone.now()
        )
        referral.status = Referral.CLOSED
        referral.save(update_fields=["status", "updated"])
        stop_every_clock(referral, today=timezone.localdate())
        record("referral.closed", actor=actor, referral=referral, detail={"reason": reason})
        announce(
            "referral.closed",
            referral=referral,
            text=f"The referral of claim {referral.claim_number} is closed.",
        )
    return referral


def do_ask_for_addendum(
    referral: Referral, *, actor: User, request: str, question_id: str | None = None
) -> Addendum:
    """A client asks for an addendum on the delivered report: it goes to the same physician,
    due in the addendum's own business days, and through QA again."""
    require(actor, Permission.ASK_FOR_ADDENDUM)
    request = text_of(request, field="request", limit=MAX_TEXT)
    question_id = (question_id or "").strip() or None
    with transaction.atomic():
        delivered = (
            Assignment.objects.select_for_update(no_key=True)
            .select_related("physician")
            .filter(referral=referral, status__in=[Assignment.PASSED, Assignment.CLOSED])
            .order_by("-delivered")
            .first()
        )
        if delivered is None:
            raise ActionError("no report was delivered yet", status=409)
        if not request:
            raise ActionError("say what the addendum should answer", field="request")
        if question_id is not None and question_id not in {
            str(q.get("id")) for q in questions_of(delivered)
        }:
            raise ActionError(f"the report has no question {question_id!r}", field="question_id")
        if Addendum.objects.filter(
            assignment=delivered, status__in=[Addendum.OPEN, Addendum.SUBMITTED, Addendum.RETURNED]
        ).exists():
            raise ActionError("an addendum of this report is still open", status=409)
        number = Addendum.objects.filter(assignment=delivered).count() + 1
        made = Addendum.objects.create(
            assignment=delivered,
            number=number,
            question_id=question_id or "",
            request=request,
            requested_by=actor,
            due=_addendum_due(referral, timezone.localdate()),
        )
        # Due when its clock is: the client's service level (the addendum turnaround by default).
        subject, about = _clock_of(delivered, made)
        clock = start_clock(
            referral,
            "addendum",
            today=timezone.localdate(),
            subject=subject,
            about=about,
            npi=delivered.physician.npi,
        )
        made.due = clock.due
        made.save(update_fields=["due"])
        record(
            "addendum.requested",
            actor=actor,
            referral=referral,
            detail={
                "assignment": delivered.pk,
                "number": number,
                "question": question_id,
                "request": made.request,
                "due": made.due.isoformat(),
            },
        )
        notify(
            f"Addendum {number} asked on claim {referral.claim_number}, due {made.due:%b %d}.",
            referral=referral,
            npi=delivered.physician.npi,
        )
    return made


def _addendum_due(referral: Referral, today: date) -> date:
    days = rule_thresholds(os.environ).addendum_turnaround_days
    return add_business_days(
        today, days, holidays_for(referral.jurisdiction, today.year, today.year + 1)
    )


def do_answer_addendum(
    addendum: Addendum, *, actor: User, response: str, citations: list[dict[str, Any]]
) -> Addendum:
    """The physician answers an addendum and submits it to QA."""
    with transaction.atomic():
        found = own_assignment(actor, addendum.assignment)
        addendum = Addendum.objects.select_for_update(no_key=True).get(
            pk=addendum.pk, assignment=found
        )
        if addendum.status not in (Addendum.OPEN, Addendum.RETURNED):
            raise ActionError("this addendum is not waiting for an answer", status=409)
        response = text_of(response, field="response", limit=MAX_TEXT)
        if not response:
            raise ActionError("write the addendum's answer", field="response")
        addendum.response = response
        addendum.citations = _citations(citations, record_pages(found.referral))
        addendum.status = Addendum.SUBMITTED
        addendum.submitted = timezone.now()
        addendum.save(update_fields=["response", "citations", "status", "submitted"])
        _clocks_on_submission(found, addendum)
        record(
            "addendum.submitted",
            actor=actor,
            referral=found.referral,
            detail={
                "assignment": found.pk,
                "number": addendum.number,
                "response": addendum.response,
                "citations": addendum.citations,
            },
        )
    return addendum


def _deliver_addendum(found: Assignment, addendum: Addendum, actor: User) -> None:
    addendum.status = Addendum.PASSED
    addendum.delivered = timezone.now()
    addendum.save(update_fields=["status", "delivered"])
    version = Report.objects.filter(assignment=found).count() + 1
    report = _store_report(found, version=version)
    referral = found.referral
    record(
        "report.delivered",
        actor=actor,
        referral=referral,
        detail={
            "assignment": found.pk,
            "version": version,
            "addendum": addendum.number,
            "sha256": report.sha256,
        },
    )
    announce(
        "report.delivered",
        referral=referral,
        text=f"Addendum {addendum.number} to the report of claim {referral.claim_number} is ready.",
        data={"service": found.service, "report_version": version, "addendum": addendum.number},
    )


def latest_report(referral: Referral) -> Report | None:
    return (
        Report.objects.filter(assignment__referral=referral)
        .select_related("assignment")
        .order_by("-made", "-id")
        .first()
    )


def do_view_report(referral: Referral, *, actor: User) -> tuple[Report, bytes]:
    """The latest delivered report of the referral, its reading logged in the audit trail."""
    require(actor, Permission.SEE_REPORTS)
    report = latest_report(referral)
    if report is None:
        raise ActionError("no report has passed QA yet", status=404)
    with transaction.atomic():
        record(
            "report.viewed",
            actor=actor,
            referral=referral,
            detail={"assignment": report.assignment_id, "version": report.version},
        )
    return report, storage.load(report.stored_as)


def do_cite_page(
    assignment: Assignment, *, actor: User, question_id: str, file: str, page: int
) -> Determination:
    """A record page cited for a question from the page viewer, where the physician reads
    it: added to the question's answer (a draft answer until a determination is chosen)."""
    with transaction.atomic():
        found = own_assignment(actor, assignment)
        _editable(found)
        if question_id not in {str(q.get("id")) for q in questions_of(found)}:
            raise ActionError(f"this review has no question {question_id!r}", field="question_id")
        cited = _citations([{"file": file, "page": page}], record_pages(found.referral))[0]
        answer = (
            Determination.objects.select_for_update(no_key=True)
            .filter(assignment=found, question_id=question_id)
            .first()
        )
        if answer is None:
            answer = Determination(
                assignment=found, question_id=question_id, determination="", rationale=""
            )
        if cited not in answer.citations:
            if len(answer.citations) >= MAX_CITATIONS:
                raise ActionError(f"at most {MAX_CITATIONS} citations", field="citations")
            answer.citations = [*answer.citations, cited]
        answer.answered = timezone.now()
        answer.save()
        record(
            "citation.added",
            actor=actor,
            referral=found.referral,
            detail={"assignment": found.pk, "question": question_id, **cited},
        )
    return answer


def do_remove_citation(
    assignment: Assignment, *, actor: User, question_id: str, index: int
) -> Determination:
    """Take a citation off a question's answer."""
    with transaction.atomic():
        found = own_assignment(actor, assignment)
        _editable(found)
        answer = (
            Determination.objects.select_for_update(no_key=True)
            .filter(assignment=found, question_id=question_id)
            .first()
        )
        if answer is None or not 0 <= index < len(answer.citations):
            raise ActionError("no such citation", field="citation")
        removed = answer.citations[index]
        answer.citations = [c for i, c in enumerate(answer.citations) if i != index]
        answer.save(update_fields=["citations"])
        record(
            "citation.removed",
            actor=actor,
            referral=found.referral,
            detail={"assignment": found.pk, "question": question_id, **removed},
        )
    return answer
