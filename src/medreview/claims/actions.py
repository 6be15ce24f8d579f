"""Every change to organisations, people, tokens and referrals goes through one of these doors:
each runs in a transaction, writes its audit event in it, and queues follow-up work only once
it is committed."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from medreview.audit.actions import record
from medreview.claims.models import (
    CLIENT_ROLES,
    REVIEW_ROLES,
    ROLES,
    ApiToken,
    Organisation,
    Referral,
    User,
)
from medreview.core.case.folder import CaseFolderError, parse_referral
from medreview.records import storage
from medreview.records.models import RecordFile

MAX_FILES = 500
MAX_FILE_BYTES = 200 * 1024 * 1024
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ ()+-]")


class ActionError(ValueError):
    """A request that cannot be carried out, with a message for the person who made it."""

    def __init__(self, message: str, *, field: str | None = None, status: int = 422) -> None:
        super().__init__(message)
        self.field = field
        self.status = status


def do_create_organisation(*, actor: Any, name: str, kind: str) -> Organisation:
    name = " ".join(name.split())
    if not name:
        raise ActionError("an organisation needs a name", field="name")
    if kind not in (Organisation.CLIENT, Organisation.REVIEWER):
        raise ActionError("kind must be 'client' or 'reviewer'", field="kind")
    with transaction.atomic():
        if Organisation.objects.filter(name__iexact=name).exists():
            raise ActionError(f"an organisation named {name!r} exists already", field="name")
        org = Organisation.objects.create(name=name, kind=kind)
        record("organisation.created", actor=actor, organisation=org, detail={"kind": kind})
    return org


def do_create_user(
    organisation: Organisation,
    *,
    actor: Any,
    email: str,
    role: str,
    password: str | None = None,
    npi: str = "",
) -> User:
    email = email.strip().lower()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise ActionError(f"{email!r} is not an email address", field="email")
    if role not in ROLES:
        raise ActionError(f"unknown role {role!r} (one of: {', '.join(ROLES)})", field="role")
    if role in CLIENT_ROLES and organisation.kind != Organisation.CLIENT:
        raise ActionError(f"a {role} belongs to a client organisation", field="role")
    if role in REVIEW_ROLES and organisation.kind != Organisation.REVIEWER:
        raise ActionError(f"a {role} belongs to the review organisation", field="role")
    if role == "physician" and not re.fullmatch(r"\d{10}", npi or ""):
        raise ActionError("a physician is linked to a 10-digit NPI (--npi)", field="npi")
    if password is not None and len(password) < 8:
        raise ActionError("a password has at least 8 characters", field="password")
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise ActionError(f"a user {email} exists already", field="email")
        user = User(
            username=email, email=email, organisation=organisation, role=role, npi=npi or ""
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        record(
            "user.created",
            actor=actor,
            organisation=organisation,
            detail={"email": email, "role": role},
        )
    return user


def do_create_token(user: User, *, actor: Any) -> str:
    """A new API token for the user; the token itself is returned once and never stored."""
    token, digest = ApiToken.new_secret()
    with transaction.atomic():
        ApiToken.objects.create(user=user, digest=digest, prefix=token[:10])
        record(
            "token.created",
            actor=actor,
            organisation=user.organisation,
            detail={"user": user.email, "prefix": token[:10]},
        )
    return token


def do_revoke_token(token: ApiToken, *, actor: Any) -> None:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked is None:
            token.revoked = timezone.now()
            token.save(update_fields=["revoked"])
            record(
                "token.revoked",
                actor=actor,
                organisation=token.user.organisation,
                detail={"user": token.user.email, "prefix": token.prefix},
            )


@dataclass(frozen=True)
class Upload:
    """A record file as it arrived: its file name and its bytes."""

    filename: str
    content: bytes


def clean_filename(filename: str) -> str:
    base = filename.replace("\\", "/").rsplit("/", 1)[-1].strip()
    base = _SAFE_NAME.sub("_", base).lstrip(".")
    return base[:200]


def do_create_referral(
    organisation: Organisation,
    *,
    actor: User,
    referral_text: str,
    uploads: list[Upload],
    today: date | None = None,
) -> Referral:
    """Receive a referral and its records: validated whole, stored encrypted, queued for
    reading. Nothing is kept of a referral that fails validation."""
    if organisation.kind != Organisation.CLIENT:
        raise ActionError("referrals are sent by a client organisation", status=403)
    today = today or timezone.localdate()
    try:
        parsed = parse_referral(referral_text, today=today, source="referral")
    except CaseFolderError as exc:
        problems = exc.problems[:10]
        raise ActionError("referral: " + "; ".join(problems), field="referral") from None
    payload = json.loads(referral_text)
    if len(uploads) > MAX_FILES:
        raise ActionError(f"at most {MAX_FILES} record files per referral", field="records")
    names: list[str] = []
    for upload in uploads:
        name = clean_filename(upload.filename)
        if not name:
            raise ActionError(
                f"record file {upload.filename!r} has no usable name", field="records"
            )
        if not upload.content:
            raise ActionError(f"record file {name!r} is empty", field="records")
        if len(upload.content) > MAX_FILE_BYTES:
            raise ActionError(f"record file {name!r} is larger than 200 MB", field="records")
        stem, dot, suffix = name.rpartition(".")
        candidate, n = name, 2
        while f"records/{candidate}" in names:
            candidate = f"{stem}-{n}.{suffix}" if dot else f"{name}-{n}"
            n += 1
        names.append(f"records/{candidate}")
    stored: list[str] = []
    try:
        for upload in uploads:
            stored.append(storage.store(upload.content))
        with transaction.atomic():
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
            for name, upload, stored_as in zip(names, uploads, stored, strict=True):
                RecordFile.objects.create(
                    referral=referral,
                    name=name,
                    size=len(upload.content),
                    sha256=hashlib.sha256(upload.content).hexdigest(),
                    stored_as=stored_as,
                )
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
            transaction.on_commit(partial(_enqueue_reading, str(referral.pk)))
    except BaseException:
        for name in stored:
            storage.delete(name)  # the referral was not saved: neither are its files
        raise
    return referral


def _enqueue_reading(referral_id: str) -> None:
    from medreview.records.tasks import read_records

    read_records.enqueue(referral_id)
