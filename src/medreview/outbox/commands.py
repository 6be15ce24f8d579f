"""`medreview webhook add ORG URL`, `medreview webhook list` and `medreview webhook remove ID`
(docs/command-line.md, "Webhooks"): `add` prints the new webhook's secret and nothing else on
stdout; an unknown organisation or webhook, or a URL refused, exits 2 with one line on
stderr."""

from __future__ import annotations

import argparse
import sys


def run_webhook(args: argparse.Namespace) -> int:
    from medreview.claims.errors import ActionError
    from medreview.claims.models import Organisation
    from medreview.claims.permissions import COMMAND_LINE
    from medreview.outbox.actions import do_add_webhook, do_remove_webhook
    from medreview.outbox.models import Webhook

    try:
        if args.action == "add":
            org = Organisation.objects.filter(name__iexact=args.org).first()
            if org is None:
                return _fail(f"no organisation named {args.org!r}")
            _, secret = do_add_webhook(org, actor=COMMAND_LINE, url=args.url)
            print(secret)
            return 0
        if args.action == "remove":
            hook = Webhook.objects.filter(pk=args.id).first() if 0 < args.id < 2**31 else None
            if hook is None:
                return _fail(f"no webhook {args.id}")
            hook = do_remove_webhook(hook, actor=COMMAND_LINE)
            print(f"removed webhook {hook.pk} ({hook.organisation.name}, {hook.url})")
            return 0
    except ActionError as exc:
        return _fail(str(exc))
    hooks = Webhook.objects.select_related("organisation").order_by("organisation__name", "pk")
    for hook in hooks:
        state = "active" if hook.active else f"removed {hook.removed:%Y-%m-%d}"
        print(f"{hook.pk}\t{hook.organisation.name}\t{hook.url}\t{state}")
    if not hooks:
        print("no webhook yet", file=sys.stderr)
    return 0


def _fail(message: str) -> int:
    print(f"medreview: {message}", file=sys.stderr)
    return 2
