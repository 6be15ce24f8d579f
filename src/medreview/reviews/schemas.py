from __future__ import annotations

from datetime import date
from typing import Literal

from ninja import Schema


class AssignmentIn(Schema):
    service: Literal["peer_review", "ime"]
    npi: str


class AssignmentOut(Schema):
    id: int
    service: str
    npi: str
    due: date
