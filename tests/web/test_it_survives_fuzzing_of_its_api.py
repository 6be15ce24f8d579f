"""Every operation of API v1, fuzzed by schemathesis from the schema the API publishes
(`/api/v1/openapi.json`), as nobody and as each role (both clients' adjusters, the coordinator,
QA, the physician), over a world where a referral, its delivered review, an open addendum and
an assignment batch exist: no answer is a server error, every answer is one the schema
describes (status, content type, body, headers), data the schema rules out is refused, and no
operation answers a caller without credentials as it answers the caller.

Deterministic and bounded: schemathesis's examples, coverage (boundary values, methods the
path does not take, undeclared and malformed Content-Types) and a few fuzzed cases an
operation, derandomized, without shrinking."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from webapp import api, delivered_review, post

from medreview.reviews.actions import do_propose_assignments

pytestmark = pytest.mark.django_db(transaction=True)

# Left out: positive_data_acceptance (valid data is refused by design with 401, 403, 404 or
# 409 for a role or a state), max_response_time (timing on a busy machine), and the stateful
# checks (use_after_free, ensure_resource_availability: the schema declares no links).
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
]
ROLES = ["anonymous", "adjuster_a", "adjuster_b", "coordinator", "qa", "physician"]
EXAMPLES = 5  # fuzzed cases an operation and role, besides the examples and coverage cases
CONFIG = {
    "generation": {
        "max-examples": EXAMPLES,
        "deterministic": True,
        "no-shrink": True,
        "database": "none",
    },
    "phases": {"stateful": {"enabled": False}},
}


def _world(people: Any) -> dict[str, Any]:
    """The ids the fuzzed paths may name, of things that exist."""
    rid, aid = delivered_review(people)
    asked = post(
        api(people.token(people.adjuster_a)),
        f"/api/v1/referrals/{rid}/addenda",
        {"request": "Please address the MRI."},
    )
    assert asked.status_code == 201, asked.content
    batch = do_propose_assignments(actor=people.coordinator)
    return {"referral_id": rid, "assignment_id": aid, "batch_id": batch.pk, "number": 1}


@pytest.fixture(params=ROLES)
def caller(request: Any, people: Any) -> dict[str, str]:
    """The headers of a role's requests: its Bearer token, or none for nobody."""
    if request.param == "anonymous":
        return {}
    return {"Authorization": f"Bearer {people.token(getattr(people, request.param))}"}


@pytest.fixture(autouse=True)
def _node_id(request: Any) -> None:
    # schemathesis 4.32 names each operation's subtest through the test's `_nodeid`, which
    # pytest 9.2's nodes no longer have.
    request.node._nodeid = request.node.nodeid


@pytest.fixture
def web_schema(people: Any, caller: dict[str, str]) -> Any:
    ids = _world(people)
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json",
        get_wsgi_application(),
        config=schemathesis.Config.from_dict(CONFIG),
    )

    # Random ids mostly find nothing (404): half the fuzzed cases name what exists instead.
    @schema.hook
    def before_generate_path_parameters(context: Any, strategy: Any) -> Any:
        known = {p.name: ids[p.name] for p in context.operation.path_parameters if p.name in ids}
        return st.one_of(strategy, st.just(known)) if known else strategy

    return schema


schema = schemathesis.pytest.from_fixture("web_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error_or_off_its_schema(
    case: Any, caller: dict[str, str]
) -> None:
    checks = [*CHECKS, ignored_auth] if caller else CHECKS
    case.call_and_validate(headers=caller, checks=checks)
