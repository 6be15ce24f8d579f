"""Fixtures shared by the test suite."""

from __future__ import annotations

from pathlib import Path

import pytest

# The shared data folder lives beside the project (../shared), not inside it.
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture
def shared_dir() -> Path:
    """`../shared` (samples and real FHIR data), or a clean skip when it is not there."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"../shared is not beside the project: {SHARED_DIR} does not exist")
    return SHARED_DIR
