"""The people of the web tests (`people` fixture, conftest.py): two clients' adjusters, the
review desk (a coordinator, a QA nurse and, when asked for, a scheduler), and two physicians
of the network; `make_people` makes them for a fixture of a wider scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass
class Personas:
    """The people of the web tests: two clients' adjusters, the review desk (a coordinator and a
    QA nurse), and two physicians of the network."""

    client_a: Any
    client_b: Any
    reviewer: Any
    adjuster_a: Any
    adjuster_b: Any
    coordinator: Any
    physician: Any
    qa: Any
    physician_b: Any

    @property
    def scheduler(self) -> Any:
        """The review desk's scheduler, sam@review.example, made the first time a test asks
        for it (tests that make their own scheduler of that address are left as they were)."""
        from medreview.claims.actions import do_create_user
        from medreview.claims.models import User
        from medreview.claims.permissions import COMMAND_LINE

        found = User.objects.filter(email="sam@review.example").first()
        if found is not None:
            return found
        return do_create_user(
            self.reviewer,
            actor=COMMAND_LINE,
            email="sam@review.example",
            role="scheduler",
            password="correct horse battery",
        )

    def token(self, user: Any) -> str:
        from medreview.claims.actions import do_create_token
        from medreview.claims.permissions import COMMAND_LINE

        return do_create_token(user, actor=COMMAND_LINE)


def make_people() -> Personas:
    """The personas, made in the database (for a fixture of a wider scope than `people`)."""
    from medreview.claims.actions import do_create_organisation, do_create_user
    from medreview.claims.permissions import COMMAND_LINE

    a = do_create_organisation(actor=COMMAND_LINE, name="Client A Mutual", kind="client")
    b = do_create_organisation(actor=COMMAND_LINE, name="Client B TPA", kind="client")
    r = do_create_organisation(actor=COMMAND_LINE, name="Review Desk", kind="reviewer")
    pw = "correct horse battery"
    return Personas(
        client_a=a,
        client_b=b,
        reviewer=r,
        adjuster_a=do_create_user(
            a, actor=COMMAND_LINE, email="ann@a.example", role="adjuster", password=pw
        ),
        adjuster_b=do_create_user(
            b, actor=COMMAND_LINE, email="bob@b.example", role="adjuster", password=pw
        ),
        coordinator=do_create_user(
            r, actor=COMMAND_LINE, email="cora@review.example", role="coordinator", password=pw
        ),
        physician=do_create_user(
            r,
            actor=COMMAND_LINE,
            email="dr@review.example",
            role="physician",
            password=pw,
            npi="1234567893",
        ),
        qa=do_create_user(
            r, actor=COMMAND_LINE, email="quinn@review.example", role="qa", password=pw
        ),
        physician_b=do_create_user(
            r,
            actor=COMMAND_LINE,
            email="drb@review.example",
            role="physician",
            password=pw,
            npi="2000000101",
        ),
    )
