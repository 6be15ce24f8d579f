"""What a client sends: the claim, the claimant, the treating providers, the questions and the
bills under dispute (the case folder's `referral.json`, docs/rules.md "The referral"), as the
rules need it. Built by `core.case.folder` from the JSON, and by the web application from a
stored referral; handed to every rule of the core."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from medreview.core import vocabulary

QUESTION_TYPES = tuple(vocabulary.QUESTION_TYPES)


@dataclass(frozen=True)
class Provider:
    """A treating provider named in the referral."""

    name: str
    npi: str | None = None
    specialty: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    text: str
    treatment: str | None = None


@dataclass(frozen=True)
class BillLine:
    """A billed service: from the referral's `bills`, or read off a billing document's page."""

    date: date
    code: str
    description: str | None = None
    provider: str | None = None
    units: int | None = None
    amount: float | None = None
    file: str | None = None
    page: int | None = None


@dataclass(frozen=True)
class ReferralData:
    """What the client sent (`data/referral.schema.json`), as the rules need it."""

    claim_number: str
    line_of_business: str
    jurisdiction: str
    questions: tuple[Question, ...]
    received: date
    due: date | None = None
    date_of_injury: date | None = None
    body_parts: tuple[str, ...] = ()
    providers: tuple[Provider, ...] = ()
    bills: tuple[BillLine, ...] = ()
    requested_service: str = "triage"
    claimant_zip: str | None = None
    claimant_language: str | None = None
    # ERISA appeal: the professionals consulted on the first decision (never its reviewer).
    first_decision_npis: tuple[str, ...] = ()
