"""A made-up physician roster in the network CSV's form, for the demo and the benchmarks.

Deterministic for a seed. NPIs carry a valid check digit, specialties are NUCC codes of the
specialties that review and examine claims, offices are real ZIP codes (centroids from the
`zipcodes` package), licences are in the office's state and sometimes a neighbour's.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from stdnum import luhn

from medreview.core.network import geo

# The specialties of a review network, with their share of it.
SPECIALTIES = (
    ("207X00000X", 14),  # Orthopaedic Surgery
    ("207XS0117X", 4),  # Orthopaedic Surgery of the Spine
    ("207XX0004X", 2),  # Orthopaedic Foot and Ankle Surgery
    ("207XS0106X", 2),  # Orthopaedic Hand Surgery
    ("208100000X", 10),  # Physical Medicine & Rehabilitation
    ("207T00000X", 4),  # Neurological Surgery
    ("2084N0400X", 6),  # Neurology
    ("2084P0800X", 5),  # Psychiatry
    ("207Q00000X", 8),  # Family Medicine
    ("207R00000X", 8),  # Internal Medicine
    ("2083X0100X", 4),  # Occupational Medicine
    ("208VP0014X", 3),  # Interventional Pain Medicine
    ("207L00000X", 3),  # Anesthesiology
    ("207RC0000X", 3),  # Cardiovascular Disease
    ("207N00000X", 2),  # Dermatology
    ("111N00000X", 5),  # Chiropractor
    ("225100000X", 4),  # Physical Therapist
    ("213E00000X", 2),  # Podiatrist
    ("103T00000X", 3),  # Psychologist
)
NEIGHBOURS = {
    "CA": ("NV", "OR", "AZ"),
    "NY": ("NJ", "CT", "PA"),
    "TX": ("OK", "LA", "NM"),
    "FL": ("GA", "AL"),
}
LANGUAGES = (("en", 100), ("es", 25), ("zh", 5), ("vi", 3), ("ko", 2), ("ru", 2))
GROUPS = ("Medical Group", "Orthopaedic Associates", "Spine Institute", "Physicians", "Health")
SURNAMES = [
    "Chen",
    "Patel",
    "Nguyen",
    "Garcia",
    "Smith",
    "Johnson",
    "Kim",
    "Lee",
    "Brown",
    "Davis",
    "Martinez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Hill",
    "Ramirez",
    "Campbell",
    "Mitchell",
    "Roberts",
    "Carter",
    "Phillips",
    "Evans",
    "Turner",
    "Torres",
    "Parker",
    "Collins",
    "Edwards",
    "Stewart",
    "Flores",
    "Morris",
    "Murphy",
    "Rivera",
    "Cook",
    "Rogers",
    "Morgan",
]
GIVEN = [
    "Avery",
    "Jordan",
    "Morgan",
    "Riley",
    "Casey",
    "Taylor",
    "Jamie",
    "Quinn",
    "Alex",
    "Sam",
    "Robin",
    "Drew",
    "Elena",
    "Marcus",
    "Priya",
    "Wei",
    "Sofia",
    "Daniel",
    "Grace",
    "Omar",
    "Nadia",
    "Victor",
    "Hana",
    "Lucas",
    "Maya",
    "Isaac",
    "Leah",
    "Felix",
    "Irene",
    "Tomas",
]


def npi(rng: random.Random) -> str:
    """A made-up NPI with a valid check digit (Luhn over 80840 and the first nine digits)."""
    body = str(rng.choice("12")) + "".join(rng.choice("0123456789") for _ in range(8))
    return body + luhn.calc_check_digit("80840" + body)


def zips_by_state() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for z, (_, _, state) in sorted(geo._table().items()):
        out.setdefault(state, []).append(z)
    return out


def roster(
    count: int, *, seed: int = 7, today: date, states: tuple[str, ...] = ()
) -> Iterator[dict[str, str]]:
    """`count` roster rows (cells as the CSV holds them), NPIs distinct."""
    rng = random.Random(seed)
    by_state = zips_by_state()
    places = [s for s in (states or tuple(by_state)) if s in by_state]
    codes = [c for c, _ in SPECIALTIES]
    shares = [w for _, w in SPECIALTIES]
    languages = [x for x, _ in LANGUAGES]
    language_shares = [w for _, w in LANGUAGES]
    seen: set[str] = set()
    for _ in range(count):
        number = npi(rng)
        while number in seen:
            number = npi(rng)
        seen.add(number)
        state = rng.choice(places)
        zip_code = rng.choice(by_state[state])
        code = rng.choices(codes, shares)[0]
        licences = {state}
        if rng.random() < 0.3:
            licences.add(rng.choice(NEIGHBOURS.get(state, (state,))))
        expiry = {s: today + timedelta(days=rng.randint(-30, 900)) for s in sorted(licences)}
        services = rng.choices(["peer_review", "ime", "peer_review;ime"], [45, 20, 35])[0]
        spoken = ["en"] + [
            x
            for x in rng.choices(languages, language_shares, k=2)
            if x != "en" and rng.random() < 0.4
        ]
        capacity = rng.randint(2, 15)
        title = "DC" if code == "111N00000X" else "PT" if code == "225100000X" else "MD"
        yield {
            "npi": number,
            "name": f"{rng.choice(GIVEN)} {rng.choice(SURNAMES)}, {title}",
            "specialties": code,
            "board_certified": "yes" if rng.random() < 0.85 else "no",
            "licenses": ";".join(f"{s}:{d.isoformat()}" for s, d in expiry.items()),
            "zip": zip_code,
            "services": services,
            "languages": ";".join(dict.fromkeys(spoken)),
            "weekly_capacity": str(capacity),
            "open_assignments": str(rng.randint(0, capacity)),
            "median_turnaround_days": f"{rng.uniform(1, 9):.1f}",
            "qa_score": f"{rng.uniform(0.7, 1.0):.2f}",
            "affiliations": f"{rng.choice(SURNAMES)} {rng.choice(GROUPS)}",
            "fee_peer_review": str(rng.randrange(250, 900, 25)),
            "fee_ime": str(rng.randrange(1200, 3500, 50)) if "ime" in services else "",
        }
