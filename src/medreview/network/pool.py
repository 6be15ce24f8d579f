"""Reading from the database the part of the network a match needs, and matching.

A referral's match needs only the physicians of the treating specialties and the similar
ones (the specialty table is indexed): they are read in three queries, without building
model objects, and handed to the pure matcher (`core.network.matching`). The rest of the network
counts as excluded by specialty.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from functools import lru_cache
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection

from medreview.claims.rules import current_rules
from medreview.core.config import rule_thresholds
from medreview.core.network import matching
from medreview.core.network.jurisdictions import JurisdictionRules
from medreview.core.referral import ReferralData
from medreview.network.models import Licence, Physician, PhysicianSpecialty


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
    physicians = _read(members.values("physician_id"))
    return matching.Network(
        physicians,
        total=Physician.objects.filter(active=True).count(),
        without_service=without_service,
    )


def load_physicians(npis: Iterable[str]) -> dict[str, matching.PhysicianProfile]:
    """The physicians of these NPIs as the matcher sees them, active or not."""
    found = _read(Physician.objects.filter(npi__in=sorted(set(npis))).values("id"))
    return {p.npi: p for p in found}


_FIELDS = (
    "id", "npi", "name", "offers_peer_review", "offers_ime", "zip", "latitude", "longitude",
    "board_certified", "board_verified_on", "sanctions_checked_on", "sanctioned", "languages",
    "weekly_capacity", "open_assignments", "outside_assignments", "median_turnaround_days",
    "qa_score", "affiliations", "fee_peer_review", "fee_ime",
)  # fmt: skip


def _read(ids: Any) -> list[matching.PhysicianProfile]:
    """The physicians whose ids the subquery gives, read in three queries.

    The rows are read through the cursor, without Django's per-value converters: a match on
    a large network reads some 15,000 physicians, and the converters took a third of
    `medreview match`'s time. `_date`, `_set` and `_float` do their work for SQLite (text)
    and PostgreSQL (typed values) alike.
    """
    specialties: dict[int, list[str]] = defaultdict(list)
    for pid, code in _raw(
        PhysicianSpecialty.objects.filter(physician_id__in=ids).values_list("physician_id", "code")
    ):
        specialties[pid].append(code)
    licences: dict[int, list[matching.LicenceTerm]] = defaultdict(list)
    for pid, state, expires, verified in _raw(
        Licence.objects.filter(physician_id__in=ids).values_list(
            "physician_id", "state", "expires", "verified_on"
        )
    ):
        licences[pid].append(matching.LicenceTerm(state, _day(expires), _date(verified)))
    rows = _raw(Physician.objects.filter(id__in=ids).values_list(*_FIELDS))
    return [
        _physician(dict(zip(_FIELDS, row, strict=True)), specialties[row[0]], licences[row[0]])
        for row in rows
    ]


def _raw(query: Any) -> list[tuple[Any, ...]]:
    try:
        sql, params = query.query.sql_with_params()
    except EmptyResultSet:  # a filter on no ids at all (an empty proposal): no rows
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _physician(
    row: dict[str, Any], specialties: list[str], licences: list[matching.LicenceTerm]
) -> matching.PhysicianProfile:
    services = [
        s
        for s, on in (("peer_review", row["offers_peer_review"]), ("ime", row["offers_ime"]))
        if on
    ]
    return matching.PhysicianProfile(
        npi=row["npi"],
        name=row["name"],
        specialties=tuple(specialties),
        licences=tuple(licences),
        services=frozenset(services),
        zip=row["zip"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        board_certified=bool(row["board_certified"]),
        board_verified_on=_date(row["board_verified_on"]),
        sanctions_checked_on=_date(row["sanctions_checked_on"]),
        sanctioned=bool(row["sanctioned"]),
        languages=_set(row["languages"]) or frozenset({"en"}),
        weekly_capacity=row["weekly_capacity"],
        # The matcher's load: medreview's own open assignments and the outside work.
        open_assignments=row["open_assignments"] + row["outside_assignments"],
        median_turnaround_days=row["median_turnaround_days"],
        qa_score=row["qa_score"],
        affiliations=_set(row["affiliations"]),
        fee_peer_review=_float(row["fee_peer_review"]),
        fee_ime=_float(row["fee_ime"]),
    )


def _date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value)


def _day(value: Any) -> date:
    found = _date(value)
    assert found is not None  # the column is NOT NULL
    return found


def _set(value: Any) -> frozenset[str]:
    """A JSON list column as a set: text from SQLite, a list from PostgreSQL."""
    if isinstance(value, str):
        return _set_of_text(value)
    return frozenset(value or ())


@lru_cache(maxsize=8192)
def _set_of_text(text: str) -> frozenset[str]:
    # Languages and groups repeat across physicians: each distinct list is parsed once.
    return frozenset(json.loads(text) or ())


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def groups_of(npis: Iterable[str]) -> dict[str, frozenset[str]]:
    """The groups and employers of the network's physicians among these NPIs."""
    return {
        npi: frozenset(groups or [])
        for npi, groups in Physician.objects.filter(npi__in=sorted(set(npis))).values_list(
            "npi", "affiliations"
        )
    }


def request_for(
    referral: ReferralData,
    service: str,
    *,
    today: date,
    top: int = 10,
    groups: dict[str, frozenset[str]] | None = None,
) -> matching.Request:
    """What to look for to review or examine this referral, on the day of the match (the
    thresholds of the environment set when the service would be due). A treating provider
    who is in the network brings their groups into the conflict check, even when their
    specialty keeps them out of the pool (`groups`: the network's groups by NPI, read here
    when not given)."""
    request = matching.request_for(
        referral, service, today=today, thresholds=rule_thresholds(os.environ), top=top
    )
    if groups is None:
        groups = groups_of(request.treating_npis)
    theirs = {g for npi in request.treating_npis for g in groups.get(npi, ())}
    if theirs:
        request = replace(request, treating_groups=request.treating_groups | theirs)
    return request


def match_referral(
    referral: ReferralData,
    service: str,
    *,
    today: date,
    top: int = 10,
    rules: JurisdictionRules | None = None,
    declined: frozenset[str] = frozenset(),
) -> matching.Match:
    """The candidates of the network for a referral's review or exam, on the day of the match
    (never one of the `declined`: physicians who declined or recused from it)."""
    request = replace(request_for(referral, service, today=today, top=top), declined_npis=declined)
    return match_request(request, rules)


def match_request(
    request: matching.Request, rules: JurisdictionRules | None = None
) -> matching.Match:
    """The candidates of the network for a request made (`request_for`, with whoever may not
    take it set aside)."""
    network = load_network(matching.similar_codes(request.specialties), request.service)
    return matching.match(network, request, rules or current_rules())
