"""Clinical sentences for the generated records: seeded, varied, and almost never repeated.

The pipeline reads each distinct sentence once, so a packet made of one page copied 600 times
would flatter it. Every template here has slots (dates, numbers, levels, sides, drugs, doses,
findings) filled from a seeded `random.Random`, and a paragraph draws several templates, so
two pages share headers and boilerplate, as real records do, but hardly a clinical sentence.
About one sentence in six names a study, surgery, referral, FCE or release from care (ordered,
done, negated or hedged), which is what sends a sentence through medspaCy.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, timedelta


def us(day: date) -> str:
    """A date as US records write it."""
    return day.strftime("%m/%d/%Y")


def _past(rng: random.Random, day: date) -> str:
    return us(day - timedelta(days=rng.randint(6, 45)))


def _future(rng: random.Random, day: date) -> str:
    return us(day + timedelta(days=rng.randint(7, 45)))


def _pick(*options: str) -> Callable[[random.Random, date], str]:
    return lambda rng, _day: rng.choice(options)


def _num(lo: int, hi: int, step: int = 1) -> Callable[[random.Random, date], str]:
    return lambda rng, _day: str(rng.randrange(lo, hi + 1, step))


def _dose(rng: random.Random, _day: date) -> str:
    drug, doses, how = rng.choice(MEDICATIONS)
    return f"{drug} {rng.choice(doses)} mg {how}"


MEDICATIONS: Sequence[tuple[str, Sequence[int], str]] = (
    ("naproxen", (250, 375, 500), "twice daily with food"),
    ("ibuprofen", (400, 600, 800), "every 8 hours as needed"),
    ("meloxicam", (7, 15), "once daily"),
    ("cyclobenzaprine", (5, 10), "at bedtime"),
    ("tizanidine", (2, 4), "at bedtime as needed"),
    ("gabapentin", (100, 300, 600), "three times daily"),
    ("acetaminophen", (500, 650, 1000), "every 8 hours"),
    ("methocarbamol", (500, 750), "three times daily as needed"),
    ("duloxetine", (30, 60), "once daily"),
)

FILL: dict[str, Callable[[random.Random, date], str]] = {
    "past": _past,
    "past2": _past,
    "future": _future,
    "dose": _dose,
    "dose2": _dose,
    "clock": lambda rng, _d: f"{rng.randint(7, 22):02d}:{rng.randint(0, 59):02d}",
    "pain": _num(1, 9),
    "pain2": _num(2, 10),
    "n": _num(2, 6),
    "n2": _num(3, 9),
    "conus": _pick("T12-L1", "L1", "L1-L2", "the mid L1 level"),
    "clockface": _num(1, 11),
    "weeks": _num(2, 8),
    "visits": _num(3, 18),
    "auth": _num(12, 24, 2),
    "lb": _num(10, 50, 5),
    "hours": _num(4, 10, 2),
    "minutes": _num(8, 45),
    "reps": _num(8, 20),
    "sets": _num(2, 4),
    "weight": _num(1, 10),
    "grade": _pick("4-", "4", "4+", "5-"),
    "reflex": _pick("1+", "2+", "2+", "trace"),
    "flex": _num(35, 80, 5),
    "ext": _num(5, 30, 5),
    "elev": _num(80, 175, 5),
    "abd": _num(70, 170, 5),
    "er": _num(20, 80, 5),
    "ir": _num(15, 70, 5),
    "slr": _num(30, 75, 5),
    "bp": lambda rng, _d: f"{rng.randint(108, 152)}/{rng.randint(62, 96)}",
    "hr": _num(58, 104),
    "wt": _num(142, 198),
    "bmi": lambda rng, _d: f"{rng.uniform(22.5, 34.9):.1f}",
    "ms": lambda rng, _d: f"{rng.uniform(2.1, 5.9):.1f}",
    "mm": _num(2, 9),
    "kg": _num(9, 31),
    "pct": _num(20, 95, 5),
    "odi": _num(12, 62, 2),
    "level": _pick("L3-L4", "L4-L5", "L5-S1", "L4-L5", "L5-S1"),
    "level2": _pick("L2-L3", "L3-L4", "L4-L5", "L5-S1"),
    "croot": _pick("L4", "L5", "S1", "L5"),
    "side": _pick("right", "left"),
    "dermatome": _pick(
        "lateral calf", "dorsum of the foot", "great toe", "posterior thigh", "lateral foot"
    ),
    "part": _pick(
        "low back", "lower back", "right shoulder", "lumbar", "right shoulder and low back"
    ),
    "trend": _pick(
        "improved",
        "unchanged",
        "slightly worse",
        "better",
        "worse after a long shift",
        "about the same",
        "improving slowly",
        "worse since returning to work",
    ),
    "activity": _pick(
        "prolonged sitting",
        "bending",
        "lifting totes",
        "overhead reaching",
        "driving more than 30 minutes",
        "climbing stairs",
        "reaching behind her back",
        "pushing a pallet jack",
        "standing at the sorting line",
    ),
    "relief": _pick(
        "heat",
        "ice",
        "lying supine",
        "walking",
        "changing position",
        "rest and her home program",
        "a warm shower",
    ),
    "duty": _pick(
        "modified duty",
        "light duty",
        "full duty",
        "restricted duty in the returns department",
        "a transitional assignment",
    ),
    "muscle": _pick(
        "extensor hallucis longus",
        "ankle dorsiflexors",
        "hip abductors",
        "supraspinatus",
        "external rotators",
        "gastrocnemius",
        "quadriceps",
        "deltoid",
    ),
    "exercise": _pick(
        "prone press-ups",
        "bird-dog",
        "bridging",
        "side-lying external rotation",
        "scapular retraction with band",
        "wall slides",
        "pulley flexion",
        "dead bug",
        "sit-to-stand",
        "rows with band",
        "lat pull-down",
        "farmer carry",
        "step-ups",
        "cat-camel",
        "pendulums",
        "isometric internal rotation",
    ),
    "band": _pick("yellow", "red", "green", "blue", "black"),
    "finding": _pick(
        "a broad-based disc bulge",
        "a small central protrusion",
        "a left paracentral protrusion",
        "a right foraminal protrusion",
        "mild facet arthropathy",
        "an annular fissure",
        "moderate disc desiccation",
        "a shallow disc osteophyte complex",
    ),
    "canal": _pick(
        "no central canal stenosis",
        "mild central canal narrowing",
        "mild lateral recess narrowing",
        "moderate foraminal narrowing",
        "patent neural foramina",
    ),
    "cuff": _pick(
        "a full-thickness supraspinatus tear",
        "a high-grade partial-thickness articular-sided supraspinatus tear",
        "supraspinatus tendinosis without tear",
        "an interstitial infraspinatus tear",
        "a small full-thickness anterior supraspinatus tear",
    ),
    "retraction": _num(4, 22),
    "specialist": _pick(
        "orthopedics",
        "a spine surgeon",
        "pain management",
        "physical medicine and rehabilitation",
        "neurosurgery",
        "an orthopaedic shoulder specialist",
    ),
    "study": _pick(
        "MRI of the lumbar spine",
        "MRI of the right shoulder",
        "EMG/NCS of the lower extremities",
        "lumbar radiographs",
        "right shoulder x-rays",
        "CT of the lumbar spine",
    ),
    "injection": _pick(
        "a lumbar epidural steroid injection",
        "a subacromial corticosteroid injection",
        "medial branch blocks",
        "a trigger point injection",
    ),
    "employer": _pick(
        "her supervisor", "the adjuster", "the nurse case manager", "human resources"
    ),
}


class _Slots(dict[str, str]):
    """Template slots, each drawn once per sentence the first time the template uses it."""

    def __init__(self, rng: random.Random, day: date) -> None:
        super().__init__()
        self._rng = rng
        self._day = day

    def __missing__(self, key: str) -> str:
        value = FILL[key](self._rng, self._day)
        self[key] = value
        return value


def fill(template: str, rng: random.Random, day: date) -> str:
    return template.format_map(_Slots(rng, day))


def paragraph(templates: Sequence[str], rng: random.Random, day: date, lo: int, hi: int) -> str:
    """A few distinct templates, filled, as one paragraph."""
    count = min(len(templates), rng.randint(lo, hi))
    return " ".join(fill(t, rng, day) for t in rng.sample(list(templates), count))
