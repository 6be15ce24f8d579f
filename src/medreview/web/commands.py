"""The commands of the web application (docs/command-line.md): each sets Django up against
the configured database, applies pending migrations, and calls one action as the command
line (`claims.permissions.COMMAND_LINE`). A bad argument or input exits 2 with one line on
stderr."""

from __future__ import annotations

import argparse
import sys


def run(args: argparse.Namespace) -> int:
    from medreview.web import runtime

    if args.command == "worker":
        runtime.setup()
        runtime.requeue_unfinished(reclaim_running=False)
        runtime.run_worker()
        return 0
    if args.command == "serve":
        if args.workers < 1:
            return _fail("--workers must be at least 1")
        return runtime.serve(args.port, host=args.host, workers=args.workers)
    # `match` only reads: it migrates a database that has no network yet, and otherwise
    # spares a user the half second a migration check costs.
    runtime.setup(migrate=args.command != "match")
    if args.command == "match":
        runtime.migrate_if_new()
    if args.command == "audit":
        return _audit()
    if args.command == "keys":
        return _keys(args.action)
    if args.command == "clocks":
        return _clocks()
    if args.command in ("backup", "restore"):
        from medreview.web.backup import run_command

        return run_command(args.command, args.file, force=getattr(args, "force", False))
    if args.command in ("network", "match"):
        from medreview.network.commands import run_network

        return run_network(args)
    if args.command == "webhook":
        from medreview.outbox.commands import run_webhook

        return run_webhook(args)
    return _people(args)


def _audit() -> int:
    """`medreview audit verify`: every chain whole and at its checkpoint; exit 1 naming each
    chain that is not."""
    from medreview.audit.actions import problems
    from medreview.audit.models import AuditEvent

    found = problems()
    for line in found:
        print(line)
    chains = AuditEvent.objects.values("chain").distinct().count()
    events = AuditEvent.objects.count()
    verdict = f"{len(found)} problem(s)" if found else "verified"
    print(f"{chains} chains, {events} events: {verdict}")
    return 1 if found else 0


def _clocks() -> int:
    """`medreview clocks check` (for a cron, beside or instead of `serve`'s own schedule):
    what the background check does, now; prints how many clocks were told late and nearly
    late."""
    from django.utils import timezone

    from medreview.claims.lateness import notify_late_clocks
    from medreview.claims.permissions import COMMAND_LINE
    from medreview.outbox.lateness import tell_clock

    told = notify_late_clocks(today=timezone.localdate(), actor=COMMAND_LINE, tell=tell_clock)
    print(f"late {told['late']}, nearly late {told['nearly_late']}")
    return 0


def _keys(action: str) -> int:
    """`medreview keys rotate|reencrypt|retire` (records.actions): each prints what it did;
    exit 1 when a stored file opens with no key, 2 when refused."""
    from medreview.claims.errors import ActionError
    from medreview.claims.permissions import COMMAND_LINE
    from medreview.records import actions

    try:
        if action == "retire":
            retired = actions.do_retire_old_keys(actor=COMMAND_LINE)
            if not retired:
                print("no old key to retire: the key file holds one key")
                return 0
            print(f"retired {retired} old key(s): the newest alone encrypts and decrypts")
            return 0
        if action == "rotate":
            keys, done = actions.do_rotate_documents_key(actor=COMMAND_LINE)
            print(f"added a new key: {keys} key(s), newest first")
        else:
            done = actions.do_reencrypt_documents(actor=COMMAND_LINE)
    except ActionError as exc:
        return _fail(str(exc))
    print(
        f"re-encrypted {done.rotated} file(s) under the newest key, {done.current} already"
        f" under it, {len(done.unreadable)} opened by no key"
    )
    print(
        f"re-encrypted the patient fields of {done.rows_resealed} database row(s),"
        f" {done.fields_unreadable} value(s) opened by no key"
    )
    for name in done.unreadable:
        print(f"medreview: {name}: opened by no key, left as it is", file=sys.stderr)
    return 1 if done.unreadable or done.fields_unreadable else 0


def manage(argv: list[str]) -> int:
    from medreview.core.config import ConfigError
    from medreview.web import runtime

    try:
        return runtime.manage(argv)
    except ConfigError:
        raise
    except Exception as exc:  # a database that cannot be reached: a line, not a traceback
        return _fail(f"manage: {type(exc).__name__}: {exc}")


def _people(args: argparse.Namespace) -> int:
    from medreview.claims.actions import (
        do_create_organisation,
        do_create_token,
        do_create_user,
        do_revoke_tokens,
    )
    from medreview.claims.errors import ActionError
    from medreview.claims.models import Organisation, User
    from medreview.claims.permissions import COMMAND_LINE

    try:
        if args.command == "demo":
            from medreview.web.demo import load_demo, print_logins

            for line in load_demo():
                print(f"created {line}")
            print_logins(args.port)
            return 0
        if args.command == "org":
            org = do_create_organisation(actor=COMMAND_LINE, name=args.name, kind=args.kind)
            print(f"created organisation {org.name} ({org.kind})")
            return 0
        if args.command == "user":
            org = Organisation.objects.filter(name=args.org).first()
            if org is None:
                return _fail(f"no organisation named {args.org!r}")
            password = args.password
            if args.password_stdin:
                if password is not None:
                    return _fail("give --password or --password-stdin, not both")
                password = sys.stdin.readline().rstrip("\n")
            user = do_create_user(
                org, actor=COMMAND_LINE, email=args.email, role=args.role,
                password=password, npi=args.npi,
            )  # fmt: skip
            print(f"created user {user.email} ({user.role}, {org.name})")
            return 0
        if args.command == "token":
            user = User.objects.filter(email__iexact=args.email).first()
            if user is None:
                return _fail(f"no user {args.email!r}")
            if args.action == "revoke":
                revoked = do_revoke_tokens(user, actor=COMMAND_LINE)
                print(f"revoked {revoked} token(s) of {user.email}")
                return 0
            print(do_create_token(user, actor=COMMAND_LINE))
            return 0
    except ActionError as exc:
        return _fail(str(exc))
    return _fail(f"unknown command {args.command!r}")


def _fail(message: str) -> int:
    print(f"medreview: {message}", file=sys.stderr)
    return 2
