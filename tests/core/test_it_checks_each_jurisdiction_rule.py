"""Each jurisdiction rule is checked alone (`check_rule`), whether a row of the shipped file or
an administrator's correction: a bad one is refused with a message naming the rule (and, in
the file, its row)."""

from __future__ import annotations

import pytest

from medreview.core.network.jurisdictions import JurisdictionRule, check_rule, parse_rules

HEADER = "jurisdiction,service,rule,value,citation,confidence,note\n"


def _rule(**changes: str) -> JurisdictionRule:
    given = {
        "jurisdiction": "NY",
        "service": "ime",
        "rule": "ime_report_business_days",
        "value": "10",
        "citation": "WCL 137(1)(a)",
        "confidence": "H",
        "note": "",
    }
    given.update(changes)
    return JurisdictionRule(**given)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"rule": "ime_report_weeks"}, "unknown rule 'ime_report_weeks'"),
        ({"service": "audit"}, "unknown service 'audit'"),
        ({"jurisdiction": "ZZ"}, "ime_report_business_days: 'ZZ' is not a US state"),
        ({"confidence": "X"}, "ime_report_business_days: confidence is H, M or S, not 'X'"),
        ({"value": "ten"}, "ime_report_business_days needs a number, not 'ten'"),
        ({"value": "-1"}, "ime_report_business_days needs a number of 0 or more, not '-1'"),
        ({"value": "nan"}, "ime_report_business_days needs a number of 0 or more, not 'nan'"),
        ({"value": "7.5"}, "ime_report_business_days needs a whole number, not '7.5'"),
        (
            {"rule": "examiner_board_certified", "value": "sometimes"},
            "examiner_board_certified is yes or no, not 'sometimes'",
        ),
    ],
)
def test_a_bad_rule_is_named_with_what_is_wrong(changes: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_rule(_rule(**changes))


def test_good_rules_pass_and_a_distance_may_have_decimals() -> None:
    check_rule(_rule())
    check_rule(_rule(jurisdiction="*"))
    check_rule(_rule(rule="ime_distance_limit_miles", value="12.5"))


def test_a_bad_row_of_the_file_is_named_by_its_row_and_rule() -> None:
    text = (
        HEADER
        + "NY,ime,ime_report_business_days,10,WCL 137,H,\nCA,ime,ime_report_days,x,8 CCR 38,H,\n"
    )
    with pytest.raises(
        ValueError, match=r"jurisdiction rules, row 3: ime_report_days needs a number"
    ):
        parse_rules(text)
