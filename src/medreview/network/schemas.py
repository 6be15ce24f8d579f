from __future__ import annotations

from ninja import Schema


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
