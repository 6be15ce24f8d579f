"""Which physicians may take a review or an exam, and in what order (docs/rules.md,
"Matching physicians").

Hard rules, in this order; each physician left out is counted under the first rule that
excludes them:

1. `specialty`: no specialty the same as or similar to a treating specialty in question
   (`taxonomy.similar`: one NUCC classification, or a group of `similar_specialties.toml`);
2. `service`: does not offer the service (peer review or IME);
3. `licence`: holds no licence active from the day of the match (`today`, never the
   referral's `received`) through the day the service would be due (`due`);
4. `jurisdiction_licence`: no active licence in the claim's jurisdiction where its rules
   require one for the service (`jurisdiction_rules.csv`: always for an IME);
5. `board_certification`: not board certified where the jurisdiction requires it of examiners;
6. `credentials`: a credential lapsed or never verified (an active licence, the board
   certification, the sanctions check: each verified within three years, URAC IR 4), or a
   sanction on record;
7. `capacity`: no weekly capacity left;
8. `conflict`: a treating provider of the claim (same NPI), a colleague of one (a shared
   group or affiliation), or, for an ERISA appeal, a physician consulted on the first decision
   (29 CFR 2560.503-1(h)(3)(v));
9. `declined_review`: declined or recused from this very review or exam;
10. `peer_reviewer` (IMEs only): did this referral's peer review; the IME is an independent
    second opinion, unless the client's settings allow the same physician;
11. `distance` (IMEs only): farther from the claimant's ZIP than the jurisdiction allows.

The rest are ranked by turnaround, QA score, load, fee and, for an IME only, distance and the
claimant's language (weights in `data/matching.toml`), each with its reasons in words.

The network is held in columns (numpy arrays) and indexed by specialty, so a query touches
only the physicians of the specialties in question: no scan of the whole network.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from medreview.core.network import geo, taxonomy
from medreview.core.network.jurisdictions import JurisdictionRules
from medreview.core.referral import ReferralData
from medreview.core.thresholds import Thresholds
from medreview.core.triage.calendars import holidays_for
from medreview.core.triage.clocks import add_business_days
from medreview.core.vocabulary import SERVICES_IN_A_SENTENCE

SERVICES = ("peer_review", "ime")
REVERIFY_YEARS = 3
RULE_ORDER = (
    "specialty",
    "service",
    "licence",
    "jurisdiction_licence",
    "board_certification",
    "credentials",
    "capacity",
    "conflict",
    "declined_review",
    "peer_reviewer",
    "distance",
)
_NEVER = date.max.toordinal()


@dataclass(frozen=True)
class LicenceTerm:
    state: str
    expires: date
    verified_on: date | None = None


@dataclass(frozen=True)
class PhysicianProfile:
    """A physician of the network, as the matcher sees them."""

    npi: str
    name: str
    specialties: tuple[str, ...]  # NUCC codes
    licences: tuple[LicenceTerm, ...]
    services: frozenset[str]
    zip: str = ""
    latitude: float | None = None
    longitude: float | None = None
    board_certified: bool = False
    board_verified_on: date | None = None
    sanctions_checked_on: date | None = None
    sanctioned: bool = False
    languages: frozenset[str] = frozenset({"en"})
    weekly_capacity: int = 0
    open_assignments: int = 0
    median_turnaround_days: float = 5.0
    qa_score: float = 0.0
    affiliations: frozenset[str] = frozenset()
    fee_peer_review: float | None = None
    fee_ime: float | None = None

    def fee(self, service: str) -> float | None:
        return self.fee_ime if service == "ime" else self.fee_peer_review


@dataclass(frozen=True)
class Request:
    """What a physician is sought for: one referral's review or exam."""

    service: str  # peer_review | ime
    jurisdiction: str
    # Credentials are judged on the day of the match, and a licence must last until the
    # review or exam would be due: one that lapses meanwhile makes the physician ineligible.
    today: date
    due: date
    specialties: tuple[str, ...]  # NUCC codes of the treating specialties in question
    treating_npis: frozenset[str] = frozenset()
    treating_groups: frozenset[str] = frozenset()
    first_decision_npis: frozenset[str] = frozenset()  # ERISA appeal: consulted before
    declined_npis: frozenset[str] = frozenset()  # declined or recused from this very review
    peer_reviewer_npis: frozenset[str] = frozenset()  # IME: did this referral's peer review
    claimant: tuple[float, float] | None = None  # (latitude, longitude) of the claimant's ZIP
    language: str | None = None
    top: int = 10


@dataclass(frozen=True)
class Candidate:
    npi: str
    name: str
    score: float
    distance_miles: float | None
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Match:
    service: str
    candidates: tuple[Candidate, ...]
    excluded: dict[str, int] = field(default_factory=dict)
    eligible: int = 0
    rules_cited: tuple[str, ...] = ()  # the jurisdiction rules that decided, with citations

    def as_json(self) -> dict[str, Any]:
        return {
            "service": self.service,
            "candidates": [
                {
                    "npi": c.npi,
                    "name": c.name,
                    "score": c.score,
                    "distance_miles": c.distance_miles,
                    "reasons": list(c.reasons),
                }
                for c in self.candidates
            ],
            "excluded": dict(self.excluded),
            "eligible": self.eligible,
            "rules": list(self.rules_cited),
        }


# Legal forms at the end of a group's name ("Valley Spine, Inc." is "Valley Spine").
_LEGAL_FORMS = frozenset(
    {"inc", "llc", "pc", "pllc", "ltd", "corp", "corporation", "co", "lp", "llp", "apc", "apmc"}
)


def normalise_group(name: str) -> str:
    """A group or employer's name compared without case, punctuation, spacing or legal form."""
    words = "".join(c if c.isalnum() else " " for c in name.lower()).split()
    while len(words) > 1 and words[-1] in _LEGAL_FORMS:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class Weights:
    turnaround: float
    qa: float
    load: float
    fee: float
    distance: float
    language: float
    best_turnaround_days: float
    worst_turnaround_days: float


@lru_cache(maxsize=1)
def weights() -> Weights:
    raw = tomllib.loads(resources.files("medreview.data").joinpath("matching.toml").read_text())
    return Weights(**raw["weights"], **raw["turnaround"])


class Network:
    """The physicians of a network in columns, indexed by specialty, NPI and affiliation.

    `total` is the size of the whole network when only part of it is loaded (the physicians
    of the specialties in question, read from the database): those left out count as
    excluded by `specialty`.
    """

    def __init__(
        self,
        physicians: Iterable[PhysicianProfile],
        *,
        total: int | None = None,
        without_service: int = 0,
    ) -> None:
        import numpy as np

        self.physicians: list[PhysicianProfile] = list(physicians)
        self.total = max(total or 0, len(self.physicians) + without_service)
        # Physicians of the specialties in question left out as they lack the service.
        self.without_service = without_service
        n = len(self.physicians)
        by_specialty: dict[str, list[int]] = defaultdict(list)
        by_group: dict[str, list[int]] = defaultdict(list)
        self.by_npi: dict[str, int] = {}
        lic_phys: list[int] = []
        lic_state: list[str] = []
        lic_expires: list[int] = []
        lic_due: list[int] = []
        for i, p in enumerate(self.physicians):
            self.by_npi[p.npi] = i
            for code in dict.fromkeys(p.specialties):
                by_specialty[code].append(i)
            for group in p.affiliations:
                by_group[normalise_group(group)].append(i)
            for lic in p.licences:
                lic_phys.append(i)
                lic_state.append(lic.state)
                lic_expires.append(lic.expires.toordinal())
                lic_due.append(_due(lic.verified_on))
        self.by_specialty = {k: np.array(v, dtype=np.int64) for k, v in by_specialty.items()}
        self.by_group = {k: np.array(v, dtype=np.int64) for k, v in by_group.items()}
        self.lic_phys = np.array(lic_phys, dtype=np.int64)
        self.lic_state = np.array(lic_state, dtype="U2")
        self.lic_expires = np.array(lic_expires, dtype=np.int64)
        self.lic_due = np.array(lic_due, dtype=np.int64)
        ps = self.physicians

        def column(values: Iterable[Any], dtype: Any) -> Any:
            return np.fromiter(values, dtype=dtype, count=n)

        self.offers = {s: column((s in p.services for p in ps), bool) for s in SERVICES}
        self.board = column((p.board_certified for p in ps), bool)
        self.board_due = column(
            (_due(p.board_verified_on) if p.board_certified else _NEVER for p in ps), np.int64
        )
        self.sanctions_due = column(
            (0 if p.sanctioned else _due(p.sanctions_checked_on) for p in ps), np.int64
        )
        self.capacity_left = column((p.weekly_capacity - p.open_assignments for p in ps), np.int64)
        self.load = column(
            (p.open_assignments / p.weekly_capacity if p.weekly_capacity else 1.0 for p in ps),
            np.float64,
        )
        self.turnaround = column((p.median_turnaround_days for p in ps), np.float64)
        self.qa = column((p.qa_score for p in ps), np.float64)
        self.fees = {
            s: column((np.nan if (f := p.fee(s)) is None else f for p in ps), np.float64)
            for s in SERVICES
        }
        self.latitude = column((np.nan if p.latitude is None else p.latitude for p in ps), float)
        self.longitude = column((np.nan if p.longitude is None else p.longitude for p in ps), float)

    def pool(self, codes: Iterable[str]) -> Any:
        """The physicians (indexes, sorted) with any of the specialty codes."""
        import numpy as np

        parts = [self.by_specialty[c] for c in codes if c in self.by_specialty]
        if not parts:
            return np.zeros(0, dtype=np.int64)
        return np.unique(np.concatenate(parts))


def reverify_by(verified_on: date | None) -> date | None:
    """The day a credential verified on `verified_on` is no longer current (URAC IR 4:
    re-verified at least every three years); None when it was never verified."""
    if verified_on is None:
        return None
    try:
        return verified_on.replace(year=verified_on.year + REVERIFY_YEARS)
    except ValueError:  # verified on 29 February
        return verified_on.replace(year=verified_on.year + REVERIFY_YEARS, day=28)


def _due(verified_on: date | None) -> int:
    """`reverify_by` as an ordinal, 0 when never verified (lapsed from the start)."""
    due = reverify_by(verified_on)
    return 0 if due is None else due.toordinal()


@dataclass(frozen=True)
class _Eligible:
    """The physicians (indexes) passing every hard rule, and what the rules decided."""

    idx: Any
    excluded: dict[str, int]
    cited: tuple[str, ...]
    distances: Any  # miles from the claimant of each in `idx`, for an IME; else None
    limit: float  # the IME distance limit in miles, 0 for a peer review


def _eligible(network: Network, request: Request, rules: JurisdictionRules) -> _Eligible:
    import numpy as np

    if request.service not in SERVICES:
        raise ValueError(f"unknown service {request.service!r}: peer_review or ime")
    day = request.today.toordinal()
    through = request.due.toordinal()
    wanted = similar_codes(request.specialties)
    idx = network.pool(wanted)
    excluded: dict[str, int] = {"specialty": network.total - len(idx) - network.without_service}
    cited: list[str] = []

    def keep(rule: str, ok: Any) -> None:
        nonlocal idx
        excluded[rule] = int(len(idx) - int(ok.sum()))
        idx = idx[ok]

    keep("service", network.offers[request.service][idx])
    excluded["service"] += network.without_service
    licences = _active_licences(network, idx, through)
    keep("licence", np.isin(idx, licences))
    licence_rule = rules.maybe(
        request.jurisdiction,
        request.service,
        "examiner_licence_in_state" if request.service == "ime" else "reviewer_licence_in_state",
    )
    in_state = request.service == "ime" or licence_rule is None or licence_rule.yes
    if licence_rule is not None:
        cited.append(_cite(licence_rule, request.jurisdiction))
    if in_state:
        keep("jurisdiction_licence", np.isin(idx, _active_licences(network, idx, through, request)))
    else:
        excluded["jurisdiction_licence"] = 0
    board_rule = rules.maybe(request.jurisdiction, request.service, "examiner_board_certified")
    if board_rule is not None and board_rule.yes:
        cited.append(_cite(board_rule, request.jurisdiction))
        keep("board_certification", network.board[idx])
    else:
        excluded["board_certification"] = 0
    keep("credentials", _credentials_current(network, idx, day))
    keep("capacity", network.capacity_left[idx] > 0)
    keep("conflict", ~np.isin(idx, _conflicted(network, request)))
    declined = [network.by_npi[n] for n in request.declined_npis if n in network.by_npi]
    keep("declined_review", ~np.isin(idx, np.array(declined, dtype=np.int64)))
    reviewers = [network.by_npi[n] for n in request.peer_reviewer_npis if n in network.by_npi]
    keep("peer_reviewer", ~np.isin(idx, np.array(reviewers, dtype=np.int64)))
    distances = None
    limit = 0.0
    if request.service == "ime":
        limit_rule = rules.rule(request.jurisdiction, "ime", "ime_distance_limit_miles")
        cited.append(_cite(limit_rule, request.jurisdiction))
        if request.claimant is None:
            raise ValueError("an IME match needs the claimant's location (ZIP)")
        distances = geo.miles_to_many(
            request.claimant, network.latitude[idx], network.longitude[idx]
        )
        ok = distances <= limit_rule.number  # an unknown office (nan) is never near
        keep("distance", ok)
        distances = distances[ok]
        limit = limit_rule.number
    else:
        excluded["distance"] = 0
    return _Eligible(
        idx, {rule: excluded.get(rule, 0) for rule in RULE_ORDER}, tuple(cited), distances, limit
    )


def match(network: Network, request: Request, rules: JurisdictionRules) -> Match:
    """The best candidates for the request, with the count excluded by each rule."""
    import numpy as np

    found = _eligible(network, request, rules)
    scores, parts = _scores(network, found.idx, request, found.distances, found.limit)
    order = np.argsort(-scores, kind="stable")[: request.top]
    # The chosen ones' values as Python lists: indexing numpy arrays one value at a time
    # costs more than the rest of a candidate's reasons when every candidate is asked for.
    chosen = {name: values[order].tolist() for name, values in parts.items()}
    distances = None if found.distances is None else found.distances[order].tolist()
    candidates = tuple(
        _candidate(network, i, score, chosen, j, request, distances)
        for j, (i, score) in enumerate(
            zip(found.idx[order].tolist(), scores[order].tolist(), strict=True)
        )
    )
    return Match(
        service=request.service,
        candidates=candidates,
        excluded=found.excluded,
        eligible=len(found.idx),
        rules_cited=found.cited,
    )


def ranked(
    network: Network, request: Request, rules: JurisdictionRules, *, limit: int
) -> tuple[tuple[PhysicianProfile, float], ...]:
    """The eligible physicians with their scores, best first, at most `limit` of them: what a
    batch assignment chooses among (the same rules and scores as `match`, without reasons)."""
    import numpy as np

    found = _eligible(network, request, rules)
    scores, _ = _scores(network, found.idx, request, found.distances, found.limit)
    order = np.argsort(-scores, kind="stable")[:limit]
    return tuple((network.physicians[int(found.idx[k])], float(scores[k])) for k in order)


def why_not(physician: PhysicianProfile, request: Request, rules: JurisdictionRules) -> str | None:
    """The first hard rule that keeps this physician from the request, in words; None when
    they may take it. The same rules as `match`, applied to one physician."""
    found = _eligible(Network([physician]), request, rules)
    if len(found.idx):
        return None
    rule = next(r for r in RULE_ORDER if found.excluded.get(r))
    return f"{rule}: {physician.name} {_rule_words(rule, physician, request, rules)}"


def qualifications(physician: PhysicianProfile, request: Request) -> tuple[str, ...]:
    """Why this physician fits the request, in words (specialty, licence, certification,
    record, fee, distance): the candidate's reasons without the score, which only means
    something among the other candidates. Kept with an assignment for the claim file."""
    import numpy as np

    network = Network([physician])
    idx = np.zeros(1, dtype=np.int64)
    distances = None
    if request.service == "ime" and request.claimant is not None:
        distances = geo.miles_to_many(request.claimant, network.latitude, network.longitude)
    _, parts = _scores(network, idx, request, distances, 1.0)
    return _candidate(network, 0, 0.0, parts, 0, request, distances).reasons[:-1]


def _rule_words(rule: str, p: PhysicianProfile, request: Request, rules: JurisdictionRules) -> str:
    j = request.jurisdiction
    if rule == "specialty":
        return (
            f"has no specialty the same as or similar to the treating provider's "
            f"({_names(request.specialties) or 'none given'})"
        )
    if rule == "service":
        return f"does not offer {'IMEs' if request.service == 'ime' else 'peer reviews'}"
    if rule == "licence":
        return (
            f"holds no licence active from today ({request.today}) until the "
            f"{SERVICES_IN_A_SENTENCE[request.service]} would be due ({request.due})"
        )
    if rule == "jurisdiction_licence":
        what = "an IME" if request.service == "ime" else "a peer review"
        return (
            f"holds no {j} licence active until the {SERVICES_IN_A_SENTENCE[request.service]} would be "
            f"due ({request.due}), which {j} requires for {what}"
        )
    if rule == "board_certification":
        return f"is not board certified, which {j} requires of an examiner"
    if rule == "credentials":
        return (
            "has a sanction on record"
            if p.sanctioned
            else "has a credential lapsed or never verified (licence, board certification or "
            f"sanctions check, each re-verified every {REVERIFY_YEARS} years)"
        )
    if rule == "capacity":
        return f"has no capacity left ({p.open_assignments} of {p.weekly_capacity} taken)"
    if rule == "conflict":
        return (
            "has a conflict of interest: a treating provider of the claim, a colleague of "
            "one's group, or consulted on the first decision"
        )
    if rule == "declined_review":
        return f"declined or recused from this {SERVICES_IN_A_SENTENCE[request.service]}"
    if rule == "peer_reviewer":
        return (
            "did this referral's peer review: the IME is an independent second opinion "
            "(the client's settings may allow the same physician)"
        )
    limit = rules.rule(j, "ime", "ime_distance_limit_miles").number
    return f"is farther from the claimant than {j}'s limit of {limit:g} miles"


# Each jurisdiction rule in the words of the candidate list: (rule, holds) -> sentence.
_RULE_WORDS = {
    ("reviewer_licence_in_state", True): "a peer reviewer must hold a {j} licence",
    ("reviewer_licence_in_state", False): "{j} does not require its own licence of a peer reviewer",
    ("examiner_licence_in_state", True): "an examiner must hold a {j} licence",
    ("examiner_licence_in_state", False): "{j} does not require its own licence of an examiner",
    ("examiner_board_certified", True): "an examiner must be board certified in {j}",
    ("examiner_board_certified", False): "{j} does not require an examiner to be board certified",
}


def _cite(rule: Any, jurisdiction: str) -> str:
    """The rule that decided, in words, with its citation (`data/jurisdiction_rules.csv`)."""
    if rule.rule == "ime_distance_limit_miles":
        said = f"an examiner within {rule.number:g} miles of the claimant in {jurisdiction}"
    else:
        said = _RULE_WORDS[(rule.rule, rule.yes)].format(j=jurisdiction)
    return f"{said} ({rule.cited()})"


@lru_cache(maxsize=256)
def similar_codes(codes: tuple[str, ...]) -> tuple[str, ...]:
    """Every code the same as or similar to one of `codes`."""
    out: set[str] = set()
    for code in codes:
        out |= taxonomy.similar(code)
    return tuple(sorted(out))


def _active_licences(network: Network, idx: Any, day: int, request: Request | None = None) -> Any:
    """The physicians among `idx` with a licence still active on the day (in the request's
    jurisdiction when one is given). A licence is only held on the books while it is active,
    so one active on the day the service is due was active on the day of the match too."""
    import numpy as np

    rows = np.isin(network.lic_phys, idx) & (network.lic_expires >= day)
    if request is not None:
        rows &= network.lic_state == request.jurisdiction
    return np.unique(network.lic_phys[rows])


def _credentials_current(network: Network, idx: Any, day: int) -> Any:
    """Whether each physician's credentials are current: every active licence, the board
    certification and the sanctions check verified within three years, no sanction."""
    import numpy as np

    rows = np.isin(network.lic_phys, idx) & (network.lic_expires >= day) & (network.lic_due <= day)
    lapsed = np.unique(network.lic_phys[rows])
    return (
        ~np.isin(idx, lapsed) & (network.board_due[idx] > day) & (network.sanctions_due[idx] > day)
    )


def _conflicted(network: Network, request: Request) -> Any:
    import numpy as np

    found: list[int] = []
    groups = {normalise_group(g) for g in request.treating_groups}
    for npi in request.treating_npis | request.first_decision_npis:
        i = network.by_npi.get(npi)
        if i is None:
            continue
        found.append(i)
        if npi in request.treating_npis:  # a treating provider's own groups are theirs too
            groups |= {normalise_group(g) for g in network.physicians[i].affiliations}
    parts = [np.array(found, dtype=np.int64)] + [
        network.by_group[g] for g in groups if g in network.by_group
    ]
    return np.unique(np.concatenate(parts))


def _scores(
    network: Network, idx: Any, request: Request, distances: Any, limit: float
) -> tuple[Any, dict[str, Any]]:
    """Each eligible physician's score (0 to 100) and its parts (each 0 to 1)."""
    import numpy as np

    w = weights()
    span = max(w.worst_turnaround_days - w.best_turnaround_days, 1e-9)
    parts: dict[str, Any] = {
        "turnaround": np.clip((w.worst_turnaround_days - network.turnaround[idx]) / span, 0.0, 1.0),
        "qa": np.clip(network.qa[idx], 0.0, 1.0),
        "load": np.clip(1.0 - network.load[idx], 0.0, 1.0),
    }
    fees = network.fees[request.service][idx]
    known = ~np.isnan(fees)
    if known.any():
        low, high = float(np.nanmin(fees)), float(np.nanmax(fees))
        fee_part = np.where(known, (high - np.nan_to_num(fees, nan=high)) / max(high - low, 1), 0)
        parts["fee"] = np.clip(fee_part if high > low else np.where(known, 1.0, 0.0), 0.0, 1.0)
    else:
        parts["fee"] = np.zeros(len(idx))
    total = w.turnaround + w.qa + w.load + w.fee
    score = (
        w.turnaround * parts["turnaround"]
        + w.qa * parts["qa"]
        + w.load * parts["load"]
        + w.fee * parts["fee"]
    )
    if request.service == "ime" and distances is not None:
        parts["distance"] = np.clip(1.0 - distances / max(limit, 1.0), 0.0, 1.0)
        speaks = np.array(
            [
                request.language is None or request.language in network.physicians[int(i)].languages
                for i in idx
            ],
            dtype=bool,
        )
        parts["language"] = speaks.astype(np.float64)
        score = score + w.distance * parts["distance"] + w.language * parts["language"]
        total += w.distance + w.language
    return np.round(100.0 * score / total, 1), parts


def _candidate(
    network: Network,
    i: int,
    score: float,
    parts: dict[str, Any],
    k: int,
    request: Request,
    distances: Any,
) -> Candidate:
    p = network.physicians[i]
    similar = similar_codes(request.specialties)
    own = [c for c in p.specialties if c in similar]
    same = [c for c in own if c in request.specialties]
    reasons = []
    if same:
        reasons.append(f"same specialty as the treating provider: {_names(tuple(same))}")
    else:
        reasons.append(
            f"similar specialty: {_names(tuple(own))} (treating: {_names(request.specialties)})"
        )
    day = request.due
    state_licences = [
        lic for lic in p.licences if lic.state == request.jurisdiction and lic.expires >= day
    ]
    if state_licences:
        reasons.append(
            f"licensed in {request.jurisdiction} until {max(x.expires for x in state_licences)}"
        )
    else:
        states = sorted({lic.state for lic in p.licences if lic.expires >= day})
        reasons.append(
            f"licensed in {', '.join(states)}; {request.jurisdiction} does not require its own "
            "licence for a peer review"
        )
    if p.board_certified:
        reasons.append("board certified")
    reasons.append(f"median turnaround {p.median_turnaround_days:g} business days")
    reasons.append(f"QA: {p.qa_score:.0%} of reports passed first time")
    reasons.append(
        f"{p.open_assignments} of {p.weekly_capacity} weekly assignments taken"
        f" ({p.weekly_capacity - p.open_assignments} left)"
    )
    fee = p.fee(request.service)
    if fee is not None:
        reasons.append(f"fee ${fee:,.0f}")
    distance = None
    if distances is not None:
        distance = round(float(distances[k]), 1)
        reasons.append(f"{distance:g} miles from the claimant")
        if request.language and request.language != "en":
            reasons.append(
                f"speaks {request.language}"
                if request.language in p.languages
                else f"does not speak {request.language}: an interpreter is needed"
            )
    reasons.append(
        f"score {score:g} of 100 from "
        + ", ".join(f"{_PART_NAMES[name]} {float(parts[name][k]):.2f}" for name in parts)
        + " (each 0 to 1)"
    )
    return Candidate(p.npi, p.name, score, distance, tuple(reasons))


_PART_NAMES = {
    "turnaround": "turnaround",
    "qa": "QA",
    "load": "free capacity",
    "fee": "fee",
    "distance": "nearness",
    "language": "language",
}


@lru_cache(maxsize=1024)
def _names(codes: tuple[str, ...]) -> str:
    out = []
    for code in codes:
        s = taxonomy.specialty(code)
        out.append(s.name if s else code)
    return ", ".join(out)


def treating_specialties(referral: ReferralData) -> tuple[str, ...]:
    """The NUCC codes of the treating specialties in question: the treating physicians'
    (a physician reviews a physician's care), or every treating provider's when none of
    them is a physician (a therapist's care, reviewed by the specialties of its table)."""
    found = [
        s
        for p in referral.providers
        if p.specialty and (s := taxonomy.specialty(p.specialty)) is not None
    ]
    physicians = [s.code for s in found if s.physician]
    return tuple(dict.fromkeys(physicians or [s.code for s in found]))


def missing_for(referral: ReferralData, service: str) -> str | None:
    """What the referral lacks for physicians to be matched to the service, in words (an
    exam is near the claimant: it needs the claimant's ZIP); None when it lacks nothing."""
    if service == "ime" and not referral.claimant_zip:
        return "the claimant's ZIP is needed to match an IME"
    if service == "ime" and geo.centroid(referral.claimant_zip or "") is None:
        return f"the claimant's ZIP {referral.claimant_zip} is not a known US ZIP code"
    return None


def service_due(service: str, jurisdiction: str, today: date, thresholds: Thresholds) -> date:
    """When a review or an exam given to a physician today is due: the peer review
    turnaround or the IME lead time, in the jurisdiction's business days."""
    days = (
        thresholds.ime_lead_time_days
        if service == "ime"
        else thresholds.peer_review_turnaround_days
    )
    holidays = holidays_for(jurisdiction, today.year, today.year + 1)
    return add_business_days(today, days, holidays)


def request_for(
    referral: ReferralData,
    service: str,
    *,
    today: date,
    thresholds: Thresholds | None = None,
    top: int = 10,
) -> Request:
    """What to look for to review or examine this referral, on the day of the match
    (`missing_for` says first whether it can be)."""
    # Only an exam needs the claimant's whereabouts (and the ZIP table takes a tenth of a
    # second to load).
    where = (
        geo.centroid(referral.claimant_zip) if service == "ime" and referral.claimant_zip else None
    )
    return Request(
        service=service,
        jurisdiction=referral.jurisdiction,
        today=today,
        due=service_due(service, referral.jurisdiction, today, thresholds or Thresholds()),
        specialties=treating_specialties(referral),
        treating_npis=frozenset(p.npi for p in referral.providers if p.npi),
        treating_groups=frozenset(p.group for p in referral.providers if p.group),
        first_decision_npis=frozenset(referral.first_decision_npis),
        claimant=(where.latitude, where.longitude) if where else None,
        language=referral.claimant_language,
        top=top,
    )
