"""The records' background doors, through Django's Tasks API (django-tasks, database queue):
reading a referral's records to its triage, and reading them again after a person's
correction. Each task takes an id, runs its changes in transactions with their audit events,
and is safe to run twice: a referral already triaged is left alone, and one left in
`processing` by a worker that died is read again from its stored files.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from medreview.audit.actions import record
from medreview.audit.models import AuditEvent
from medreview.claims.clocks import start_clock, stop_clock
from medreview.claims.models import Referral
from medreview.claims.permissions import BACKGROUND
from medreview.core.config import case_processes, rule_thresholds
from medreview.outbox.actions import announce
from medreview.records import storage
from medreview.records.corrections import as_rules

# How many times a referral's reading is started before it is given up (a worker killed by a
# file counts, as a failure does).
MAX_ATTEMPTS = 3


@task()
def read_records(referral_id: str) -> str | None:
    """Read, triage and store a referral's records: the door from `received` through
    `processing` to `triaged`. Returns the status, None if there is no such referral."""
    with transaction.atomic():
        referral = Referral.objects.select_for_update(no_key=True).filter(pk=referral_id).first()
        if referral is None or referral.status not in (Referral.RECEIVED, Referral.PROCESSING):
            return None if referral is None else referral.status
        again = referral.status == Referral.PROCESSING
        tried = AuditEvent.objects.filter(
            referral=referral, action="records.reading_started"
        ).count()
        if tried >= MAX_ATTEMPTS:
            # A file that stops every worker (or a bug) is not tried forever: the others go on.
            message = (
                f"The records could not be read after {tried} attempts; they are not tried"
                " again. Send the referral again without the file that fails, or ask the"
                " review desk."
            )
            if referral.processing_error != message:
                referral.status = Referral.RECEIVED
                referral.processing_error = message
                referral.save(update_fields=["status", "processing_error", "updated"])
                record("records.reading_given_up", actor=BACKGROUND, referral=referral)
            return referral.status
        referral.status = Referral.PROCESSING
        referral.processing_error = ""
        referral.save(update_fields=["status", "processing_error", "updated"])
        record(
            "records.reading_started",
            actor=BACKGROUND,
            referral=referral,
            detail={"restarted": again} if again else {},
        )
    try:
        triage = _triage(referral)
    except Exception as exc:  # a bug must not lose the referral: it is kept, with the error
        with transaction.atomic():
            referral = Referral.objects.select_for_update(no_key=True).get(pk=referral_id)
            if referral.status != Referral.PROCESSING:
                raise _failure(exc) from None  # another worker finished it: its state stands
            referral.status = Referral.RECEIVED
            referral.processing_error = (
                f"The records could not be read ({type(exc).__name__}). They will be read"
                " again when the worker restarts."
            )
            referral.save(update_fields=["status", "processing_error", "updated"])
            record(
                "records.reading_failed",
                actor=BACKGROUND,
                referral=referral,
                detail={"error": type(exc).__name__},
            )
        # The queue keeps a failed task's error and traceback: never the original's words or
        # frames, which may quote a record.
        raise _failure(exc) from None
    with transaction.atomic():
        referral = Referral.objects.select_for_update(no_key=True).get(pk=referral_id)
        if referral.status != Referral.PROCESSING:
            return referral.status  # another worker finished it first
        referral.triage = triage
        referral.status = Referral.TRIAGED
        referral.save(update_fields=["triage", "status", "updated"])
        # The records are read: their stage ends, and the wait for a triage decision begins.
        today = timezone.localdate()
        stop_clock(referral, "records", today=today)
        start_clock(referral, "triage", today=today)
        record(
            "referral.triaged",
            actor=BACKGROUND,
            referral=referral,
            detail={
                "path": triage["path"],
                "documents": len(triage["documents"]),
                "gaps": len(triage["gaps"]),
            },
        )
        announce(
            "referral.triaged",
            referral=referral,
            text=f"The records of claim {referral.claim_number} are read: its triage is ready.",
            data={"path": triage["path"]},
        )
    return referral.status


def _failure(exc: Exception) -> RuntimeError:
    return RuntimeError(f"the records could not be read ({type(exc).__name__})")


def _triage(referral: Referral) -> dict[str, Any]:
    # Only the background workers run the records engine: the web process never loads it.
    from medreview.core.case.pipeline import analyse
    from medreview.core.case.triage_json import to_json

    parsed = referral.as_data()
    # The engine reads files by path: the decrypted records live in a private folder for
    # the length of the reading, and are removed whatever happens.
    folder = Path(tempfile.mkdtemp(prefix=f"case-{os.getpid()}-", dir=_scratch()))
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


@task()
def retriage(referral_id: str) -> str | None:
    """Read a triaged referral's records again with people's corrections in force; the new
    triage is stored (and audited) only if it differs. Safe to run twice."""
    referral = Referral.objects.filter(pk=referral_id).first()
    if referral is None or referral.triage is None:
        return (
            None if referral is None else referral.status
        )  # not read yet: the reading applies them
    used = _corrections_mark(referral_id)
    triage = _triage(referral)
    with transaction.atomic():
        referral = Referral.objects.select_for_update(no_key=True).get(pk=referral_id)
        if referral.triage is None or referral.triage == triage:
            return referral.status
        if _corrections_mark(referral_id) != used:
            # A correction came while this one read: its own task stores the newer triage,
            # and this older one must not overwrite it.
            return referral.status
        before = referral.triage.get("path")
        referral.triage = triage
        referral.save(update_fields=["triage", "updated"])
        record(
            "referral.retriaged",
            actor=BACKGROUND,
            referral=referral,
            detail={
                "path": {"from": before, "to": triage["path"]},
                "gaps": len(triage["gaps"]),
                "corrections": referral.corrections.count(),
            },
        )
    return referral.status


def _corrections_mark(referral_id: str) -> tuple[int, int]:
    from django.db.models import Count, Max

    from medreview.records.models import Correction

    found = Correction.objects.filter(referral_id=referral_id).aggregate(
        n=Count("id"), last=Max("id")
    )
    return int(found["n"] or 0), int(found["last"] or 0)


def _scratch() -> Path:
    """The workers' private folder for decrypted records, one subfolder a reading, named by
    the process that reads (`case-<pid>-…`)."""
    path = Path(settings.HOME) / "scratch"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def clear_stale_scratch(*, every: bool) -> int:
    """Remove what killed workers left of decrypted records: every reading's folder when no
    worker runs (`every`, as `serve` starts), else those of processes no longer alive."""
    removed = 0
    for folder in _scratch().glob("case-*"):
        pid = folder.name.split("-")[1] if folder.name.count("-") >= 2 else ""
        if every or not (pid.isdigit() and _alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
