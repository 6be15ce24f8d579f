"""Every change to the physician network goes through one of these actions, each in one
transaction with its audit event: importing a roster, editing a physician, recording a
verified credential."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction

from medreview.audit.actions import record
from medreview.claims.errors import ActionError
from medreview.claims.permissions import Actor, Permission, require
from medreview.core.network.roster import RosterRow
from medreview.network.models import Licence, Physician, PhysicianSpecialty

BATCH = 500  # rows per statement: under every database's limit on parameters
_FIELDS = [
    "name",
    "board_certified",
    "board_verified_on",
    "sanctions_checked_on",
    "sanctioned",
    "zip",
    "latitude",
    "longitude",
    "offers_peer_review",
    "offers_ime",
    "languages",
    "weekly_capacity",
    "outside_assignments",
    "median_turnaround_days",
    "qa_score",
    "affiliations",
    "fee_peer_review",
    "fee_ime",
    "active",
]


@dataclass(frozen=True)
class Imported:
    created: int
    updated: int


def _chunks(items: Sequence[Any], size: int = BATCH) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))


def do_import_network(
    rows: Sequence[RosterRow], *, actor: Actor, source: str, rejected: int = 0
) -> Imported:
    """Add or update (by NPI) the physicians of a roster's valid rows, with their specialties
    and licences; all of them or none. The roster's `open_assignments` is the physician's work
    outside medreview (`outside_assignments`); the assignments medreview gave them stay as
    they are (a new physician has none)."""
    require(actor, Permission.EDIT_NETWORK)
    with transaction.atomic():
        known = dict(Physician.objects.values_list("npi", "id"))
        created = sum(1 for r in rows if r.npi not in known)
        physicians = [
            Physician(
                npi=r.npi,
                name=r.name,
                board_certified=r.board_certified,
                board_verified_on=r.verified_on if r.board_certified else None,
                sanctions_checked_on=r.verified_on,
                sanctioned=r.sanctioned,
                zip=r.zip,
                latitude=r.latitude,
                longitude=r.longitude,
                offers_peer_review="peer_review" in r.services,
                offers_ime="ime" in r.services,
                languages=list(r.languages),
                weekly_capacity=r.weekly_capacity,
                # The roster reports the work outside medreview; medreview's own open
                # assignments (`open_assignments`) are not in _FIELDS: an import keeps them.
                outside_assignments=r.open_assignments,
                median_turnaround_days=r.median_turnaround_days,
                qa_score=r.qa_score,
                affiliations=list(r.affiliations),
                fee_peer_review=_money(r.fee_peer_review),
                fee_ime=_money(r.fee_ime),
                active=True,
            )
            for r in rows
        ]
        measured = [
            Physician(id=pk, qa_score=score)
            for pk, score in Physician.objects.filter(qa_measured=True).values_list(
                "id", "qa_score"
            )
        ]
        for chunk in _chunks(physicians):
            Physician.objects.bulk_create(
                chunk, update_conflicts=True, unique_fields=["npi"], update_fields=_FIELDS
            )
        # medreview's own first-pass rate wins over the roster's.
        Physician.objects.bulk_update(measured, ["qa_score"], batch_size=BATCH)
        ids = dict(Physician.objects.values_list("npi", "id"))
        touched = [ids[r.npi] for r in rows]
        for chunk in _chunks(touched):
            PhysicianSpecialty.objects.filter(physician_id__in=chunk).delete()
            Licence.objects.filter(physician_id__in=chunk).delete()
        PhysicianSpecialty.objects.bulk_create(
            [
                PhysicianSpecialty(physician_id=ids[r.npi], code=c)
                for r in rows
                for c in r.specialties
            ],
            batch_size=BATCH,
        )
        Licence.objects.bulk_create(
            [
                Licence(
                    physician_id=ids[r.npi],
                    state=lic.state,
                    expires=lic.expires,
                    verified_on=r.verified_on,
                )
                for r in rows
                for lic in r.licences
            ],
            batch_size=BATCH,
        )
        record(
            "network.imported",
            actor=actor,
            organisation=getattr(actor, "organisation", None),
            detail={
                "source": source,
                "imported": len(rows),
                "created": created,
                "updated": len(rows) - created,
                "rejected": rejected,
            },
        )
    return Imported(created=created, updated=len(rows) - created)


def do_update_physician(
    physician: Physician, *, actor: Actor, changes: dict[str, Any]
) -> Physician:
    """Change a physician's details (the form's cleaned fields); the changes are audited."""
    require(actor, Permission.EDIT_NETWORK)
    unknown = set(changes) - set(_FIELDS)
    if unknown:
        raise ActionError(f"not a physician field: {', '.join(sorted(unknown))}")
    with transaction.atomic():
        physician = Physician.objects.select_for_update().get(pk=physician.pk)
        before = {k: getattr(physician, k) for k in changes}
        for key, value in changes.items():
            setattr(physician, key, value)
        physician.save()
        record(
            "network.physician_updated",
            actor=actor,
            organisation=getattr(actor, "organisation", None),
            detail={
                "npi": physician.npi,
                "changed": {
                    k: [str(before[k]), str(v)] for k, v in changes.items() if before[k] != v
                },
            },
        )
    return physician


CREDENTIALS = ("licence", "board_certification", "sanctions")


def do_verify_credential(
    physician: Physician,
    *,
    actor: Actor,
    credential: str,
    verified_on: date,
    state: str = "",
    expires: date | None = None,
    sanctioned: bool = False,
) -> Physician:
    """Record that a credential was verified on a day (a licence with its state and expiry,
    the board certification, or the sanctions check and what it found)."""
    require(actor, Permission.EDIT_NETWORK)
    if credential not in CREDENTIALS:
        raise ActionError(
            f"credential must be one of: {', '.join(CREDENTIALS)}", field="credential"
        )
    if verified_on > date.today():
        raise ActionError("a verification cannot be dated in the future", field="verified_on")
    with transaction.atomic():
        physician = Physician.objects.select_for_update().get(pk=physician.pk)
        detail: dict[str, Any] = {"npi": physician.npi, "credential": credential}
        if credential == "licence":
            state = state.strip().upper()
            if len(state) != 2 or not state.isalpha():
                raise ActionError("a licence needs its two-letter state", field="state")
            if expires is None:
                raise ActionError("a licence needs its expiry date", field="expires")
            Licence.objects.update_or_create(
                physician=physician,
                state=state,
                defaults={"expires": expires, "verified_on": verified_on},
            )
            detail |= {"state": state, "expires": str(expires)}
        elif credential == "board_certification":
            physician.board_certified = True
            physician.board_verified_on = verified_on
        else:
            physician.sanctions_checked_on = verified_on
            physician.sanctioned = sanctioned
            detail["sanctioned"] = sanctioned
        physician.save()
        detail["verified_on"] = str(verified_on)
        record(
            "network.credential_verified",
            actor=actor,
            organisation=getattr(actor, "organisation", None),
            detail=detail,
        )
    return physician
