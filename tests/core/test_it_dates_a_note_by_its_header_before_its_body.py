"""The date of service is the header's before the body's: a note's "Date:" under its letterhead
is its own, while the body's "was seen on" or "a prior examination dated" tells of another
visit; and a fax stamp at the top of a later page is never the date, even when the page before
ends on "discharged"."""

from __future__ import annotations

from datetime import date

from medreview.core.records.dates import service_date

HEAD = """Good Samaritan Rehabilitation Services    Ph: 329.274.6527
7781 Medical Center Parkway, Suite 209, Madison, WI 53703
Patient: Terrence Boyd   MRN 836483
Date: August 28, 2025    Provider: Tomas E. Prakash-Whitley, DO
"""


def test_the_headers_date_comes_before_a_visit_the_body_tells_of() -> None:
    body = "HISTORY: Last seen in clinic 4 months ago. The patient was seen on 10/30/07.\n"
    assert service_date(HEAD + body) == date(2025, 8, 28)


def test_a_prior_examination_dated_is_not_the_date_of_service() -> None:
    text = "EXAM: CT stone protocol.\nFINDINGS: Compared with a prior examination dated 01/20/09.\n"
    assert service_date(text) is None


def test_a_later_pages_fax_stamp_is_not_the_discharge_date() -> None:
    first = """DISCHARGE SUMMARY
ADMISSION DIAGNOSIS: End-stage renal disease.
HOSPITAL COURSE: Today the patient is deemed stable to be discharged"""
    second = (
        "Nov 27 2026 12:12PM   Northgate Orthopaedic   474-513-3765   p.9\nhome on oral medicines."
    )
    assert service_date(first + "\f" + second, discharge=True) is None
