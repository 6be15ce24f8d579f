"""Holiday calendars by jurisdiction, from the `holidays` package.

A US state's calendar is the federal holidays plus the state's own, as the `holidays`
package publishes them; where a jurisdiction adds none, the federal calendar stands
(docs/rules.md, "Business days").
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays

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
    years = range(first_year, last_year + 1)
    try:
        calendar = holidays.country_holidays("US", subdiv=jurisdiction, years=years)
    except NotImplementedError:
        calendar = holidays.country_holidays("US", years=years)
    return frozenset(calendar.keys())
