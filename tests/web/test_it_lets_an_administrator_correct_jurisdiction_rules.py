"""The jurisdiction rules are data with their citations, which an administrator corrects
(`/settings/jurisdiction-rules/`): a rule's value and citation replaced, a row added, a
state's shipped row removed (its default then applies), the shipped rule restored. The rules
in force (`claims.rules.current_rules`) follow at once; each change is in the audit trail. A
bad value is refused with a message naming the rule, and nothing changes. The desk reads the
rules; only an administrator changes them; a client's people and physicians see none."""

from __future__ import annotations

from typing import Any

import pytest
from webapp import login

from medreview.audit.models import AuditEvent
from medreview.claims.actions import do_create_user
from medreview.claims.models import JurisdictionRuleEdit
from medreview.claims.permissions import COMMAND_LINE
from medreview.claims.rules import current_rules

pytestmark = pytest.mark.django_db(transaction=True)
URL = "/settings/jurisdiction-rules/"
CHANGE = "/settings/jurisdiction-rules/change/"
NY_REPORT = {
    "jurisdiction": "NY",
    "service": "ime",
    "rule": "ime_report_business_days",
    "value": "8",
    "citation": "WCL 137(1)(a); 12 NYCRR 300.2(d)(11), as amended",
    "confidence": "H",
    "note": "corrected from the Board's bulletin",
}


def _admin(people: Any) -> Any:
    return do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
    )


def _state() -> tuple[list[tuple[str, str, str, str, bool]], int]:
    edits = JurisdictionRuleEdit.objects.order_by("jurisdiction", "service", "rule")
    return [
        (e.jurisdiction, e.service, e.rule, e.value, e.removes) for e in edits
    ], AuditEvent.objects.count()


def test_the_desk_reads_every_rule_in_force_with_its_citation(people: Any) -> None:
    page = login(people.coordinator).get(URL).content.decode()
    assert "WCL 137(1)(a)" in page and "8 CCR 38" in page and "28 TAC 19.2010" in page
    assert "the examiner&#x27;s report due after the exam (business days)" in page
    assert "Save the rule" not in page  # reading only


def test_an_administrator_corrects_adds_removes_and_restores_a_rule(people: Any) -> None:
    admin = login(_admin(people))
    assert current_rules().rule("NY", "ime", "ime_report_business_days").value == "10"

    assert admin.post(CHANGE, {**NY_REPORT, "action": "save"}).status_code == 302
    rule = current_rules().rule("NY", "ime", "ime_report_business_days")
    assert (rule.value, rule.citation) == ("8", NY_REPORT["citation"])
    event = AuditEvent.objects.get(action="jurisdiction_rule.corrected")
    assert event.chain == f"organisation:{people.reviewer.pk}"
    assert (event.detail["from"]["value"], event.detail["to"]["value"]) == ("10", "8")
    page = admin.get(URL).content.decode()
    assert "corrected" in page and "ada@review.example" in page and "shipped: 10" in page

    # A row the data lacks: Florida's report in calendar days.
    added = {**NY_REPORT, "jurisdiction": "fl", "rule": "ime_report_days", "value": "15"}
    assert admin.post(CHANGE, {**added, "citation": "FS 440.13(5)(c)"}).status_code == 302
    assert current_rules().rule("FL", "ime", "ime_report_days").citation == "FS 440.13(5)(c)"
    assert AuditEvent.objects.filter(action="jurisdiction_rule.added").count() == 1

    # California's own distance row removed: the default row applies to California.
    removed = {"jurisdiction": "CA", "service": "ime", "rule": "ime_distance_limit_miles"}
    assert admin.post(CHANGE, {**removed, "removes": "on"}).status_code == 302
    assert current_rules().rule("CA", "ime", "ime_distance_limit_miles").jurisdiction == "*"
    assert "Shipped rows removed" in admin.get(URL).content.decode()

    # Restored: the shipped rows again, and the added one gone.
    for key in (NY_REPORT, added, removed):
        restore = {k: key[k] for k in ("jurisdiction", "service", "rule")}
        restore["jurisdiction"] = restore["jurisdiction"].upper()
        assert admin.post(CHANGE, {**restore, "action": "restore"}).status_code == 302
    rules = current_rules()
    assert rules.rule("NY", "ime", "ime_report_business_days").value == "10"
    assert rules.rule("CA", "ime", "ime_distance_limit_miles").jurisdiction == "CA"
    assert rules.maybe("FL", "ime", "ime_report_days") is None
    assert JurisdictionRuleEdit.objects.count() == 0
    assert AuditEvent.objects.filter(action="jurisdiction_rule.restored").count() == 3


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        (
            {"rule": "ime_distance_limit_miles", "jurisdiction": "CA", "value": "far"},
            "ime_distance_limit_miles needs a number, not &#x27;far&#x27;",
        ),
        (
            {"rule": "ime_report_business_days", "value": "7.5"},
            "ime_report_business_days needs a whole number, not &#x27;7.5&#x27;",
        ),
        (
            {"rule": "examiner_board_certified", "value": "maybe"},
            "examiner_board_certified is yes or no, not &#x27;maybe&#x27;",
        ),
        ({"jurisdiction": "ZZ"}, "ime_report_business_days: &#x27;ZZ&#x27; is not a US state"),
        ({"citation": ""}, "ime_report_business_days: give the rule&#x27;s citation"),
        (
            {"jurisdiction": "*", "removes": "on"},
            "ime_report_business_days: the default row is what every state without its own",
        ),
    ],
)
def test_a_bad_rule_is_refused_naming_it_and_nothing_changes(
    people: Any, posted: dict[str, str], message: str
) -> None:
    admin = login(_admin(people))
    before = _state()
    refused = admin.post(CHANGE, {**NY_REPORT, **posted})
    assert refused.status_code == 422
    assert message in refused.content.decode()
    assert _state() == before
    assert current_rules().rule("NY", "ime", "ime_report_business_days").value == "10"


def test_nobody_but_an_administrator_changes_a_rule_and_clients_see_none(people: Any) -> None:
    _admin(people)
    before = _state()
    for person in (people.coordinator, people.qa, people.adjuster_a, people.physician):
        assert login(person).post(CHANGE, NY_REPORT).status_code == 403
    for person in (people.adjuster_a, people.adjuster_b, people.physician):
        assert login(person).get(URL).status_code == 403
    assert _state() == before


def test_the_page_reads_the_same_few_queries_however_many_corrections(people: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = login(_admin(people))
    with CaptureQueriesContext(connection) as few:
        admin.get(URL)
    for state in ("NY", "TX", "FL", "GA"):
        admin.post(CHANGE, {**NY_REPORT, "jurisdiction": state})
    with CaptureQueriesContext(connection) as many:
        page = admin.get(URL).content.decode()
    assert page.count('<span class="badge">corrected</span>') == 4
    assert len(many) == len(few)
