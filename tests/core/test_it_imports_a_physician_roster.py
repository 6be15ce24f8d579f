"""`medreview network import FILE.csv` and `medreview match CASE_DIR` from the command line:
every bad row named with its line and reason while the others are imported, the tally on
the last line, a re-import updating by NPI, and the match of a case folder as JSON."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from cases import REFERRAL, medreview

from medreview.core.network.roster import read_roster, rows_to_csv

GOOD = {
    "npi": "1000000103",
    "name": "Avery Chen, MD",
    "specialties": "207X00000X;Orthopaedic Surgery of the Spine",
    "board_certified": "yes",
    "licenses": "CA:2027-06-30;NV:2026-12-31",
    "zip": "94107",
    "services": "peer_review;ime",
    "languages": "en;es",
    "weekly_capacity": "8",
    "open_assignments": "3",
    "median_turnaround_days": "2.5",
    "qa_score": "0.93",
    "affiliations": "Bayview Spine Group",
    "fee_peer_review": "350",
    "fee_ime": "1800",
}
TODAY = date(2026, 5, 1)


def test_each_bad_row_is_named_with_its_line_and_every_reason() -> None:
    rows, rejected = read_roster(
        rows_to_csv(
            [
                GOOD,
                {**GOOD, "npi": "1000000104"},  # check digit
                {**GOOD, "npi": "1000000095", "specialties": "Astrology", "zip": "00000"},
                {**GOOD, "npi": "1000000087", "licenses": "CA:2027-13-01;XX:2027-01-01"},
                {**GOOD, "npi": "1000000079", "services": "surgery", "qa_score": "93"},
                {**GOOD},  # the same NPI again
            ]
        ),
        today=TODAY,
    )
    assert [r.npi for r in rows] == ["1000000103"]
    assert rows[0].specialties == ("207X00000X", "207XS0117X")
    assert [str(r) for r in rejected] == [
        "line 3 (NPI 1000000104): NPI 1000000104 fails its check digit",
        "line 4 (NPI 1000000095): unknown specialty 'Astrology' (a NUCC taxonomy code or its "
        "name); unknown ZIP '00000'",
        "line 5 (NPI 1000000087): licence 'CA:2027-13-01': expiry '2027-13-01' is not a date "
        "(YYYY-MM-DD); licence 'XX:2027-01-01': unknown state 'XX'",
        "line 6 (NPI 1000000079): services must be peer_review and/or ime, not 'surgery'; "
        "qa_score 93 is above 1 (a share, 0 to 1)",
        "line 7 (NPI 1000000103): NPI 1000000103 is already on line 2",
    ]


def test_the_command_imports_the_good_rows_and_updates_by_npi(tmp_path: Path) -> None:
    roster = tmp_path / "network.csv"
    roster.write_text(
        rows_to_csv(
            [
                GOOD,
                {
                    **GOOD,
                    "npi": "1000000095",
                    "name": "Col League, MD",
                    "affiliations": "Bayline Orthopedics",
                },
                {**GOOD, "npi": "1000000104"},
                {**GOOD, "npi": "1000000087", "zip": "1234"},
                {**GOOD, "npi": "1000000079", "open_assignments": "-1"},
            ]
        )
    )
    done = medreview(tmp_path, "network", "import", str(roster))
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "imported 2, rejected 3"
    assert [line.split(": ", 1)[1][:7] for line in done.stderr.splitlines()] == [
        "line 4 ",
        "line 5 ",
        "line 6 ",
    ]

    roster.write_text(rows_to_csv([{**GOOD, "weekly_capacity": "12", "licenses": "CA:2028-01-31"}]))
    again = medreview(tmp_path, "network", "import", str(roster))
    assert again.stdout.strip().splitlines()[-1] == "imported 1, rejected 0"

    case = tmp_path / "case"
    (case / "records").mkdir(parents=True)
    (case / "referral.json").write_text(json.dumps(REFERRAL))
    found = medreview(tmp_path, "match", str(case), "--service", "ime", "--json")
    assert found.returncode == 0, found.stderr
    body = json.loads(found.stdout)
    assert set(body) >= {"service", "candidates", "excluded"}
    assert [c["npi"] for c in body["candidates"]] == ["1000000103"]  # the colleague is not
    assert body["excluded"]["conflict"] == 1
    reasons = " ".join(body["candidates"][0]["reasons"])
    assert "licensed in CA until 2028-01-31" in reasons and "12 weekly" in reasons
    assert 0 < body["candidates"][0]["distance_miles"] < 5


def test_a_file_it_cannot_read_exits_2_with_one_line(tmp_path: Path) -> None:
    missing = medreview(tmp_path, "network", "import", str(tmp_path / "nope.csv"))
    assert (missing.returncode, missing.stderr.count("\n")) == (2, 1)
    assert "no such file" in missing.stderr
    headless = tmp_path / "bad.csv"
    headless.write_text("npi,name\n1000000103,Avery\n")
    bad = medreview(tmp_path, "network", "import", str(headless))
    assert bad.returncode == 2 and "missing column(s): specialties" in bad.stderr
    no_case = medreview(tmp_path, "match", str(tmp_path / "nowhere"), "--service", "peer_review")
    assert no_case.returncode == 2 and "no such folder" in no_case.stderr


def test_a_value_larger_than_its_column_holds_is_its_rows_reason() -> None:
    rows, rejected = read_roster(
        rows_to_csv(
            [
                GOOD,
                {**GOOD, "npi": "1000000095", "name": "N" * 201, "fee_ime": "10000000"},
                {**GOOD, "npi": "1000000087", "weekly_capacity": "99999999999"},
            ]
        ),
        today=TODAY,
    )
    assert [r.npi for r in rows] == ["1000000103"]
    assert [str(r) for r in rejected] == [
        "line 3 (NPI 1000000095): name is 201 characters long, more than 200; fee_ime"
        " '10000000' is more than 9,999,999.99",
        "line 4 (NPI 1000000087): weekly_capacity '99999999999' is more than 2,147,483,647",
    ]
