"""A note's kind is what it says, not who sent it: a short operative note faxed under an
imaging center's letterhead is an operative report, not an imaging report."""

from __future__ import annotations

from medreview.core.records.classify import classify_kind
from medreview.core.records.heads import without_head

OPERATION = """DESCRIPTION OF PROCEDURE: The eye was prepped and draped in sterile fashion. A
scleral buckle was placed and the conjunctiva closed.
"""


def _under(facility: str, body: str) -> str:
    return f"""{facility}
1367 College Avenue, Springfield, IL 62704
Phone 628.356.5701
Patient: Priya Raman   DOB: 07/15/1950
Provider: Samuel R. Carvalho, MD     Date of Service: 06/28/2026

{body}"""


def test_the_senders_name_does_not_make_the_kind() -> None:
    text = _under("Pinecrest Imaging Center", OPERATION)
    assert classify_kind(without_head(text)).kind == "operative_report"
