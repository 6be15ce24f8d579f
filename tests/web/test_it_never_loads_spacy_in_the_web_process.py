"""The web process serves every page, takes referrals and corrections, and never loads spaCy:
reading records (and so medspaCy's ConText) is the background workers' work, in processes
of their own, as `medreview serve` starts them (web/runtime.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from cases import REFERRAL

# One web process: Django set up as `medreview serve` sets it up, its pages handled by the
# test client, and the background worker run beside it as a process of its own.
WEB_PROCESS = r"""
import json, subprocess, sys

from medreview.web.runtime import setup

setup()

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from medreview.claims.actions import do_create_organisation, do_create_token, do_create_user
from medreview.claims.models import Referral
from medreview.claims.permissions import COMMAND_LINE

REFERRAL = sys.argv[1]
NOTE = (
    b"ORTHOPAEDIC PROGRESS NOTE\nDate of Service: 06/20/2026\nProvider: Maren Holt, MD\n"
    b"Right knee pain after a fall at work. No MRI is indicated. Will consider EMG if "
    b"symptoms persist. Plan: physical therapy.\n"
)
PASSWORD = "correct horse battery"
client_org = do_create_organisation(actor=COMMAND_LINE, name="Client A", kind="client")
desk = do_create_organisation(actor=COMMAND_LINE, name="Review Desk", kind="reviewer")
adjuster = do_create_user(
    client_org, actor=COMMAND_LINE, email="ann@a.example", role="adjuster", password=PASSWORD
)
do_create_user(
    desk, actor=COMMAND_LINE, email="cora@desk.example", role="coordinator", password=PASSWORD
)
token = do_create_token(adjuster, actor=COMMAND_LINE)


def worker():
    subprocess.run(
        [sys.executable, "-m", "medreview", "manage", "db_worker", "--batch",
         "--no-startup-delay", "--interval", "0", "--no-reload"],
        check=True, capture_output=True,
    )


def signed_in(email):
    client = Client()
    assert client.post("/login/", {"username": email, "password": PASSWORD}).status_code == 302
    return client


api = Client(headers={"Authorization": f"Bearer {token}"})
sent = api.post(
    "/api/v1/referrals",
    {"referral": REFERRAL, "records": [SimpleUploadedFile("note.txt", NOTE)]},
)
rid = sent.json()["id"]
nurse = signed_in("ann@a.example")
nurse.get("/referrals/new/")
worker()
desk = signed_in("cora@desk.example")
answers = {"sent": sent.status_code}
for url in [
    "/", "/login/", f"/referrals/{rid}/",
    f"/referrals/{rid}/records/view/?file=records/note.txt&page=1",
    "/network/", "/assignments/",
    f"/api/v1/referrals/{rid}", f"/api/v1/referrals/{rid}/audit",
    f"/api/v1/referrals/{rid}/candidates?service=peer_review",
    "/api/v1/openapi.json", "/api/v1/docs",
]:
    answers[url] = desk.get(url).status_code
answers["correct"] = desk.post(
    f"/referrals/{rid}/documents/correct/",
    {"document": "records/note.txt", "kind": "consult_report", "reason": "Letterhead"},
).status_code
answers["decide"] = desk.post(
    f"/referrals/{rid}/decision/",
    {"decision": "override", "path": "ime_first", "reason": "Exam requested by counsel"},
).status_code
worker()  # the correction's new reading
answers["case again"] = desk.get(f"/referrals/{rid}/").status_code
answers["queue, nurse"] = nurse.get("/").status_code
triage = Referral.objects.get(pk=rid).triage
print(json.dumps({
    "answers": answers,
    "triaged": triage is not None and triage["documents"][0]["kind"] == "consult_report",
    "loaded": sorted(m for m in ("spacy", "medspacy", "thinc") if m in sys.modules),
}))
"""


def test_the_web_process_serves_every_page_without_spacy(tmp_path: Path) -> None:
    env = {**os.environ, "MEDREVIEW_HOME": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "medreview.web.settings"
    env.pop("DATABASE_URL", None)  # its own SQLite database, shared with its worker
    env["MEDREVIEW_ALLOWED_HOSTS"] = "testserver"  # Django's test client's host
    env.pop("MEDREVIEW_TASK_BACKEND", None)  # the database queue, as served
    done = subprocess.run(
        [sys.executable, "-c", WEB_PROCESS, json.dumps(REFERRAL)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["triaged"]  # the workers read the records, ConText and all
    assert all(code in (200, 201, 302) for code in report["answers"].values()), report
    assert report["loaded"] == []
