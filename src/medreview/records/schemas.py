"""Shapes of the referrals API's intake (docs/api.md)."""

from __future__ import annotations

from ninja import Schema


class Created(Schema):
    id: str
    status: str
