"""Shapes of the referrals API (contracts/INTERFACES.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema


class Created(Schema):
    id: str
    status: str


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


class ReferralDetail(Schema):
    id: str
    status: str
    claim: dict[str, Any]
    questions: list[dict[str, Any]]
    triage: dict[str, Any] | None
    decision: dict[str, Any] | None
    records: list[dict[str, Any]]
    corrections: list[dict[str, Any]]
    records_requests: list[dict[str, Any]]
    processing_error: str | None
