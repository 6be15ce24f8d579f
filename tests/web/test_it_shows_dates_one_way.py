"""Every page shows a date one way, "10 Jul 2026", and a moment one way, "3 Dec 2026, 14:05":
the work queue, the case page (the referral's dates, the rationale, the chronology, the
decision, the assignment, a records request), the queue's assignment page and a physician's
page; never the ISO "2026-07-10" nor Django's "July 10, 2026" or "Dec. 3, 2026"."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from webapp import SURGEON, call_for_peer_review, import_roster, login, run_worker, send

from medreview.reviews.models import AssignmentBatch

pytestmark = pytest.mark.django_db(transaction=True)

DUE = "10 Jul 2026"  # the test referral's due date (cases.REFERRAL: "2026-07-10")
MOMENT = re.compile(
    r"\b\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d\d:\d\d\b"
)
OTHER_FORMS = re.compile(
    r"\b\d{4}-\d\d-\d\d\b"  # ISO
    r"|\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\.? \d{1,2}, \d{4}"  # Django's "Dec. 3, 2026"
    r"|\b(January|February|March|April|June|July|August|September|October|November|December) \d"
)


def shown(answer: Any, status: int = 200) -> str:
    """The words of the page a person reads: no tags, no attribute values (form inputs of
    type date keep the ISO form browsers need), no script."""
    assert answer.status_code == status
    text = re.sub(
        r"<script.*?</script>|<style.*?</style>", " ", answer.content.decode(), flags=re.S
    )
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def one_way(text: str) -> None:
    found = OTHER_FORMS.search(text)
    assert found is None, text[max(found.start() - 80, 0) : found.end() + 40]


@pytest.fixture
def assigned(people: Any) -> str:
    import_roster(SURGEON)
    rid = send(people.token(people.adjuster_a)).json()["id"]
    run_worker()
    call_for_peer_review(rid, people.coordinator)
    return str(rid)


def test_the_work_queue_and_the_case_page(people: Any, assigned: str) -> None:
    staff = login(people.coordinator)
    queue = shown(staff.get("/"))
    assert DUE in queue and "1 Jun 2026" in queue  # due and received
    one_way(queue)

    made = staff.post(
        f"/referrals/{assigned}/assign/", {"service": "peer_review", "npi": SURGEON["npi"]}
    )
    assert made.status_code == 302
    for user in (people.coordinator, people.adjuster_a):
        case = shown(login(user).get(f"/referrals/{assigned}/"))
        assert f"due {DUE}" in case and "received 1 Jun 2026" in case
        assert "20 Jun 2026" in case  # the chronology's date of service
        assert len(MOMENT.findall(case)) >= 2  # the decision and the assignment
        one_way(case)


def test_the_assignment_page_and_a_physicians_page(people: Any, assigned: str) -> None:
    staff = login(people.coordinator)
    assert staff.post("/assignments/propose/").status_code == 302
    run_worker()
    batch = AssignmentBatch.objects.get()
    page = shown(staff.get(f"/assignments/{batch.pk}/"))
    assert DUE in page and MOMENT.search(page)
    one_way(page)

    physician = shown(staff.get(f"/network/{SURGEON['npi']}/"))
    assert "until 30 Jun 2027" in physician and "verified 1 May 2026" in physician
    one_way(physician)


def test_the_dates_stay_the_review_desks_own(people: Any, assigned: str) -> None:
    other = login(people.adjuster_b)
    for path in (f"/referrals/{assigned}/", f"/network/{SURGEON['npi']}/", "/assignments/"):
        assert other.get(path).status_code in (403, 404)
    assert DUE not in shown(other.get("/"))


def test_the_referral_forms_refusals(people: Any) -> None:
    answer = login(people.adjuster_a).post(
        "/referrals/new/", {"claim_number": "C-1", "received": "2026-12-01", "due": "2026-11-01"}
    )
    text = shown(answer, status=422)  # a refused form is a page a person reads all the same
    assert "The due date is before the received date (1 Dec 2026)." in text
    # The bills' help shows the ISO form a bill line is typed in: an example, not a date shown.
    one_way(text.replace("Example: 2026-05-04 97110", ""))


def test_a_records_request(people: Any) -> None:
    note = (
        "ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/20/2026\nProvider: Maren Holt, MD\n"
        "Right knee pain. MRI of the right knee on 06/01/2026 showed a meniscus tear.\n"
    )
    rid = send(people.token(people.adjuster_a), files={"note.txt": note.encode()}).json()["id"]
    run_worker()
    nurse = login(people.adjuster_a)
    page = nurse.get(f"/referrals/{rid}/").content.decode()
    found = re.search(r'name="gap" value="(missing_diagnostic_report\|[^"]*)"', page)
    assert found is not None
    gap = html.unescape(found.group(1))
    assert nurse.post(f"/referrals/{rid}/gaps/request/", {"gap": gap}).status_code == 302
    case = shown(nurse.get(f"/referrals/{rid}/"))
    assert "MRI of 1 Jun 2026 cited in the progress note of 20 Jun 2026" in case  # the item asked
    one_way(case)
