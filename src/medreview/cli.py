"""The `medreview` command line (docs/command-line.md).

Bad arguments or bad input exit with status 2 and one line on stderr naming the file and the
problem; nothing else ever prints a traceback to a user.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path

from medreview.core.config import ConfigError, case_processes, rule_thresholds


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"medreview: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="medreview", description="The medical-review desk of insurance claims.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    t = sub.add_parser("triage", help="triage a case folder (referral.json and records/)")
    t.add_argument("case_dir", type=Path, metavar="CASE_DIR")
    t.add_argument("--json", action="store_true", help="print the triage as one JSON object")
    t.add_argument(
        "--today",
        type=date.fromisoformat,
        help="the date to use when referral.json has no 'received'",
    )
    t.add_argument(
        "--no-ocr",
        action="store_true",
        help="do not OCR scanned pages (faster; scans read as empty)",
    )
    d = sub.add_parser("demo", help="load demo organisations, users and cases; print the logins")
    d.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    s = sub.add_parser("serve", help="migrate, then run the web server and the background worker")
    s.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    s.add_argument(
        "--host",
        default=os.environ.get("MEDREVIEW_HOST") or "127.0.0.1",
        help="the address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 for"
        " every interface, with MEDREVIEW_ALLOWED_HOSTS naming the host names served)",
    )
    s.add_argument("--workers", type=int, default=1, help="background worker processes")
    sub.add_parser("worker", help="run one background worker (serve starts its own)")
    au = sub.add_parser("audit", help="check the audit trail")
    au.add_argument("action", choices=["verify"], help="verify: check every chain of events")
    bk = sub.add_parser(
        "backup", help="write the database, documents and audit checkpoints to one archive"
    )
    bk.add_argument("file", type=Path, metavar="FILE", help="the archive to write (.tar.gz)")
    rs = sub.add_parser("restore", help="restore an archive of `backup` into an empty desk")
    rs.add_argument("file", type=Path, metavar="FILE")
    rs.add_argument(
        "--force",
        action="store_true",
        help="replace a desk that is not empty (its documents and checkpoints set aside)",
    )
    ky = sub.add_parser("keys", help="the documents' encryption keys").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    ky.add_parser("rotate", help="add a new key, then encrypt every stored document under it")
    ky.add_parser("reencrypt", help="encrypt every stored document under the newest key")
    ky.add_parser("retire", help="remove the old keys, once no stored document needs them")
    cl = sub.add_parser("clocks", help="the turnaround clocks").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    cl.add_parser("check", help="tell, once, of every clock that became nearly late or late")
    mg = sub.add_parser(
        "manage",
        help="run a Django management command against the configured database",
        add_help=False,
    )
    mg.add_argument("args", nargs=argparse.REMAINDER, metavar="ARGS")
    o = sub.add_parser("org", help="organisations").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    oc = o.add_parser("create", help="create an organisation")
    oc.add_argument("name")
    oc.add_argument("--kind", required=True, choices=["client", "reviewer"])
    u = sub.add_parser("user", help="users").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    uc = u.add_parser("create", help="create a user")
    uc.add_argument("email")
    uc.add_argument("--org", required=True)
    uc.add_argument("--role", required=True)
    uc.add_argument(
        "--password",
        default=None,
        help="the password (other local users may see a command's arguments: prefer"
        " --password-stdin)",
    )
    uc.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    uc.add_argument("--npi", default="")
    k = sub.add_parser("token", help="API tokens").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    kc = k.add_parser("create", help="print a new API token for a user")
    kc.add_argument("email")
    kr = k.add_parser("revoke", help="revoke every API token of a user")
    kr.add_argument("email")
    n = sub.add_parser("network", help="the physician network").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    ni = n.add_parser("import", help="add or update physicians (by NPI) from a roster CSV")
    ni.add_argument("file", type=Path, metavar="FILE.csv")
    na = n.add_parser("availability", help="examiners' bookable hours for IMEs").add_subparsers(
        dest="what", required=True, parser_class=_Parser
    )
    nai = na.add_parser(
        "import", help="replace examiners' hours, for the days a CSV names, by its blocks"
    )
    nai.add_argument("file", type=Path, metavar="FILE.csv")
    w = sub.add_parser("webhook", help="webhooks to a client's claim system").add_subparsers(
        dest="action", required=True, parser_class=_Parser
    )
    wa = w.add_parser("add", help="register a client's URL for its events; prints its secret")
    wa.add_argument("org", metavar="ORG", help="the client organisation's name")
    wa.add_argument("url", metavar="URL", help="https://… (http:// on this machine only)")
    w.add_parser("list", help="every webhook: id, organisation, URL, state")
    wr = w.add_parser("remove", help="stop telling a webhook of events (its log is kept)")
    wr.add_argument("id", type=int, metavar="ID")
    m = sub.add_parser("match", help="the best physicians of the network for a case folder")
    m.add_argument("case_dir", type=Path, metavar="CASE_DIR")
    m.add_argument("--service", required=True, choices=["peer_review", "ime"])
    m.add_argument("--top", type=int, default=10, help="how many candidates (default 10)")
    m.add_argument("--json", action="store_true", help="print the candidates as one JSON object")
    m.add_argument(
        "--today",
        type=date.fromisoformat,
        help="the day of the match (default today), and the received date when referral.json has none",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        if argv[:1] == ["manage"]:
            # What follows `manage` is Django's, options included (`manage check --deploy`).
            from medreview.web.commands import manage

            return manage(argv[1:])
        args = build_parser().parse_args(argv)
        if args.command == "triage":
            from medreview.core.case.helper import context_in_a_helper

            # ConText loads on another core while the records are read: it is needed last.
            with context_in_a_helper():
                return _triage(args)
        if args.command in (
            "demo", "serve", "worker", "org", "user", "token", "network", "match", "audit",
            "keys", "backup", "restore", "clocks", "webhook",
        ):  # fmt: skip
            from medreview.web.commands import run

            return run(args)
    except ConfigError as exc:
        print(f"medreview: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 2


def _triage(args: argparse.Namespace) -> int:
    from medreview.core.case.folder import CaseFolderError
    from medreview.core.case.pipeline import triage_folder
    from medreview.core.case.triage_json import to_json
    from medreview.core.case.triage_text import render

    settings = rule_thresholds(os.environ)
    processes = case_processes(os.environ)
    try:
        result = triage_folder(
            args.case_dir,
            processes=processes,
            today=args.today or date.today(),
            settings=settings,
            ocr=not args.no_ocr,
        )
    except CaseFolderError as exc:
        print(f"medreview: {exc}", file=sys.stderr)
        return 2
    if args.json:
        json.dump(to_json(result), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
