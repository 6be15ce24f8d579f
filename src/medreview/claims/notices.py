"""In-app notices: news for a client organisation's people (on their work queue) or for a
physician (on the portal). Written by the action that has the news, in its transaction, as
the audit trail is; never carrying more of the patient than the claim number."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from medreview.claims.models import Notice, Organisation


def notify(
    text: str, *, referral: Any = None, organisation: Organisation | None = None, npi: str = ""
) -> Notice:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("notices are written inside the action's transaction")
    return Notice.objects.create(
        text=text[:500],
        referral=referral,
        organisation=organisation,
        npi=npi,
    )
