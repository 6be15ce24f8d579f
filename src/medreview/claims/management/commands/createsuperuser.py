"""`medreview manage createsuperuser`: an administrator of the review desk, made through the
same door as `medreview user create … --role admin` (the audit trail says who made whom).

Django's own command cannot make one: a medreview user belongs to an organisation and holds a
role. This one asks for an email and a password (or takes `--email` and
DJANGO_SUPERUSER_PASSWORD with `--noinput`, as Django's does), and puts the administrator in
the review organisation, making it when there is none yet."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from medreview.claims.actions import do_create_organisation, do_create_user
from medreview.claims.errors import ActionError
from medreview.claims.models import Organisation
from medreview.claims.permissions import COMMAND_LINE


class Command(BaseCommand):
    help = "Create an administrator of the review desk (the review organisation's admin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--email", help="the administrator's email address")
        parser.add_argument(
            "--org", help="the review organisation (made when there is none; default Review desk)"
        )
        parser.add_argument(
            "--noinput", "--no-input", action="store_false", dest="interactive",
            help="ask nothing: the password comes from DJANGO_SUPERUSER_PASSWORD",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"] or (input("Email: ") if options["interactive"] else "")
        if not email:
            raise CommandError("an email is needed (--email)")
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or ""
        if not password and options["interactive"]:
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("the two passwords differ")
        if not password:
            raise CommandError("a password is needed (DJANGO_SUPERUSER_PASSWORD with --noinput)")
        try:
            user = do_create_user(
                self._review_organisation(options["org"]), actor=COMMAND_LINE, email=email,
                role="admin", password=password,
            )  # fmt: skip
        except ActionError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"created administrator {user.email} ({user.organisation.name})")

    def _review_organisation(self, name: str | None) -> Organisation:
        desks = Organisation.objects.filter(kind=Organisation.REVIEWER)
        if name:
            found = desks.filter(name__iexact=name).first()
            if found is not None:
                return found
        elif desks.count() == 1:
            return desks.get()
        elif desks.exists():
            raise CommandError("there are several review organisations: name one with --org")
        return do_create_organisation(
            actor=COMMAND_LINE, name=name or "Review desk", kind=Organisation.REVIEWER
        )
