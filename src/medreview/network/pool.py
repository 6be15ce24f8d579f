"""Reading from the database the part of the network a match needs, and matching.

A referral's match needs only the physicians of the treating specialties and the similar
ones (the specialty table is indexed): they are read in three queries, without building
model objects, and handed to the pure matcher (`rules.matching`). The rest of the network
counts as excluded by specialty.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from medreview.network.models import Licence, Physician, PhysicianSpecialty
from medreview.rules import matching
from medreview.rules.jurisdictions import JurisdictionRules, default_rules
from medreview.rules.model import Referral


def load_network(codes: Iterable[str], service: str | None = None) -> matching.Network:
    """The active physicians having any of the specialty codes (and offering the service,
    when one is named), as the matcher's network."""
    codes = sorted(set(codes))
    members = PhysicianSpecialty.objects.filter(code__in=codes, physician__active=True)
    without_service = 0
    if service is not None:
        offered = (
            {"physician__offers_ime": True}
            if service == "ime"
            else {"physician__offers_peer_review": True}
        )
        everyone = members.values("physician_id").distinct().count()
        members = members.filter(**offered)
        without_service = everyone - members.values("physician_id").distinct().count()
    ids = members.values("physician_id")
    specialties: dict[int, list[str]] = defaultdict(list)
    for pid, code in PhysicianSpecialty.objects.filter(physician_id__in=ids).values_list(
        "physician_id", "code"
    ):
        specialties[pid].append(code)
    licences: dict[int, list[matching.Licence]] = defaultdict(list)
    for pid, state, expires, verified in Licence.objects.filter(physician_id__in=ids).values_list(
        "physician_id", "state", "expires", "verified_on"
    ):
        licences[pid].append(matching.Licence(state, expires, verified))
    physicians = [
        _physician(row, specialties[row["id"]], licences[row["id"]])
        for row in Physician.objects.filter(id__in=ids).values()
    ]
    return matching.Network(
        physicians,
        total=Physician.objects.filter(active=True).count(),
        without_service=without_service,
    )


def _physician(
    row: dict[str, Any], specialties: list[str], licences: list[matching.Licence]
) -> matching.Physician:
    services = [
        s
        for s, on in (("peer_review", row["offers_peer_review"]), ("ime", row["offers_ime"]))
        if on
    ]
    return matching.Physician(
        npi=row["npi"],
        name=row["name"],
        specialties=tuple(specialties),
        licences=tuple(licences),
        services=frozenset(services),
        zip=row["zip"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        board_certified=row["board_certified"],
        board_verified_on=row["board_verified_on"],
        sanctions_checked_on=row["sanctions_checked_on"],
        sanctioned=row["sanctioned"],
        languages=frozenset(row["languages"] or ["en"]),
        weekly_capacity=row["weekly_capacity"],
        open_assignments=row["open_assignments"],
        median_turnaround_days=row["median_turnaround_days"],
        qa_score=row["qa_score"],
        affiliations=frozenset(row["affiliations"] or []),
        fee_peer_review=_float(row["fee_peer_review"]),
        fee_ime=_float(row["fee_ime"]),
    )


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def match_referral(
    referral: Referral,
    service: str,
    *,
    top: int = 10,
    rules: JurisdictionRules | None = None,
) -> matching.Match:
    """The candidates of the network for a referral's review or exam."""
    request = matching.request_for(referral, service, top=top)
    # A treating provider who is in the network brings their groups into the conflict
    # check, even when their specialty keeps them out of the pool.
    groups = {
        g
        for found in Physician.objects.filter(npi__in=sorted(request.treating_npis)).values_list(
            "affiliations", flat=True
        )
        for g in (found or [])
    }
    if groups:
        request = replace(request, treating_groups=request.treating_groups | groups)
    network = load_network(matching.similar_codes(request.specialties), service)
    return matching.match(network, request, rules or default_rules())
