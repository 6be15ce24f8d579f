from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema


class SlotOut(Schema):
    start: str = Field(description="The office's own time, without an offset: 2026-12-14T09:00")
    location: str = Field(description="The office's address and ZIP")
    zip: str
    distance_miles: float | None = Field(description="From the claimant's ZIP (centroids)")
    npi: str | None = Field(None, description="The examiner (when no npi was asked for)")
    name: str | None = None


class SlotsOut(Schema):
    slots: list[SlotOut]
    earliest_allowed: date = Field(
        description="The first day an exam may be held: the notice, in business days, and the"
        " time since the claim's last IME"
    )
    latest_allowed: date | None = Field(description="The last, where the jurisdiction sets one")
    because: list[str] = Field(description="The rules that set those days, with citations")
    closed: str | None = Field(
        description="Why no exam may be booked at all (a frequency limit), with its citation"
    )
    why_none: str | None = Field(
        description="Why the examiner asked for has no slot: the rule they break"
    )


class SlotsQuery(Schema):
    npi: str | None = Field(None, max_length=20)
    interpreter: bool = Field(
        False,
        description="Slots of examiners who do not speak the claimant's language too, with an"
        " interpreter booked",
    )


class AppointmentIn(Schema):
    npi: str = Field(max_length=20)
    start: datetime = Field(description="The office's own time, without an offset")
    interpreter: bool = False
    transport: bool = False


class AppointmentOut(Schema):
    id: int
    npi: str
    name: str
    start: str
    location: str
    zip: str
    distance_miles: float | None
    interpreter: bool
    transport: bool
    status: str
    fee: float | None
    fee_citation: str | None
    rescheduled_to: int | None
    assignment: int


class OutcomeIn(Schema):
    outcome: Literal["attended", "no_show", "late_cancel", "rescheduled"]
    note: str = ""
    start: datetime | None = Field(
        None, description="With rescheduled: the same examiner's new time, booked at once"
    )
