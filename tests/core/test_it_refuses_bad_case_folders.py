"""A bad case folder exits with status 2 and one line on stderr naming the file and the
problem; never a traceback (docs/case-folder.md, docs/command-line.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cases import referral, write_case

from medreview.cli import main


def triage(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["triage", str(folder), "--json"])
    out = capsys.readouterr()
    return code, out.out, out.err


def assert_refused(code: int, out: str, err: str, *words: str) -> None:
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], lines[0]


def test_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert_refused(*triage(tmp_path / "nowhere", capsys), "nowhere", "no such folder")


def test_a_file_instead_of_a_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "case.zip").write_bytes(b"PK")
    assert_refused(*triage(tmp_path / "case.zip", capsys), "case.zip", "not a folder")


def test_no_referral_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "records").mkdir()
    assert_refused(*triage(tmp_path, capsys), "referral.json", "missing")


def test_truncated_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = json.dumps(referral())[:-40]
    assert_refused(
        *triage(write_case(tmp_path, text, {}), capsys), "referral.json", "invalid JSON", "line 1"
    )


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            {"questions": [{"id": "q1", "type": "vibes", "text": "?"}]},
            ("questions[0].type", "'vibes'", "causation"),
        ),
        ({"claim": {"jurisdiction": None}}, ("claim.jurisdiction",)),
        ({"claim": {"jurisdiction": "ZZ"}}, ("claim.jurisdiction", "'ZZ'", "state")),
        ({"received": "2026-02-30"}, ("received", "not a date")),
        ({"questions": []}, ("questions", "at least 1")),
        ({"claimant": {"zip": "941"}}, ("claimant.zip", "five digits")),
        ({"bills": [{"date": "2026-03-01"}]}, ("bills[0].code", "missing")),
        ({"due": "2026-05-01"}, ("due", "before received")),
        ({"colour": "blue"}, ("unknown field", "colour")),
    ],
)
def test_an_invalid_referral(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict, words: tuple[str, ...]
) -> None:
    data = referral(**change)
    if change.get("claim", {}).get("jurisdiction", "x") is None:
        del data["claim"]["jurisdiction"]
    assert_refused(*triage(write_case(tmp_path, data, {}), capsys), "referral.json", *words)


def test_a_missing_jurisdiction_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = referral()
    del data["claim"]["jurisdiction"]
    assert_refused(*triage(write_case(tmp_path, data, {}), capsys), "claim.jurisdiction is missing")


def test_a_repeated_question_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = [
        {"id": "q1", "type": "causation", "text": "a"},
        {"id": "q1", "type": "mmi", "text": "b"},
    ]
    assert_refused(
        *triage(write_case(tmp_path, referral(questions=questions), {}), capsys), "'q1'", "twice"
    )


def test_bad_arguments_exit_2_too(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["triage"])
    assert stop.value.code == 2
    assert "CASE_DIR" in capsys.readouterr().err


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "medreview", "triage", str(tmp_path / "missing"), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
