"""Who may do what: one table from each permission to the roles that hold it
(docs/architecture.md, "Who may do what").

The actions refuse (`require`, a 403 naming what the role cannot do), the views answer their
403 page, and the templates hide what a role cannot do (`may`, and the `may` template filter):
all three read this table, so a button is never shown that its action would refuse.

The acting party is typed: a signed-in `User`, or a `SystemActor` named in the audit trail
(the command line, the demo loader, the background work). A system actor holds the rights of
the role it is given, written here; no name grants anything by itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias

from medreview.claims.errors import ActionError
from medreview.claims.roles import CLIENT_ROLES, REVIEW_ROLES

if TYPE_CHECKING:
    from medreview.claims.models import User


class Permission(StrEnum):
    SEND_REFERRAL = "send_referral"
    DECIDE_TRIAGE = "decide_triage"
    CORRECT_RECORDS = "correct_records"
    REQUEST_RECORDS = "request_records"
    ASK_FOR_RECORDS = "ask_for_records"
    UPDATE_RECORDS_REQUEST = "update_records_request"
    SEE_NETWORK = "see_network"
    EDIT_NETWORK = "edit_network"
    ASSIGN_PHYSICIANS = "assign_physicians"
    SEE_ASSIGNMENT_BATCHES = "see_assignment_batches"
    MANAGE_PEOPLE = "manage_people"
    APPLY_ASSIGNMENT_BATCHES = "apply_assignment_batches"
    REVIEW_ASSIGNMENTS = "review_assignments"
    PASS_QA = "pass_qa"
    SEE_REPORTS = "see_reports"
    SEE_IME_REFERRAL = "see_ime_referral"
    CONFIRM_IME_REFERRAL = "confirm_ime_referral"
    ASK_FOR_ADDENDUM = "ask_for_addendum"
    ROTATE_KEYS = "rotate_keys"
    EDIT_CLIENT_SETTINGS = "edit_client_settings"
    EDIT_SERVICE_LEVELS = "edit_service_levels"
    SEE_JURISDICTION_RULES = "see_jurisdiction_rules"
    EDIT_JURISDICTION_RULES = "edit_jurisdiction_rules"
    MANAGE_WEBHOOKS = "manage_webhooks"
    SCHEDULE_EXAMS = "schedule_exams"
    DOWNLOAD_CLAIM_FILE = "download_claim_file"


_DESK = frozenset(REVIEW_ROLES)
_CLIENTS = frozenset(CLIENT_ROLES)

GRANTS: dict[Permission, frozenset[str]] = {
    Permission.SEND_REFERRAL: _CLIENTS,
    # The client who ordered the review may accept or override its triage, as the desk may.
    Permission.DECIDE_TRIAGE: _CLIENTS | {"coordinator", "admin"},
    Permission.CORRECT_RECORDS: _CLIENTS | {"coordinator", "qa", "admin"},
    # The desk sends records requests; a client asks the desk to send one.
    Permission.REQUEST_RECORDS: frozenset({"coordinator", "admin"}),
    Permission.ASK_FOR_RECORDS: _CLIENTS,
    Permission.UPDATE_RECORDS_REQUEST: _DESK,
    Permission.SEE_NETWORK: _DESK,
    Permission.EDIT_NETWORK: frozenset({"admin"}),
    Permission.ASSIGN_PHYSICIANS: frozenset({"coordinator", "scheduler"}),
    Permission.SEE_ASSIGNMENT_BATCHES: _DESK,
    Permission.MANAGE_PEOPLE: frozenset({"admin"}),
    Permission.APPLY_ASSIGNMENT_BATCHES: frozenset({"coordinator"}),
    # A physician answers only its own assignments (`Assignment.objects.of_physician`).
    Permission.REVIEW_ASSIGNMENTS: frozenset({"physician"}),
    Permission.PASS_QA: frozenset({"qa"}),
    Permission.SEE_REPORTS: _CLIENTS | {"coordinator", "qa", "admin"},
    Permission.SEE_IME_REFERRAL: _CLIENTS | {"coordinator", "scheduler", "admin"},
    Permission.CONFIRM_IME_REFERRAL: frozenset({"coordinator"}),
    Permission.ASK_FOR_ADDENDUM: _CLIENTS,
    Permission.ROTATE_KEYS: frozenset({"admin"}),
    Permission.EDIT_CLIENT_SETTINGS: frozenset({"admin"}),
    Permission.EDIT_SERVICE_LEVELS: frozenset({"admin"}),
    # The desk reads the rules that decide its work; an administrator corrects them.
    Permission.SEE_JURISDICTION_RULES: _DESK,
    Permission.EDIT_JURISDICTION_RULES: frozenset({"admin"}),
    Permission.MANAGE_WEBHOOKS: frozenset({"admin"}),
    # The IME's appointments: booked, moved and their outcomes recorded by the desk.
    Permission.SCHEDULE_EXAMS: frozenset({"scheduler", "coordinator", "admin"}),
    # The claim file: the client defends the claim with it; the desk's coordinator and
    # administrator make it for the client.
    Permission.DOWNLOAD_CLAIM_FILE: _CLIENTS | {"coordinator", "admin"},
}

# What each permission lets a person do, in the words of a refusal.
DOING = {
    Permission.SEND_REFERRAL: "send referrals (a client's users do)",
    Permission.DECIDE_TRIAGE: "decide a referral's triage",
    Permission.CORRECT_RECORDS: "correct records or dismiss gaps",
    Permission.REQUEST_RECORDS: "send records requests (the review desk's coordinators do)",
    Permission.ASK_FOR_RECORDS: "ask the review desk for records",
    Permission.UPDATE_RECORDS_REQUEST: "update records requests (the review desk does)",
    Permission.SEE_NETWORK: "see the physician network (the review desk does)",
    Permission.EDIT_NETWORK: "edit the physician network (an administrator does)",
    Permission.ASSIGN_PHYSICIANS: "assign physicians (a coordinator or a scheduler does)",
    Permission.SEE_ASSIGNMENT_BATCHES: "see assignment proposals (the review desk does)",
    Permission.MANAGE_PEOPLE: "manage organisations, people and tokens",
    Permission.APPLY_ASSIGNMENT_BATCHES: "propose or apply assignment batches (a coordinator does)",
    Permission.REVIEW_ASSIGNMENTS: "answer a review (the assigned physician does)",
    Permission.PASS_QA: "pass or return reviews in QA (a QA nurse does)",
    Permission.SEE_REPORTS: "see reports",
    Permission.SEE_IME_REFERRAL: "see the IME referral",
    Permission.CONFIRM_IME_REFERRAL: "confirm or close an IME referral (a coordinator does)",
    Permission.ASK_FOR_ADDENDUM: "ask for an addendum (the client who ordered the review does)",
    Permission.ROTATE_KEYS: "rotate the documents' keys (an administrator does)",
    Permission.EDIT_CLIENT_SETTINGS: "change a client's settings (an administrator does)",
    Permission.EDIT_SERVICE_LEVELS: "set clients' service levels (an administrator does)",
    Permission.SEE_JURISDICTION_RULES: "see the jurisdiction rules (the review desk does)",
    Permission.EDIT_JURISDICTION_RULES: "correct jurisdiction rules (an administrator does)",
    Permission.MANAGE_WEBHOOKS: "register webhooks and see what the outbox sent (an administrator does)",
    Permission.SCHEDULE_EXAMS: "schedule examinations (a scheduler, a coordinator or an"
    " administrator does)",
    Permission.DOWNLOAD_CLAIM_FILE: "download the claim file (a client's users, a coordinator or"
    " an administrator do)",
}


@dataclass(frozen=True)
class SystemActor:
    """A party that is not a signed-in person, named as such in the audit trail, acting with
    the rights of `role` (none when empty)."""

    name: str
    role: str = ""

    def __str__(self) -> str:
        return self.name


# Whoever runs `medreview` at the server's console administers it, as with `manage.py`.
COMMAND_LINE = SystemActor("command line", role="admin")
DEMO = SystemActor("demo loader", role="admin")
# Background work carries out what a door already allowed; it acts on nobody's rights.
BACKGROUND = SystemActor("system")

Actor: TypeAlias = "User | SystemActor"


def may(actor: object, permission: Permission) -> bool:
    """Whether the actor holds the permission (False for anyone signed out or inactive)."""
    if isinstance(actor, SystemActor):
        return actor.role in GRANTS[permission]
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        return False
    return getattr(actor, "role", None) in GRANTS[permission]


def require(actor: object, permission: Permission) -> None:
    """Raise an `ActionError` (403) naming what the actor's role cannot do, unless it may."""
    if not may(actor, permission):
        raise ActionError(f"your role cannot {DOING[permission]}", status=403)
