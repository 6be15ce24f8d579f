"""The shape of a whole referral, as `GET /api/v1/referrals/{id}` answers it (docs/api.md):
what the claims, records and triage apps each hold of it."""

from __future__ import annotations

from typing import Any

from ninja import Schema


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
