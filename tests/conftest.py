"""Fixtures shared by the test suite."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import django
import pytest
from personas import Personas, make_people

# The web application keeps its database, documents and audit checkpoints under
# MEDREVIEW_HOME: each test process gets its own, before Django reads its settings, and
# leaves nothing behind.
os.environ["MEDREVIEW_HOME"] = tempfile.mkdtemp(prefix="medreview-test-")
atexit.register(shutil.rmtree, os.environ["MEDREVIEW_HOME"], ignore_errors=True)
os.environ["DJANGO_SETTINGS_MODULE"] = "medreview.web.settings"
# The browser test's server answers each request in a new thread: connections kept open
# between requests would outlive their threads.
os.environ["MEDREVIEW_DB_CONN_MAX_AGE"] = "0"
django.setup()
# Not left for pytest-xdist's workers to inherit: pytest-django would read the settings in
# each of them before this file runs there, with this process's MEDREVIEW_HOME, and the
# workers would share one folder of checkpoints and scratch that each test empties.
del os.environ["DJANGO_SETTINGS_MODULE"]

# The shared data folder lives beside the project (../shared), not inside it.
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """`../shared` (samples and real FHIR data), or a clean skip when it is not there."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"../shared is not beside the project: {SHARED_DIR} does not exist")
    return SHARED_DIR


@pytest.fixture
def people(db: Any) -> Personas:
    return make_people()


@pytest.fixture(autouse=True)
def _fresh_audit_checkpoints() -> Any:
    """Each test's database starts empty, and so do the audit trail's checkpoints, kept
    outside it (`audit.checkpoints`): cleared before and after each test."""
    from django.conf import settings

    shutil.rmtree(settings.AUDIT_CHECKPOINTS_DIR, ignore_errors=True)
    yield
    shutil.rmtree(settings.AUDIT_CHECKPOINTS_DIR, ignore_errors=True)
