from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema


class AssignmentIn(Schema):
    service: Literal["peer_review", "ime"]
    npi: str = Field(max_length=20)


class AssignmentOut(Schema):
    id: int
    service: str
    npi: str
    due: date


class CandidateOut(Schema):
    npi: str
    name: str
    score: float
    distance_miles: float | None
    reasons: list[str]


class CandidatesOut(Schema):
    service: str
    candidates: list[CandidateOut]
    excluded: dict[str, int]
    eligible: int
    rules: list[str]


class BatchCreated(Schema):
    id: int
    status: str


class BatchOut(Schema):
    id: int
    status: str
    created: datetime
    applied: datetime | None
    error: str | None
    proposal: dict[str, Any] | None
    rows: list[dict[str, Any]]


class BatchApplied(Schema):
    id: int
    status: str
    assigned: list[AssignmentOut]
