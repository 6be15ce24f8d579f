"""`medreview demo` loads the example cases as referrals that arrived in the last two weeks, so a
demo opened months after the examples were written shows work in progress rather than every
referral late; receipt and due date keep their weekdays and the time between them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from medreview.claims.models import Referral
from medreview.web.demo import load_demo, recent

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def test_the_demo_referrals_arrived_lately_and_few_are_late(monkeypatch: Any) -> None:
    monkeypatch.setenv("MEDREVIEW_EXAMPLES", str(EXAMPLES))
    load_demo()
    today = date.today()
    referrals = list(Referral.objects.all())
    assert len(referrals) == len(list(EXAMPLES.glob("e0*/referral.json")))
    for r in referrals:
        assert today - timedelta(days=13) <= r.received <= today, r.claim_number
        assert r.due is not None and r.due >= r.received
    late = [r.claim_number for r in referrals if r.due is not None and r.due < today]
    assert len(late) < len(referrals) / 2, late


def test_moving_a_referral_keeps_its_weekdays_and_its_span() -> None:
    for path in sorted(EXAMPLES.glob("e0*/referral.json")):
        text = path.read_text()
        before, after = json.loads(text), json.loads(recent(text, date(2026, 12, 3)))
        old = date.fromisoformat(before["received"]), date.fromisoformat(before["due"])
        new = date.fromisoformat(after["received"]), date.fromisoformat(after["due"])
        assert old[0].weekday() == new[0].weekday() and old[1].weekday() == new[1].weekday()
        assert (new[1] - new[0]) == (old[1] - old[0])
        assert after["claim"] == before["claim"] and after.get("bills") == before.get("bills")
