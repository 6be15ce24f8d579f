"""Reading clinical language as a clinician would: what a note orders, cites, plans or rules out.

Studies, surgeries, specialist referrals, functional capacity evaluations and releases from
care are found with medspaCy's target matcher (vocabulary in `data/clinical_terms.toml`), and
whether each is negated, hedged, ordered or done comes from medspaCy's ConText: its default
rules ("no MRI is indicated") plus the project's own (`data/context_rules.json`: "will consider
EMG if symptoms persist", "patient declined surgery", "options reviewed ... versus ...").

Reading is in two steps, because ConText costs a tenth of a millisecond a sentence and most
mentions never decide anything: `scan_mentions` finds every mention with regular expressions
(searched together through `patterns.PatternSet`), and `read_mentions` runs ConText on the
sentences of the mentions a rule actually needs (a study whose report is missing, a release
inside a long pause), each distinct sentence once.
"""

from __future__ import annotations

import itertools
import json
import logging
import re
import sys
import tomllib
import types
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

from medreview.core.imports import imported_lazily, without_the_packages_own_code
from medreview.core.records.dates import find_dates
from medreview.core.records.patterns import PatternSet
from medreview.core.records.text import sentence_at, unflatten

CATEGORIES = ("study", "fce", "surgery", "referral", "release", "opinion")


@dataclass(frozen=True)
class Mention:
    """One thing a record says about a study, surgery, referral, FCE or release from care."""

    category: str  # study | fce | surgery | referral | release | opinion
    subtype: str  # modality, surgery family, specialty family, "fce", "release"
    status: str  # unread | negated | hypothetical | done | ordered | mentioned
    page: int
    phrase: str
    sentence: str
    date: date | None
    body_parts: frozenset[str]
    historical: bool = False
    doctor: str | None = None  # referral: the named physician's surname
    start: int = 0  # where the phrase starts in the sentence

    @property
    def read(self) -> bool:
        return self.status != UNREAD


UNREAD = "unread"


@dataclass(frozen=True)
class _Found:
    """What ConText says of one target of a sentence."""

    category: str
    status: str
    start: int
    end: int
    historical: bool


@lru_cache(maxsize=1)
def terms() -> dict[str, Any]:
    raw = resources.files("medreview.data").joinpath("clinical_terms.toml").read_text()
    return tomllib.loads(raw)


def _compile(patterns: dict[str, str]) -> dict[str, re.Pattern[str]]:
    return {name: re.compile(p, re.IGNORECASE) for name, p in patterns.items()}


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, dict[str, re.Pattern[str]]]:
    t = terms()
    return {
        "study": _compile(t["study"]),
        "fce": _compile(t["fce"]),
        "surgery": _compile(t["surgery"]),
        "referral": _compile(t["referral"]),
        "release": _compile(t["release"]),
        "opinion": _compile(t["opinion"]),
        "specialty": _compile(t["specialty"]),
        "body_part": _compile(t["body_part"]),
    }


@dataclass(frozen=True)
class _Target:
    category: str
    subtype: str
    regex: re.Pattern[str]


@lru_cache(maxsize=1)
def _targets() -> tuple[tuple[_Target, ...], PatternSet]:
    """Every target of the vocabulary, and all of them as one set to search pages with."""
    v = vocabulary()
    targets = tuple(
        _Target(category, subtype, regex)
        for category in CATEGORIES
        for subtype, regex in v[category].items()
    )
    return targets, PatternSet([t.regex for t in targets])


@lru_cache(maxsize=1)
def _nlp() -> Any:
    """spaCy's tokenizer and medspaCy's ConText: its default rules and the project's.

    The targets are not found again by medspaCy's target matcher: `scan_mentions` already
    found them, and they are handed to ConText as the sentence's entities.
    """
    # spaCy logs and warns at import; a case run must not print them.
    logging.getLogger("spacy").setLevel(logging.ERROR)
    with (
        warnings.catch_warnings(),
        imported_lazily("nltk"),
        imported_lazily("langcodes"),
        spacy_without_its_command_line(),
        # medspaCy's package imports every component it has (PyRuSH's sentence splitter and
        # its logging library, pySBD, the sectionizer, database readers): we use ConText,
        # which registers itself with spaCy and sets its own extensions.
        without_the_packages_own_code("medspacy"),
    ):
        warnings.simplefilter("ignore")
        import spacy
        from medspacy.context import ConTextRule

        # What `medspacy.load(medspacy_enable=["medspacy_context"])` builds, without the
        # second blank pipeline it makes and the default rules this one replaces.
        nlp = spacy.blank("en")
    context: Any = nlp.add_pipe("medspacy_context", config={"rules": None})
    defaults = context.DEFAULT_RULES_FILEPATH
    path = resources.files("medreview.data").joinpath("context_rules.json")
    own = [ConTextRule.from_dict(r) for r in json.loads(path.read_text())["context_rules"]]
    mine = [plain for rule in own for plain in _as_phrases(nlp, rule, ConTextRule)]
    # The project's rule for a wording replaces medspaCy's: when two rules match the same
    # words, which one ConText keeps is an accident of its match order.
    taken = {w for rule in mine if (w := _wording(nlp, rule)) is not None}
    theirs = [
        plain
        for rule in ConTextRule.from_json(defaults)
        for plain in _as_phrases(nlp, rule, ConTextRule)
        if _wording(nlp, plain) not in taken
    ]
    context.add(theirs + mine)
    return nlp


@contextmanager
def spacy_without_its_command_line() -> Iterator[None]:
    """Within the block, importing spaCy does not import its command line.

    spaCy's package imports `spacy.cli` (typer, requests, wasabi's tables and every command)
    for one name, `spacy.info`: a fifth of spaCy's import, for a command we never run.
    While spaCy is imported, `spacy.cli` and `spacy.cli.info` are stand-ins whose
    `info` imports the real one when called; they are removed afterwards, so any later
    `import spacy.cli` imports the real command line.
    """
    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        yield
        return

    def info(*args: Any, **kwargs: Any) -> Any:
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    stand_ins = {"spacy.cli": types.ModuleType("spacy.cli")}
    stand_ins["spacy.cli.info"] = types.ModuleType("spacy.cli.info")
    stand_ins["spacy.cli.info"].info = info  # type: ignore[attr-defined]
    sys.modules.update(stand_ins)
    try:
        yield
    finally:
        for name, module in stand_ins.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        spacy = sys.modules.get("spacy")
        if spacy is not None and getattr(spacy, "cli", None) is stand_ins["spacy.cli"]:
            delattr(spacy, "cli")


def _wording(nlp: Any, rule: Any) -> tuple[str, ...] | None:
    """The words a rule matches, when they are fixed."""
    if rule.pattern is None:
        return tuple(t.lower_ for t in nlp.make_doc(rule.literal.lower()))
    return None


def _as_phrases(nlp: Any, rule: Any, rule_type: Any) -> list[Any]:
    """The rule as phrase rules, one per wording, with the same matches.

    medspaCy hands a rule with a token pattern to spaCy's `Matcher`, which starts every
    pattern again at every token and calls back into Python for each `{"IN": [...]}`: three
    fifths of ConText's time went there. A pattern of words, some of them optional or one of
    a list ("[may|might]? be ruled out"), is the same as its wordings, which the
    `PhraseMatcher` finds by hash. Words with a space can never equal one token's text and
    are dropped, as they never matched; a wording the tokenizer would cut differently stays
    a pattern of fixed words.
    """
    pattern = rule.pattern
    if not isinstance(pattern, list) or not all(_plain_token(t) for t in pattern):
        return [rule]
    choices: list[list[str | None]] = []
    for token in pattern:
        value = token["LOWER"]
        words = [value] if isinstance(value, str) else list(value["IN"])
        words = [w for w in words if " " not in w]
        choices.append([*words, None] if token.get("OP") == "?" else words)
    wordings = dict.fromkeys(
        tuple(w for w in combination if w is not None)
        for combination in itertools.product(*choices)
    )
    data = {k: v for k, v in rule.to_dict().items() if k != "pattern"}
    out = []
    for wording in filter(None, wordings):
        literal = " ".join(wording)
        if tuple(t.lower_ for t in nlp.make_doc(literal)) == wording:
            out.append(rule_type.from_dict({**data, "literal": literal}))
        else:
            out.append(rule_type.from_dict({**data, "pattern": [{"LOWER": w} for w in wording]}))
    return out


def _plain_token(token: dict[str, Any]) -> bool:
    value = token.get("LOWER")
    return (
        set(token) <= {"LOWER", "OP"}
        and token.get("OP") in (None, "?")
        and (isinstance(value, str) or (isinstance(value, dict) and set(value) == {"IN"}))
    )


def warm_up() -> None:
    """Load the language pipeline now (about a second) rather than on the first record."""
    _targets()  # which reading a sentence needs too
    _nlp()


def find_mentions(pages: Iterable[tuple[int, str]]) -> tuple[Mention, ...]:
    """Every study, surgery, referral, FCE, release and opinion the pages mention, read."""
    return read_mentions(scan_mentions(pages))


def scan_mentions(pages: Iterable[tuple[int, str]]) -> tuple[Mention, ...]:
    """Every mention in the pages, found by pattern alone: statuses are left `unread`."""
    mentions: list[Mention] = []
    for number, raw in pages:
        text = unflatten(raw)
        hits = _hits(text)
        if not hits:
            continue
        for start, end, target in _longest_first(hits):
            s_start, s_end = sentence_at(text, start)
            mentions.append(
                _scanned(target, number, text[s_start:s_end], start - s_start, end - s_start)
            )
    return tuple(mentions)


def _longest_first(hits: list[tuple[int, int, _Target]]) -> list[tuple[int, int, _Target]]:
    """Overlapping hits of one category keep the longest ("MR arthrogram" over "MR")."""
    kept: list[tuple[int, int, _Target]] = []
    for hit in sorted(hits, key=lambda h: (-(h[1] - h[0]), h[0])):
        if not any(
            h[2].category == hit[2].category and h[0] < hit[1] and hit[0] < h[1] for h in kept
        ):
            kept.append(hit)
    return sorted(kept, key=lambda h: h[0])


def _scanned(target: _Target, page: int, raw_sentence: str, start: int, end: int) -> Mention:
    # The sentence is kept with its spaces folded: the same sentence reads the same everywhere.
    before = " ".join(raw_sentence[:start].split())
    phrase = " ".join(raw_sentence[start:end].split())
    sentence = " ".join(raw_sentence.split())
    offset = len(before) + (1 if before else 0)
    subtype, doctor = target.subtype, None
    if target.category == "referral":
        subtype, doctor = _referral_target(phrase)
    return Mention(
        category=target.category,
        subtype=subtype,
        status=UNREAD,
        page=page,
        phrase=phrase,
        sentence=sentence,
        date=_date_near(sentence, offset, offset + len(phrase)),
        body_parts=body_parts(sentence),
        doctor=doctor,
        start=offset,
    )


def read_mentions(mentions: Iterable[Mention]) -> tuple[Mention, ...]:
    """The mentions with their status read by ConText (each distinct sentence once)."""
    mentions = tuple(mentions)
    _analyse_batch([m.sentence for m in mentions if not m.read])
    return tuple(m if m.read else _with_status(m) for m in mentions)


def _with_status(m: Mention) -> Mention:
    found = _analyse(m.sentence)
    match = next(
        (
            f
            for f in found
            if f.category == m.category and f.start < m.start + len(m.phrase) and m.start < f.end
        ),
        None,
    )
    status = match.status if match else "mentioned"
    if status == "mentioned" and m.category in ("study", "fce") and m.date is not None:
        # "(MRI 04/20/2026)": a study cited with its date has been done.
        status = "done"
    return replace(m, status=status, historical=bool(match and match.historical))


# Reads sentences elsewhere (a large case's worker processes, the command line's helper),
# or None: here.
SentenceReader = Callable[[list[str]], list[tuple["_Found", ...]]]
_elsewhere: tuple[SentenceReader, int] | None = None
FEW_SENTENCES = 32  # fewer are read here: sending them costs more than reading them


@contextmanager
def reading_elsewhere(reader: SentenceReader, *, fewest: int = FEW_SENTENCES) -> Iterator[None]:
    """Within the block, batches of at least `fewest` sentences are read by `reader` (same
    answers); smaller ones here, unless `fewest` is 1."""
    global _elsewhere
    previous, _elsewhere = _elsewhere, (reader, fewest)
    try:
        yield
    finally:
        _elsewhere = previous


def read_ahead(texts: Iterable[str]) -> None:
    """Hand sentences that will be asked about to the reader elsewhere now, without waiting
    for its answers (where it can take them: `reader.ahead`), so that it reads them while
    this process goes on."""
    if _elsewhere is None:
        return
    ahead = getattr(_elsewhere[0], "ahead", None)
    if ahead is not None:
        ahead([t for t in dict.fromkeys(texts) if t not in _cache])


def reads_elsewhere() -> bool:
    """Whether sentences are being read by another process (`reading_elsewhere`)."""
    return _elsewhere is not None


def loaded() -> bool:
    """Whether ConText is loaded in this process."""
    return _nlp.cache_info().currsize > 0


def read_sentences(texts: list[str]) -> list[tuple[_Found, ...]]:
    """What ConText finds in each sentence: the work `reading_elsewhere` hands out."""
    _analyse_batch(texts, here=True)
    return [_cache[t] for t in texts]


def _analyse_batch(texts: list[str], *, here: bool = False) -> None:
    todo = [t for t in dict.fromkeys(texts) if t not in _cache]
    if not todo:
        return
    if _elsewhere is not None and not here and len(todo) >= _elsewhere[1]:
        _cache.update(zip(todo, _elsewhere[0](todo), strict=True))
        return
    nlp = _nlp()
    context = nlp.get_pipe("medspacy_context")
    from spacy.util import filter_spans

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for text in todo:
            doc = nlp.make_doc(text)
            for token in doc:
                token.is_sent_start = token.i == 0  # each text is one sentence
            spans = []
            for start, end, target in _longest_first(_hits(text)):
                span = doc.char_span(
                    start, end, label=target.category.upper(), alignment_mode="expand"
                )
                if span is not None and len(span):
                    spans.append(span)
            doc.ents = filter_spans(spans)
            _cache[text] = _read_doc(context(doc))
    if len(_cache) > 100_000:
        _cache.clear()


def _hits(text: str) -> list[tuple[int, int, _Target]]:
    targets, patterns = _targets()
    return [(start, end, targets[i]) for start, end, i in patterns.finditer(text)]


_cache: dict[str, tuple[_Found, ...]] = {}


def forget_sentences() -> None:
    _cache.clear()


def _analyse(sentence: str) -> tuple[_Found, ...]:
    if sentence not in _cache:
        _analyse_batch([sentence])
    return _cache[sentence]


def _read_doc(doc: Any) -> tuple[_Found, ...]:
    # The graph's edges, read once: `ent._.modifiers` recomputes them for every entity.
    modifiers: dict[tuple[int, int], list[Any]] = {}
    for target, modifier in doc._.context_graph.edges:
        modifiers.setdefault((target.start, target.end), []).append(modifier)
    found = []
    for ent in doc.ents:
        own = modifiers.get((ent.start, ent.end), [])
        category = ent.label_.lower()
        found.append(
            _Found(
                category=category,
                status=_status(category, _nearest(ent, own)),
                start=ent.start_char,
                end=ent.end_char,
                historical=any(m.category == "HISTORICAL" for m in own),
            )
        )
    return tuple(found)


_DECISIVE = ("NEGATED_EXISTENCE", "HYPOTHETICAL", "POSSIBLE_EXISTENCE", "DONE", "RESULT", "ORDERED")


def _nearest(ent: Any, modifiers: list[Any]) -> set[str]:
    """The categories of the modifiers nearest the target.

    When a sentence carries conflicting modifiers ("Radiographs ... obtained: no fracture"),
    the one closest to the target is the one that speaks of it.
    """
    by_distance: dict[int, set[str]] = {}
    for m in modifiers:
        if m.category not in _DECISIVE:
            continue
        start, end = m.modifier_span
        distance = (
            start - ent.end if start >= ent.end else ent.start - end if end <= ent.start else 0
        )
        by_distance.setdefault(distance, set()).add(m.category)
    if not by_distance:
        return set()
    return by_distance[min(by_distance)]


def _status(category: str, modifiers: set[str]) -> str:
    if "NEGATED_EXISTENCE" in modifiers:
        return "negated"
    if "HYPOTHETICAL" in modifiers or "POSSIBLE_EXISTENCE" in modifiers:
        return "hypothetical"
    if category == "surgery":
        # "surgery is scheduled", "she reports surgery is planned": planned, not done.
        if "ORDERED" in modifiers:
            return "ordered"
        return "done" if "DONE" in modifiers else "mentioned"
    if "DONE" in modifiers or "RESULT" in modifiers:
        return "done"
    if "ORDERED" in modifiers:
        return "ordered"
    return "mentioned"


_DOCTOR = re.compile(r"\bDr\.?\s+(?:[A-Z][a-z]+\s+)?(?P<surname>[A-Z][A-Za-z'-]+)")


def _date_near(sentence: str, start: int, end: int) -> date | None:
    """The date written right after a mention ("MRI of 05/28/2026"), or just before it."""
    best: tuple[int, date] | None = None
    for d in find_dates(sentence):
        if d.start >= end:
            distance = d.start - end
            if distance <= 60 and (best is None or distance < best[0]):
                best = (distance, d.value)
        elif d.end <= start:
            distance = start - d.end
            if distance <= 25 and (best is None or distance < best[0]):
                best = (distance, d.value)
    return best[1] if best else None


def _referral_target(target: str) -> tuple[str, str | None]:
    """The specialty family a referral sends to ("" when it is not a physician specialist)."""
    v = vocabulary()
    doctor_match = _DOCTOR.search(target)
    doctor = doctor_match.group("surname") if doctor_match else None
    for family, pattern in v["specialty"].items():
        if pattern.search(target):
            return family, doctor
    if doctor:
        return "named_physician", doctor
    return "", None


@lru_cache(maxsize=4)
def _named(group: str) -> tuple[tuple[str, ...], PatternSet]:
    names = tuple(vocabulary()[group])
    return names, PatternSet([vocabulary()[group][n] for n in names])


@lru_cache(maxsize=20_000)
def body_parts(text: str) -> frozenset[str]:
    """The body regions a text names."""
    names, patterns = _named("body_part")
    return frozenset(names[i] for i in patterns.matching(text))


def specialties(text: str) -> frozenset[str]:
    """The specialty families a text names."""
    names, patterns = _named("specialty")
    return frozenset(names[i] for i in patterns.matching(text))


def expand_regions(parts: Iterable[str]) -> frozenset[str]:
    """Regions with the broad ones ("upper extremity", "spine") opened into what they hold."""
    return _expanded(parts if isinstance(parts, frozenset) else frozenset(parts))


@lru_cache(maxsize=4096)
def _expanded(parts: frozenset[str]) -> frozenset[str]:
    groups: dict[str, list[str]] = terms()["region_groups"]
    out: set[str] = set()
    for part in parts:
        key = part.lower().replace(" ", "_")
        out.update(groups.get(key, [key]))
    return frozenset(out)
