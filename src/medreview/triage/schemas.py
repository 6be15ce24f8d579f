from __future__ import annotations

from typing import Literal

from ninja import Schema


class DecisionIn(Schema):
    decision: Literal["accept", "override"]
    path: str | None = None
    reason: str | None = None


class DecisionOut(Schema):
    decision: str
    path: str
    recommended_path: str
    reason: str
