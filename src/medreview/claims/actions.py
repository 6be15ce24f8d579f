"""Every change to organisations, people and tokens goes through one of these doors: each
checks the actor's permission, runs in a transaction and writes its audit event in it."""

from __future__ import annotations

import re

from django.db import transaction
from django.utils import timezone

from medreview.audit.actions import record
from medreview.claims.errors import ActionError
from medreview.claims.models import ApiToken, Organisation, Referral, User
from medreview.claims.permissions import Actor, Permission, require
from medreview.claims.roles import CLIENT_ROLES, REVIEW_ROLES, ROLES


def do_create_organisation(*, actor: Actor, name: str, kind: str) -> Organisation:
    require(actor, Permission.MANAGE_PEOPLE)
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
    actor: Actor,
    email: str,
    role: str,
    password: str | None = None,
    npi: str = "",
) -> User:
    require(actor, Permission.MANAGE_PEOPLE)
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
    if password is not None:
        _check_password(password, email)
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


def _check_password(password: str, email: str) -> None:
    """Django's validators of the settings (length, common passwords, digits only, too like
    the email), each failure in words."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password, user=User(email=email, username=email))
    except ValidationError as exc:
        words = " ".join(str(m).rstrip(".").lower() for m in exc.messages)
        raise ActionError(f"the password is not good enough: {words}", field="password") from None


def do_create_token(user: User, *, actor: Actor) -> str:
    """A new API token for the user; the token itself is returned once and never stored."""
    require(actor, Permission.MANAGE_PEOPLE)
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


def do_revoke_token(token: ApiToken, *, actor: Actor) -> None:
    require(actor, Permission.MANAGE_PEOPLE)
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


def do_view_referral(referral: Referral, *, actor: Actor, via: str) -> None:
    """Log that a person who could reach the referral read it (its case page, or the API's
    whole referral): patient data, so every reading is in the audit trail."""
    with transaction.atomic():
        record("referral.viewed", actor=actor, referral=referral, detail={"via": via})


def do_view_referral_list(*, actor: User, shown: int, searched: bool) -> None:
    """Log that a person read a list of referrals naming their claimants (the work queue):
    in the chain of the person's organisation, with how many were shown, never the search's
    words (which may be a name)."""
    with transaction.atomic():
        record(
            "referrals.listed",
            actor=actor,
            organisation=actor.organisation,
            detail={"shown": shown, "searched": searched},
        )


def do_revoke_tokens(user: User, *, actor: Actor) -> int:
    """Revoke every token of the user still in force (`medreview token revoke EMAIL`)."""
    require(actor, Permission.MANAGE_PEOPLE)
    with transaction.atomic():
        live = list(ApiToken.objects.select_for_update().filter(user=user, revoked__isnull=True))
        for token in live:
            token.revoked = timezone.now()
            token.save(update_fields=["revoked"])
        record(
            "token.revoked",
            actor=actor,
            organisation=user.organisation,
            detail={"user": user.email, "prefixes": [t.prefix for t in live]},
        )
    return len(live)
