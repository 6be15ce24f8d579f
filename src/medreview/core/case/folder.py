"""The case folder (docs/case-folder.md): `referral.json` and `records/`.

Loading validates the referral against `data/referral.schema.json` (shipped as package
data) and turns it into the rules' `ReferralData`. Every problem is a `CaseFolderError` whose
message is one line naming the file and what is wrong with it, in words a claims professional
can act on, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError

from medreview.core.referral import BillLine, Provider, Question, ReferralData
from medreview.core.triage.calendars import is_jurisdiction


class CaseFolderError(ValueError):
    """A case folder that cannot be triaged; the message is one line for the user, and
    `problems` every field found wrong (for a form or an API, which answer them all)."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message.split(": ", 1)[-1]]


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    schema = json.loads(
        resources.files("medreview.data").joinpath("referral.schema.json").read_text()
    )
    return Draft202012Validator(schema, format_checker=FormatChecker())


def load_referral_file(folder: Path, *, today: date) -> ReferralData:
    if not folder.exists():
        raise CaseFolderError(f"{folder}: no such folder")
    if not folder.is_dir():
        raise CaseFolderError(
            f"{folder}: not a folder (a case folder holds referral.json and records/)"
        )
    path = folder / "referral.json"
    if not path.is_file():
        raise CaseFolderError(f"{path}: missing (a case folder needs its referral.json)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise CaseFolderError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise CaseFolderError(f"{path}: cannot be read ({exc.strerror})") from None
    return parse_referral(text, today=today, source=str(path))


def parse_referral(text: str, *, today: date, source: str = "referral.json") -> ReferralData:
    """Validate referral JSON text and build the `ReferralData`, or raise `CaseFolderError`."""
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except ValueError as exc:
        if not isinstance(exc, json.JSONDecodeError):
            raise CaseFolderError(f"{source}: {exc}") from None
        raise CaseFolderError(
            f"{source}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    return referral_data(data, today=today, source=source)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def referral_data(data: Any, *, today: date, source: str = "referral.json") -> ReferralData:
    """Validate a referral already decoded from JSON (as a stored referral's payload is) and
    build the `ReferralData`, or raise `CaseFolderError`."""
    if not isinstance(data, dict):
        raise CaseFolderError(f"{source}: must be a JSON object with claim, claimant and questions")
    errors = sorted(
        _validator().iter_errors(data),
        key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))),
    )
    if errors:
        raise CaseFolderError(f"{source}: {describe(errors[0])}", [describe(e) for e in errors])
    return _build(data, today=today, source=source)


def describe(error: ValidationError) -> str:
    """One line naming the field and what is wrong with it."""
    where = _path(error.absolute_path)
    validator = error.validator
    if validator == "required":
        missing = str(error.message).split("'")[1] if "'" in error.message else "a field"
        field = f"{where}.{missing}" if where else missing
        return f"{field} is missing"
    if validator == "enum":
        allowed = ", ".join(str(v) for v in list(error.validator_value))  # type: ignore[arg-type]
        return f"{where}: {error.instance!r} is not one of: {allowed}"
    if validator == "additionalProperties":
        extra = str(error.message).split("'")[1] if "'" in error.message else "?"
        return f"{where or 'top level'}: unknown field {extra!r}"
    if validator == "format" and error.validator_value == "date":
        return f"{where}: {error.instance!r} is not a date (YYYY-MM-DD)"
    if validator == "pattern":
        hints = {
            "jurisdiction": "a two-letter state code such as CA",
            "zip": "five digits",
            "npi": "ten digits",
        }
        key = str(error.absolute_path[-1]) if error.absolute_path else ""
        return f"{where}: {error.instance!r} is not {hints.get(key, 'in the expected form')}"
    if validator == "type":
        return f"{where or 'top level'}: must be {_a(str(error.validator_value))}, not {type(error.instance).__name__}"
    if validator == "minItems":
        return f"{where}: needs at least {error.validator_value} item"
    if validator == "minLength":
        return f"{where}: must not be empty"
    if validator in ("maxLength", "maxItems"):
        what = "characters" if validator == "maxLength" else "items"
        sent = len(error.instance) if isinstance(error.instance, str | list) else 0
        return f"{where}: at most {error.validator_value:,} {what} ({sent:,} sent)"
    if validator == "minimum":
        return f"{where}: must be at least {error.validator_value}"
    return f"{where or 'top level'}: {error.message}"


def _a(kind: str) -> str:
    names = {
        "object": "an object",
        "array": "a list",
        "string": "text",
        "integer": "a whole number",
        "number": "a number",
    }
    return names.get(kind, kind)


def _path(parts: Any) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def _build(data: dict[str, Any], *, today: date, source: str) -> ReferralData:
    claim = data["claim"]
    jurisdiction = claim["jurisdiction"]
    if not is_jurisdiction(jurisdiction):
        raise CaseFolderError(
            f"{source}: claim.jurisdiction: {jurisdiction!r} is not a US state or territory code"
        )
    seen: set[str] = set()
    for question in data["questions"]:
        if question["id"] in seen:
            raise CaseFolderError(f"{source}: questions: the id {question['id']!r} is used twice")
        seen.add(question["id"])
    received = date.fromisoformat(data["received"]) if data.get("received") else today
    due = date.fromisoformat(data["due"]) if data.get("due") else None
    if due is not None and due < received:
        raise CaseFolderError(f"{source}: due ({due}) is before received ({received})")
    claimant = data["claimant"]
    return ReferralData(
        claim_number=claim["number"],
        line_of_business=claim["line_of_business"],
        jurisdiction=jurisdiction,
        questions=tuple(
            Question(q["id"], q["type"], q["text"], q.get("treatment")) for q in data["questions"]
        ),
        received=received,
        due=due,
        date_of_injury=date.fromisoformat(claim["date_of_injury"])
        if claim.get("date_of_injury")
        else None,
        body_parts=tuple(claim.get("body_parts", ())),
        providers=tuple(
            Provider(p["name"], p.get("npi"), p.get("specialty"), p.get("group"))
            for p in data.get("treating_providers", ())
        ),
        bills=tuple(
            BillLine(
                date=date.fromisoformat(b["date"]),
                code=b["code"].strip().upper(),
                description=b.get("description"),
                provider=b.get("provider"),
                units=b.get("units"),
                amount=b.get("amount"),
            )
            for b in data.get("bills", ())
        ),
        requested_service=data.get("requested_service", "triage"),
        claimant_zip=claimant.get("zip"),
        claimant_language=claimant.get("language"),
        first_decision_npis=tuple(
            c["npi"]
            for c in data.get("erisa_appeal", {}).get("first_decision_consultants", ())
            if c.get("npi")
        ),
    )


def record_files(folder: Path) -> Iterator[tuple[Path, str]]:
    """Every file under `records/`, with its contract name (`records/...`), in a stable order."""
    records = folder / "records"
    if not records.is_dir():
        return
    for path in sorted(records.rglob("*")):
        if path.is_file():
            yield path, path.relative_to(folder).as_posix()
