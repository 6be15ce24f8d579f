"""The authorisation matrix: every route of the URL configuration and every operation of the
API's OpenAPI schema, asked by every role, of the owner's organisation and of another one.

The routes are read from the application itself, so a route added without a rule in `WHO`
fails here before it ships. A person the rule leaves out is refused (403, 404, or sent to sign
in) and changes nothing; another client, or another physician, is answered 404 where its
counterpart gets in, exactly as for something that does not exist; a person the rule lets in
reaches the view (whatever the view then says of an empty form), and nobody gets a 500.
Every reading of one referral's or assignment's patient data is in the audit trail.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from pdfs import make_text_pdf
from personas import make_people
from webapp import (
    ATTEST,
    EXAMPLE_NOTE,
    REVIEWER,
    REVIEWER_B,
    answer_all,
    api,
    assigned_review,
    login,
    post,
    run_worker,
    send,
)

pytestmark = pytest.mark.django_db

ANONYMOUS = "anonymous"
CLIENT_A = frozenset({"adjuster", "nurse_case_manager", "risk_manager"})
OTHER_CLIENT = "adjuster_b"  # an adjuster of another client organisation
DESK = frozenset({"coordinator", "scheduler", "qa", "admin"})
PHYSICIAN = "physician"  # the physician of the assignment
OTHER_PHYSICIAN = "physician_b"  # a physician of the network with no part in it
PERSONAS = frozenset({ANONYMOUS, *CLIENT_A, OTHER_CLIENT, *DESK, PHYSICIAN, OTHER_PHYSICIAN})
SIGNED_IN = PERSONAS - {ANONYMOUS}
NOBODY: frozenset[str] = frozenset()
# Whoever may see a client's referral: its own client's people and the whole review desk.
OWNERS = CLIENT_A | DESK
PHYSICIANS_OWN = frozenset({PHYSICIAN})
SCHEDULERS = frozenset({"scheduler", "coordinator", "admin"})  # schedule_exams

# Who reaches each route, by method and pattern. Keep it in the words of the permission table
# (`claims.permissions.GRANTS`); a physician never reaches a referral by the desk's routes.
WHO: dict[str, frozenset[str]] = {
    # Signing in and the API's own description are open to everyone.
    "GET login/": PERSONAS,
    "POST login/": PERSONAS,
    "GET favicon.ico": PERSONAS,
    "GET api/v1/openapi.json": PERSONAS,
    "GET api/v1/docs": PERSONAS,
    "POST logout/": PERSONAS,  # signing out when signed out says so
    # django-ninja answers its schema and its docs page to any method; they say nothing of
    # anyone's data. Its root has nothing to show.
    "POST api/v1/openapi.json": PERSONAS,
    "POST api/v1/docs": PERSONAS,
    "GET api/v1/": NOBODY,
    "GET ": SIGNED_IN,  # the work queue (a physician is sent on to its portal)
    # A client's referrals: the client's people and the desk.
    "GET referrals/new/": CLIENT_A | {OTHER_CLIENT},
    "POST referrals/new/": CLIENT_A | {OTHER_CLIENT},
    "GET referrals/<uuid:referral_id>/": OWNERS,
    "GET referrals/<uuid:referral_id>/records/view/": OWNERS,
    "GET referrals/<uuid:referral_id>/records/page.png": OWNERS,
    "GET referrals/<uuid:referral_id>/records/<int:file_id>/download/": OWNERS,
    "POST referrals/<uuid:referral_id>/decision/": CLIENT_A | {"coordinator", "admin"},
    "POST referrals/<uuid:referral_id>/documents/correct/": CLIENT_A
    | {"coordinator", "qa", "admin"},
    "POST referrals/<uuid:referral_id>/gaps/dismiss/": CLIENT_A | {"coordinator", "qa", "admin"},
    "POST referrals/<uuid:referral_id>/gaps/request/": CLIENT_A | {"coordinator", "admin"},
    "POST referrals/<uuid:referral_id>/requests/<int:request_id>/": DESK,
    "POST referrals/<uuid:referral_id>/assign/": frozenset({"coordinator", "scheduler"}),
    "POST referrals/<uuid:referral_id>/addenda/": CLIENT_A,
    "POST referrals/<uuid:referral_id>/ime-referral/confirm/": frozenset({"coordinator"}),
    "POST referrals/<uuid:referral_id>/close/": frozenset({"coordinator"}),
    "GET referrals/<uuid:referral_id>/report.pdf": CLIENT_A | {"coordinator", "qa", "admin"},
    "GET referrals/<uuid:referral_id>/claim-file.zip": CLIENT_A | {"coordinator", "admin"},
    # The IME's scheduling: the desk's schedulers, coordinators and administrators; its
    # notice letter, whoever sees the IME referral.
    "GET referrals/<uuid:referral_id>/ime/": SCHEDULERS,
    "POST referrals/<uuid:referral_id>/ime/book/": SCHEDULERS,
    "POST referrals/<uuid:referral_id>/ime/appointments/<int:appointment_id>/outcome/": SCHEDULERS,
    "GET referrals/<uuid:referral_id>/ime/appointments/<int:appointment_id>/notice.pdf": CLIENT_A
    | {"coordinator", "scheduler", "admin"},
    # The network and the assignment batches: the desk.
    "GET network/": DESK,
    "GET network/<str:npi>/": DESK,
    "POST network/<str:npi>/edit/": frozenset({"admin"}),
    "POST network/<str:npi>/verify/": frozenset({"admin"}),
    "POST network/<str:npi>/hours/": frozenset({"admin"}),
    "POST network/<str:npi>/hours/<int:block_id>/remove/": frozenset({"admin"}),
    "GET assignments/": DESK,
    "POST assignments/propose/": frozenset({"coordinator"}),
    "GET assignments/<int:batch_id>/": DESK,
    "POST assignments/<int:batch_id>/apply/": frozenset({"coordinator"}),
    # What a client allows beyond the rules: an administrator sets it.
    "GET settings/clients/": frozenset({"admin"}),
    "POST settings/clients/<int:organisation_id>/": frozenset({"admin"}),
    # Clients' service levels: an administrator sets them. The jurisdiction rules: the desk
    # reads them, an administrator corrects them.
    "GET settings/service-levels/": frozenset({"admin"}),
    "POST settings/service-levels/<int:organisation_id>/": frozenset({"admin"}),
    "GET settings/jurisdiction-rules/": DESK,
    "POST settings/jurisdiction-rules/change/": frozenset({"admin"}),
    # The outbox: webhooks and what was sent, an administrator's.
    "GET webhooks/": frozenset({"admin"}),
    "POST webhooks/add/": frozenset({"admin"}),
    "POST webhooks/<int:webhook_id>/remove/": frozenset({"admin"}),
    "POST webhooks/deliveries/<int:delivery_id>/retry/": frozenset({"admin"}),
    # The physician's portal: the physician of the assignment only.
    "GET portal/": frozenset({PHYSICIAN, OTHER_PHYSICIAN}),
    "GET portal/<int:assignment_id>/": PHYSICIANS_OWN,
    "POST portal/<int:assignment_id>/attest/": PHYSICIANS_OWN,
    "POST portal/<int:assignment_id>/decline/": PHYSICIANS_OWN,
    "POST portal/<int:assignment_id>/answer/": PHYSICIANS_OWN,
    "POST portal/<int:assignment_id>/cite/": PHYSICIANS_OWN,
    "POST portal/<int:assignment_id>/uncite/": PHYSICIANS_OWN,
    "POST portal/<int:assignment_id>/peer-to-peer/": PHYSICIANS_OWN,
    "POST portal/<int:assignment_id>/submit/": PHYSICIANS_OWN,
    "POST portal/<int:assignment_id>/addenda/<int:number>/": PHYSICIANS_OWN,
    "GET portal/<int:assignment_id>/records/": PHYSICIANS_OWN,
    "GET portal/<int:assignment_id>/records/page.png": PHYSICIANS_OWN,
    # QA: the QA nurses.
    "GET qa/": frozenset({"qa"}),
    "GET qa/<int:assignment_id>/": frozenset({"qa"}),
    "POST qa/<int:assignment_id>/decide/": frozenset({"qa"}),
    # The API (its paths as the OpenAPI schema writes them).
    "POST api/v1/referrals": CLIENT_A | {OTHER_CLIENT},
    # A physician's list is empty: it reaches its work by its assignments.
    "GET api/v1/referrals": SIGNED_IN,
    "GET api/v1/referrals/{referral_id}": OWNERS,
    "GET api/v1/referrals/{referral_id}/audit": OWNERS,
    "POST api/v1/referrals/{referral_id}/triage-decision": CLIENT_A | {"coordinator", "admin"},
    "GET api/v1/referrals/{referral_id}/candidates": DESK,
    "POST api/v1/referrals/{referral_id}/assignments": frozenset({"coordinator", "scheduler"}),
    "GET api/v1/referrals/{referral_id}/ime-referral": CLIENT_A
    | {"coordinator", "scheduler", "admin"},
    "POST api/v1/referrals/{referral_id}/ime-referral/confirm": frozenset({"coordinator"}),
    "POST api/v1/referrals/{referral_id}/close": frozenset({"coordinator"}),
    "GET api/v1/referrals/{referral_id}/report.pdf": CLIENT_A | {"coordinator", "qa", "admin"},
    "GET api/v1/referrals/{referral_id}/claim-file.zip": CLIENT_A | {"coordinator", "admin"},
    "POST api/v1/referrals/{referral_id}/addenda": CLIENT_A,
    "GET api/v1/assignments": frozenset({PHYSICIAN, OTHER_PHYSICIAN}),
    "GET api/v1/assignments/{assignment_id}": PHYSICIANS_OWN,
    "POST api/v1/assignments/{assignment_id}/attestation": PHYSICIANS_OWN,
    "POST api/v1/assignments/{assignment_id}/peer-to-peer": PHYSICIANS_OWN,
    "POST api/v1/assignments/{assignment_id}/determinations": PHYSICIANS_OWN,
    "POST api/v1/assignments/{assignment_id}/submit": PHYSICIANS_OWN,
    "POST api/v1/assignments/{assignment_id}/decline": PHYSICIANS_OWN,
    "POST api/v1/assignments/{assignment_id}/addenda/{number}": PHYSICIANS_OWN,
    "POST api/v1/assignments/{assignment_id}/qa": frozenset({"qa"}),
    "POST api/v1/assignment-batches": frozenset({"coordinator"}),
    "GET api/v1/assignment-batches/{batch_id}": DESK,
    "POST api/v1/assignment-batches/{batch_id}/apply": frozenset({"coordinator"}),
    "GET api/v1/referrals/{referral_id}/ime/slots": SCHEDULERS,
    "POST api/v1/referrals/{referral_id}/ime/appointments": SCHEDULERS,
    "POST api/v1/appointments/{appointment_id}/outcome": SCHEDULERS,
}


# The API's own pages, answered as any page is.
OPEN_API_PAGES = frozenset({"api/v1/openapi.json", "api/v1/docs", "api/v1/"})


ATTEST_QA = {"decision": "pass"}
# A well-formed body for each API operation that takes one, so that what answers is the rule
# of who may, not the check of the body's shape.
BODIES: dict[str, dict[str, Any]] = {
    "api/v1/referrals/{referral_id}/triage-decision": {"decision": "accept"},
    "api/v1/referrals/{referral_id}/assignments": {
        "service": "peer_review",
        "npi": REVIEWER_B["npi"],
    },
    "api/v1/referrals/{referral_id}/close": {"reason": "The claim settled."},
    "api/v1/referrals/{referral_id}/addenda": {"request": "And the MRI?"},
    "api/v1/assignments/{assignment_id}/attestation": ATTEST,
    "api/v1/assignments/{assignment_id}/peer-to-peer": {
        "at": "2026-12-01T10:00:00",
        "with": "Maren Holt, MD",
        "outcome": "offered",
    },
    "api/v1/assignments/{assignment_id}/determinations": {
        "question_id": "q1",
        "determination": "supported",
        "rationale": "Yes.",
    },
    "api/v1/assignments/{assignment_id}/decline": {"reason": "Away that week."},
    "api/v1/assignments/{assignment_id}/addenda/{number}": {"response": "No change."},
    "api/v1/assignments/{assignment_id}/qa": {"decision": "return", "note": "Cite page 2."},
    "api/v1/referrals/{referral_id}/ime/appointments": {
        "npi": REVIEWER_B["npi"],
        "start": "2027-01-04T09:00",
    },
    "api/v1/appointments/{appointment_id}/outcome": {"outcome": "no_show"},
}
QUERIES = {"api/v1/referrals/{referral_id}/candidates": "?service=peer_review"}


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[str]:
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            yield from _patterns(p, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern)


def _routes() -> list[str]:
    """Every method and route the application answers: the API's from its OpenAPI schema
    (which names each operation's method), every other route by GET and by POST."""
    from medreview.web.api import api as ninja_api

    schema = ninja_api.get_openapi_schema()
    operations = {
        f"{method.upper()} {path.lstrip('/')}"
        for path, methods in schema["paths"].items()
        for method in methods
    }
    api_prefix = "api/v1/"
    pages = {
        p for p in _patterns(get_resolver()) if not p.startswith(api_prefix) or p in OPEN_API_PAGES
    }
    found = set(operations)
    for page in pages:
        found |= {f"GET {page}", f"POST {page}"}
    return sorted(found)


ROUTES = _routes()


def test_every_route_has_a_rule() -> None:
    """A route the application answers with no rule here (or a rule for a route that is
    gone) fails: its author must say who may reach it. A route that answers only one method
    names that method; its other method must be refused to everyone (checked below)."""
    pages = {r.split(" ", 1)[1] for r in ROUTES}
    ruled = {r.split(" ", 1)[1] for r in WHO}
    assert pages - ruled == set(), "routes without a rule in WHO"
    assert ruled - pages == set(), "rules for routes the application no longer has"
    assert set(WHO) <= set(ROUTES)


@dataclass
class World:
    """One client A referral read, reviewed by the persona physician (an exam still needed),
    passed by QA (so its report and IME referral exist), with an addendum asked, a records
    request and an assignment batch: something for every route's ids."""

    ids: dict[str, str]
    users: dict[str, Any]
    tokens: dict[str, str]


def _build() -> World:
    from medreview.claims.actions import do_create_user
    from medreview.claims.models import Referral
    from medreview.claims.permissions import COMMAND_LINE
    from medreview.records.actions import do_request_records
    from medreview.records.corrections import gap_key
    from medreview.records.models import RecordFile
    from medreview.reviews.actions import do_propose_assignments

    people = make_people()
    users: dict[str, Any] = {
        "adjuster": people.adjuster_a,
        OTHER_CLIENT: people.adjuster_b,
        "coordinator": people.coordinator,
        "qa": people.qa,
        PHYSICIAN: people.physician,
        OTHER_PHYSICIAN: people.physician_b,
    }
    for role, org, email in (
        ("nurse_case_manager", people.client_a, "nina@a.example"),
        ("risk_manager", people.client_a, "rita@a.example"),
        ("scheduler", people.reviewer, "sam@review.example"),
        ("admin", people.reviewer, "ada@review.example"),
    ):
        users[role] = do_create_user(org, actor=COMMAND_LINE, email=email, role=role)
    # A PDF among the records, so that a page has an image to show.
    with tempfile.TemporaryDirectory() as folder:
        pdf = make_text_pdf(Path(folder) / "mri.pdf", ["MRI RIGHT KNEE 06/10/2026: no tear."])
        files = {"note.txt": EXAMPLE_NOTE.encode(), "mri.pdf": pdf.read_bytes()}
    rid, aid = assigned_review(people, files=files)
    answer_all(people, aid, determination="needs_exam")
    passed = post(api(people.token(people.qa)), f"/api/v1/assignments/{aid}/qa", ATTEST_QA)
    assert passed.status_code == 200, passed.content
    referral = Referral.objects.get(pk=rid)
    asked = post(
        api(people.token(people.adjuster_a)),
        f"/api/v1/referrals/{rid}/addenda",
        {"request": "Does the MRI change the answer?"},
    )
    assert asked.status_code == 201, asked.content
    # A second referral whose note cites a study its records lack: a gap to request.
    cited = EXAMPLE_NOTE + "The MRI of the right knee of 06/10/2026 was reviewed: a tear.\n"
    other = send(people.token(people.adjuster_a), files={"note.txt": cited.encode()}).json()
    run_worker()
    gapped = Referral.objects.get(pk=other["id"])
    gap = gap_key(gapped.triage["gaps"][0])
    request, _ = do_request_records(gapped, actor=people.coordinator, gap=gap)
    appointment, block = _booked_ime(referral, people.coordinator, users["scheduler"])
    batch = do_propose_assignments(actor=people.coordinator)
    run_worker()
    # A client's webhook, and a delivery of it that failed (no worker sends it here).
    from medreview.outbox.actions import do_add_webhook
    from medreview.outbox.models import WebhookDelivery

    hook, _ = do_add_webhook(people.client_a, actor=COMMAND_LINE, url="https://a.example/e")
    delivery = WebhookDelivery.objects.create(
        webhook=hook, referral=referral, claim_number=referral.claim_number,
        event="report.delivered", body="{}", status="failed", attempts=6,
    )  # fmt: skip
    record = RecordFile.objects.filter(referral=referral, name__endswith=".pdf").first()
    assert record is not None
    ids = {
        "referral_id": rid,
        "assignment_id": str(aid),
        "number": "1",
        "batch_id": str(batch.pk),
        "file_id": str(record.pk),
        "npi": REVIEWER["npi"],
        "request_id": str(request.pk),
        "record": record.name,
        "gapped_id": str(gapped.pk),
        "organisation_id": str(people.client_a.pk),
        "webhook_id": str(hook.pk),
        "delivery_id": str(delivery.pk),
        "appointment_id": str(appointment.pk),
        "block_id": str(block.pk),
    }
    tokens = {name: people.token(user) for name, user in users.items()}
    return World(ids=ids, users=users, tokens=tokens)


def _booked_ime(referral: Any, coordinator: Any, scheduler: Any) -> tuple[Any, Any]:
    """The IME referral confirmed, the other physician's hours near the claimant, and the
    first lawful slot booked: an appointment and a block of hours for the routes' ids."""
    from datetime import time, timedelta

    from django.utils import timezone

    from medreview.claims.permissions import COMMAND_LINE
    from medreview.exams.actions import do_book_appointment
    from medreview.exams.schedule import booking_of, lawful_slots
    from medreview.network.actions import do_add_hours
    from medreview.network.models import Physician
    from medreview.reports.actions import do_confirm_ime_referral

    ime = do_confirm_ime_referral(referral, actor=coordinator)
    examiner = Physician.objects.get(npi=REVIEWER_B["npi"])
    days = [
        do_add_hours(
            examiner, actor=COMMAND_LINE, day=timezone.localdate() + timedelta(days=n),
            start=time(9), end=time(12), zip_code="94110", address="2000 Mission Street",
        )
        for n in range(1, 31)
    ]  # fmt: skip
    first = lawful_slots(booking_of(referral, ime, today=timezone.localdate())).slots.slots[0]
    made = do_book_appointment(
        referral, actor=scheduler, npi=examiner.npi, start=first.start, interpreter=False,
        transport=False,
    )  # fmt: skip
    # A block of the physician the network routes name (`npi`).
    theirs = do_add_hours(
        Physician.objects.get(npi=REVIEWER["npi"]), actor=COMMAND_LINE, day=days[-1].day,
        start=time(13), end=time(15), zip_code="94107", address="1 Market Street",
    )  # fmt: skip
    return made, theirs


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module (each test rolls its own changes back), then removed, so
    that the tests after it find the empty database they expect."""
    with django_db_blocker.unblock():
        try:
            yield _build()
        finally:
            call_command("flush", interactive=False, verbosity=0)


def _url(route: str, world: World) -> str:
    path = route.split(" ", 1)[1]
    ids = world.ids
    # The records request belongs to the second referral of the world.
    if "requests/<int:request_id>" in path:
        ids = {**ids, "referral_id": ids["gapped_id"]}
    filled = re.sub(r"<(?:\w+:)?(\w+)>|\{(\w+)\}", lambda m: ids[m[1] or m[2]], path)
    if route.startswith("GET") and "records/" in path:
        filled += f"?file={ids['record']}&page=1"
    return "/" + filled


def _ask(world: World, persona: str, route: str) -> Any:
    method, path = route.split(" ", 1)
    url = _url(route, world)
    if path.startswith("api/v1/") and path not in OPEN_API_PAGES:
        client = Client() if persona == ANONYMOUS else api(world.tokens[persona])
        if method == "GET":
            return client.get(url + QUERIES.get(path, ""))
        return client.post(url, BODIES.get(path, {}), content_type="application/json")
    client = Client() if persona == ANONYMOUS else login(world.users[persona])
    return client.get(url) if method == "GET" else client.post(url, {})


def _refused(answer: Any) -> bool:
    if answer.status_code in (401, 403, 404):
        return True
    return answer.status_code == 302 and "/login/" in answer.get("Location", "")


def _snapshot() -> list[Any]:
    """Every row of every table but the sessions, the sign-in log and the times of the last
    sign-in and token use: what a refused request must leave as it was."""
    skipped_models = {"session", "accessattempt", "accesslog", "accessfailurelog"}
    skipped_fields = {"last_login", "last_used"}
    rows: list[Any] = []
    for model in apps.get_models():
        if model._meta.model_name in skipped_models:
            continue
        fields = [f.attname for f in model._meta.concrete_fields if f.attname not in skipped_fields]
        rows.append(list(model.objects.order_by("pk").values_list(*fields)))
    return rows


def _only_method(route: str) -> bool:
    """A route whose rule names one method only: the other is refused to everyone."""
    return route not in WHO


# Routes of one referral or assignment that show no patient data, so log no reading.
NO_PATIENT_DATA = {
    "GET api/v1/referrals/{referral_id}/candidates": "the network's physicians, ranked",
    "GET api/v1/referrals/{referral_id}/audit": "the trail itself: who did what, when",
    "GET api/v1/referrals/{referral_id}/ime/slots": "examiners' hours and offices, the first"
    " lawful day",
}


def _shows_patient_data(route: str) -> bool:
    """A reading of one referral's or assignment's data: it must be in the audit trail."""
    method, path = route.split(" ", 1)
    ids = ("referral_id", "assignment_id")
    return method == "GET" and any(i in path for i in ids) and route not in NO_PATIENT_DATA


def _readings() -> int:
    from medreview.audit.models import AuditEvent

    downloads = AuditEvent.objects.filter(action="claim_file.downloaded")  # a reading too
    return AuditEvent.objects.filter(action__endswith=".viewed").count() + downloads.count()


@pytest.mark.parametrize("route", ROUTES)
def test_each_role_reaches_only_what_its_rule_lets_it(world: World, route: str) -> None:
    allowed = WHO.get(route, NOBODY)
    before = _snapshot()
    for persona in sorted(PERSONAS - allowed):
        answer = _ask(world, persona, route)
        assert answer.status_code < 500, (persona, answer.status_code)
        if _only_method(route):
            assert answer.status_code in (302, 401, 403, 404, 405), (persona, answer.status_code)
        else:
            assert _refused(answer), (persona, answer.status_code)
    assert _snapshot() == before, "a refused request changed something"
    counterparts = {"adjuster": OTHER_CLIENT, PHYSICIAN: OTHER_PHYSICIAN}
    for persona in sorted(allowed):
        read_before = _readings()
        answer = _ask(world, persona, route)
        assert answer.status_code < 500, (persona, answer.status_code)
        assert not _refused(answer), (persona, answer.status_code)
        if _shows_patient_data(route) and answer.status_code == 200:
            assert _readings() > read_before, f"{persona}'s reading is not in the audit trail"
        other = counterparts.get(persona)
        if other is not None and other not in allowed:
            # Another client's (or physician's) thing answers as one that does not exist.
            assert _ask(world, other, route).status_code == 404, other
