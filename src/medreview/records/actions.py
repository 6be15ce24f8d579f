"""Reading a referral's records: the one door that moves a referral from `received` through
`processing` to `triaged`, run by the background task `records.tasks.read_records`.

It is idempotent: a referral already triaged is left alone, and one left in `processing` by
a worker that died is read again from its stored files when the task runs again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from medreview.audit.actions import record
from medreview.claims.actions import ActionError
from medreview.claims.models import Referral
from medreview.core.case.folder import CaseFolderError, parse_referral
from medreview.core.config import case_processes, rule_thresholds
from medreview.records import storage
from medreview.records.corrections import (
    as_rules,
    document_name,
    gap_key,
    gap_provider,
    missing_item,
)
from medreview.records.models import Correction, RecordsRequest

SYSTEM = "system"


def do_read_records(referral_id: str) -> Referral | None:
    """Read, triage and store a referral's records; None if there is no such referral."""
    with transaction.atomic():
        referral = Referral.objects.select_for_update().filter(pk=referral_id).first()
        if referral is None or referral.status not in (Referral.RECEIVED, Referral.PROCESSING):
            return referral
        again = referral.status == Referral.PROCESSING
        referral.status = Referral.PROCESSING
        referral.processing_error = ""
        referral.save(update_fields=["status", "processing_error", "updated"])
        record(
            "records.reading_started",
            actor=SYSTEM,
            referral=referral,
            detail={"restarted": again} if again else {},
        )
    try:
        triage = _triage(referral)
    except Exception as exc:  # a bug must not lose the referral: it is kept, with the error
        with transaction.atomic():
            referral = Referral.objects.select_for_update().get(pk=referral_id)
            referral.status = Referral.RECEIVED
            referral.processing_error = f"The records could not be read ({type(exc).__name__})."
            referral.save(update_fields=["status", "processing_error", "updated"])
            record(
                "records.reading_failed",
                actor=SYSTEM,
                referral=referral,
                detail={"error": type(exc).__name__},
            )
        raise
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral_id)
        if referral.status != Referral.PROCESSING:
            return referral  # another worker finished it first
        referral.triage = triage
        referral.status = Referral.TRIAGED
        referral.save(update_fields=["triage", "status", "updated"])
        record(
            "referral.triaged",
            actor=SYSTEM,
            referral=referral,
            detail={
                "path": triage["path"],
                "documents": len(triage["documents"]),
                "gaps": len(triage["gaps"]),
            },
        )
    return referral


def _triage(referral: Referral) -> dict[str, Any]:
    import json

    from medreview.core.case.pipeline import analyse
    from medreview.core.case.triage_json import to_json

    try:
        parsed = parse_referral(json.dumps(referral.payload), today=referral.received)
    except CaseFolderError as exc:  # stored referrals were validated on the way in
        raise RuntimeError(str(exc)) from None
    # The engine reads files by path: the decrypted records live in a private folder for
    # the length of the reading, and are removed whatever happens.
    folder = Path(tempfile.mkdtemp(prefix="case-", dir=_scratch()))
    try:
        files = []
        for rf in referral.record_files.all():
            path = folder / rf.name
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(storage.load(rf.stored_as))
            files.append((path, rf.name))
        result = analyse(
            parsed,
            files,
            settings=rule_thresholds(os.environ),
            processes=case_processes(os.environ),
            corrections=as_rules(list(referral.corrections.all())),
        )
        return to_json(result)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def do_retriage(referral_id: str) -> Referral | None:
    """Read a triaged referral's records again with people's corrections in force; the new
    triage is stored (and audited) only if it differs. Safe to run twice."""
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None or referral.triage is None:
        return referral  # not read yet: the reading will apply the corrections
    triage = _triage(referral)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral_id)
        if referral.triage is None or referral.triage == triage:
            return referral
        before = referral.triage.get("path")
        referral.triage = triage
        referral.save(update_fields=["triage", "updated"])
        record(
            "referral.retriaged",
            actor=SYSTEM,
            referral=referral,
            detail={
                "path": {"from": before, "to": triage["path"]},
                "gaps": len(triage["gaps"]),
                "corrections": referral.corrections.count(),
            },
        )
    return referral


def _enqueue_retriage(referral_id: str) -> None:
    from medreview.records.tasks import retriage

    retriage.enqueue(referral_id)


def _scratch() -> Path:
    path = Path(settings.HOME) / "scratch"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


KINDS_CORRECTABLE = (
    "progress_note", "consult_report", "imaging_report", "diagnostic_report",
    "operative_report", "therapy_note", "fce_report", "emergency_record", "discharge_summary",
    "ime_report", "peer_review_report", "billing", "other",
)  # fmt: skip
CORRECTORS = ("coordinator", "qa", "admin", "nurse_case_manager", "adjuster", "risk_manager")


def do_correct_document(
    referral: Referral,
    *,
    actor: Any,
    document: str,
    kind: str | None = None,
    day: str | None = None,
    reason: str,
) -> list[Correction]:
    """Correct a document's kind or date of service; the correction wins over the machine's."""
    reason = reason.strip()
    if actor.role not in CORRECTORS:
        raise ActionError("your role cannot correct records", status=403)
    if not reason:
        raise ActionError("a correction needs a reason", field="reason")
    if kind is not None and kind not in KINDS_CORRECTABLE:
        raise ActionError(f"unknown document kind {kind!r}", field="kind")
    if day:
        try:
            date.fromisoformat(day)
        except ValueError:
            raise ActionError(f"{day!r} is not a date (YYYY-MM-DD)", field="date") from None
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        docs = {document_name(d): d for d in (referral.triage or {}).get("documents", [])}
        if document not in docs:
            raise ActionError(f"no document {document!r} in this referral", field="document")
        made = []
        for field, value in (("kind", kind), ("date", day)):
            if value is None or value == "":
                continue
            made.append(
                Correction.objects.create(
                    referral=referral,
                    target=Correction.DOCUMENT,
                    key=document,
                    field=field,
                    value=value,
                    machine_value=str(docs[document].get(field) or ""),
                    reason=reason,
                    made_by=actor,
                )
            )
        if not made:
            raise ActionError("give a kind or a date to correct", field="kind")
        transaction.on_commit(partial(_enqueue_retriage, str(referral.pk)))
        record(
            "document.corrected",
            actor=actor,
            referral=referral,
            detail={
                "document": document,
                "changes": {c.field: {"from": c.machine_value, "to": c.value} for c in made},
                "reason": reason,
            },
        )
    return made


def do_dismiss_gap(referral: Referral, *, actor: Any, gap: str, reason: str) -> Correction:
    """Dismiss a documentation gap (a person's judgement that it is not one), with a reason."""
    reason = reason.strip()
    if actor.role not in CORRECTORS:
        raise ActionError("your role cannot dismiss gaps", status=403)
    if not reason:
        raise ActionError("dismissing a gap needs a reason", field="reason")
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        gaps = {gap_key(g): g for g in (referral.triage or {}).get("gaps", [])}
        if gap not in gaps:
            raise ActionError("no such gap in this referral", field="gap")
        made = Correction.objects.create(
            referral=referral,
            target=Correction.GAP,
            key=gap,
            field="dismissed",
            value="yes",
            detail=str(gaps[gap].get("detail", "")),
            reason=reason,
            made_by=actor,
        )
        transaction.on_commit(partial(_enqueue_retriage, str(referral.pk)))
        record(
            "gap.dismissed",
            actor=actor,
            referral=referral,
            detail={"gap": gaps[gap]["kind"], "source": gaps[gap].get("source"), "reason": reason},
        )
    return made


REQUESTERS = ("coordinator", "admin")


def do_request_records(referral: Referral, *, actor: Any, gap: str) -> tuple[RecordsRequest, bool]:
    """Request from the provider the records a gap showed missing; a second request for the
    same claim, provider and item returns the first (False: nothing new was requested)."""
    if actor.role not in REQUESTERS:
        raise ActionError("records are requested by the review desk's coordinators", status=403)
    with transaction.atomic():
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        triage = referral.triage or {}
        found = next((g for g in triage.get("gaps", []) if gap_key(g) == gap), None)
        if found is None:
            raise ActionError("no such gap in this referral", field="gap")
        provider, item = gap_provider(triage, found), missing_item(found)
        existing = RecordsRequest.objects.filter(
            organisation=referral.organisation,
            claim_number=referral.claim_number,
            provider=provider,
            item=item,
        ).first()
        if existing is not None:
            return existing, False
        made = RecordsRequest.objects.create(
            organisation=referral.organisation,
            claim_number=referral.claim_number,
            referral=referral,
            provider=provider,
            item=item,
            gap_key=gap,
            requested_by=actor,
        )
        record(
            "records.requested",
            actor=actor,
            referral=referral,
            detail={"provider": provider, "item": item, "gap": found["kind"]},
        )
    return made, True


def do_update_records_request(request: RecordsRequest, *, actor: Any, status: str) -> None:

    if status not in dict(RecordsRequest.STATUSES):
        raise ActionError(f"unknown status {status!r}", field="status")
    with transaction.atomic():
        request = RecordsRequest.objects.select_for_update().get(pk=request.pk)
        if request.status == status:
            return
        previous, request.status = request.status, status
        request.save(update_fields=["status", "updated"])
        record(
            "records_request.updated",
            actor=actor,
            referral=request.referral,
            detail={
                "provider": request.provider,
                "item": request.item,
                "from": previous,
                "to": status,
            },
        )


def do_view_record(referral: Referral, *, actor: Any, file: str, page: int | None) -> None:
    """Log that a person opened a record (patient data: every access is in the audit trail)."""
    with transaction.atomic():
        record(
            "record.viewed",
            actor=actor,
            referral=referral,
            detail={"file": file, "page": page} if page else {"file": file},
        )
