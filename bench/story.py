"""The one claim behind every generated packet: claimant, treating facilities, and its referral.

All names, numbers and addresses are invented. The referral names the treating providers
whose notes fill the packet, so the pipeline does the work it does on a real case (provider
matching, specialties, billed services checked against the notes).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta

CLAIMANT = "Marguerite Oyelaran-Betts"
DOB = "07/14/1981"
CLAIM = "WC-TX-25-0418873"
TODAY = date(2026, 7, 20)  # the day the case is triaged
RECEIVED = date(2026, 7, 14)
DAYS_PER_PAGE = 0.8  # a packet of n pages spans about 0.8 n days of care, as long claims do


def injury_for(pages: int) -> date:
    """The date of injury of a packet of `pages` pages, so its last visit falls before referral."""
    return RECEIVED - timedelta(days=int(pages * DAYS_PER_PAGE) + 30)


@dataclass(frozen=True)
class Facility:
    name: str
    address: str
    authors: tuple[str, ...]  # who signs its records
    specialty: str
    npi: str


OCCMED = Facility(
    "TRINITY OCCUPATIONAL HEALTH",
    "2210 Gessner Road, Suite 140, Houston, TX 77080   Tel 713-555-0142   Fax 713-555-0143",
    ("Desmond Achebe-Lindqvist, MD",),
    "Occupational Medicine",
    "1548203317",
)
PMR = Facility(
    "GULF COAST SPINE & REHABILITATION",
    "9400 Katy Freeway, Suite 610, Houston, TX 77055   Tel 713-555-0188   Fax 713-555-0189",
    ("Callum Rutherford-Ngata, DO",),
    "Physical Medicine & Rehabilitation",
    "1376650192",
)
ORTHO = Facility(
    "BRAZOS BONE & JOINT",
    "1020 Bunker Hill Road, Suite 300, Houston, TX 77024   Tel 713-555-0121   Fax 713-555-0122",
    ("Priyanka Valdez-Moreau, MD",),
    "Orthopaedic Surgery",
    "1659047728",
)
THERAPY = Facility(
    "BAYOU CITY PHYSICAL THERAPY",
    "7707 Long Point Road, Houston, TX 77055   Tel 713-555-0177   Fax 713-555-0178",
    ("Ingrid Solheim-Patel, PT, DPT", "Rafael Okafor-Lund, PT, DPT"),
    "Physical Therapist",
    "1932615504",
)
IMAGING = Facility(
    "WESTCHASE IMAGING CENTER",
    "10999 Westheimer Road, Houston, TX 77042   Tel 713-555-0150   Fax 713-555-0151",
    ("Harlan Okonkwo-Reyes, MD", "Beatrix Lindgren-Shaw, MD"),
    "Diagnostic Radiology",
    "1801376649",
)
HOSPITAL = Facility(
    "HARRIS BAYOU MEDICAL CENTER",
    "4400 Memorial Drive, Houston, TX 77007   Main 713-555-0100",
    ("Tomas Escobedo-Finch, MD", "Adaeze Whitcombe, MD", "Lars Pemberton-Diaz, MD"),
    "Emergency Medicine",
    "1265540983",
)
SURGERY_CENTER = Facility(
    "MEMORIAL CITY SURGERY CENTER",
    "929 Gessner Road, Suite 200, Houston, TX 77024   Tel 713-555-0133",
    ("Priyanka Valdez-Moreau, MD",),
    "Orthopaedic Surgery",
    "1659047728",
)
TREATING = (OCCMED, PMR, ORTHO, THERAPY)


def referral_json(injury: date) -> str:
    """The referral of the generated case (a peer review of continued therapy)."""
    data = {
        "claim": {
            "number": CLAIM,
            "line_of_business": "workers_comp",
            "jurisdiction": "TX",
            "date_of_injury": injury.isoformat(),
            "body_parts": ["lumbar spine", "right shoulder"],
        },
        "claimant": {
            "name": CLAIMANT,
            "date_of_birth": "1981-07-14",
            "zip": "77055",
            "language": "en",
        },
        "treating_providers": [
            {
                "name": f.authors[0],
                "npi": f.npi,
                "specialty": f.specialty,
                "group": f.name.title(),
            }
            for f in TREATING
        ],
        "questions": [
            {
                "id": "q1",
                "type": "medical_necessity",
                "text": "Is continued physical therapy, 3 visits a week for 6 more weeks, reasonable "
                f"and necessary for the lumbar and right shoulder injuries of {injury:%m/%d/%Y}?",
                "treatment": "Physical therapy (CPT 97110, 97140, 97530), 3 visits a week for 6 weeks",
            },
            {
                "id": "q2",
                "type": "work_status",
                "text": "Can the claimant return to her job as a warehouse associate, with or "
                "without restrictions?",
            },
        ],
        "requested_service": "peer_review",
        "received": RECEIVED.isoformat(),
        "due": "2026-08-25",
    }
    return json.dumps(data, indent=2)
