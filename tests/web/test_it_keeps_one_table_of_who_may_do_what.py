"""One table says who may do what (`claims.permissions.GRANTS`): each role holds exactly the
permissions the table gives it, a system actor holds those of the role it is given and no
name grants anything by itself, and someone signed out or deactivated holds none. The
architecture page shows the same table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from medreview.claims.permissions import (
    BACKGROUND,
    COMMAND_LINE,
    GRANTS,
    Permission,
    SystemActor,
    may,
)
from medreview.claims.roles import ROLES

ARCHITECTURE = Path(__file__).resolve().parents[2] / "docs" / "architecture.md"


class _Person:
    is_authenticated = True

    def __init__(self, role: str, *, active: bool = True) -> None:
        self.role, self.is_active = role, active


@pytest.mark.parametrize("role", ROLES)
def test_each_role_holds_what_the_table_gives_it(role: str) -> None:
    held = {p for p in Permission if may(_Person(role), p)}
    assert held == {p for p, roles in GRANTS.items() if role in roles}


def test_system_actors_hold_their_roles_rights_and_names_grant_nothing() -> None:
    assert may(COMMAND_LINE, Permission.MANAGE_PEOPLE)
    assert not any(may(BACKGROUND, p) for p in Permission)
    assert not any(may(SystemActor("cli"), p) for p in Permission)
    assert not any(may("cli", p) for p in Permission)  # a bare name is nobody


def test_nobody_signed_out_or_deactivated_holds_anything() -> None:
    anonymous: Any = type("Anonymous", (), {"is_authenticated": False, "is_active": False})()
    assert not any(may(anonymous, p) for p in Permission)
    assert not any(may(_Person("admin", active=False), p) for p in Permission)


def test_the_architecture_page_shows_the_same_table() -> None:
    text = ARCHITECTURE.read_text()
    section = text[text.index("## Who may do what") :]
    shown: dict[str, set[str]] = {}
    for line in section.splitlines()[1:]:
        if line.startswith("## "):
            break
        cells = [c.strip(" `") for c in line.strip().strip("|").split("|")]
        if len(cells) >= 2 and cells[0] in {p.value for p in Permission}:
            shown[cells[0]] = set(re.findall(r"[a-z_]+", cells[1]))
    assert shown == {p.value: set(roles) for p, roles in GRANTS.items()}


@pytest.mark.django_db(transaction=True)
def test_the_case_page_offers_a_role_only_what_it_may_do(people: Any) -> None:
    from webapp import EXAMPLE_NOTE, login, run_worker, send

    from medreview.claims.actions import do_create_user

    scheduler = do_create_user(
        people.reviewer, actor=COMMAND_LINE, email="sam@review.example", role="scheduler"
    )
    # A study the note cites, with no report of it in the records: a gap to dismiss.
    cited = (
        EXAMPLE_NOTE + "The MRI of the right knee of 06/10/2026 was reviewed: a meniscus tear.\n"
    )
    rid = send(people.token(people.adjuster_a), files={"note.txt": cited.encode()}).json()["id"]
    run_worker()
    forms = ("Accept the recommendation", "Save the correction", "Dismiss this gap")
    desk = login(people.coordinator).get(f"/referrals/{rid}/").content.decode()
    assert [f for f in forms if f not in desk] == []
    seen = login(scheduler).get(f"/referrals/{rid}/").content.decode()
    assert not any(f in seen for f in forms)
    refused = login(scheduler).post(f"/referrals/{rid}/decision/", {"decision": "accept"})
    assert refused.status_code == 403 and "your role cannot decide" in refused.content.decode()
