"""A clock that becomes nearly late or late is told once (docs/workflow.md, "Turnaround
clocks"): the background check (`outbox.lateness.check_clocks`, which `medreview serve` queues
every MEDREVIEW_CLOCK_CHECK_MINUTES, and `medreview clocks check` runs for a cron) writes a
notice to the client, to the physician whose work it is and to the review desk, with an
audit event; run again, it tells nothing new. Reading the work queue never tells anything."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from cases import REFERRAL
from webapp import REVIEWER, assigned_review, login, send

from medreview.audit.models import AuditEvent
from medreview.claims.actions import do_create_user, do_set_service_levels
from medreview.claims.models import Notice
from medreview.claims.permissions import COMMAND_LINE
from medreview.cli import main
from medreview.outbox.lateness import check_clocks
from medreview.outbox.models import Email

pytestmark = pytest.mark.django_db(transaction=True)


def _told() -> list[tuple[str, str]]:
    """(to whom: the client, the desk or an NPI; the news) of every notice of a clock."""
    return sorted(
        (n.organisation.name if n.organisation else f"NPI {n.npi}", n.text)
        for n in Notice.objects.select_related("organisation")
        if " late" in n.text
    )


def test_a_late_and_a_nearly_late_clock_are_told_once(people: Any, capsys: Any) -> None:
    admin = do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="ada@review.example", role="admin"
    )
    # Client A gives a peer review one business day: due the next, so nearly late at once.
    do_set_service_levels(people.client_a, actor=admin, levels={"peer_review": 1})
    assigned_review(people)
    # Another referral whose records, received on 1 June, are still unread: late.
    unread = copy.deepcopy(REFERRAL)
    unread["claim"]["number"] = "WC-UNREAD"
    assert send(people.token(people.adjuster_a), unread).status_code == 201

    # Reading the queue, the client's and the desk's, tells nothing.
    notices = Notice.objects.count()
    login(people.adjuster_a).get("/")
    login(people.coordinator).get("/")
    assert Notice.objects.count() == notices and _told() == []
    assert not AuditEvent.objects.filter(action__startswith="clock.").exists()

    assert check_clocks.call() == {"late": 1, "nearly_late": 1}
    told = _told()
    late = "Claim WC-UNREAD: Records read is late: it was due 2 Jun 2026."
    assert [(who, text) for who, text in told if text == late] == [
        ("Client A Mutual", late),
        ("Review Desk", late),
    ]
    near = [(who, text) for who, text in told if "WC-TEST-0001" in text]
    assert [who for who, _ in near] == ["Client A Mutual", f"NPI {REVIEWER['npi']}", "Review Desk"]
    assert near[0][1].startswith(
        "Claim WC-TEST-0001: Peer review (peer review by Dana Reyes, MD) is nearly late: due "
    )
    assert AuditEvent.objects.filter(action="clock.late").count() == 1
    assert AuditEvent.objects.filter(action="clock.nearly_late").count() == 1
    # The same words by e-mail: the client's users, the desk's coordinator, the physician.
    mailed = {(e.to, e.subject.split(":")[0]) for e in Email.objects.all() if "late" in e.body}
    assert mailed == {
        ("ann@a.example", "Claim WC-UNREAD"),
        ("cora@review.example", "Claim WC-UNREAD"),
        ("ann@a.example", "Claim WC-TEST-0001"),
        ("cora@review.example", "Claim WC-TEST-0001"),
        ("dr@review.example", "Claim WC-TEST-0001"),
    }

    # Again, from the queue of tasks and from the command line: nothing new.
    assert check_clocks.call() == {"late": 0, "nearly_late": 0}
    capsys.readouterr()
    assert main(["clocks", "check"]) == 0
    assert capsys.readouterr().out.strip() == "late 0, nearly late 0"
    assert _told() == told

    # The client and the desk read the news on their queue, the physician on the portal.
    assert late in login(people.adjuster_a).get("/").content.decode()
    assert late in login(people.coordinator).get("/").content.decode()
    portal = login(people.physician).get("/portal/").content.decode()
    assert "Peer review (peer review by Dana Reyes, MD) is nearly late" in portal
    assert "WC-UNREAD" not in portal
