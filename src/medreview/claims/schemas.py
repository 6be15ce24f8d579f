"""Shapes of the referrals API (docs/api.md): the list of referrals and a referral's audit trail."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema


class ReferralSummary(Schema):
    id: str
    claim_number: str
    status: str
    jurisdiction: str
    received: date
    due: date | None
    path: str | None
    created: datetime


class ReferralList(Schema):
    items: list[ReferralSummary]
    count: int


class Event(Schema):
    at: str
    actor: str
    action: str
    detail: dict[str, Any]
    hash: str
    prev_hash: str


class Trail(Schema):
    events: list[Event]
    verified: bool
