"""Holiday calendars are kept on disk once asked of the `holidays` package, and the next
process reads them without importing it (docs/decisions/0004); a kept file that cannot be
read is asked of the package again."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import holidays
import pytest

from medreview.core.triage import calendars

PROBE = """
import sys
from medreview.core.triage.calendars import holidays_for
days = holidays_for("NY", 2026, 2027)
print(len(days), "holidays" in sys.modules)
"""


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calendars.holidays_for.cache_clear()
    yield tmp_path
    calendars.holidays_for.cache_clear()


def _probe(cache: Path) -> tuple[int, bool]:
    env = {"PATH": "/usr/bin:/bin", "XDG_CACHE_HOME": str(cache), "HOME": str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, check=True
    )
    count, imported = done.stdout.split()
    return int(count), imported == "True"


def test_it_gives_the_packages_holidays_and_the_next_process_reads_them_kept(cache: Path) -> None:
    expected = frozenset(holidays.country_holidays("US", subdiv="NY", years=[2026, 2027]))
    assert calendars.holidays_for("NY", 2026, 2027) == expected

    first = _probe(cache)
    second = _probe(cache)

    assert first == (len(expected), False)  # kept by this process already
    assert second == (len(expected), False)
    assert any(p.name.startswith("holidays-") for p in (cache / "medreview").iterdir())


def test_it_asks_the_package_again_when_the_kept_file_is_damaged(cache: Path) -> None:
    good = calendars.holidays_for("IL", 2026, 2026)
    (kept_file,) = (cache / "medreview").glob("holidays-*-IL-2026-2026.json")
    kept_file.write_text("not json")
    calendars.holidays_for.cache_clear()

    assert calendars.holidays_for("IL", 2026, 2026) == good
    assert date(2026, 11, 3) in good  # Illinois keeps election day


def test_it_names_no_file_after_a_code_that_is_not_letters(cache: Path) -> None:
    days = calendars.holidays_for("../x", 2026, 2026)

    assert date(2026, 7, 3) in days  # the federal calendar (Independence Day observed)
    assert not (cache / "medreview").exists() or not any((cache / "medreview").iterdir())
