"""A patient line may give the birth date without a label ("Patient: Jane Doe (03/26/1954)"):
a date on the line naming the patient is never the date of service, unless labelled so."""

from __future__ import annotations

from datetime import date

from medreview.core.records.dates import service_date

HEAD = """Prairie Internal Medicine    Ph: 865-311-8057
5193 North Gate Road, Madison, WI 53703
{patient}
Date: 12/22/2025    Provider: Dmitri Adeyemi, M.D.
EXAM: CT cervical spine for trauma.
"""


def test_a_birth_date_on_the_patient_line_is_not_the_date_of_service() -> None:
    text = HEAD.format(patient="Patient: Anne-Marie Kowalczyk (03/26/1954)   MRN 187594")
    assert service_date(text) == date(2025, 12, 22)


def test_a_date_labelled_the_visit_on_the_patient_line_is_the_date_of_service() -> None:
    text = HEAD.format(patient="Patient: Anne-Marie Kowalczyk   Date of Service: 12/20/2025")
    assert service_date(text) == date(2025, 12, 20)
