"""The thresholds of the triage and gap rules (docs/rules.md), all settings: defaults here,
overridden by `MEDREVIEW_<NAME>` variables (`core.config`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    """The thresholds of the triage and gap rules, all settings."""

    recent_exam_days: int = 90
    min_business_days_to_obtain_records: int = 10
    min_clinical_documents: int = 2
    peer_review_turnaround_days: int = 3
    ime_lead_time_days: int = 15
    addendum_turnaround_days: int = 2
    treatment_gap_days: int = 45
