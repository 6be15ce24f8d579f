"""The claim file's third section keeps what people did about the records: each gap with the
page that revealed it, the records request made for it (provider, state, who and when), a
document's kind corrected and a gap dismissed, each with who, when and the reason given."""

from __future__ import annotations

from typing import Any

import pytest
from claim_files import files_of, text_of
from webapp import EXAMPLE_NOTE, api, run_worker, send

from medreview.claims.models import Referral
from medreview.records.actions import do_correct_document, do_dismiss_gap, do_request_records
from medreview.records.corrections import gap_key

pytestmark = pytest.mark.django_db(transaction=True)


def test_gaps_requests_and_corrections_are_kept_with_their_reasons(people: Any) -> None:
    cited = EXAMPLE_NOTE + "The MRI of the right knee of 06/10/2026 was reviewed: a tear.\n"
    token = people.token(people.adjuster_a)
    rid = send(token, files={"note.txt": cited.encode()}).json()["id"]
    run_worker()
    referral = Referral.objects.get(pk=rid)
    gap = referral.triage["gaps"][0]
    page = gap["source"]["page"]
    asked, _ = do_request_records(referral, actor=people.coordinator, gap=gap_key(gap))
    do_correct_document(
        referral,
        actor=people.adjuster_a,
        document="records/note.txt",
        kind="consult_report",
        day=None,
        reason="It is the surgeon's consultation.",
    )
    before = api(token).get(f"/api/v1/referrals/{rid}/claim-file.zip")
    text = " ".join(text_of(files_of(before)["claim-file.pdf"]).split())
    assert "Study report missing" in text
    assert f"Evidence: records/note.txt, page {page}" in text
    assert f"Records request: Requested from the provider, from {asked.provider}" in text
    assert "Asked: " in text and f"by {people.coordinator.email}" in text
    assert "It is the surgeon's consultation." in text
    assert "records/note.txt: kind Consultation report" in text

    do_dismiss_gap(
        Referral.objects.get(pk=rid),
        actor=people.coordinator,
        gap=gap_key(gap),
        reason="The MRI was sent by fax; it is on the way.",
    )
    after = api(token).get(f"/api/v1/referrals/{rid}/claim-file.zip")
    text = " ".join(text_of(files_of(after)["claim-file.pdf"]).split())
    # The part's heading, after its line in the contents on page 1.
    dismissed = text.split("Gaps dismissed")[2].split("People's corrections", 1)[0]
    assert "Study report missing" in dismissed
    assert f"by {people.coordinator.email}" in dismissed
    assert "Reason: The MRI was sent by fax; it is on the way." in dismissed
