"""`medreview network availability import FILE.csv`: examiners' bookable hours, one row a block
at one office; each bad row rejected on stderr with its line and every reason (an unknown NPI,
a date or time that is not one, an end not after its start, an unknown ZIP, a block
overlapping another of the same physician), the good ones kept; the tally last on stdout. A
missing file or a bad header exits 2 with one line and imports nothing. An import replaces the
physician's blocks of the days it names, and is one audit event."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from ime_flow import EXAMINER, PEER_REVIEWER, hours_rows, import_hours
from webapp import import_roster

from medreview.audit.models import AuditEvent
from medreview.cli import main
from medreview.network.models import Availability

pytestmark = pytest.mark.django_db(transaction=True)

DAY = date(2026, 12, 14)


def test_bad_rows_are_named_by_line_and_the_good_ones_kept(tmp_path: Path) -> None:
    import_roster(EXAMINER, PEER_REVIEWER)
    good = hours_rows(EXAMINER["npi"], "10001", "350 Fifth Avenue", [DAY, DAY + timedelta(1)])
    rows = [
        *good,  # lines 2 and 3
        {**good[0], "npi": "1234567890"},  # 4: nobody's
        {**good[0], "date": "2026-02-30", "start": "9h"},  # 5
        {**good[0], "start": "13:00", "end": "12:00"},  # 6
        {**good[0], "zip": "00000"},  # 7
        {**good[0], "start": "11:00", "end": "14:00"},  # 8: overlaps line 2
        {**good[0], "npi": PEER_REVIEWER["npi"], "address": " "},  # 9
        {**good[0], "npi": PEER_REVIEWER["npi"], "start": "13:00", "end": "17:30"},  # 10
    ]
    code, out, err = import_hours(tmp_path, rows)
    assert code == 0
    assert out.strip().splitlines()[-1] == "imported 3, rejected 6"
    lines = err.strip().splitlines()
    assert [line.split(": line ")[1].split(" ")[0] for line in lines] == [
        "4", "5", "6", "7", "8", "9"
    ]  # fmt: skip
    said = "\n".join(lines)
    assert "unknown NPI '1234567890'" in said
    assert "date '2026-02-30' is not a date" in said and "start '9h' is not a time" in said
    assert "end 12:00 is not after start 13:00" in said
    assert "unknown ZIP '00000'" in said
    assert "overlaps the block of line 2" in said
    assert "address is empty" in said
    kept = sorted(
        (a.physician.npi, a.day, a.start, a.end)
        for a in Availability.objects.select_related("physician")
    )
    assert kept == sorted(
        [
            (EXAMINER["npi"], DAY, time(9), time(12)),
            (EXAMINER["npi"], DAY + timedelta(1), time(9), time(12)),
            (PEER_REVIEWER["npi"], DAY, time(13), time(17, 30)),
        ]
    )
    event = AuditEvent.objects.get(action="network.hours_imported")
    assert event.actor == "command line"
    assert event.detail["imported"] == 3 and event.detail["rejected"] == 6


def test_an_import_replaces_the_days_it_names_and_keeps_the_others(tmp_path: Path) -> None:
    import_roster(EXAMINER)
    npi = EXAMINER["npi"]
    first = hours_rows(npi, "10001", "350 Fifth Avenue", [DAY, DAY + timedelta(1)])
    assert import_hours(tmp_path, first)[0] == 0
    later = hours_rows(npi, "10016", "16 East 34th Street", [DAY], start="14:00", end="16:00")
    code, out, _ = import_hours(tmp_path, later, "later.csv")
    assert code == 0 and out.strip() == "imported 1, rejected 0"
    kept = sorted((a.day, a.start, a.zip) for a in Availability.objects.all())
    assert kept == [(DAY, time(14), "10016"), (DAY + timedelta(1), time(9), "10001")]
    assert AuditEvent.objects.filter(action="network.hours_imported").count() == 2


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ("npi,date,start,end\n1,2026-12-14,09:00,12:00\n", "missing column(s): zip, address"),
        ("", "missing column(s): npi, date, start, end, zip, address"),
    ],
)
def test_a_bad_header_exits_2_with_one_line(
    tmp_path: Path, capsys: Any, content: str, says: str
) -> None:
    import_roster(EXAMINER)
    path = tmp_path / "hours.csv"
    path.write_text(content)
    assert main(["network", "availability", "import", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1
    assert err.startswith("medreview: ") and says in err
    assert not Availability.objects.exists()


def test_a_missing_file_exits_2_with_one_line(tmp_path: Path, capsys: Any) -> None:
    assert main(["network", "availability", "import", str(tmp_path / "nowhere.csv")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip() == f"medreview: {tmp_path / 'nowhere.csv'}: no such file"
    assert not AuditEvent.objects.filter(action="network.hours_imported").exists()
