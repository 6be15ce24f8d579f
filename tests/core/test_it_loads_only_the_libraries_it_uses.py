"""A case pays only for the libraries it uses: ConText loads without NLTK (which medspaCy
imports through QuickUMLS, a matcher never used). Each runs in a fresh process, as a
command does."""

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
