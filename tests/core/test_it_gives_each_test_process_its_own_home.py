"""Each test process (each of pytest-xdist's workers) has a MEDREVIEW_HOME of its own, and its
settings read it: two workers sharing one would empty each other's audit checkpoints and
scratch between tests, and a test would find its referral's checkpoint gone."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def test_the_settings_read_this_process_own_home() -> None:
    home = Path(os.environ["MEDREVIEW_HOME"])
    assert Path(settings.HOME) == home
    assert Path(settings.AUDIT_CHECKPOINTS_DIR).parent == home
    assert Path(settings.DOCUMENTS_DIR).parent == home
