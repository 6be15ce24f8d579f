"""Pages speak the users' words: no contract code (`ime_first`, `functional_capacity`,
`missing_diagnostic_report`, `jurisdiction_licence`…), no rule number and no document a user
cannot open appear in what a page shows; the codes stay in the API and in form values."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from cases import REFERRAL
from webapp import SURGEON, import_roster, login, run_worker, send

from medreview.core import vocabulary

pytestmark = pytest.mark.django_db(transaction=True)
CODES = {
    code
    for words in (
        vocabulary.DOCUMENT_KINDS,
        vocabulary.PATHS,
        vocabulary.QUESTION_TYPES,
        vocabulary.GAP_KINDS,
        vocabulary.MATCHING_RULES,
    )
    for code in words
    if "_" in code
}
NOTE = (
    "ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/20/2026\nProvider: Maren Holt, MD\n"
    "Right knee pain after a fall at work. MRI of the right knee on 06/01/2026 showed a "
    "medial meniscus tear.\nASSESSMENT: Right knee medial meniscus tear. Plan: physical therapy."
)


class _Text(HTMLParser):
    """The text a person sees: no tags, no attribute values, no scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._skip += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self._skip -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def shown(page: bytes) -> str:
    parser = _Text()
    parser.feed(page.decode())
    return " ".join(parser.parts)


def test_the_case_page_and_the_queue_show_words(people: Any) -> None:
    import_roster(SURGEON)
    referral = copy.deepcopy(REFERRAL)
    referral["questions"].append(
        {"id": "q9", "type": "functional_capacity", "text": "What can he lift?"}
    )
    rid = send(people.token(people.adjuster_a), referral, files={"n.txt": NOTE.encode()}).json()
    run_worker()
    nurse = login(people.adjuster_a)
    nurse.post(
        f"/referrals/{rid['id']}/decision/",
        {"decision": "override", "path": "ime_first", "reason": "an exam is wanted"},
    )
    pages = {
        "case (client)": nurse.get(f"/referrals/{rid['id']}/").content,
        "queue (client)": nurse.get("/").content,
        "case (desk)": login(people.coordinator)
        .get(f"/referrals/{rid['id']}/?service=ime")
        .content,
        "queue (desk)": login(people.coordinator).get("/").content,
    }
    for name, page in pages.items():
        text = shown(page)
        found = sorted(code for code in CODES if re.search(rf"\b{code}\b", text))
        assert not found, (name, found)
        assert not re.search(r"\bRule [1-4]\b|DESIGN\.md|INTERFACES\.md", text), name
    desk = shown(pages["case (desk)"])
    assert "_in_state" not in desk and "distance_limit" not in desk
    assert "an examiner must hold a CA licence" in desk
    case = shown(pages["case (client)"])
    assert "Functional capacity" in case and "IME first" in case
    assert "Study report missing" in case and "Progress note" in case
