"""`/api/v1/openapi.json` describes what the API takes and answers: the multipart body of a
new referral (`referral` as text or a file, `records` repeated files), the `{"detail"}` error
answers each operation can give, and the triage of a referral in the shape of
`triage-output.schema.json`. Describing it changes no answer."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from webapp import api, run_worker, send

from medreview.claims.models import Referral
from medreview.web.api import ERRORS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def openapi(people: Any) -> dict[str, Any]:
    answer = api(people.token(people.adjuster_a)).get("/api/v1/openapi.json")
    assert answer.status_code == 200
    schema: dict[str, Any] = answer.json()
    return schema


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _contract() -> dict[str, Any]:
    text = resources.files("medreview.data").joinpath("triage-output.schema.json").read_text()
    found: dict[str, Any] = json.loads(text)
    return found


def test_a_new_referrals_body_is_the_referral_as_text_or_file_and_repeated_records(
    openapi: dict[str, Any],
) -> None:
    body = openapi["paths"]["/api/v1/referrals"]["post"]["requestBody"]
    assert body["required"] is True
    form = body["content"]["multipart/form-data"]["schema"]
    assert form["required"] == ["referral"]
    records = form["properties"]["records"]
    assert records["type"] == "array"
    assert records["items"] == {"type": "string", "format": "binary"}
    ways = form["properties"]["referral"]["anyOf"]
    assert {"title": "file", "type": "string", "format": "binary"} in ways
    text = next(w for w in ways if w["title"] == "text")
    referral_json = _resolve(openapi, text["contentSchema"])
    assert referral_json["required"] == ["claim", "claimant", "questions"]


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("post", "/api/v1/referrals", {400, 401, 403, 413, 415, 422, 507}),
        # A query's value holding a NUL character: 400.
        ("get", "/api/v1/referrals", {400, 401, 422}),
        ("get", "/api/v1/referrals/{referral_id}", {401, 404}),
        ("get", "/api/v1/referrals/{referral_id}/audit", {401, 404}),
        (
            "post",
            "/api/v1/referrals/{referral_id}/triage-decision",
            {400, 401, 403, 404, 409, 413, 415, 422},
        ),
        ("get", "/api/v1/referrals/{referral_id}/candidates", {400, 401, 403, 404, 422}),
        (
            "post",
            "/api/v1/referrals/{referral_id}/assignments",
            {400, 401, 403, 404, 409, 413, 415, 422},
        ),
        # An id that is not a number: 422, naming it.
        ("get", "/api/v1/assignments/{assignment_id}", {401, 403, 404, 422}),
        ("get", "/api/v1/assignment-batches/{batch_id}", {401, 403, 404, 422}),
        ("get", "/api/v1/referrals/{referral_id}/claim-file.zip", {401, 403, 404, 409}),
    ],
)
def test_each_operation_describes_its_error_answers_as_a_detail(
    openapi: dict[str, Any], method: str, path: str, statuses: set[int]
) -> None:
    responses = openapi["paths"][path][method]["responses"]
    errors = {int(code) for code in responses if int(code) >= 400}
    assert errors == statuses
    for code in errors:
        answer = responses[str(code)]
        assert answer["description"]
        shape = _resolve(openapi, answer["content"]["application/json"]["schema"])
        assert shape["required"] == ["detail"]
        assert shape["properties"]["detail"]["type"] == "string"


def test_every_operation_of_the_api_has_its_error_answers_listed(
    openapi: dict[str, Any],
) -> None:
    operations = {
        f"{method.upper()} {path.removeprefix('/api/v1')}"
        for path, methods in openapi["paths"].items()
        for method in methods
    }
    unlisted = operations - set(ERRORS)
    assert not unlisted, f"add the error answers of {sorted(unlisted)} to web.api.ERRORS"
    assert all(401 in ERRORS[op] for op in operations)  # every operation needs a caller


def test_a_referrals_triage_has_the_shape_of_the_triage_output_contract(
    openapi: dict[str, Any],
) -> None:
    detail = openapi["paths"]["/api/v1/referrals/{referral_id}"]["get"]["responses"]["200"]
    referral = _resolve(openapi, detail["content"]["application/json"]["schema"])
    ways = referral["properties"]["triage"]["anyOf"]
    assert {"type": "null"} in ways
    triage = _resolve(openapi, next(w for w in ways if "$ref" in w))
    contract = _contract()
    assert set(contract["required"]) <= set(triage["required"])
    assert triage["properties"]["path"]["enum"] == contract["properties"]["path"]["enum"]

    def item(name: str) -> dict[str, Any]:
        return _resolve(openapi, triage["properties"][name]["items"])

    for name in ("questions", "gaps", "documents", "chronology"):
        wanted = contract["properties"][name]["items"]
        described = item(name)
        assert set(wanted["required"]) <= set(described["required"]), name
        assert set(wanted["properties"]) <= set(described["properties"]), name
        for field, spec in wanted["properties"].items():
            if "enum" in spec:
                assert described["properties"][field]["enum"] == spec["enum"], (name, field)
    gap_source = item("gaps")["properties"]["source"]["anyOf"]
    assert {"type": "null"} in gap_source
    page = _resolve(openapi, next(w for w in gap_source if "$ref" in w))
    assert set(page["properties"]) == {"file", "page"}


def test_a_referral_is_answered_as_it_was_before_its_shape_was_described(people: Any) -> None:
    token = people.token(people.adjuster_a)
    made = send(token).json()
    run_worker()
    stored = Referral.objects.get(pk=made["id"])
    assert api(token).get(f"/api/v1/referrals/{made['id']}").json()["triage"] == stored.triage

    # A triage stored by an older engine: a field this shape does not name, and none of the
    # optional ones. It is answered exactly as stored.
    older = {
        **stored.triage,
        "documents": [
            {k: v for k, v in d.items() if k not in ("first_page", "last_page", "ocr")}
            for d in stored.triage["documents"]
        ],
        "engine": "0.0.1",
    }
    older.pop("business_days_to_due", None)
    Referral.objects.filter(pk=stored.pk).update(triage=older)
    assert api(token).get(f"/api/v1/referrals/{made['id']}").json()["triage"] == older
