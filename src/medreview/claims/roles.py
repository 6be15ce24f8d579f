"""The roles of the people who use medreview (docs/architecture.md, "Who uses it"): a client's people, the review desk's people, and the
network's physicians. What each role may do is the table of `claims.permissions`."""

from __future__ import annotations

CLIENT_ROLES = ("adjuster", "nurse_case_manager", "risk_manager")
REVIEW_ROLES = ("coordinator", "scheduler", "qa", "admin")
ROLES = (*CLIENT_ROLES, *REVIEW_ROLES, "physician")
ROLE_LABELS = {
    "adjuster": "Adjuster",
    "nurse_case_manager": "Nurse case manager",
    "risk_manager": "Risk manager",
    "coordinator": "Intake coordinator",
    "scheduler": "Scheduler",
    "qa": "QA nurse",
    "admin": "Administrator",
    "physician": "Physician",
}
