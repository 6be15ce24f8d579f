"""A referral form refused for a field to correct keeps the record files attached to it,
encrypted as records are, shows them by name and size, and sends them with the corrected
form; each can be removed. They are the attaching person's alone, gone after a day, and a
corrected form that fails again writes nothing and keeps them for another try."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cases import REFERRAL
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from webapp import login

from medreview.audit.models import AuditEvent
from medreview.claims.errors import ActionError
from medreview.claims.models import Referral
from medreview.records import storage
from medreview.records.actions import Upload, do_create_referral, do_keep_uploads
from medreview.records.models import PendingUpload, RecordFile

pytestmark = pytest.mark.django_db(transaction=True)
MRI = b"MRI RIGHT KNEE\nDate of Service: 06/25/2026\nComplex tear of the medial meniscus.\n" * 40
NOTE = b"PROGRESS NOTE\nDate of Service: 06/20/2026\nRight knee pain after a fall at work.\n"


def _fields(**changes: Any) -> dict[str, Any]:
    return {
        "via": "fields",
        "claim_number": "CA-WC-26-5551",
        "line_of_business": "workers_comp",
        "jurisdiction": "CA",
        "claimant_name": "Rosa Vidal",
        "requested_service": "triage",
        "question_1_type": "medical_necessity",
        "question_1_text": "Is more physical therapy necessary?",
        **changes,
    }


def _records() -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile("mri.pdf", MRI), SimpleUploadedFile("note.txt", NOTE)]


@pytest.fixture(autouse=True)
def own_documents(settings: Any, tmp_path: Path) -> None:
    """Each test's stored documents in a folder of its own: what a test counts there is its
    own, whatever other tests of the same process store or delete meanwhile."""
    settings.DOCUMENTS_DIR = tmp_path / "documents"


def _stored() -> set[str]:
    return {p.name for p in Path(storage._root()).iterdir()}


def _refused(client: Any) -> tuple[Any, list[PendingUpload]]:
    """The form sent with its question's type left empty, and two records attached."""
    answer = client.post("/referrals/new/", _fields(question_1_type="", records=_records()))
    assert answer.status_code == 422
    return answer, list(PendingUpload.objects.order_by("name"))


def test_a_refused_forms_files_are_kept_encrypted_and_shown_by_name_and_size(
    people: Any,
) -> None:
    answer, kept = _refused(login(people.adjuster_a))
    page = answer.content.decode()
    assert "Choose the question&#x27;s type." in page
    assert "Kept from your last attempt" in page and "need not attach them again" in page
    for name, size in (("mri.pdf", len(MRI)), ("note.txt", len(NOTE))):
        assert f"{name} ({filesizeformat(size)})" in page
    assert [(p.name, p.size, p.owner) for p in kept] == [
        ("mri.pdf", len(MRI), people.adjuster_a),
        ("note.txt", len(NOTE), people.adjuster_a),
    ]
    for p in kept:
        assert f'name="kept" value="{p.pk}"' in page
        raw = (storage._root() / p.stored_as).read_bytes()
        assert b"meniscus" not in raw and b"knee" not in raw
    assert storage.load(kept[0].stored_as) == MRI
    event = AuditEvent.objects.get(action="uploads.kept")
    assert event.detail == {"files": ["mri.pdf", "note.txt"]}


def test_the_corrected_form_sends_the_kept_files_with_the_new_ones(people: Any) -> None:
    client = login(people.adjuster_a)
    _, kept = _refused(client)
    answer = client.post(
        "/referrals/new/",
        _fields(kept=[str(p.pk) for p in kept], records=[SimpleUploadedFile("note.txt", b"again")]),
    )
    assert answer.status_code == 302, answer.content.decode()
    made = Referral.objects.get()
    files = {f.name: f for f in RecordFile.objects.filter(referral=made)}
    assert sorted(files) == ["records/mri.pdf", "records/note-2.txt", "records/note.txt"]
    # The kept content moved to the records, not stored twice.
    assert files["records/mri.pdf"].stored_as == kept[0].stored_as
    assert storage.load(files["records/note.txt"].stored_as) == NOTE
    assert PendingUpload.objects.count() == 0
    received = AuditEvent.objects.get(action="referral.received")
    assert received.detail["records"] == [
        "records/mri.pdf",
        "records/note.txt",
        "records/note-2.txt",
    ]


def test_a_kept_file_removed_is_deleted_and_the_form_comes_back_as_typed(people: Any) -> None:
    client = login(people.adjuster_a)
    _, (mri, note) = _refused(client)
    answer = client.post(
        "/referrals/new/",
        _fields(question_1_type="", kept=[mri.pk, note.pk], remove_kept=str(mri.pk)),
    )
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "Removed mri.pdf: it will not be sent." in page
    assert "Choose the question&#x27;s type." not in page  # no submission: nothing judged
    assert 'value="CA-WC-26-5551"' in page
    assert f'name="kept" value="{note.pk}"' in page and f'value="{mri.pk}"' not in page
    assert list(PendingUpload.objects.all()) == [note]
    assert mri.stored_as not in _stored() and note.stored_as in _stored()


def test_a_refused_referral_jsons_records_are_kept_too(people: Any) -> None:
    client = login(people.adjuster_a)
    answer = client.post(
        "/referrals/new/",
        {
            "via": "file",
            "referral_file": SimpleUploadedFile("referral.json", b"{"),
            "records": _records(),
        },
    )
    assert answer.status_code == 422
    assert "Kept from your last attempt" in answer.content.decode()
    kept = list(PendingUpload.objects.all())
    assert len(kept) == 2
    sent = client.post(
        "/referrals/new/",
        {
            "via": "file",
            "referral_file": SimpleUploadedFile("referral.json", json.dumps(REFERRAL).encode()),
            "kept": [p.pk for p in kept],
        },
    )
    assert sent.status_code == 302
    assert Referral.objects.get().record_files.count() == 2


def test_an_empty_file_is_not_kept_and_the_page_says_so(people: Any) -> None:
    answer = login(people.adjuster_a).post(
        "/referrals/new/",
        _fields(question_1_type="", records=[SimpleUploadedFile("blank.pdf", b"")]),
    )
    assert "Not kept: record file &#x27;blank.pdf&#x27; is empty" in answer.content.decode()
    assert PendingUpload.objects.count() == 0


def test_another_person_never_sees_uses_or_removes_someone_elses_kept_file(
    people: Any,
) -> None:
    _, kept = _refused(login(people.adjuster_a))
    ids = [str(p.pk) for p in kept]
    other = login(people.adjuster_b)

    used = other.post("/referrals/new/", _fields(kept=ids))
    assert used.status_code == 422
    assert "no longer kept" in used.content.decode()
    assert "mri.pdf" not in used.content.decode()
    assert Referral.objects.count() == 0

    shown = other.post("/referrals/new/", _fields(question_1_type="", kept=ids))
    assert "mri.pdf" not in shown.content.decode() and "Kept from" not in shown.content.decode()

    removed = other.post("/referrals/new/", _fields(kept=ids, remove_kept=ids[0]))
    assert "Removed" not in removed.content.decode()

    for desk in (people.coordinator, people.physician):
        refused = login(desk).post("/referrals/new/", _fields(kept=ids, remove_kept=ids[0]))
        assert refused.status_code == 403
        assert b"mri.pdf" not in refused.content
    assert list(PendingUpload.objects.order_by("name")) == kept
    assert all(p.stored_as in _stored() for p in kept)
    assert RecordFile.objects.count() == 0


def test_kept_files_older_than_a_day_are_removed_when_the_form_is_next_used(
    people: Any,
) -> None:
    _, (old, recent) = _refused(login(people.adjuster_a))
    PendingUpload.objects.filter(pk=old.pk).update(kept=timezone.now() - timedelta(hours=25))
    assert login(people.adjuster_b).get("/referrals/new/").status_code == 200
    assert list(PendingUpload.objects.all()) == [recent]
    assert old.stored_as not in _stored() and recent.stored_as in _stored()
    expired = AuditEvent.objects.get(action="uploads.expired")
    assert (expired.actor, expired.detail, expired.organisation) == (
        "system",
        {"files": 1},
        people.client_a,
    )
    answer = login(people.adjuster_a).post("/referrals/new/", _fields(kept=[old.pk, recent.pk]))
    assert answer.status_code == 422
    assert "no longer kept (files are kept for a day): attach it again" in answer.content.decode()


def test_a_corrected_form_that_fails_writes_nothing_and_keeps_the_files(people: Any) -> None:
    kept, _ = do_keep_uploads(people.adjuster_a, [Upload("mri.pdf", MRI)])
    gone, _ = do_keep_uploads(people.adjuster_a, [Upload("note.txt", NOTE)])
    PendingUpload.objects.filter(pk=gone[0].pk).delete()  # expired meanwhile
    before, events = _stored(), AuditEvent.objects.count()
    with pytest.raises(ActionError, match="no longer kept"):
        do_create_referral(
            people.client_a,
            actor=people.adjuster_a,
            referral_text=json.dumps(REFERRAL),
            uploads=[Upload("new.txt", b"a new record")],
            kept=[kept[0].pk, gone[0].pk],
        )
    assert Referral.objects.count() == 0 and RecordFile.objects.count() == 0
    assert list(PendingUpload.objects.all()) == kept
    assert _stored() == before  # the new file's content was removed again
    assert AuditEvent.objects.count() == events
