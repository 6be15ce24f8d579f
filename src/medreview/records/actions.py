"""Reading a referral's records: the one door that moves a referral from `received` through
`processing` to `triaged`, run by the background task `records.tasks.read_records`.

It is idempotent: a referral already triaged is left alone, and one left in `processing` by
a worker that died is read again from its stored files when the task runs again.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from medreview.audit.actions import record
from medreview.casefolder import CaseFolderError, parse_referral
from medreview.claims.models import Referral
from medreview.config import rule_settings, workers
from medreview.records import storage

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

    from medreview.output import to_json
    from medreview.pipeline import analyse

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
            parsed, files, settings=rule_settings(os.environ), workers=workers(os.environ)
        )
        return to_json(result)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _scratch() -> Path:
    path = Path(settings.HOME) / "scratch"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
