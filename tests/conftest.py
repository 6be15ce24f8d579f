"""Fixtures shared by the test suite."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
import pytest

# The web application keeps its database and documents under MEDREVIEW_HOME: each test run
# gets its own, before Django reads its settings, and leaves nothing behind.
os.environ["MEDREVIEW_HOME"] = tempfile.mkdtemp(prefix="medreview-test-")
atexit.register(shutil.rmtree, os.environ["MEDREVIEW_HOME"], ignore_errors=True)
os.environ["DJANGO_SETTINGS_MODULE"] = "medreview.web.settings"
# The browser test's server answers each request in a new thread: connections kept open
# between requests would outlive their threads.
os.environ["MEDREVIEW_DB_CONN_MAX_AGE"] = "0"
django.setup()

# The shared data folder lives beside the project (../shared), not inside it.
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """`../shared` (samples and real FHIR data), or a clean skip when it is not there."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"../shared is not beside the project: {SHARED_DIR} does not exist")
    return SHARED_DIR


@dataclass
class Personas:
    """The people of the web tests: two clients' adjusters, the review desk (a coordinator and a
    QA nurse), and two physicians of the network."""

    client_a: Any
    client_b: Any
    reviewer: Any
    adjuster_a: Any
    adjuster_b: Any
    coordinator: Any
    physician: Any
    qa: Any
    physician_b: Any

    def token(self, user: Any) -> str:
        from medreview.claims.actions import do_create_token
        from medreview.claims.permissions import COMMAND_LINE

        return do_create_token(user, actor=COMMAND_LINE)


@pytest.fixture
def people(db: Any) -> Personas:
    return make_people()


def make_people() -> Personas:
    """The personas, made in the database (for a fixture of a wider scope than `people`)."""
    from medreview.claims.actions import do_create_organisation, do_create_user
    from medreview.claims.permissions import COMMAND_LINE

    a = do_create_organisation(actor=COMMAND_LINE, name="Client A Mutual", kind="client")
    b = do_create_organisation(actor=COMMAND_LINE, name="Client B TPA", kind="client")
    r = do_create_organisation(actor=COMMAND_LINE, name="Review Desk", kind="reviewer")
    pw = "correct horse battery"
    return Personas(
        client_a=a,
        client_b=b,
        reviewer=r,
        adjuster_a=do_create_user(
            a, actor=COMMAND_LINE, email="ann@a.example", role="adjuster", password=pw
        ),
        adjuster_b=do_create_user(
            b, actor=COMMAND_LINE, email="bob@b.example", role="adjuster", password=pw
        ),
        coordinator=do_create_user(
            r, actor=COMMAND_LINE, email="cora@review.example", role="coordinator", password=pw
        ),
        physician=do_create_user(
            r,
            actor=COMMAND_LINE,
            email="dr@review.example",
            role="physician",
            password=pw,
            npi="1234567893",
        ),
        qa=do_create_user(
            r, actor=COMMAND_LINE, email="quinn@review.example", role="qa", password=pw
        ),
        physician_b=do_create_user(
            r,
            actor=COMMAND_LINE,
            email="drb@review.example",
            role="physician",
            password=pw,
            npi="2000000101",
        ),
    )


@pytest.fixture(autouse=True)
def _fresh_audit_checkpoints() -> Any:
    """Each test's database starts empty, and so do the audit trail's checkpoints, kept
    outside it (`audit.checkpoints`): cleared before and after each test."""
    from django.conf import settings

    shutil.rmtree(settings.AUDIT_CHECKPOINTS_DIR, ignore_errors=True)
    yield
    shutil.rmtree(settings.AUDIT_CHECKPOINTS_DIR, ignore_errors=True)
