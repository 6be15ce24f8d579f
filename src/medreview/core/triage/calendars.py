"""Holiday calendars by jurisdiction, from the `holidays` package.

A US state's calendar is the federal holidays plus the state's own, as the `holidays`
package publishes them; where a jurisdiction adds none, the federal calendar stands
(docs/rules.md, "Business days").

Importing the package loads every country's calendar (a fifth of a second, a sixth of what
`medreview triage` of a few records may take), so the dates it gives are kept on disk
(`core.kept`), keyed by the package's version, and read in a millisecond by the next process.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from datetime import date
from functools import lru_cache
from pathlib import Path

from medreview.core import kept

US_JURISDICTIONS = frozenset(
    [
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CO",
        "CT",
        "DE",
        "DC",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IN",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NV",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "AS",
        "GU",
        "MP",
        "PR",
        "UM",
        "VI",
    ]
)


def is_jurisdiction(code: str) -> bool:
    return code in US_JURISDICTIONS


@lru_cache(maxsize=256)
def holidays_for(jurisdiction: str, first_year: int, last_year: int) -> frozenset[date]:
    """The holidays of a US state or territory in the years given (federal ones included)."""
    # Only a code of letters names a file: anything else is asked of the package each time.
    plain = jurisdiction.isascii() and jurisdiction.isalnum()
    name = f"holidays-{_package_version()}-{jurisdiction}-{first_year}-{last_year}.json"
    content = kept.read(name) if plain else None
    if content is not None:
        try:
            return frozenset(date.fromisoformat(d) for d in json.loads(content))
        except (ValueError, TypeError):
            pass  # unreadable: ask the package again
    import holidays

    years = range(first_year, last_year + 1)
    try:
        calendar = holidays.country_holidays("US", subdiv=jurisdiction, years=years)
    except NotImplementedError:
        calendar = holidays.country_holidays("US", years=years)
    found = frozenset(calendar.keys())
    if plain:
        kept.write(name, json.dumps(sorted(d.isoformat() for d in found)).encode())
    return found


@lru_cache(maxsize=1)
def _package_version() -> str:
    """A digest of the installed package's version file, found without importing it."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:  # pragma: no cover - a dependency
        return "none"
    try:
        content = (Path(spec.origin).parent / "version.py").read_bytes()
    except OSError:  # pragma: no cover - a package laid out otherwise: its init names it
        content = Path(spec.origin).read_bytes()
    return hashlib.sha256(content).hexdigest()[:16]
