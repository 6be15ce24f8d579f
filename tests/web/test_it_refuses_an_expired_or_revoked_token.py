"""An API token answers 401 once revoked, or once older than `MEDREVIEW_TOKEN_DAYS`."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from webapp import api

from medreview.claims.actions import do_revoke_tokens
from medreview.claims.models import ApiToken
from medreview.claims.permissions import COMMAND_LINE

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_old_or_revoked_token_is_refused(people: Any) -> None:
    token = people.token(people.adjuster_a)
    assert api(token).get("/api/v1/referrals").status_code == 200
    ApiToken.objects.update(created=timezone.now() - timedelta(days=91))
    assert api(token).get("/api/v1/referrals").status_code == 401
    fresh = people.token(people.adjuster_a)
    assert api(fresh).get("/api/v1/referrals").status_code == 200
    assert do_revoke_tokens(people.adjuster_a, actor=COMMAND_LINE) == 2
    assert api(fresh).get("/api/v1/referrals").status_code == 401
