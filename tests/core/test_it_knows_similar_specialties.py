"""Specialties by NUCC code or name, and which ones may review one another's care
(rules/taxonomy.py, data/nucc_taxonomy.csv, data/similar_specialties.toml)."""

from __future__ import annotations

import csv
import itertools
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from medreview.core.network import taxonomy
from medreview.core.network.taxonomy import is_similar, similar, specialty

ORTHOPAEDICS = "207X00000X"
SPINE = "207XS0117X"
NEUROSURGERY = "207T00000X"
PMR = "208100000X"
PHYSICAL_THERAPIST = "225100000X"
DERMATOLOGY = "207N00000X"
CARDIOLOGY = "207RC0000X"
FAMILY_SPORTS = "207QS0010X"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("207X00000X", ORTHOPAEDICS),
        ("  207x00000x ", ORTHOPAEDICS),
        ("orthopaedic surgery", ORTHOPAEDICS),
        ("Orthopedic Surgeon", ORTHOPAEDICS),
        ("Orthopaedic Surgery Physician", ORTHOPAEDICS),
        ("Physical Medicine & Rehabilitation", PMR),
        ("physical medicine and rehabilitation", PMR),
        ("PM&R", PMR),
        ("Physiatrist", PMR),
        ("Physical Therapist", PHYSICAL_THERAPIST),
        ("208VP0014X", "208VP0014X"),
        ("Pain Management", "208VP0000X"),
        ("Neurosurgeon", NEUROSURGERY),
        ("Neurosurgery", NEUROSURGERY),
        ("Chiropractor", "111N00000X"),
        ("Hand Surgeon", "207XS0106X"),
        ("Spine Surgeon", SPINE),
        ("Sports Medicine (Orthopaedic Surgery)", "207XX0005X"),
        ("Orthopaedic Surgery, Foot and Ankle Surgery", "207XX0004X"),
        ("Family Medicine, Diabetology", "207QD0401X"),
        ("Psychiatry", "2084P0800X"),
        ("Gastroenterology", "207RG0100X"),  # the physician's, not the nurse's
        ("Occupational Medicine", "2083X0100X"),  # the physician's, not the clinic's
        ("Dermatologist", DERMATOLOGY),
        ("Cardiologist", CARDIOLOGY),
    ],
)
def test_codes_and_names_resolve(text: str, code: str) -> None:
    found = specialty(text)
    assert found is not None, text
    assert found.code == code


def test_a_specialty_knows_its_place_in_the_code_set() -> None:
    pain = specialty("208VP0014X")
    assert pain is not None
    assert (pain.classification, pain.specialization) == (
        "Pain Medicine",
        "Interventional Pain Medicine",
    )
    assert pain.name == "Interventional Pain Medicine Physician"
    assert pain.physician
    therapist = specialty("Physical Therapist")
    assert therapist is not None and not therapist.physician
    ortho = specialty("Orthopaedic Surgery")  # a classification's name: its base code
    assert ortho is not None and ortho.code == ORTHOPAEDICS and ortho.specialization == ""


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "xyz",
        "Physician",
        "207X00000Y",  # shaped like a code, not one
        "207X0000X",
        "Diabetology Physician",  # the display name of two codes: ambiguous
        "Sports Medicine (Dermatology)",  # no such code
        "Geriatric Medicine",  # a specialization of family and of internal medicine
        "Forensic",  # a psychologist's specialization alone is not read as a name
        "x" * 10_000,
    ],
)
def test_unknown_or_ambiguous_text_is_none(text: str) -> None:
    assert specialty(text) is None


@pytest.mark.parametrize("bad", [None, 207, b"207X00000X", ["207X00000X"]])
def test_bad_input_gives_none_not_an_error(bad: Any) -> None:
    assert specialty(bad) is None
    assert similar(bad) == frozenset()
    assert not is_similar(bad, ORTHOPAEDICS)


def test_every_orthopaedic_surgery_specialization_is_similar_to_orthopaedic_surgery() -> None:
    ortho = [
        s.code for s in taxonomy.all_specialties() if s.classification == "Orthopaedic Surgery"
    ]
    assert len(ortho) == 8  # the bare code and its seven specializations
    for code in ortho:
        assert is_similar(ORTHOPAEDICS, code), code
        assert is_similar(code, ORTHOPAEDICS), code
        assert code in similar(ORTHOPAEDICS)


def test_a_code_is_similar_to_itself() -> None:
    for s in taxonomy.all_specialties():
        assert s.code in similar(s.code)


def test_spine_surgeons_and_neurosurgeons_are_similar() -> None:
    assert is_similar("Orthopaedic Surgery of the Spine", "Neurological Surgery")
    assert is_similar(NEUROSURGERY, SPINE)
    assert is_similar("Spine Surgeon", "Neurosurgeon")


def test_pain_medicine_of_every_board_is_similar() -> None:
    pain = ["207LP2900X", "2081P2900X", "208VP0000X", "208VP0014X", "2084P2900X"]
    for a, b in itertools.permutations(pain, 2):
        assert is_similar(a, b), (a, b)


def test_a_dermatologist_is_not_similar_to_an_orthopaedic_surgeon() -> None:
    assert not is_similar(DERMATOLOGY, ORTHOPAEDICS)
    assert not is_similar(ORTHOPAEDICS, DERMATOLOGY)
    assert not is_similar("Dermatology", "Orthopedic Surgeon")


def test_cardiology_is_not_similar_to_orthopaedics() -> None:
    for ortho in similar(ORTHOPAEDICS):
        assert not is_similar(CARDIOLOGY, ortho)
        assert not is_similar(ortho, CARDIOLOGY)


def test_groups_do_not_chain() -> None:
    # A spine surgeon is similar to a neurosurgeon, and to every orthopaedic surgeon, but a hand
    # surgeon is not thereby similar to a neurosurgeon.
    assert not is_similar("Orthopaedic Hand Surgery Physician", NEUROSURGERY)
    assert not is_similar(NEUROSURGERY, "Orthopaedic Hand Surgery Physician")


def test_psychiatry_and_neurology_are_not_one_specialty() -> None:
    # One NUCC classification (Psychiatry & Neurology), two specialties.
    assert not is_similar("Psychiatry", "Neurology")
    assert not is_similar("Neurology", "Psychiatry")
    assert is_similar("Psychiatry", "Child & Adolescent Psychiatry Physician")
    assert is_similar("Neurology", "Clinical Neurophysiology Physician")
    assert is_similar("Neurology", "Neuromuscular Medicine (Physical Medicine & Rehabilitation)")


def test_internal_medicine_surgery_and_pediatrics_are_boards_of_several_specialties() -> None:
    # A cardiologist is not a nephrologist's peer, though ABIM certifies both.
    assert not is_similar("Cardiovascular Disease Physician", "Nephrology Physician")
    assert not is_similar("Gastroenterology Physician", "Rheumatology Physician")
    assert not is_similar("Internal Medicine", "Cardiovascular Disease Physician")
    assert not is_similar("Vascular Surgery Physician", "Pediatric Surgery Physician")
    assert not is_similar("Pediatric Cardiology Physician", "Pediatric Nephrology Physician")
    # Those that manage the same organs are joined again.
    assert is_similar("Cardiovascular Disease Physician", "Interventional Cardiology Physician")
    assert is_similar("Medical Oncology Physician", "Hematology & Oncology Physician")
    assert is_similar("Gastroenterology Physician", "Hepatology Physician")
    assert is_similar("Pulmonary Disease Physician", "Critical Care Medicine (Internal Medicine)")
    assert is_similar("Surgery", "Trauma Surgery Physician")
    assert is_similar("Internal Medicine", "Family Medicine")  # primary care
    # A subspecialty left alone is still its own peer.
    assert is_similar("Nephrology Physician", "Nephrology Physician")
    assert is_similar("Pediatric Cardiology Physician", "Pediatric Cardiology Physician")


def test_a_physical_therapists_care_is_reviewed_by_pmr_orthopaedics_or_sports_medicine() -> None:
    reviewers = similar(PHYSICAL_THERAPIST)
    assert {PHYSICAL_THERAPIST, PMR, ORTHOPAEDICS, SPINE, FAMILY_SPORTS} <= reviewers
    assert is_similar("Physical Therapist", "PM&R")
    assert is_similar("Orthopedic Physical Therapist", "Orthopedic Surgeon")
    assert not is_similar("Physical Therapist", "Dermatology")
    assert not is_similar("Physical Therapist", "Cardiologist")


def test_review_by_another_profession_is_one_way() -> None:
    # A physiatrist reviews physical therapy; a physical therapist does not review a physiatrist.
    assert is_similar(PHYSICAL_THERAPIST, PMR)
    assert not is_similar(PMR, PHYSICAL_THERAPIST)
    assert is_similar("Psychologist", "Psychiatry")
    assert not is_similar("Psychiatry", "Psychologist")


@pytest.mark.parametrize(
    ("treating", "reviewer"),
    [
        ("Chiropractor", "Chiropractor"),
        ("Chiropractor", "Physical Medicine & Rehabilitation"),
        ("Podiatrist", "Podiatrist"),
        ("Podiatrist", "Orthopaedic Foot and Ankle Surgery Physician"),
        ("Psychologist", "Psychologist"),
        ("Psychologist", "Psychiatry"),
        ("Occupational Therapist", "Physical Medicine & Rehabilitation"),
        ("Hand Occupational Therapist", "Orthopaedic Hand Surgery Physician"),
        ("Nurse Practitioner", "Family Medicine"),
        ("Family Nurse Practitioner", "Internal Medicine"),
        ("Physician Assistant", "Occupational Medicine"),
        ("Occupational Medicine", "PM&R"),
        ("Family Medicine", "Internal Medicine"),
    ],
)
def test_the_table_names_who_may_review(treating: str, reviewer: str) -> None:
    assert is_similar(treating, reviewer)


@pytest.mark.parametrize(
    ("treating", "reviewer"),
    [
        ("Chiropractor", "Orthopaedic Surgery"),
        ("Podiatrist", "Orthopaedic Hand Surgery Physician"),
        ("Psychologist", "Neurology"),
        ("Orthopaedic Surgery", "Chiropractor"),
        ("Nurse Practitioner", "Orthopaedic Surgery"),
    ],
)
def test_the_table_names_no_one_else(treating: str, reviewer: str) -> None:
    assert not is_similar(treating, reviewer)


def test_similarity_is_symmetric_for_every_pair_in_the_table() -> None:
    for group in taxonomy.groups():
        for a, b in itertools.combinations(sorted(group.codes), 2):
            assert is_similar(a, b) and is_similar(b, a), (group.name, a, b)


def test_only_the_care_of_other_professions_is_reviewed_one_way() -> None:
    # A physician's care is judged by the symmetric rules alone.
    physician = {s.code for s in taxonomy.all_specialties() if s.physician}
    for review in taxonomy.reviews():
        assert not review.treating & physician, review.name
    for a in physician:
        for b in similar(a):
            assert a in similar(b), (a, b)


def test_the_table_has_clinically_sized_groups() -> None:
    groups = taxonomy.groups()
    assert 20 <= len(groups) + len(taxonomy.reviews()) <= 50
    for group in groups:
        assert 2 <= len(group.codes) <= 40, group.name
        assert group.about, group.name


def test_no_code_is_left_alone_when_a_classification_is_split() -> None:
    # Psychiatry & Neurology and Radiology are split in two or three: every code goes to one
    # side. Internal medicine, surgery and pediatrics are split into their subspecialties,
    # and a subspecialty no other manages the same organs of (nephrology) stays alone.
    split = taxonomy.table().not_one_specialty
    both_sides = {taxonomy._key("Psychiatry & Neurology"), taxonomy._key("Radiology")}
    assert both_sides | {taxonomy._key("Internal Medicine")} <= split
    grouped = set().union(*(g.codes for g in taxonomy.groups()))
    for s in taxonomy.all_specialties():
        if taxonomy._key(s.classification) in both_sides:
            assert s.code in grouped, s.name
        if taxonomy._key(s.classification) in split and not s.specialization:
            assert s.code in grouped, s.name  # the general internist, surgeon, pediatrician


def test_every_name_in_the_table_resolves() -> None:
    table = taxonomy.table()  # loading checks every name
    assert table.groups and table.reviews and table.aliases
    for alias, code in table.aliases.items():
        found = specialty(alias)
        assert found is not None and found.code == code, alias


def _shipped_table() -> str:
    return resources.files("medreview.data").joinpath(taxonomy.TABLE).read_text("utf-8")


def test_a_typo_in_a_group_stops_the_load_naming_the_group_and_the_name() -> None:
    text = _shipped_table().replace('"Neurological Surgery",', '"Neurologcal Surgery",', 1)
    with pytest.raises(ValueError, match=r"group 'spine'.*'Neurologcal Surgery'"):
        taxonomy.read_table(text)


def test_a_typo_in_a_review_or_an_alias_stops_the_load() -> None:
    text = _shipped_table().replace('"group:psychiatry"]', '"group:psychiatyr"]', 1)
    with pytest.raises(ValueError, match=r"review 'psychology'.*'psychiatyr'"):
        taxonomy.read_table(text)
    text = _shipped_table().replace(
        '"PM&R" = "Physical Medicine & Rehabilitation"', '"PM&R" = "Physical Medicine"', 1
    )
    with pytest.raises(ValueError, match=r"alias 'PM&R'"):
        taxonomy.read_table(text)


def test_an_alias_cannot_rename_a_specialty_of_the_code_set() -> None:
    text = _shipped_table().replace(
        "\n[aliases]\n", '\n[aliases]\n"Dermatology" = "Orthopaedic Surgery"\n', 1
    )
    with pytest.raises(ValueError, match=r"alias 'Dermatology' would rename"):
        taxonomy.read_table(text)


def test_the_shipped_code_set_names_its_source() -> None:
    raw = resources.files("medreview.data").joinpath("nucc_taxonomy.csv").read_text("utf-8")
    comments = " ".join(line for line in raw.splitlines() if line.startswith("#"))
    assert "National Uniform Claim Committee" in comments and "25.1" in comments
    assert len(taxonomy.all_specialties()) == 883
    assert len({s.code for s in taxonomy.all_specialties()}) == 883


def test_the_shipped_code_set_is_the_whole_nucc_set(shared_dir: Path) -> None:
    source = shared_dir / "data" / "nucc" / "nucc_taxonomy_251.csv"
    if not source.is_file():
        pytest.skip(f"the NUCC code set is not in the shared folder: {source} does not exist")
    with source.open(encoding="utf-8", newline="") as f:
        rows = {row["Code"]: row for row in csv.DictReader(f)}
    assert len(rows) == 883
    shipped = {s.code: s for s in taxonomy.all_specialties()}
    assert set(shipped) == set(rows)
    for code, row in rows.items():
        s = shipped[code]
        assert (s.grouping, s.classification, s.specialization, s.name, s.section) == (
            row["Grouping"].strip(),
            row["Classification"].strip(),
            row["Specialization"].strip(),
            row["Display Name"].strip(),
            row["Section"].strip(),
        ), code


def test_a_misspelt_field_stops_the_load() -> None:
    text = _shipped_table().replace("members = [", "member = [", 1)
    with pytest.raises(ValueError, match=r"group 'spine': unknown field 'member'"):
        taxonomy.read_table(text)


def test_a_qualified_name_reads_as_its_specialty_or_its_classification() -> None:
    # As referrals write them: a qualifier in brackets after the board's name.
    ortho = taxonomy.specialty("Orthopaedic Surgery (Foot and Ankle)")
    assert ortho is not None and ortho.classification == "Orthopaedic Surgery" and ortho.physician
    foot = taxonomy.specialty("Foot and Ankle Surgery (Orthopaedic Surgery)")
    assert foot is not None and foot.code == "207XX0004X"
    assert taxonomy.specialty("Nothing Known (Foot and Ankle)") is None
