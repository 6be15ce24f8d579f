"""Conflicting opinions between physicians (docs/rules.md, "Conflicting opinions").

They do not change the path; they are named in the rationale, because they make a later IME
likely. An opinion is a treating or examining physician's statement on causation or maximum
medical improvement; its negation ("not causally related", "not yet at MMI") is the opposite
opinion; a hedge ("MMI is expected in three months") or a question is none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from medreview.core.records.classify import surname
from medreview.core.records.language import read_mentions
from medreview.core.records.model import Document

OPINION_KINDS = frozenset(
    {"progress_note", "consult_report", "ime_report", "peer_review_report", "discharge_summary"}
)
TOPICS = {"causation": "causation", "mmi": "maximum medical improvement"}


@dataclass(frozen=True)
class Opinion:
    topic: str  # causation | mmi
    holds: bool
    doc: Document


def opinions(documents: Sequence[Document]) -> list[Opinion]:
    found = []
    for doc in documents:
        if not doc.live or doc.kind not in OPINION_KINDS or not doc.provider:
            continue
        for m in read_mentions(m for m in doc.mentions if m.category == "opinion"):
            if "?" in m.sentence or m.status == "hypothetical":
                continue
            topic, _, polarity = m.subtype.rpartition("_")
            holds = (polarity == "yes") != (m.status == "negated")
            found.append(Opinion(topic, holds, doc))
    return found


def conflicts(documents: Sequence[Document]) -> list[str]:
    """A sentence for each topic on which physicians disagree, naming who holds what."""
    sentences = []
    all_opinions = opinions(documents)
    for topic, words in TOPICS.items():
        latest: dict[str, Opinion] = {}
        # Undated opinions first, then by date: a dated one is the later word of its author.
        for o in sorted(
            (o for o in all_opinions if o.topic == topic),
            key=lambda o: (o.doc.date is not None, o.doc.date or date.min, o.doc.name),
        ):
            latest[surname(o.doc.provider or "")] = o  # a physician's latest opinion is theirs
        sides = {o.holds for o in latest.values()}
        if len(sides) < 2:
            continue
        yes = [o for o in latest.values() if o.holds]
        no = [o for o in latest.values() if not o.holds]
        sentences.append(
            f"Conflicting opinions on {words}: {_who(yes)} {'finds' if len(yes) == 1 else 'find'} it "
            f"{'established' if topic == 'mmi' else 'related'}; {_who(no)} "
            f"{'does' if len(no) == 1 else 'do'} not. This does not change the path, but makes a later IME likely."
        )
    return sentences


def _who(side: list[Opinion]) -> str:
    return " and ".join(
        f"{o.doc.provider} ({o.doc.kind.replace('_', ' ')}{f' of {o.doc.date}' if o.doc.date else ''})"
        for o in side
    )
