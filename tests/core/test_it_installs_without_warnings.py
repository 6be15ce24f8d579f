"""Installing medreview prints no warning of its own: the licence is an SPDX expression, as
setuptools 77 and later want it (a licence table made `make demo` warn three times), and the
build asks for a setuptools that reads it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_the_licence_is_an_spdx_expression_for_a_setuptools_that_reads_it() -> None:
    project = tomllib.loads(PYPROJECT.read_text())
    assert isinstance(project["project"]["license"], str)
    assert re.fullmatch(r"[A-Za-z0-9.+-]+", project["project"]["license"])
    (setuptools,) = [r for r in project["build-system"]["requires"] if r.startswith("setuptools")]
    assert int(re.search(r">=(\d+)", setuptools).group(1)) >= 77  # type: ignore[union-attr]
