"""The claim file (docs/workflow.md, "Claim file"): one defensible export of a referral, as a
ZIP, by API (`GET /api/v1/referrals/{id}/claim-file.zip`) and from the case page
(`/referrals/<id>/claim-file.zip`), for the client's people, a coordinator and an
administrator (`download_claim_file`).

The ZIP holds `claim-file.pdf` (`core.claimfile.pdf`, made from `gather`'s data), each
original record file under `records/`, each delivered report version under `reports/` and
each notice letter sent to the claimant under `notices/`, decrypted from the store byte for
byte, and `manifest.json`: every other file with its SHA-256 and size, the referral's id and
claim number, when and by whom it was made, and the audit trail's check. No claimant name is in the manifest.

It is made in one transaction with its audit event (`claim_file.downloaded`, with the number
of files and the manifest's SHA-256): what the file says is what the database held as it was
made, and a file that could not be made is not recorded as downloaded. So the event is not in
the file it describes; the PDF says so. The ZIP is written to an unnamed temporary file in
the private scratch folder (`MEDREVIEW_HOME/scratch`, gone once the answer is sent or the
process ends), one record at a time, and streamed from there.

The web layer composes the apps, so `gather` reads every app's models, in a fixed number of
queries (not one a page, a document or a chronology entry).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe
from ninja import Router

from medreview.audit import checkpoints
from medreview.audit.actions import chain_of, record, verify_chain
from medreview.audit.models import AuditEvent
from medreview.claims.access import referral_or_404
from medreview.claims.errors import ActionError
from medreview.claims.models import Referral, User
from medreview.claims.permissions import Permission, require
from medreview.core.claimfile import model
from medreview.core.claimfile.pdf import render_claim_file
from medreview.core.claimfile.trail import Checkpoint, Link, findings
from medreview.exams.models import Appointment
from medreview.records import storage
from medreview.records.corrections import corrected, gap_provider, missing_item
from medreview.records.models import Correction, RecordFile, RecordsRequest
from medreview.reports.models import (
    Addendum,
    Determination,
    ImeReferral,
    PeerToPeer,
    QaReview,
    Report,
)
from medreview.reports.review import citation
from medreview.triage.models import TriageDecision
from medreview.web.case import render_case

PDF_NAME = "claim-file.pdf"
MANIFEST_NAME = "manifest.json"
# Files already compressed are stored as they are: deflating them again costs time for nothing.
STORED_AS_IS = frozenset({".pdf", ".jpg", ".jpeg", ".png", ".gif", ".webp", ".zip", ".gz"})
CLAIMANT_LABELS = {
    "name": "Name",
    "date_of_birth": "Date of birth",
    "zip": "ZIP",
    "language": "Language",
}


# Gathering: the referral's data from every app, as the PDF reads it.


def gather(
    referral: Referral, *, made: datetime | None = None, made_by: str = ""
) -> model.ClaimFile:
    """Everything the claim file says of the referral, as frozen data. The digests of the
    files in the ZIP are left empty (`sha256_in_zip`): `do_download_claim_file` fills them in
    as it writes the files."""
    corrections = list(referral.corrections.select_related("made_by"))
    requests = list(
        RecordsRequest.objects.select_related("requested_by", "sent_by").filter(
            organisation_id=referral.organisation_id, claim_number=referral.claim_number
        )
    )
    assignments = list(
        referral.assignments.select_related("physician", "assigned_by").order_by("assigned", "id")
    )
    triage = corrected(referral.triage, corrections) or {}
    in_zip: set[str] = set()
    return model.ClaimFile(
        referral_id=str(referral.pk),
        client=referral.organisation.name,
        made=_local(made or timezone.now()),
        made_by=made_by,
        referral=_referral(referral),
        triage=_triage(referral, triage),
        gaps=_gaps(triage, requests),
        dismissed_gaps=tuple(
            model.DismissedGap(
                kind=c.key.split("|", 1)[0],
                detail=c.detail,
                by=c.made_by.email,
                at=_local(c.made),
                reason=c.reason,
            )
            for c in corrections
            if c.target == Correction.GAP
        ),
        corrections=tuple(
            model.Correction(
                document=c.key,
                field=c.field,
                value=c.value,
                machine_value=c.machine_value,
                by=c.made_by.email,
                at=_local(c.made),
                reason=c.reason,
            )
            for c in corrections
            if c.target == Correction.DOCUMENT
        ),
        requests=tuple(
            model.RecordsRequest(
                provider=q.provider,
                item=q.item,
                status=q.get_status_display(),
                asked_by=q.requested_by.email,
                asked=_local(q.requested),
                sent_by=q.sent_by.email if q.sent_by else "",
                sent=_maybe_local(q.sent),
                updated=_maybe_local(q.updated),
            )
            for q in requests
        ),
        chronology=tuple(
            model.ChronologyEntry(
                day=str(e.get("date") or ""),
                kind=str(e.get("kind") or ""),
                provider=str(e.get("provider") or ""),
                summary=str(e.get("summary") or ""),
                file=str((e.get("source") or {}).get("file") or ""),
                page=_page((e.get("source") or {}).get("page")),
            )
            for e in triage.get("chronology", [])
        ),
        assignments=tuple(_assignment(a) for a in assignments),
        **_reviews(referral),
        ime=_ime(referral),
        appointments=_appointments(referral),
        audit=_trail(referral),
        documents=tuple(
            model.OriginalDocument(
                name=f.name, size=f.size, sha256=f.sha256, path=_record_path(f.name, in_zip)
            )
            for f in _record_files(referral)
        ),
    )


def _referral(referral: Referral) -> model.Referral:
    payload = referral.payload
    claim = payload.get("claim", {})
    claimant = payload.get("claimant", {})
    return model.Referral(
        claim_number=referral.claim_number,
        jurisdiction=referral.jurisdiction,
        line_of_business=str(claim.get("line_of_business") or referral.line_of_business),
        received=referral.received,
        due=referral.due,
        status=referral.get_status_display(),
        sent_by=referral.created_by.email,
        sent=_local(referral.created),
        date_of_injury=str(claim.get("date_of_injury") or ""),
        body_parts=tuple(str(p) for p in claim.get("body_parts", [])),
        requested_service=str(payload.get("requested_service") or ""),
        claimant=tuple(
            (CLAIMANT_LABELS.get(key, key.replace("_", " ").capitalize()), str(value))
            for key, value in claimant.items()
        ),
        providers=tuple(
            model.Provider(
                name=str(p.get("name") or ""),
                npi=str(p.get("npi") or ""),
                specialty=str(p.get("specialty") or ""),
                group=str(p.get("group") or ""),
            )
            for p in payload.get("treating_providers", [])
        ),
        questions=_questions(payload.get("questions", [])),
        bills=tuple(
            model.Bill(
                day=str(b.get("date") or ""),
                code=str(b.get("code") or ""),
                description=str(b.get("description") or ""),
                provider=str(b.get("provider") or ""),
                units=b.get("units"),
                amount=b.get("amount"),
            )
            for b in payload.get("bills", [])
        ),
    )


def _questions(raw: list[dict[str, Any]]) -> tuple[model.Question, ...]:
    return tuple(
        model.Question(
            id=str(q.get("id") or ""),
            type=str(q.get("type") or ""),
            text=str(q.get("text") or ""),
            treatment=str(q.get("treatment") or ""),
        )
        for q in raw
    )


def _triage(referral: Referral, triage: dict[str, Any]) -> model.Triage:
    decisions = TriageDecision.objects.filter(referral=referral).select_related("decided_by")
    return model.Triage(
        path=str(triage.get("path") or ""),
        rationale=tuple(str(s) for s in triage.get("rationale", [])),
        routes=tuple(
            model.Route(
                question_id=str(q.get("id") or ""),
                type=str(q.get("type") or ""),
                route=str(q.get("route") or ""),
                reason=str(q.get("reason") or ""),
            )
            for q in triage.get("questions", [])
        ),
        decisions=tuple(
            model.Decision(
                at=_local(d.decided),
                by=d.decided_by.email,
                decision=d.decision,
                path=d.path,
                recommended_path=d.recommended_path,
                reason=d.reason,
            )
            for d in decisions.order_by("decided", "id")
        ),
        processing_error=referral.processing_error,
    )


def _gaps(triage: dict[str, Any], requests: list[RecordsRequest]) -> tuple[model.Gap, ...]:
    # Records are requested once per claim: a request made from another referral of the same
    # claim answers this one's gap too (as the case page shows it).
    by_item = {(r.provider, r.item): r for r in requests}
    found = []
    for gap in triage.get("gaps", []):
        source = gap.get("source") or {}
        asked = by_item.get((gap_provider(triage, gap), missing_item(gap)))
        found.append(
            model.Gap(
                kind=str(gap.get("kind") or ""),
                detail=str(gap.get("detail") or ""),
                file=source.get("file"),
                page=_page(source.get("page")),
                request=f"{asked.get_status_display()}, from {asked.provider}" if asked else "",
            )
        )
    return tuple(found)


def _assignment(a: Any) -> model.Assignment:
    return model.Assignment(
        id=a.pk,
        service=a.service,
        physician=a.physician.name,
        npi=a.physician.npi,
        status=a.get_status_display(),
        assigned=_local(a.assigned),
        assigned_by=a.assigned_by.email,
        due=a.due,
        score=a.score,
        reasons=tuple(str(r) for r in a.reasons or []),
        batch=a.batch_id,
        cancelled=_maybe_local(a.cancelled),
        cancel_reason=a.cancel_reason,
        declined=_maybe_local(a.declined),
        decline_reason=a.decline_reason,
        recused=a.recused,
        attested=_maybe_local(a.attested),
        submitted=_maybe_local(a.submitted),
        delivered=_maybe_local(a.delivered),
        closed=_maybe_local(a.closed),
    )


def _reviews(referral: Referral) -> dict[str, Any]:
    """What the physicians made of the referral's assignments: one query each for the
    determinations, calls, QA decisions, reports and addenda of all of them."""
    of_referral = {"assignment__referral": referral}
    reports = Report.objects.filter(**of_referral).select_related("assignment")
    taken: set[str] = set()
    return {
        "determinations": tuple(
            model.Determination(
                assignment=d.assignment_id,
                question_id=d.question_id,
                determination=d.determination,
                rationale=d.rationale,
                answered=_local(d.answered),
                citations=tuple(citation(c).words() for c in d.citations or []),
                disputes=tuple(str(x) for x in d.disputes or []),
            )
            for d in Determination.objects.filter(**of_referral).order_by("assignment", "id")
        ),
        "calls": tuple(
            model.Call(
                assignment=c.assignment_id,
                at=_local(c.at),
                with_whom=c.with_whom,
                outcome=c.outcome,
                note=c.note,
            )
            for c in PeerToPeer.objects.filter(**of_referral).order_by("at", "id")
        ),
        "qa": tuple(
            model.QaDecision(
                assignment=q.assignment_id,
                decision=q.decision,
                by=q.reviewed_by.email,
                at=_local(q.reviewed),
                note=q.note,
                addendum=q.addendum.number if q.addendum else None,
                failed=tuple(
                    f"{i.get('label')} ({i.get('detail')})"
                    for i in q.checklist or []
                    if not i.get("ok")
                ),
            )
            for q in QaReview.objects.filter(**of_referral)
            .select_related("reviewed_by", "addendum")
            .order_by("reviewed", "id")
        ),
        "reports": tuple(
            model.DeliveredReport(
                assignment=r.assignment_id,
                service=r.assignment.service,
                version=r.version,
                made=_local(r.made),
                sha256=r.sha256,
                size=r.size,
                path=_unique(
                    f"reports/{r.assignment.service.replace('_', '-')}-report-v{r.version}.pdf",
                    taken,
                ),
            )
            for r in reports.order_by("made", "id")
        ),
        "addenda": tuple(
            model.Addendum(
                assignment=x.assignment_id,
                number=x.number,
                question_id=x.question_id,
                request=x.request,
                requested_by=x.requested_by.email,
                requested=_local(x.requested),
                due=x.due,
                status=x.get_status_display(),
                response=x.response,
                submitted=_maybe_local(x.submitted),
                delivered=_maybe_local(x.delivered),
            )
            for x in Addendum.objects.filter(**of_referral)
            .select_related("requested_by")
            .order_by("assignment", "number")
        ),
    }


def _ime(referral: Referral) -> model.ImeReferral | None:
    ime = ImeReferral.objects.filter(referral=referral).select_related("confirmed_by").first()
    if ime is None:
        return None
    return model.ImeReferral(
        status=ime.status,
        drafted=_local(ime.drafted),
        questions=_questions(list(ime.questions or [])),
        disputes=tuple(str(d) for d in ime.disputes or []),
        records=tuple(str(r) for r in ime.records or []),
        cost_avoided=Decimal(ime.cost_avoided) if ime.cost_avoided is not None else None,
        fee_citation=ime.fee_citation,
        confirmed_by=ime.confirmed_by.email if ime.confirmed_by else "",
        confirmed=_maybe_local(ime.confirmed),
    )


def _appointments(referral: Referral) -> tuple[model.Appointment, ...]:
    """The IME's appointments, booked first first, with what became of each."""
    found = Appointment.objects.filter(referral=referral).select_related(
        "physician", "booked_by", "outcome_by", "rescheduled_to"
    )
    taken: set[str] = set()
    return tuple(
        model.Appointment(
            start=a.start,
            examiner=a.physician.name,
            place=f"{a.address} ({a.zip}), {a.distance_miles:g} miles from the claimant"
            if a.distance_miles is not None
            else f"{a.address} ({a.zip})",
            status=a.get_status_display(),
            booked_by=a.booked_by.email,
            booked=_local(a.booked),
            interpreter=a.interpreter,
            transport=a.transport,
            outcome_note=a.outcome_note,
            outcome_by=a.outcome_by.email if a.outcome_by else "",
            outcome_recorded=_maybe_local(a.outcome_recorded),
            fee=Decimal(a.fee) if a.fee is not None else None,
            fee_citation=a.fee_citation,
            notice_sha256=a.notice_sha256,
            notice_path=_unique(f"notices/notice-letter-{a.start:%Y-%m-%d-%H%M}.pdf", taken)
            if a.notice_letter
            else "",
            rescheduled_to=a.rescheduled_to.start if a.rescheduled_to else None,
        )
        for a in found.order_by("booked", "id")
    )


def _trail(referral: Referral) -> model.AuditTrail:
    """The referral's chain, checked as `GET /api/v1/referrals/{id}/audit` checks it, and
    what is wrong with it in words when it does not verify."""
    chain = chain_of(referral=referral)
    events = list(AuditEvent.objects.filter(chain=chain).order_by("seq"))
    verified = verify_chain(chain, events)
    wrong: tuple[str, ...] = ()
    if not verified:
        mark = checkpoints.read(chain)
        wrong = findings(
            [Link(e.seq, e.prev_hash, e.hash, e.compute_hash() == e.hash) for e in events],
            Checkpoint(mark.seq, mark.hash) if mark is not None else None,
        )
    return model.AuditTrail(
        events=tuple(
            model.AuditEvent(
                seq=e.seq,
                at=e.at.isoformat(),
                actor=e.actor,
                action=e.action,
                detail=json.dumps(e.detail, sort_keys=True, ensure_ascii=False, default=str),
                hash=e.hash,
                prev_hash=e.prev_hash,
            )
            for e in events
        ),
        verified=verified,
        findings=wrong,
    )


def _record_files(referral: Referral) -> list[RecordFile]:
    return list(RecordFile.objects.filter(referral=referral).order_by("name", "id"))


def _record_path(name: str, taken: set[str]) -> str:
    """A record's place in the ZIP: `records/` and its file name, as in a case folder (a
    second of the same name numbered)."""
    return _unique(f"records/{PurePosixPath(name.replace(chr(92), '/')).name or 'record'}", taken)


def _unique(path: str, taken: set[str]) -> str:
    stem, dot, suffix = path.rpartition(".")
    candidate, n = path, 2
    while candidate in taken:
        candidate = f"{stem}-{n}.{suffix}" if dot else f"{path}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _page(value: object) -> int | None:
    if isinstance(value, int):
        return value
    return int(value) if isinstance(value, str) and value.isdigit() else None


def _local(at: datetime) -> datetime:
    return timezone.localtime(at) if timezone.is_aware(at) else at


def _maybe_local(at: datetime | None) -> datetime | None:
    return _local(at) if at is not None else None


# Making the ZIP: the door.


@dataclass(frozen=True)
class Made:
    """A claim file made: the ZIP (an open temporary file, at its start), its file name, and
    what its audit event says of it."""

    archive: IO[bytes]
    filename: str
    files: int
    manifest_sha256: str


def do_download_claim_file(referral: Referral, *, actor: User, via: str) -> Made:
    """Make the referral's claim file and record its download in the referral's chain, in
    one transaction. A record or report the store cannot give back stops it (409), naming
    the file: a claim file without one of its documents is not one to defend."""
    require(actor, Permission.DOWNLOAD_CLAIM_FILE)
    made_at = timezone.now()
    # Not a context manager: the answer streams the file, and closes it once sent.
    out = tempfile.TemporaryFile(prefix="claim-file-", dir=_scratch())  # noqa: SIM115
    try:
        with transaction.atomic():
            data = gather(referral, made=made_at, made_by=actor.email)
            files, manifest_sha256 = _write(out, referral, data, made_at)
            record(
                "claim_file.downloaded",
                actor=actor,
                referral=referral,
                detail={"files": files, "manifest_sha256": manifest_sha256, "via": via},
            )
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return Made(out, f"claim-file-{_safe(referral.claim_number)}.zip", files, manifest_sha256)


def _write(
    out: IO[bytes], referral: Referral, data: model.ClaimFile, made_at: datetime
) -> tuple[int, str]:
    """Write the ZIP: the record files and reports first (their digests go into the PDF),
    then the PDF, then the manifest of them all. Returns the number of files in the ZIP and
    the manifest's SHA-256."""
    t = _local(made_at)
    stamp = (t.year, t.month, t.day, t.hour, t.minute, t.second)
    listed: list[dict[str, Any]] = []

    def add(archive: zipfile.ZipFile, path: str, content: bytes) -> str:
        digest = hashlib.sha256(content).hexdigest()
        entry = zipfile.ZipInfo(path, date_time=stamp)
        entry.external_attr = 0o600 << 16
        stored = Path(path).suffix.lower() in STORED_AS_IS
        entry.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        archive.writestr(entry, content)
        listed.append({"path": path, "size": len(content), "sha256": digest})
        return digest

    with zipfile.ZipFile(out, "w", allowZip64=True) as archive:
        records = {f.name: f for f in _record_files(referral)}
        documents = []
        for doc in data.documents:
            content = _load(records[doc.name].stored_as, doc.name)
            documents.append(replace(doc, sha256_in_zip=add(archive, doc.path, content)))
            del content  # one record in memory at a time
        stored_reports = {
            (r.assignment_id, r.version): r.stored_as
            for r in Report.objects.filter(assignment__referral=referral)
        }
        reports = []
        for rep in data.reports:
            content = _load(stored_reports[(rep.assignment, rep.version)], rep.path)
            reports.append(replace(rep, sha256_in_zip=add(archive, rep.path, content)))
        letters = {
            a.notice_sha256: a.notice_letter
            for a in Appointment.objects.filter(referral=referral).exclude(notice_letter="")
        }
        for ap in data.appointments:
            if ap.notice_path:  # the claimant's letter, as sent
                add(archive, ap.notice_path, _load(letters[ap.notice_sha256], ap.notice_path))
        complete = replace(data, documents=tuple(documents), reports=tuple(reports))
        add(archive, PDF_NAME, render_claim_file(complete))
        manifest = _manifest(complete, listed, made_at)
        entry = zipfile.ZipInfo(MANIFEST_NAME, date_time=stamp)
        entry.external_attr = 0o600 << 16
        archive.writestr(entry, manifest, compress_type=zipfile.ZIP_DEFLATED)
    return len(listed) + 1, hashlib.sha256(manifest).hexdigest()


def _manifest(data: model.ClaimFile, listed: list[dict[str, Any]], made_at: datetime) -> bytes:
    """What the ZIP holds, for a machine: every other file with its SHA-256 and size, and
    whose claim file it is. Ids, the claim number and the maker's e-mail; no patient data."""
    manifest = {
        "referral_id": data.referral_id,
        "claim_number": data.claim_number,
        "made": made_at.isoformat(),
        "made_by": data.made_by,
        "audit": {
            "verified": data.audit.verified,
            "events": len(data.audit.events),
            "problems": list(data.audit.findings),
        },
        "files": listed,
    }
    return (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()


def _load(stored_as: str, name: str) -> bytes:
    try:
        return storage.load(stored_as)
    except storage.StoredFileError as exc:
        raise ActionError(f"the claim file cannot be made: {name}: {exc}", status=409) from None


def _scratch() -> Path:
    """The private folder for decrypted documents (0700): the ZIP is made there, unnamed."""
    path = Path(settings.HOME) / "scratch"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _safe(claim_number: str) -> str:
    """A claim number as a file name: ASCII letters, digits, `-`, `_` and `.`; anything else
    `_`."""
    return "".join(c if (c.isascii() and c.isalnum()) or c in "-_." else "_" for c in claim_number)


def _answer(made: Made) -> FileResponse:
    response = FileResponse(
        made.archive, as_attachment=True, filename=made.filename, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response


# The page and the API operation.


@login_required
@require_safe
def download(request: HttpRequest, referral_id: object) -> HttpResponse:
    """The case page's "Download the claim file"."""
    referral = referral_or_404(request.user, referral_id)
    try:
        made = do_download_claim_file(referral, actor=request.user, via="case page")  # type: ignore[arg-type]
    except ActionError as exc:
        if exc.status == 403:
            return render(request, "claims/forbidden.html", status=403)
        return render_case(request, referral, error=str(exc), status=exc.status)
    return _answer(made)


router = Router(tags=["referrals"])


@router.get(
    "/{referral_id}/claim-file.zip",
    summary="The claim file: a PDF, the original documents, the reports and the audit trail",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "description": "The claim file as a ZIP: claim-file.pdf, records/…,"
                " reports/…, notices/…, manifest.json",
                "content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def claim_file_zip(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral = referral_or_404(request.user, referral_id)
    made = do_download_claim_file(referral, actor=request.user, via="api")  # type: ignore[arg-type]
    return _answer(made)
