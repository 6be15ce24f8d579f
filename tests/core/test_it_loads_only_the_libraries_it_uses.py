"""A case pays only for the libraries it uses: ConText loads without NLTK (which medspaCy
imports through QuickUMLS, a matcher never used), without spaCy's command line (imported by
spaCy's package for `spacy.info`) and without langcodes' tables (for language codes spaCy
does not know), and duplicates are found with datasketch
without SciPy's numerical integration (which datasketch imports to tune LSH parameters that
medreview gives it). Each runs in a fresh process, as a command does."""

from __future__ import annotations

import subprocess
import sys


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_context_reads_a_note_without_running_nltk_which_still_works_when_used() -> None:
    out = run(
        """
import sys
from medreview.core.records.language import find_mentions

found = find_mentions([(1, "No MRI is indicated. Will consider EMG if symptoms persist.")])
print([m.status for m in found])
print("nltk.metrics" in sys.modules, "scipy.stats" in sys.modules)
from nltk.metrics.distance import edit_distance
print(edit_distance("kitten", "sitting"))
"""
    )
    assert out.splitlines() == ["['negated', 'hypothetical']", "False False", "3"]


def test_context_reads_without_spacys_command_line_or_langcodes_which_still_work() -> None:
    out = run(
        """
import sys
from medreview.core.records.language import find_mentions

found = find_mentions([(1, "Patient declined surgery.")])
print([m.status for m in found])
print("spacy.cli" in sys.modules, "typer" in sys.modules, "langcodes.data_dicts" in sys.modules)
import spacy
print(sorted(spacy.info(silent=True))[:2], spacy.util.find_matching_language("en-US"))
print("spacy.cli" in sys.modules, "langcodes.data_dicts" in sys.modules)
"""
    )
    assert out.splitlines() == [
        "['negated']",
        "False False False",
        "['location', 'pipelines'] en",
        "True True",  # asked for, they are the real ones
    ]


NOTE = (
    "PHYSICAL THERAPY DAILY NOTE. Date of service 05/12/2026. The patient reports low back "
    "pain of four out of ten, better after the last visit. Therapeutic exercise for core "
    "stability, manual therapy to the lumbar paraspinals, and a home program were given."
)


def test_duplicates_are_found_without_scipy_integration_which_still_tunes_lsh() -> None:
    tuned = """
from datasketch import MinHashLSH
lsh = MinHashLSH(threshold=0.7, num_perm=64)
print(lsh.b, lsh.r)
"""
    out = run(
        f"""
import sys
from medreview.core.records.duplicates import Comparable, find_duplicates

note = {NOTE!r}
print(find_duplicates([
    Comparable("records/a.txt", note, None, False),
    Comparable("records/b.txt", "Fax received 05/13/2026 10:02\\n" + note, None, False),
]))
print("scipy.integrate" in sys.modules)
{tuned}
print(hasattr(sys.modules["scipy.integrate"], "solve_ivp"))
"""
    ).splitlines()
    assert out[:2] == ["{'records/b.txt': 'records/a.txt'}", "False"]
    assert out[2] == run(tuned)  # datasketch imported as usual tunes the same bands and rows
    assert out[3] == "True"  # and SciPy's integration, once asked for, is SciPy's own
