"""Fax packets of real transcriptions (the fax-packets benchmark's, bench/fax.py: every note
under a clinic's letterhead, every page stamped by the fax machine, half the notes untitled, a
few faxed twice), triaged as any case: each note found where it starts, with its kind and its
date of service, and its second copy marked. The full measure (every note, scanned packets
too) is `python -m bench --only fax-packets`."""

from __future__ import annotations

from pathlib import Path

from bench import fax, fax_packets, mtsamples_kinds

NOTES = 42  # three cases of two text-layer packets


def _cases(shared_dir: Path) -> list[fax.Case]:
    notes = mtsamples_kinds.load(shared_dir / "data" / "mtsamples" / "mtsamples.csv").notes
    return fax.cases(notes[7 :: len(notes) // NOTES][:NOTES], seed=3, scan_every=None)


def test_it_finds_the_notes_of_fax_packets_with_their_kinds_dates_and_copies(
    shared_dir: Path, tmp_path: Path
) -> None:
    cases = _cases(shared_dir)
    score = fax_packets.measure(cases, tmp_path)

    assert score.untitled > 10 and score.copies >= 2
    assert score.f1 >= 0.95, (score.precision, score.recall)
    assert score.untitled_found == score.untitled
    assert score.kinds >= 0.85, list(zip(score.truth, score.predicted, strict=True))
    assert score.dates >= 0.95, score.wrong_dates
    assert score.copies_found == score.copies and score.false_copies == 0


def test_a_note_merged_into_the_one_before_counts_as_missed(shared_dir: Path) -> None:
    from medreview.core.records.model import Document

    case = _cases(shared_dir)[0]
    file = next(iter(case.packets))
    pages = tuple(range(1, len(case.packets[file]) + 1))
    first = next(t for t in case.truths if t.file == file)
    merged = Document("all", file, first.kind, first.day, None, pages)
    score = fax_packets.Score()

    fax_packets.score_case(case, [merged], score)

    notes_in_file = sum(t.file == file for t in case.truths)
    assert score.right_starts == 1 and score.true_starts == len(case.truths)
    assert score.kinds < 1 and score.dates <= 1 / notes_in_file + 1e-9
