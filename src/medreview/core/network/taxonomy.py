"""Provider specialties, and which ones count as the same or similar for a physician review.

A physician reviewer must have the same or a similar specialty as the claimant's treating
provider. Specialties are codes of the NUCC Health Care Provider Taxonomy code set v25.1
(National Uniform Claim Committee, nucc.org; shipped as `data/nucc_taxonomy.csv`). Two codes are
similar when:

1. they are of one NUCC classification (every Orthopaedic Surgery code is similar to every other),
   unless the table switches that off for a classification that is a board's umbrella over
   distinct specialties (Psychiatry & Neurology, Radiology, Internal Medicine, Surgery,
   Pediatrics: a cardiologist is not a nephrologist's peer);
2. they are in one group of `data/similar_specialties.toml`, the review desk's clinical judgement
   (spine care, pain medicine, hand surgery...): symmetric within the group, not chained across
   groups;
3. one way only, the table's `[review]` section lets a specialty review the care of another (a
   physiatrist may review physical therapy; a physical therapist does not review a physiatrist).

So `similar(treating)` answers "whose holders may review care given under this specialty?".
Names ("Orthopedic Surgeon", "PM&R", "Physical Therapist") are read with the code set's own names
and the table's aliases. Everything is read once, and the table is checked as it is read: a name
it cannot resolve stops the load with an error naming the group and the name.
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

PHYSICIANS = "Allopathic & Osteopathic Physicians"
TABLE = "similar_specialties.toml"
_CODE = re.compile(r"[0-9A-Z]{9}X")
_WORD = re.compile(r"[0-9a-z]+")
# Spellings read as one: "Orthopedic" is "Orthopaedic", British spellings are American.
_SPELLINGS = (
    ("orthopedi", "orthopaedi"),
    ("paediatr", "pediatr"),
    ("anaesthe", "anesthe"),
    ("gynaecolog", "gynecolog"),
    ("haemat", "hemat"),
)
_TOP_KEYS = frozenset({"_source", "classifications", "aliases", "groups", "review"})
_GROUP_REF = "group:"
_SPLIT_KEYS = frozenset({"why", "not_one_specialty"})


@dataclass(frozen=True)
class Specialty:
    code: str  # e.g. "207X00000X"
    grouping: str  # e.g. "Allopathic & Osteopathic Physicians"
    classification: str  # e.g. "Orthopaedic Surgery"
    specialization: str  # "" when none
    name: str  # the NUCC display name, e.g. "Orthopaedic Surgery Physician"
    physician: bool  # of the grouping "Allopathic & Osteopathic Physicians"
    section: str  # "Individual" or "Non-Individual"


@dataclass(frozen=True)
class Group:
    """Specialties similar to one another across classifications (symmetric)."""

    name: str
    about: str
    codes: frozenset[str]


@dataclass(frozen=True)
class Review:
    """One way: the care of the `treating` codes may be reviewed by the `reviewers` codes."""

    name: str
    about: str
    treating: frozenset[str]
    reviewers: frozenset[str]


@dataclass(frozen=True)
class Table:
    """The similarity table, read and checked against the code set."""

    not_one_specialty: frozenset[str]  # classifications without the same-classification rule
    aliases: Mapping[str, str]  # alias as written -> code
    groups: tuple[Group, ...]
    reviews: tuple[Review, ...]
    names: Mapping[str, str | None]  # normalised name -> code (None: ambiguous)
    similar: Mapping[str, frozenset[str]]  # code -> every code that may review its care


def _key(text: str) -> str:
    """A name as compared: case, punctuation, "&"/"and" and spelling variants ignored."""
    t = text.casefold().replace("&", " and ")
    for old, new in _SPELLINGS:
        t = t.replace(old, new)
    return " ".join(_WORD.findall(t))


def _variants(key: str) -> Iterator[str]:
    """The name, then its forms without "Physician" and with "Surgery" for "Surgeon"."""
    yield key
    if key.endswith(" physician"):
        key = key.removesuffix(" physician")
        yield key
    if key.endswith("surgeon"):
        yield key.removesuffix("surgeon") + "surgery"


@lru_cache(maxsize=1)
def all_specialties() -> tuple[Specialty, ...]:
    """Every code of the NUCC code set v25.1, in its order."""
    raw = resources.files("medreview.data").joinpath("nucc_taxonomy.csv").read_text("utf-8")
    rows = csv.DictReader(
        io.StringIO("\n".join(line for line in raw.splitlines() if not line.startswith("#")))
    )
    return tuple(
        Specialty(
            code=row["code"],
            grouping=row["grouping"],
            classification=row["classification"],
            specialization=row["specialization"],
            name=row["display_name"],
            physician=row["grouping"] == PHYSICIANS,
            section=row["section"],
        )
        for row in rows
    )


@lru_cache(maxsize=1)
def _by_code() -> Mapping[str, Specialty]:
    return {s.code: s for s in all_specialties()}


def _official_names(
    specialties: Iterable[Specialty], specialization_alone: bool = True
) -> dict[str, str | None]:
    """Normalised name -> code, from the code set; a name of several codes maps to None.

    In order of precedence: the display name; a classification's name (its base code, the one
    without specialization); "Classification, Specialization" and "Specialization
    (Classification)"; the specialization alone (unless `specialization_alone` is false), when
    it is of one physician code: "Gastroenterology" is the physician's, not the nurse's of
    that specialization, and "Forensic", a psychologist's specialization, is no name alone.
    """
    tiers: list[defaultdict[str, set[str]]] = [defaultdict(set) for _ in range(4)]
    for s in specialties:
        tiers[0][_key(s.name)].add(s.code)
        if not s.specialization:
            tiers[1][_key(s.classification)].add(s.code)
            continue
        tiers[2][_key(f"{s.classification} {s.specialization}")].add(s.code)
        tiers[2][_key(f"{s.specialization} {s.classification}")].add(s.code)
        if s.physician:
            tiers[3][_key(s.specialization)].add(s.code)
    names: dict[str, str | None] = {}
    for tier in tiers if specialization_alone else tiers[:3]:
        for key, codes in tier.items():
            if key and key not in names:
                names[key] = next(iter(codes)) if len(codes) == 1 else None
    return names


def _lookup(text: str, names: Mapping[str, str | None], codes: Mapping[str, Any]) -> str | None:
    s = text.strip()
    if _CODE.fullmatch(s.upper()):
        return s.upper() if s.upper() in codes else None
    for key in _variants(_key(s)):
        if key in names:
            return names[key]  # None when ambiguous: no guessing from a shorter form
    return None


def read_table(text: str) -> Table:
    """Read and check a similarity table (the text of `similar_specialties.toml`).

    Raises ValueError naming the entry and the name for a name that resolves to no specialty,
    or to several, and for a malformed entry.
    """
    specialties = all_specialties()
    by_code = _by_code()
    raw = tomllib.loads(text)
    unknown = sorted(set(raw) - _TOP_KEYS)
    if unknown:
        raise ValueError(f"{TABLE}: unknown section {unknown[0]!r}")

    classes: defaultdict[str, set[str]] = defaultdict(set)  # normalised classification -> codes
    groupings: defaultdict[str, set[str]] = defaultdict(set)
    for s in specialties:
        classes[_key(s.classification)].add(s.code)
        groupings[_key(s.classification)].add(s.grouping)

    def classification(name: str) -> frozenset[str] | None:
        key = _key(name)
        if key not in classes:
            return None
        if len(groupings[key]) > 1:
            return frozenset()  # one name, several NUCC groupings: ambiguous
        return frozenset(classes[key])

    official = _official_names(specialties)
    full_names = _official_names(specialties, specialization_alone=False)
    names = dict(official)
    aliases: dict[str, str] = {}
    for alias, target in _table(raw, "aliases").items():
        code = _lookup(_text(target, f"alias {alias!r}"), official, by_code)
        if code is None:
            raise ValueError(f"{TABLE}: alias {alias!r}: unknown or ambiguous name {target!r}")
        key = _key(alias)
        if not key:
            raise ValueError(f"{TABLE}: alias {alias!r} has no letters")
        if full_names.get(key) not in (None, code):  # a bare specialization it may take
            raise ValueError(
                f"{TABLE}: alias {alias!r} would rename {by_code[str(full_names[key])].name!r}"
            )
        names[key] = code
        aliases[alias] = code

    section = _entry(raw.get("classifications", {}), "[classifications]", _SPLIT_KEYS)
    not_one: set[str] = set()
    for name in _strings(section.get("not_one_specialty", []), "classifications"):
        if not classification(name):
            raise ValueError(f"{TABLE}: classifications: unknown classification {name!r}")
        not_one.add(_key(name))

    groups: dict[str, Group] = {}

    def expand(name: str, where: str, refs: bool) -> frozenset[str]:
        if name.startswith(_GROUP_REF):
            if not refs:
                raise ValueError(f"{TABLE}: {where}: {name!r}: a group cannot name a group")
            ref = name.removeprefix(_GROUP_REF).strip()
            if ref not in groups:
                raise ValueError(f"{TABLE}: {where}: unknown group {ref!r}")
            return groups[ref].codes
        whole = classification(name)
        if whole:
            return whole
        if whole is not None:
            raise ValueError(f"{TABLE}: {where}: ambiguous classification {name!r}")
        code = _lookup(name, names, by_code)
        if code is None:
            raise ValueError(f"{TABLE}: {where}: unknown or ambiguous specialty {name!r}")
        return frozenset({code})

    def members(entry: Mapping[str, Any], field: str, where: str, refs: bool) -> frozenset[str]:
        listed = _strings(entry.get(field), f"{where} {field}")
        if not listed:
            raise ValueError(f"{TABLE}: {where}: {field} is empty")
        return frozenset().union(*(expand(name, where, refs) for name in listed))

    for name, value in _table(raw, "groups").items():
        where = f"group {name!r}"
        entry = _entry(value, where, frozenset({"about", "members"}))
        codes = members(entry, "members", where, refs=False)
        if len(codes) < 2:
            raise ValueError(f"{TABLE}: {where} has fewer than two specialties")
        groups[name] = Group(name, str(entry.get("about", "")), codes)

    reviews = []
    for name, value in _table(raw, "review").items():
        where = f"review {name!r}"
        entry = _entry(value, where, frozenset({"about", "treating", "reviewers"}))
        treating = members(entry, "treating", where, refs=True)
        reviewers = members(entry, "reviewers", where, refs=True)
        reviews.append(Review(name, str(entry.get("about", "")), treating, reviewers))

    similar: dict[str, set[str]] = {code: {code} for code in by_code}
    for key, in_class in classes.items():
        if key in not_one:
            continue
        by_grouping: defaultdict[str, set[str]] = defaultdict(set)
        for code in in_class:
            by_grouping[by_code[code].grouping].add(code)
        for same in by_grouping.values():
            for code in same:
                similar[code] |= same
    for group in groups.values():
        for code in group.codes:
            similar[code] |= group.codes
    for review in reviews:
        for code in review.treating:
            similar[code] |= review.reviewers

    return Table(
        not_one_specialty=frozenset(not_one),
        aliases=aliases,
        groups=tuple(groups.values()),
        reviews=tuple(reviews),
        names=names,
        similar={code: frozenset(codes) for code, codes in similar.items()},
    )


def _table(raw: Mapping[str, Any], section: str) -> Mapping[str, Any]:
    value = raw.get(section, {})
    if not isinstance(value, dict):
        raise ValueError(f"{TABLE}: [{section}] is not a table")
    return value


def _entry(value: Any, where: str, fields: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{TABLE}: {where} is not a table")
    unknown = sorted(set(value) - fields)
    if unknown:
        raise ValueError(f"{TABLE}: {where}: unknown field {unknown[0]!r}")
    return value


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{TABLE}: {where}: {value!r} is not a name")
    return value


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list):
        raise ValueError(f"{TABLE}: {where}: not a list of names")
    return [_text(v, where) for v in value]


@lru_cache(maxsize=1)
def table() -> Table:
    """The shipped similarity table (`data/similar_specialties.toml`), read once."""
    return read_table(resources.files("medreview.data").joinpath(TABLE).read_text("utf-8"))


_QUALIFIED = re.compile(r"(.+?)\s*\(([^()]+)\)")


def specialty(text: str) -> Specialty | None:
    """The specialty a code or name stands for; None when unknown or ambiguous.

    A NUCC code (any case), a display name, a classification's name (its base code),
    "Classification, Specialization", "Specialization (Classification)", the specialization of
    one physician code, or an alias of the table; case, "&"/"and", "Orthopedic"/"Orthopaedic" and a trailing "Physician"
    do not matter, and "Surgeon" reads as "Surgery" ("Orthopedic Surgeon").
    """
    if not isinstance(text, str) or len(text) > 200:
        return None
    names, codes = table().names, _by_code()
    code = _lookup(text, names, codes)
    qualified = _QUALIFIED.fullmatch(text.strip())
    if code is None and qualified:
        # "Orthopaedic Surgery (Foot and Ankle)": the qualifier as a specialization of the
        # classification if it names one, else the classification itself, which is what the
        # physician practises whatever a free qualifier says.
        outer, inner = qualified.groups()
        code = _lookup(f"{outer}, {inner}", names, codes)
        if code is None and _lookup(inner, names, codes) is None and inner.strip() not in names:
            # A qualifier that is itself a specialty ("Sports Medicine (Dermatology)") pairs
            # two that do not go together: no guessing which was meant.
            code = _lookup(outer, names, codes)
    return codes[code] if code else None


def similar(code: str) -> frozenset[str]:
    """Every code counted the same as or similar to `code` (itself included), that is every
    specialty whose holders may review care given under it; empty for an unknown code.

    A name is read as `specialty` reads it.
    """
    codes = table().similar
    if isinstance(code, str):
        found = codes.get(code) or codes.get(code.strip().upper())
        if found is not None:
            return found
    s = specialty(code)
    return codes[s.code] if s else frozenset()


def is_similar(treating: str, reviewer: str) -> bool:
    """Whether a reviewer of specialty `reviewer` may review care given under `treating`
    (codes or names). Symmetric but for the table's one-way `[review]` entries."""
    r = specialty(reviewer)
    return r is not None and r.code in similar(treating)


def groups() -> tuple[Group, ...]:
    """The table's groups of similar specialties."""
    return table().groups


def reviews() -> tuple[Review, ...]:
    """The table's one-way entries: who may review the care of other professions."""
    return table().reviews
