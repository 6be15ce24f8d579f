"""Whoever reads the database alone (a copy of it, a stolen disk) reads no patient's name,
referral or record: every row of every table, read with SQL, holds neither the claimant's
name nor the words of the note, the physician's rationale or the client's addendum request,
while the people of the desk see them all, find the claimant by the start of a name, and sort
by it. A key rotation encrypts the fields again, and the old key is not retired while one
still needs it."""

from __future__ import annotations

from typing import Any

import pytest
from cases import REFERRAL
from django.db import connection
from webapp import api, delivered_review, login, post, send

from medreview.cli import main

pytestmark = pytest.mark.django_db(transaction=True)

NAME = REFERRAL["claimant"]["name"]
RATIONALE = "The Zolpidem-like rationale of Dr Quillfeather."
REQUEST = "Does the Pemberton arthrogram change it?"


def _every_value() -> str:
    """Every value of every table of the database, as SQL reads it."""
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')
            found += [str(value) for row in cursor.fetchall() for value in row]
    return "\n".join(found)


def _review(people: Any) -> str:
    rid, aid = delivered_review(people, determination="supported")
    from medreview.reports.models import Determination

    Determination.objects.filter(assignment_id=aid).update(rationale=RATIONALE)
    asked = post(
        api(people.token(people.adjuster_a)),
        f"/api/v1/referrals/{rid}/addenda",
        {"request": REQUEST},
    )
    assert asked.status_code == 201, asked.content
    return rid


def test_the_database_holds_no_patient_words_the_desk_reads(people: Any) -> None:
    rid = _review(people)
    stored = _every_value()
    for words in (NAME, "Right knee pain after a fall", RATIONALE, REQUEST):
        assert words not in stored, words
    adjuster = login(people.adjuster_a)
    page = adjuster.get(f"/referrals/{rid}/").content.decode()
    assert NAME in page
    assert REQUEST in page
    found = api(people.token(people.adjuster_a)).get(f"/api/v1/referrals/{rid}").json()
    assert [q["text"] for q in found["questions"]] == [q["text"] for q in REFERRAL["questions"]]
    assert found["triage"]["documents"]


def test_the_queue_finds_a_claimant_by_the_start_of_a_name_and_sorts_by_it(people: Any) -> None:
    token = people.token(people.adjuster_a)
    for number, name in (("WC-1", "Zed Alder"), ("WC-2", "Amy Brennan-Kite"), ("WC-3", "Mo Ortiz")):
        referral = {**REFERRAL, "claim": {**REFERRAL["claim"], "number": number}}
        referral["claimant"] = {**REFERRAL["claimant"], "name": name}
        assert send(token, referral).status_code == 201
    queue = login(people.adjuster_a)
    for query, shown in (("brenn", ["WC-2"]), ("KITE", ["WC-2"]), ("amy brenn", ["WC-2"])):
        page = queue.get("/", {"q": query}).content.decode()
        assert [n for n in ("WC-1", "WC-2", "WC-3") if n in page] == shown, query
    assert "WC-" not in queue.get("/", {"q": "renna"}).content.decode()  # not a word's start
    page = queue.get("/", {"sort": "claimant"}).content.decode()
    assert page.index("WC-2") < page.index("WC-3") < page.index("WC-1")
    page = queue.get("/", {"sort": "-claimant"}).content.decode()
    assert page.index("WC-1") < page.index("WC-3") < page.index("WC-2")


def _stored_name() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT claimant_name FROM claims_referral")
        (stored,) = cursor.fetchone()
    return str(stored)


def test_a_key_rotation_encrypts_the_fields_again(
    people: Any, settings: Any, tmp_path: Any
) -> None:
    from cryptography.fernet import Fernet
    from django.db.models import TextField, Value

    from medreview.claims.models import Referral

    old = settings.ENCRYPTION_KEYS[0]
    key_file = tmp_path / "encryption_key"
    key_file.write_text(f"{old}\n")
    settings.ENCRYPTION_KEY_FILE = key_file
    settings.DOCUMENTS_DIR = tmp_path / "documents"  # this test's alone: it rotates them
    rid = _review(people)
    before = _stored_name()

    assert main(["keys", "rotate"]) == 0
    newest = key_file.read_text().split()[0]
    after = _stored_name()
    assert after != before and after.startswith("enc1:")
    assert Fernet(newest.encode()).decrypt(after[5:].encode()).decode() == NAME
    # This server follows the key file: it reads what was encrypted again, without a restart.
    assert Referral.objects.get(pk=rid).claimant_name == NAME
    assert NAME in login(people.adjuster_a).get(f"/referrals/{rid}/").content.decode()

    # A value still under the old key (written by a process that had not seen the rotation).
    under_old = "enc1:" + Fernet(old.encode()).encrypt(NAME.encode()).decode()
    Referral.objects.filter(pk=rid).update(claimant_name=Value(under_old, output_field=TextField()))
    assert main(["keys", "retire"]) == 2
    assert main(["keys", "reencrypt"]) == 0
    assert main(["keys", "retire"]) == 0
    assert key_file.read_text().split() == [newest]
    assert Referral.objects.get(pk=rid).claimant_name == NAME
