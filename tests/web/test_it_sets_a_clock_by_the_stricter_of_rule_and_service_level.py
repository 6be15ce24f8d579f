"""A stage's clock keeps the stricter of the client's service level and the jurisdiction's
limit (docs/workflow.md, "Turnaround clocks"), naming the one it keeps with its citation. The
examiner's report is the stage the rules give limits for: New York's in business days, and
California's in calendar days (30 days after the exam, 8 CCR 38), which binds only when the
client allows more; a state without a rule of its own has the default row's, named so. This
is how the exams' doors start the report's clock (`jurisdiction_limit`, then `start_clock`)."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from typing import Any

import pytest
from cases import REFERRAL
from webapp import send

from medreview.claims.actions import do_create_user, do_set_service_levels
from medreview.claims.clocks import jurisdiction_limit, start_clock
from medreview.claims.models import Referral
from medreview.claims.permissions import COMMAND_LINE
from medreview.core.triage.calendars import holidays_for
from medreview.core.triage.clocks import add_business_days

pytestmark = pytest.mark.django_db(transaction=True)
EXAM = date(2026, 6, 1)  # a Monday


def _referral(people: Any, jurisdiction: str) -> Referral:
    data = copy.deepcopy(REFERRAL)
    data["claim"]["jurisdiction"] = jurisdiction
    data["claim"]["number"] = f"WC-{jurisdiction}"
    return Referral.objects.get(pk=send(people.token(people.adjuster_a), data).json()["id"])


def _report_clock(referral: Referral) -> Any:
    limit = jurisdiction_limit(referral, "report", today=EXAM)
    return start_clock(
        referral, "report", today=EXAM, limit=limit, subject="IME by Dana Reyes, MD",
        about="assignment:1",
    )  # fmt: skip


def test_the_report_clock_keeps_the_stricter_of_rule_and_service_level(people: Any) -> None:
    california, new_york, ohio = (_referral(people, j) for j in ("CA", "NY", "OH"))
    ca_limit = jurisdiction_limit(california, "report", today=EXAM)
    assert ca_limit is not None
    assert (ca_limit.days, ca_limit.calendar, ca_limit.source) == (30, True, "CA: 8 CCR 38")

    # The desk's default, 10 business days, ends before California's 30 days.
    clock = _report_clock(california)
    holidays = holidays_for("CA", 2026, 2028)
    assert clock.due == add_business_days(EXAM, 10, holidays)
    assert (clock.business_days, clock.calendar_days) == (10, None)
    # New York's rule is 10 business days too: the rule is kept, with its citation.
    ny = _report_clock(new_york)
    assert ny.source == "NY: WCL 137(1)(a); 12 NYCRR 300.2(d)(11)"
    # Ohio has no rule of its own: the default row's, named as the default.
    oh = _report_clock(ohio)
    assert oh.source.startswith("OH: no general rule found") and "the default" in oh.source

    # A client allowing 25 business days: California's 30 calendar days bind (1 July).
    admin = do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
    )
    do_set_service_levels(people.client_a, actor=admin, levels={"report": 25})
    clock.stopped = EXAM
    clock.save()
    again = _report_clock(california)
    assert (again.calendar_days, again.business_days) == (30, None)
    assert again.due == EXAM + timedelta(days=30) and again.source == "CA: 8 CCR 38"
    # Starting a stage already running returns its clock.
    assert _report_clock(california).pk == again.pk
