"""The doors of a referral's records: receiving a referral with its record files (stored
encrypted, then read in the background by `records.tasks.read_records`), people's
corrections of what the engine read (which win, and trigger a new reading), records
requests, the log of every opening of a record, and the rotation of the documents' keys."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from medreview import encryption
from medreview.audit.actions import record
from medreview.claims.clocks import pause_clocks, resume_clocks, start_clock
from medreview.claims.errors import ActionError
from medreview.claims.models import Organisation, Referral, User
from medreview.claims.permissions import BACKGROUND, Actor, Permission, require
from medreview.core.case.folder import CaseFolderError, parse_referral
from medreview.core.vocabulary import DOCUMENT_KINDS
from medreview.outbox.actions import announce
from medreview.records import storage
from medreview.records.corrections import document_name, gap_key, gap_provider, missing_item
from medreview.records.models import Correction, PendingUpload, RecordFile, RecordsRequest
from medreview.records.tasks import read_records, retriage

MAX_FILES = 500
MAX_REFERRAL_BYTES = 5 * 1024 * 1024
KEPT_FOR = timedelta(days=1)  # how long a refused form's files wait for the corrected form
DISK_FULL = "the server's disk is full: the referral was not saved; try again later"
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ ()+-]")


@dataclass(frozen=True)
class Upload:
    """A record file as it arrived: its file name and its bytes."""

    filename: str
    content: bytes


def clean_filename(filename: str) -> str:
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = _SAFE_NAME.sub("_", base).lstrip(".")
    return base[:200]


def referral_text_of(content: bytes) -> str:
    """The text of a referral sent as a file (`curl -F referral=@referral.json`, or the
    form's referral.json): UTF-8, with or without the byte-order mark some editors write."""
    if len(content) > MAX_REFERRAL_BYTES:
        raise ActionError("the referral file is larger than 5 MB", field="referral")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ActionError(
            "the referral file is not UTF-8 text: save it as UTF-8 and send it again",
            field="referral",
        ) from None


def do_create_referral(
    organisation: Organisation,
    *,
    actor: User,
    referral_text: str,
    uploads: list[Upload],
    kept: Sequence[int] = (),
    today: date | None = None,
) -> Referral:
    """Receive a referral and its records: validated whole, stored encrypted, queued for
    reading. `kept` are the actor's own files kept from a refused form (`do_keep_uploads`),
    sent before the new ones. Nothing is kept of a referral that fails, and the kept files
    stay kept for another try."""
    require(actor, Permission.SEND_REFERRAL)
    if organisation.kind != Organisation.CLIENT or actor.organisation_id != organisation.pk:
        raise ActionError("referrals are sent by a client organisation's users", status=403)
    today = today or timezone.localdate()
    # A byte-order mark pasted or posted as text is no part of the JSON.
    referral_text = referral_text.removeprefix("\ufeff")
    if "\x00" in referral_text or "\\u0000" in referral_text:
        # No field takes one, and PostgreSQL refuses it in text.
        raise ActionError(
            "referral: a NUL character (\\u0000) is in it, which no field takes",
            field="referral",
        )
    try:
        parsed = parse_referral(referral_text, today=today, source="referral")
    except CaseFolderError as exc:
        problems = exc.problems[:10]
        raise ActionError("referral: " + "; ".join(problems), field="referral") from None
    payload = json.loads(referral_text)
    kept = sorted(set(kept))
    if len(uploads) + len(kept) > MAX_FILES:
        raise ActionError(f"at most {MAX_FILES} record files per referral", field="records")
    new_names = [_checked_name(upload) for upload in uploads]
    stored: list[str] = []
    try:
        try:
            for upload in uploads:
                stored.append(storage.store(upload.content))
        except storage.DiskFullError:
            # 507 Insufficient Storage: the sender's fault is none, and a later try may pass.
            raise ActionError(DISK_FULL, status=507) from None
        with transaction.atomic():
            pending = list(
                PendingUpload.objects.select_for_update(no_key=True).filter(
                    owner=actor, pk__in=kept
                )
            )
            if len(pending) != len(kept):
                raise ActionError(
                    "a file kept from your last attempt is no longer kept (files are kept for"
                    " a day): attach it again",
                    field="records",
                )
            files = [(p.name, p.size, p.sha256, p.stored_as) for p in pending] + [
                (name, len(u.content), hashlib.sha256(u.content).hexdigest(), stored_as)
                for name, u, stored_as in zip(new_names, uploads, stored, strict=True)
            ]
            names = _unique_names([name for name, *_ in files])
            referral = Referral.objects.create(
                organisation=organisation,
                created_by=actor,
                claim_number=parsed.claim_number,
                claimant_name=str(payload.get("claimant", {}).get("name", ""))[:200],
                jurisdiction=parsed.jurisdiction,
                line_of_business=parsed.line_of_business,
                received=parsed.received,
                due=parsed.due,
                payload=payload,
            )
            # The records stage runs from the referral's receipt (docs/workflow.md,
            # "Turnaround clocks").
            start_clock(referral, "records", today=min(parsed.received, today))
            for name, (_, size, sha256, stored_as) in zip(names, files, strict=True):
                RecordFile.objects.create(
                    referral=referral, name=name, size=size, sha256=sha256, stored_as=stored_as
                )
            # The kept files are the referral's records now: their stored content moves
            # with them, in this transaction, and is not stored twice.
            PendingUpload.objects.filter(pk__in=[p.pk for p in pending]).delete()
            record(
                "referral.received",
                actor=actor,
                referral=referral,
                detail={
                    "claim_number": parsed.claim_number,
                    "questions": [q.id for q in parsed.questions],
                    "records": names,
                },
            )
            # Robust: a queue that fails after the commit must not undo a referral saved
            # (`serve` queues again at its next start what was never read).
            referral_id = str(referral.pk)

            def queue_reading() -> None:
                read_records.enqueue(referral_id)

            transaction.on_commit(queue_reading, robust=True)
    except BaseException:
        for name in stored:
            storage.delete(name)  # the referral was not saved: neither are its new files
        raise
    return referral


def _checked_name(upload: Upload) -> str:
    """The upload's file name made safe, or an `ActionError` naming what is wrong with it."""
    name = clean_filename(upload.filename)
    if not name:
        raise ActionError(f"record file {upload.filename!r} has no usable name", field="records")
    if not upload.content:
        raise ActionError(f"record file {name!r} is empty", field="records")
    check_file_size(upload.filename, len(upload.content))
    return name


def check_file_size(filename: str, size: int) -> None:
    """Refuse (413) a record file over the per-file limit, from its size: the views call it
    before they read the file."""
    if size > settings.MAX_FILE_BYTES:
        limit = settings.MAX_FILE_BYTES // (1024 * 1024)
        raise ActionError(
            f"record file {clean_filename(filename) or filename!r} is larger than {limit:,} MB",
            field="records",
            status=413,
        )


def _unique_names(names: list[str]) -> list[str]:
    """`records/NAME` for each file, a second file of the same name numbered (`a-2.pdf`)."""
    out: list[str] = []
    for name in names:
        stem, dot, suffix = name.rpartition(".")
        candidate, n = name, 2
        while f"records/{candidate}" in out:
            candidate = f"{stem}-{n}.{suffix}" if dot else f"{name}-{n}"
            n += 1
        out.append(f"records/{candidate}")
    return out


def do_keep_uploads(actor: User, uploads: list[Upload]) -> tuple[list[PendingUpload], list[str]]:
    """Keep the record files of a refused referral form for the person who attached them,
    encrypted as records are, to be sent with the corrected form (`kept` of
    `do_create_referral`). Returns the files kept, and in words those that could not be (an
    empty, nameless or oversized file, which the form would refuse anyway)."""
    require(actor, Permission.SEND_REFERRAL)
    good: list[tuple[str, Upload]] = []
    problems: list[str] = []
    for upload in uploads:
        try:
            good.append((_checked_name(upload), upload))
        except ActionError as exc:
            problems.append(str(exc))
    if not good:
        return [], problems
    stored: list[str] = []
    try:
        try:
            for _, upload in good:
                stored.append(storage.store(upload.content))
        except storage.DiskFullError:
            for name in stored:
                storage.delete(name)
            full = "the server's disk is full: attach the files again later"
            return [], [*problems, full]
        with transaction.atomic():
            kept = [
                PendingUpload.objects.create(
                    owner=actor,
                    name=name,
                    size=len(upload.content),
                    sha256=hashlib.sha256(upload.content).hexdigest(),
                    stored_as=stored_as,
                )
                for (name, upload), stored_as in zip(good, stored, strict=True)
            ]
            record(
                "uploads.kept",
                actor=actor,
                organisation=actor.organisation,
                detail={"files": [p.name for p in kept]},
            )
    except BaseException:
        for name in stored:
            storage.delete(name)
        raise
    return kept, problems


def kept_uploads(actor: User, ids: Iterable[int]) -> list[PendingUpload]:
    """The actor's own kept files among `ids`: another person's are never found."""
    return list(PendingUpload.objects.filter(owner=actor, pk__in=list(ids)))


def do_remove_kept_upload(actor: User, pending_id: int) -> PendingUpload | None:
    """Remove one of the actor's kept files (None if it is not theirs, or already gone)."""
    with transaction.atomic():
        found = (
            PendingUpload.objects.select_for_update(no_key=True)
            .filter(owner=actor, pk=pending_id)
            .first()
        )
        if found is None:
            return None
        _forget(found)
        record(
            "uploads.removed",
            actor=actor,
            organisation=actor.organisation,
            detail={"file": found.name},
        )
    return found


def do_expire_kept_uploads(now: datetime | None = None) -> int:
    """Remove the files kept from refused forms more than a day ago; returns how many."""
    cutoff = (now or timezone.now()) - KEPT_FOR
    with transaction.atomic():
        old = list(
            PendingUpload.objects.select_for_update(of=("self",), no_key=True)
            .filter(kept__lt=cutoff)
            .select_related("owner__organisation")
        )
        gone = [p for p in old if _forget(p)]
        by_organisation: dict[int, list[PendingUpload]] = {}
        for p in gone:
            by_organisation.setdefault(p.owner.organisation_id, []).append(p)
        for found in by_organisation.values():
            record(
                "uploads.expired",
                actor=BACKGROUND,
                organisation=found[0].owner.organisation,
                detail={"files": len(found)},
            )
    return len(gone)


def _forget(pending: PendingUpload) -> bool:
    """Delete a kept file's row, then, once that is committed, its stored content; False if
    the row was gone already (sent with a referral meanwhile: its content is a record now)."""
    if not PendingUpload.objects.filter(pk=pending.pk).delete()[0]:
        return False
    transaction.on_commit(partial(storage.delete, pending.stored_as))
    return True


def do_correct_document(
    referral: Referral,
    *,
    actor: User,
    document: str,
    kind: str | None = None,
    day: str | None = None,
    reason: str,
) -> list[Correction]:
    """Correct a document's kind or date of service; the correction wins over the machine's."""
    reason = reason.strip()
    require(actor, Permission.CORRECT_RECORDS)
    if not reason:
        raise ActionError("a correction needs a reason", field="reason")
    if kind is not None and kind not in DOCUMENT_KINDS:
        raise ActionError(f"unknown document kind {kind!r}", field="kind")
    if day:
        try:
            date.fromisoformat(day)
        except ValueError:
            raise ActionError(f"{day!r} is not a date (YYYY-MM-DD)", field="date") from None
    with transaction.atomic():
        referral = Referral.objects.select_for_update(no_key=True).get(pk=referral.pk)
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
        transaction.on_commit(partial(retriage.enqueue, str(referral.pk)))
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


def do_dismiss_gap(referral: Referral, *, actor: User, gap: str, reason: str) -> Correction:
    """Dismiss a documentation gap (a person's judgement that it is not one), with a reason."""
    reason = reason.strip()
    require(actor, Permission.CORRECT_RECORDS)
    if not reason:
        raise ActionError("dismissing a gap needs a reason", field="reason")
    with transaction.atomic():
        referral = Referral.objects.select_for_update(no_key=True).get(pk=referral.pk)
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
        transaction.on_commit(partial(retriage.enqueue, str(referral.pk)))
        record(
            "gap.dismissed",
            actor=actor,
            referral=referral,
            detail={"gap": gaps[gap]["kind"], "source": gaps[gap].get("source"), "reason": reason},
        )
    return made


def do_request_records(
    referral: Referral, *, actor: User, gap: str, today: date | None = None
) -> tuple[RecordsRequest, bool]:
    """The review desk requests from the provider the records a gap showed missing, or sends
    the request a client asked for. A second request for the same claim, provider and item
    returns the first (False: nothing new was requested)."""
    require(actor, Permission.REQUEST_RECORDS)
    with transaction.atomic():
        referral, found, existing, provider, item = _records_request_for(referral, gap)
        if existing is not None and existing.status != RecordsRequest.ASKED:
            return existing, False
        if existing is not None:
            existing.status = RecordsRequest.REQUESTED
            existing.sent_by, existing.sent = actor, timezone.now()
            existing.save(update_fields=["status", "sent_by", "sent", "updated"])
            made = existing
        else:
            made = _new_request(referral, gap, provider, item, asked_by=actor, sent_by=actor)
        follow_records_requests(made, today=today or timezone.localdate())
        record(
            "records.requested",
            actor=actor,
            referral=referral,
            detail={"provider": provider, "item": item, "gap": found["kind"]},
        )
        announce(
            "records.requested",
            referral=referral,
            text=f"The review desk requested records of claim {referral.claim_number}.",
            data={"records_request_id": made.pk},
        )
    return made, True


def do_ask_for_records(
    referral: Referral, *, actor: User, gap: str, today: date | None = None
) -> tuple[RecordsRequest, bool]:
    """A client's user asks the review desk to request the records a gap showed missing; the
    desk sends it (`do_request_records`). Asking for what is already asked or requested
    returns that request (False: nothing new)."""
    require(actor, Permission.ASK_FOR_RECORDS)
    with transaction.atomic():
        referral, found, existing, provider, item = _records_request_for(referral, gap)
        if existing is not None:
            return existing, False
        made = _new_request(referral, gap, provider, item, asked_by=actor, sent_by=None)
        follow_records_requests(made, today=today or timezone.localdate())
        record(
            "records.asked",
            actor=actor,
            referral=referral,
            detail={"provider": provider, "item": item, "gap": found["kind"]},
        )
    return made, True


def _records_request_for(
    referral: Referral, gap: str
) -> tuple[Referral, dict[str, Any], RecordsRequest | None, str, str]:
    """The referral (locked), its gap, the claim's request already made for that provider and
    item if any, the provider and the item: records are requested once per claim."""
    referral = Referral.objects.select_for_update(no_key=True).get(pk=referral.pk)
    triage = referral.triage or {}
    found = next((g for g in triage.get("gaps", []) if gap_key(g) == gap), None)
    if found is None:
        raise ActionError("no such gap in this referral", field="gap")
    provider, item = gap_provider(triage, found), missing_item(found)
    existing = (
        RecordsRequest.objects.select_for_update(no_key=True)
        .filter(
            organisation=referral.organisation,
            claim_number=referral.claim_number,
            provider=provider,
            item=item,
        )
        .first()
    )
    return referral, found, existing, provider, item


def _new_request(
    referral: Referral, gap: str, provider: str, item: str, *, asked_by: User, sent_by: User | None
) -> RecordsRequest:
    """The claim's first request for the provider's item, made from the referral's gap: sent
    to the provider by the desk (`sent_by`), or asked of the desk by a client (None)."""
    return RecordsRequest.objects.create(
        organisation=referral.organisation,
        claim_number=referral.claim_number,
        referral=referral,
        provider=provider,
        item=item,
        gap_key=gap,
        requested_by=asked_by,
        status=RecordsRequest.ASKED if sent_by is None else RecordsRequest.REQUESTED,
        sent_by=sent_by,
        sent=None if sent_by is None else timezone.now(),
    )


def do_update_records_request(
    request: RecordsRequest, *, actor: Actor, status: str, today: date | None = None
) -> None:
    require(actor, Permission.UPDATE_RECORDS_REQUEST)
    if status not in dict(RecordsRequest.STATUSES):
        raise ActionError(f"unknown status {status!r}", field="status")
    with transaction.atomic():
        request = RecordsRequest.objects.select_for_update(no_key=True).get(pk=request.pk)
        if request.status == status:
            return
        previous, request.status = request.status, status
        request.save(update_fields=["status", "updated"])
        follow_records_requests(request, today=today or timezone.localdate())
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


# A request asked of the desk or sent to the provider: the claim waits on its records.
OPEN_REQUESTS = (RecordsRequest.ASKED, RecordsRequest.REQUESTED)


def follow_records_requests(request: RecordsRequest, *, today: date) -> None:
    """While any records request of the claim is open, the clocks of the claim's referrals
    are paused; once none is, they run again, their due days moved by the business days
    paused (docs/workflow.md, "Turnaround clocks"). Records are requested once per claim, so
    every referral of the claim waits on them."""
    claim = {"organisation_id": request.organisation_id, "claim_number": request.claim_number}
    waiting = RecordsRequest.objects.filter(**claim, status__in=OPEN_REQUESTS).exists()
    referrals = Referral.objects.filter(**claim).exclude(status=Referral.CLOSED)
    for referral in referrals.only("pk", "jurisdiction", "records_awaited_since"):
        if waiting:
            pause_clocks(referral, today=today)
        else:
            resume_clocks(referral, today=today)


def do_view_record(
    referral: Referral, *, actor: Actor, file: str, page: int | None, image: bool = False
) -> None:
    """Log that a person opened a record, or a page of it as an image (patient data: every
    access is in the audit trail)."""
    detail: dict[str, object] = {"file": file, "page": page} if page else {"file": file}
    if image:
        detail["as"] = "image"
    with transaction.atomic():
        record("record.viewed", actor=actor, referral=referral, detail=detail)


# The documents' keys (`medreview keys …`, docs/architecture.md, "Storage and security"). What
# these doors change is files, which no transaction covers: each writes its files first, whole,
# then its event in a transaction of its own, so the trail never tells of a key not written.

_FROM_VARIABLE = (
    "the documents' keys come from MEDREVIEW_ENCRYPTION_KEY, which medreview cannot change: "
)


def do_rotate_documents_key(*, actor: Actor) -> tuple[int, storage.Rotation]:
    """Put a new key on top of the key file, then encrypt every stored file again under it:
    (how many keys the file holds now, what the re-encryption did). Interrupted, it is run
    again (or `do_reencrypt_documents`): every key stays until `do_retire_old_keys`."""
    require(actor, Permission.ROTATE_KEYS)
    path = settings.ENCRYPTION_KEY_FILE
    if path is None:
        raise ActionError(
            _FROM_VARIABLE + "put a new key first in it (newest first, separated by commas),"
            " restart medreview, then run `medreview keys reencrypt`",
            status=409,
        )
    keys = [storage.new_key(), *storage.read_key_file(path)]
    storage.write_key_file(path, keys)
    with transaction.atomic():
        record("documents_key.added", actor=actor, detail={"keys": len(keys)})
    return len(keys), _reencrypt(actor, keys)


def do_reencrypt_documents(*, actor: Actor) -> storage.Rotation:
    """Encrypt every stored file not under the newest key again under it (what a rotation
    does after adding its key; for a rotation cut short, or keys set in the variable)."""
    require(actor, Permission.ROTATE_KEYS)
    return _reencrypt(actor, _documents_keys())


def do_retire_old_keys(*, actor: Actor) -> int:
    """Leave only the newest key in the key file, once every stored file opens with it alone;
    refused, naming how many files still need an old key, otherwise. Returns how many keys
    were retired."""
    require(actor, Permission.ROTATE_KEYS)
    keys = _documents_keys()
    needing = storage.needing_old_keys(keys[0])
    in_fields = encryption.needing_old_keys(keys[0])
    if needing or in_fields:
        values = f" and {in_fields} patient field value(s) of the database" if in_fields else ""
        raise ActionError(
            f"{len(needing)} stored file(s){values} still need an old key: run `medreview keys"
            " reencrypt` (after restarting any server or worker started before the rotation,"
            " which still encrypts with the key it read), then retire",
            status=409,
        )
    path = settings.ENCRYPTION_KEY_FILE
    if path is None:
        raise ActionError(
            _FROM_VARIABLE + "every stored file opens with its first key: keep only that one"
            " there, then restart medreview",
            status=409,
        )
    if len(keys) == 1:
        return 0
    storage.write_key_file(path, keys[:1])
    with transaction.atomic():
        record("documents_key.retired", actor=actor, detail={"retired": len(keys) - 1})
    return len(keys) - 1


def _documents_keys() -> list[str]:
    """The keys as they are now: the key file again (a rotation since the start wrote it), or
    the variable's, read at start."""
    path = settings.ENCRYPTION_KEY_FILE
    return storage.read_key_file(path) if path is not None else list(settings.ENCRYPTION_KEYS)


def _reencrypt(actor: Actor, keys: list[str]) -> storage.Rotation:
    done = storage.reencrypt(keys)
    done.rows_resealed, done.fields_unreadable = encryption.reseal(keys)
    detail = {
        "rotated": done.rotated,
        "current": done.current,
        "unreadable": len(done.unreadable),
        "rows_resealed": done.rows_resealed,
        "fields_unreadable": done.fields_unreadable,
    }
    with transaction.atomic():
        record("documents.reencrypted", actor=actor, detail=detail)
    return done
