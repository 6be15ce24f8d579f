"""The triage's answer: the recommended path, its rationale, and each question's route."""

from __future__ import annotations

from dataclasses import dataclass

from medreview.core import vocabulary

PATHS = tuple(vocabulary.PATHS)
# What each path calls for first: the reviews a physician is assigned to.
SERVICES_CALLED_FOR: dict[str, tuple[str, ...]] = {
    "peer_review_first": ("peer_review",),
    "ime_first": ("ime",),
    "concurrent": ("peer_review", "ime"),
    "obtain_records_first": (),
}


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
