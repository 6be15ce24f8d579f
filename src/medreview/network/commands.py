"""`medreview network import FILE.csv`, `medreview network availability import FILE.csv` and
`medreview match CASE_DIR` (docs/command-line.md, "The physician network"): bad rows named on
stderr with their line, the tally last on stdout."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date


def run_network(args: argparse.Namespace) -> int:
    if args.command == "match":
        return _match(args)
    if args.action == "availability":
        return _import_hours(args)
    return _import(args)


def _import_hours(args: argparse.Namespace) -> int:
    """The examiners' bookable hours: each physician's blocks of the days the file names are
    replaced by the file's."""
    from medreview.claims.permissions import COMMAND_LINE
    from medreview.core.network.hours import HoursError, read_hours
    from medreview.network.actions import do_import_hours
    from medreview.network.models import Physician

    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return _fail(f"{args.file}: no such file")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"{args.file}: cannot be read as UTF-8 text ({exc.__class__.__name__})")
    known = frozenset(Physician.objects.values_list("npi", flat=True))
    try:
        rows, rejected = read_hours(text, known=known)
    except HoursError as exc:
        return _fail(f"{args.file}: {exc}")
    for bad in rejected:
        print(f"{args.file}: {bad}", file=sys.stderr)
    if rows:
        do_import_hours(rows, actor=COMMAND_LINE, source=str(args.file), rejected=len(rejected))
    print(f"imported {len(rows)}, rejected {len(rejected)}")
    return 0


def _import(args: argparse.Namespace) -> int:
    from medreview.claims.permissions import COMMAND_LINE
    from medreview.core.network.roster import RosterError, read_roster
    from medreview.network.actions import do_import_network

    try:
        text = args.file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        return _fail(f"{args.file}: no such file")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"{args.file}: cannot be read as UTF-8 text ({exc.__class__.__name__})")
    try:
        rows, rejected = read_roster(text, today=date.today())
    except RosterError as exc:
        return _fail(f"{args.file}: {exc}")
    for bad in rejected:
        print(f"{args.file}: {bad}", file=sys.stderr)
    if rows:
        do_import_network(rows, actor=COMMAND_LINE, source=str(args.file), rejected=len(rejected))
    print(f"imported {len(rows)}, rejected {len(rejected)}")
    return 0


def _match(args: argparse.Namespace) -> int:
    from medreview.core.case.folder import CaseFolderError, load_referral_file
    from medreview.core.network.matching import missing_for
    from medreview.network.pool import match_referral

    if args.top < 1:
        return _fail("--top must be at least 1")
    try:
        referral = load_referral_file(args.case_dir, today=args.today or date.today())
    except CaseFolderError as exc:
        return _fail(str(exc))
    if (missing := missing_for(referral, args.service)) is not None:
        return _fail(f"{args.case_dir}/referral.json: {missing}")
    try:
        found = match_referral(
            referral, args.service, today=args.today or date.today(), top=args.top
        )
    except ValueError as exc:
        return _fail(f"{args.case_dir}: {exc}")
    if args.json:
        # Compact, in one write: indenting leaves the C encoder for Python's, and json.dump
        # writes in pieces; with every candidate asked for (--top 100000), each cost 0.5 s.
        sys.stdout.write(json.dumps(found.as_json(), ensure_ascii=False) + "\n")
        return 0
    print(f"{args.service.replace('_', ' ')}: {len(found.candidates)} of {found.eligible} eligible")
    for n, c in enumerate(found.candidates, start=1):
        where = f", {c.distance_miles:g} mi" if c.distance_miles is not None else ""
        print(f"{n:>2}. {c.name} (NPI {c.npi}) score {c.score:g}{where}")
        for reason in c.reasons:
            print(f"      - {reason}")
    excluded = ", ".join(f"{k} {v}" for k, v in found.excluded.items() if v)
    print(f"excluded: {excluded or 'none'}")
    return 0


def _fail(message: str) -> int:
    print(f"medreview: {message}", file=sys.stderr)
    return 2
