"""Every change to the physician network goes through one of these actions, each in one
transaction with its audit event: importing a roster, editing a physician, recording a
verified credential, and the examiners' bookable hours (imported, added, removed)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, time
from decimal import Decimal
from typing import Any

from django.db import transaction

from medreview.audit.actions import record
from medreview.claims.errors import ActionError
from medreview.claims.permissions import Actor, Permission, require
from medreview.core.network import geo
from medreview.core.network.hours import MAX_ADDRESS, HoursRow
from medreview.core.network.roster import RosterRow
from medreview.network.models import Availability, Licence, Physician, PhysicianSpecialty

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
        physician = Physician.objects.select_for_update(no_key=True).get(pk=physician.pk)
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
        physician = Physician.objects.select_for_update(no_key=True).get(pk=physician.pk)
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


# The examiners' bookable hours for IMEs (docs/command-line.md, "medreview network
# availability import"; the physician's page).


def do_import_hours(
    rows: Sequence[HoursRow], *, actor: Actor, source: str, rejected: int = 0
) -> int:
    """Replace, for each physician and day the rows name, the blocks of bookable hours with
    the rows' blocks (a day not named keeps its blocks); all of them or none. Returns the
    number of blocks replaced."""
    require(actor, Permission.EDIT_NETWORK)
    with transaction.atomic():
        ids = dict(
            Physician.objects.filter(npi__in=sorted({r.npi for r in rows})).values_list("npi", "id")
        )
        unknown = sorted({r.npi for r in rows} - set(ids))
        if unknown:
            raise ActionError(f"no physician of the network has NPI {', '.join(unknown)}")
        days: dict[int, set[date]] = {}
        for r in rows:
            days.setdefault(ids[r.npi], set()).add(r.day)
        replaced = 0
        for physician_id, named in days.items():
            for chunk in _chunks(sorted(named)):
                deleted, _ = Availability.objects.filter(
                    physician_id=physician_id, day__in=chunk
                ).delete()
                replaced += deleted
        Availability.objects.bulk_create(
            [
                Availability(
                    physician_id=ids[r.npi],
                    day=r.day,
                    start=r.start,
                    end=r.end,
                    zip=r.zip,
                    address=r.address,
                    latitude=r.latitude,
                    longitude=r.longitude,
                )
                for r in rows
            ],
            batch_size=BATCH,
        )
        record(
            "network.hours_imported",
            actor=actor,
            organisation=getattr(actor, "organisation", None),
            detail={
                "source": source,
                "imported": len(rows),
                "physicians": len(days),
                "replaced": replaced,
                "rejected": rejected,
            },
        )
    return replaced


def do_add_hours(
    physician: Physician,
    *,
    actor: Actor,
    day: date,
    start: time,
    end: time,
    zip_code: str,
    address: str,
) -> Availability:
    """Add a block of bookable hours at one office on one day; refused when it ends before
    it starts, the ZIP is unknown, the address is empty, or it overlaps another block of the
    physician."""
    require(actor, Permission.EDIT_NETWORK)
    address = " ".join((address or "").split())
    zip_code = (zip_code or "").strip()
    if end <= start:
        raise ActionError(
            f"the end, {end:%H:%M}, is not after the start, {start:%H:%M}", field="end"
        )
    where = geo.centroid(zip_code) if zip_code.isdigit() and len(zip_code) == 5 else None
    if where is None:
        raise ActionError(f"{zip_code!r} is not a known US ZIP code", field="zip")
    if not address:
        raise ActionError("give the office's address", field="address")
    if len(address) > MAX_ADDRESS:
        raise ActionError(f"at most {MAX_ADDRESS} characters", field="address")
    with transaction.atomic():
        physician = Physician.objects.select_for_update(no_key=True).get(pk=physician.pk)
        twin = Availability.objects.filter(
            physician=physician, day=day, start__lt=end, end__gt=start
        ).first()
        if twin is not None:
            raise ActionError(
                f"it overlaps the block of {twin.day:%d %b %Y}, {twin.start:%H:%M}-"
                f"{twin.end:%H:%M} at {twin.zip}: remove that one first",
                status=409,
            )
        made = Availability.objects.create(
            physician=physician,
            day=day,
            start=start,
            end=end,
            zip=zip_code,
            address=address,
            latitude=where.latitude,
            longitude=where.longitude,
        )
        record(
            "network.hours_added",
            actor=actor,
            organisation=getattr(actor, "organisation", None),
            detail={"npi": physician.npi, **_block(made)},
        )
    return made


def do_remove_hours(block: Availability, *, actor: Actor) -> None:
    """Remove a block of bookable hours (an exam booked in it stays booked)."""
    require(actor, Permission.EDIT_NETWORK)
    with transaction.atomic():
        found = (
            Availability.objects.select_for_update(no_key=True)
            .select_related("physician")
            .filter(pk=block.pk)
            .first()
        )
        if found is None:
            raise ActionError("this block of hours was removed already", status=404)
        detail = {"npi": found.physician.npi, **_block(found)}
        found.delete()
        record(
            "network.hours_removed",
            actor=actor,
            organisation=getattr(actor, "organisation", None),
            detail=detail,
        )


def _block(found: Availability) -> dict[str, Any]:
    return {
        "day": found.day.isoformat(),
        "start": f"{found.start:%H:%M}",
        "end": f"{found.end:%H:%M}",
        "zip": found.zip,
        "address": found.address,
    }
