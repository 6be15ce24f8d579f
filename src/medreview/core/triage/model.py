"""The triage's answer: the recommended path, its rationale, and each question's route."""

from __future__ import annotations

from dataclasses import dataclass

PATHS = ("peer_review_first", "ime_first", "obtain_records_first", "concurrent")


@dataclass(frozen=True)
class QuestionRoute:
    id: str
    type: str
    route: str  # records | exam
    reason: str


@dataclass(frozen=True)
class Triage:
    path: str
    rationale: tuple[str, ...]
    questions: tuple[QuestionRoute, ...]
    business_days_to_due: int | None
