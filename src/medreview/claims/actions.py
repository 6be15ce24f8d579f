"""Every change to organisations, people and tokens, clients' service levels and the
jurisdiction rules goes through one of these doors: each checks the actor's permission, runs
in a transaction and writes its audit event in it."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from medreview.audit.actions import record
from medreview.claims import rules
from medreview.claims.errors import ActionError, text_of
from medreview.claims.models import (
    ApiToken,
    JurisdictionRuleEdit,
    Organisation,
    Referral,
    ServiceLevel,
    User,
)
from medreview.claims.permissions import Actor, Permission, require
from medreview.claims.roles import CLIENT_ROLES, REVIEW_ROLES, ROLES
from medreview.core.network.jurisdictions import JurisdictionRule, check_rule
from medreview.core.triage.stages import days_problem, service_levels


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
        token = ApiToken.objects.select_for_update(no_key=True).get(pk=token.pk)
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
        live = list(
            ApiToken.objects.select_for_update(no_key=True).filter(user=user, revoked__isnull=True)
        )
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


def do_set_service_levels(
    organisation: Organisation, *, actor: Actor, levels: Mapping[str, int | None]
) -> list[ServiceLevel]:
    """Set a client's turnaround, in business days, for the stages given (None: back to the
    desk's default). Every value is checked first: one refused (a stage unknown, a number
    outside 1..365) changes nothing. A clock already running keeps what it started with."""
    require(actor, Permission.EDIT_SERVICE_LEVELS)
    if organisation.kind != Organisation.CLIENT:
        raise ActionError(f"{organisation.name} is not a client organisation", status=404)
    stages = service_levels().stages
    for stage, days in levels.items():
        if stage not in stages:
            raise ActionError(f"unknown stage {stage!r}", field=stage)
        if days is not None and (problem := days_problem(days)):
            raise ActionError(f"{stages[stage].label}: {problem}", field=stage)
    with transaction.atomic():
        kept = {
            s.stage: s
            for s in ServiceLevel.objects.select_for_update(no_key=True).filter(
                organisation=organisation
            )
        }
        changes: dict[str, dict[str, int | None]] = {}
        for stage, days in levels.items():
            found = kept.get(stage)
            before = found.business_days if found else None
            if before == days:
                continue
            changes[stage] = {"from": before, "to": days}
            if days is None and found is not None:
                found.delete()
                del kept[stage]
            elif found is not None and days is not None:
                found.business_days = days
                found.save(update_fields=["business_days", "updated"])
            elif days is not None:
                kept[stage] = ServiceLevel.objects.create(
                    organisation=organisation, stage=stage, business_days=days
                )
        if changes:
            record("service_levels.set", actor=actor, organisation=organisation, detail=changes)
    return sorted(kept.values(), key=lambda s: list(stages).index(s.stage))


RULE_TEXT_LIMITS = {"value": 40, "citation": 300, "note": 500}


def do_edit_jurisdiction_rule(
    *,
    actor: Actor,
    jurisdiction: str,
    service: str,
    rule: str,
    value: str = "",
    citation: str = "",
    confidence: str = "",
    note: str = "",
    removes: bool = False,
) -> JurisdictionRuleEdit:
    """Correct a jurisdiction rule: replace the shipped row of the same jurisdiction, service
    and rule, add a row the data lacks, or remove a state's shipped row (its default then
    applies). Checked as the shipped file is (`check_rule`): a bad value is refused, naming
    the rule, and nothing changes. A rule needs its citation; a default row ("*") is what
    every state without its own follows, so it is corrected, never removed."""
    require(actor, Permission.EDIT_JURISDICTION_RULES)
    jurisdiction = jurisdiction.strip().upper()
    service, rule = service.strip(), rule.strip()
    texts = {
        name: text_of(given, field=name, limit=limit)
        for (name, limit), given in zip(
            RULE_TEXT_LIMITS.items(), (value, citation, note), strict=True
        )
    }
    value, citation, note = texts["value"].lower(), texts["citation"], texts["note"]
    confidence = confidence.strip().upper()
    shipped = rules.shipped_rule(jurisdiction, service, rule)
    if removes:
        if shipped is None:
            raise ActionError(
                "only a shipped row can be removed: restore an added row instead", field="rule"
            )
        if jurisdiction == "*":
            raise ActionError(
                f"{rule}: the default row is what every state without its own follows; "
                "correct it instead of removing it",
                field="rule",
            )
        value = ""
    else:
        try:
            check_rule(
                JurisdictionRule(jurisdiction, service, rule, value, citation, confidence, note)
            )
        except ValueError as exc:
            raise ActionError(str(exc), field="value") from None
        if not citation:
            raise ActionError(f"{rule}: give the rule's citation (its source)", field="citation")
    with transaction.atomic():
        edit = (
            JurisdictionRuleEdit.objects.select_for_update(no_key=True)
            .filter(jurisdiction=jurisdiction, service=service, rule=rule)
            .first()
        )
        before = rules.as_rule(edit) if edit is not None and not edit.removes else None
        if edit is None:
            before = shipped
            edit = JurisdictionRuleEdit(jurisdiction=jurisdiction, service=service, rule=rule)
        edit.value, edit.citation, edit.confidence, edit.note = value, citation, confidence, note
        edit.removes = removes
        edit.edited_by = actor if isinstance(actor, User) else None
        edit.save()
        record(
            "jurisdiction_rule.removed"
            if removes
            else "jurisdiction_rule.added"
            if shipped is None and before is None
            else "jurisdiction_rule.corrected",
            actor=actor,
            organisation=getattr(actor, "organisation", None),
            detail={
                "jurisdiction": jurisdiction,
                "service": service,
                "rule": rule,
                "from": rules.in_words(before),
                "to": None if removes else rules.in_words(rules.as_rule(edit)),
                "shipped": rules.in_words(shipped),
            },
        )
    rules.forget()
    return edit


def do_restore_jurisdiction_rule(
    *, actor: Actor, jurisdiction: str, service: str, rule: str
) -> JurisdictionRule | None:
    """Undo a correction: the shipped row is in force again (None: the row was added, and
    is gone). Refused (409) when the rule has no correction."""
    require(actor, Permission.EDIT_JURISDICTION_RULES)
    with transaction.atomic():
        edit = (
            JurisdictionRuleEdit.objects.select_for_update(no_key=True)
            .filter(jurisdiction=jurisdiction, service=service, rule=rule)
            .first()
        )
        if edit is None:
            raise ActionError(f"{rule} of {jurisdiction} has no correction to undo", status=409)
        shipped = rules.shipped_rule(jurisdiction, service, rule)
        before = None if edit.removes else rules.as_rule(edit)
        edit.delete()
        record(
            "jurisdiction_rule.restored",
            actor=actor,
            organisation=getattr(actor, "organisation", None),
            detail={
                "jurisdiction": jurisdiction,
                "service": service,
                "rule": rule,
                "from": rules.in_words(before),
                "to": rules.in_words(shipped),
            },
        )
    rules.forget()
    return shipped
