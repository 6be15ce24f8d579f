"""HL7 FHIR R4 records (a Bundle, one resource, bulk-export NDJSON) read into documents and facts.

Where the rules come from:

- Parsing and validation use fhir.resources' R4B models. FHIR R4 and R4B share these resources;
  the package's default models are R5, which changed shapes R4 senders use every day
  (`DocumentReference.context` became a list, `Encounter.class` a list of CodeableConcepts).
- A DocumentReference is one `SourceDocument` named `FILE#DocumentReference/id`, one page per
  attachment (a PDF attachment gives one page per PDF page); a DiagnosticReport is a
  `diagnostic_report` fact, and also a document when it carries a narrative (`conclusion` or
  `presentedForm`). Encounter, Procedure and Condition become facts. A document inside a FHIR file is
  named `FILE#ResourceType/id` (docs/case-folder.md, "The output").
- Kind hints come from the LOINC document type code through `data/loinc_document_kinds.csv`;
  imaging DiagnosticReports are recognised by their category: HL7 v2 table 0074 diagnostic
  service sections (RAD, CT, ...) or LOINC LP29684-5 "Radiology" (US Core DiagnosticReport).
  A surgical procedure carries SNOMED CT 387713003 "Surgical procedure" as its category.
- Dates are the day the resource itself states, in its own time zone offset: a note written at
  23:30 -08:00 belongs to that day, not to the next one in UTC.
- Nothing raises and nothing is dropped (docs/case-folder.md): a file, line, entry or attachment
  that cannot be read becomes a document with a one-line `error`. Error messages name the field
  and the problem, never the value found there, because values are patient data.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from html.parser import HTMLParser
from importlib import resources
from typing import Any, TypeVar

from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.attachment import Attachment
from fhir.resources.R4B.binary import Binary
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.codeableconcept import CodeableConcept
from fhir.resources.R4B.coding import Coding
from fhir.resources.R4B.condition import Condition
from fhir.resources.R4B.diagnosticreport import DiagnosticReport
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.domainresource import DomainResource
from fhir.resources.R4B.encounter import Encounter
from fhir.resources.R4B.humanname import HumanName
from fhir.resources.R4B.organization import Organization
from fhir.resources.R4B.practitioner import Practitioner
from fhir.resources.R4B.practitionerrole import PractitionerRole
from fhir.resources.R4B.procedure import Procedure
from fhir.resources.R4B.reference import Reference
from fhir.resources.R4B.resource import Resource
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from medreview.core.reading.model import Fact, Hints, Page, ReadFile, SourceDocument
from medreview.core.reading.pdf import UnreadablePdf, iter_pdf_pages
from medreview.core.reading.plain import NotText, decode_text

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074"
ICD10_SYSTEMS = ("http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10")
# HL7 v2 table 0074 sections that are imaging: radiology, radiograph, CT, MR, nuclear
# medicine, and the radiology, vascular, cardiac and obstetric ultrasound sections.
IMAGING_SECTIONS = frozenset({"RAD", "RX", "CT", "NMR", "NMS", "RUS", "VUS", "CUS", "OUS"})
LOINC_RADIOLOGY_CATEGORY = "LP29684-5"
SURGICAL_PROCEDURE = "387713003"
# A patient, a relative or a device may author a record, but none is a provider.
NOT_PROVIDERS = frozenset({"Patient", "RelatedPerson", "Device"})
# Organisations are providers too, but a named clinician says more; they are the fallback.
ORGANISATIONS = frozenset({"Organization", "Location", "CareTeam", "HealthcareService"})
TEXT_TYPES = frozenset({"text/plain", "text/markdown", "text/x-markdown"})
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MAX_PROBLEMS = 3
UTF8_BOM = b"\xef\xbb\xbf"

T = TypeVar("T")


def read_fhir(data: bytes, name: str, *, ndjson: bool) -> ReadFile:
    """Read one FHIR file; `name` is its contract name (`records/x.json`).

    Never raises for bad content: see the module docstring for how failures are reported.
    """
    data = data.removeprefix(UTF8_BOM)
    if not data.strip():
        return ReadFile(name, (SourceDocument(name, name, (), error="empty file"),))
    entries = _parse_ndjson(data, name) if ndjson else _parse_json(data, name)
    return _read_entries(entries, name)


# --- parsing and validation ------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """One resource of the file, validated, or the document that says why it is not."""

    resource: Resource | None = None
    full_url: str | None = None
    where: str | None = None  # "entry[3]" or "line 5", for resources without an id
    error: SourceDocument | None = None


def _parse_json(data: bytes, name: str) -> list[_Entry]:
    try:
        obj = json.loads(data)
    except json.JSONDecodeError as exc:
        # A bulk export saved as .json is still NDJSON: read it as such rather than refuse it.
        if exc.msg == "Extra data" and _starts_with_resource_line(data):
            return _parse_ndjson(data, name)
        return [_failed(name, f"not valid JSON (line {exc.lineno}, column {exc.colno})")]
    except UnicodeDecodeError:
        return [_failed(name, "not valid JSON (the file is not UTF-8 text)")]
    except RecursionError:
        return [_failed(name, "not valid JSON (nested too deeply)")]
    except ValueError:  # e.g. an integer beyond Python's digit limit
        return [_failed(name, "not valid JSON")]
    return _load(obj, name, _resource_name(name, obj, fallback=name), where=None)


def _parse_ndjson(data: bytes, name: str) -> list[_Entry]:
    entries: list[_Entry] = []
    for number, line in enumerate(data.splitlines(), 1):
        if not line.strip():
            continue
        label = f"line {number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            entries.append(_failed(f"{name}#{label}", f"not valid JSON (column {exc.colno})"))
            continue
        except (ValueError, RecursionError):
            entries.append(_failed(f"{name}#{label}", "not valid JSON"))
            continue
        entries.extend(_load(obj, name, f"{name}#{label}", where=label))
    if not entries:
        return [_failed(name, "empty file")]
    return entries


def _starts_with_resource_line(data: bytes) -> bool:
    first = next((line for line in data.splitlines() if line.strip()), b"")
    try:
        obj = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return isinstance(obj, dict) and isinstance(obj.get("resourceType"), str)


def _load(
    obj: object, name: str, error_name: str, *, where: str | None, full_url: str | None = None
) -> list[_Entry]:
    """Validate one JSON value as a resource; a Bundle becomes its entries."""
    if not isinstance(obj, dict) or not isinstance(obj.get("resourceType"), str):
        return [_failed(error_name, "not a FHIR resource (no resourceType)")]
    if obj["resourceType"] == "Bundle":
        return _load_bundle(obj, name, error_name)
    resource, problem = _validate(obj)
    if resource is None:
        return [_failed(error_name, problem)]
    return [_Entry(resource, full_url, where)]


def _load_bundle(obj: dict[str, Any], name: str, error_name: str) -> list[_Entry]:
    try:
        bundle = Bundle.model_validate(obj)
    except (ValueError, TypeError, RecursionError):  # ValidationError is a ValueError
        return _load_bundle_entry_by_entry(obj, name, error_name)
    return list(_bundle_entries(bundle, name))


def _bundle_entries(bundle: Bundle, name: str = "") -> Iterator[_Entry]:
    for index, entry in enumerate(bundle.entry or []):
        resource = entry.resource
        if isinstance(resource, Bundle):
            yield from _bundle_entries(resource, name)
        elif type(resource) is Resource:
            # No resourceType: the model took it as a bare Resource, which no reading knows.
            yield _failed(f"{name}#entry[{index}]", "not a FHIR resource (no resourceType)")
        elif isinstance(resource, Resource):
            yield _Entry(resource, entry.fullUrl, f"entry[{index}]")


def _load_bundle_entry_by_entry(obj: dict[str, Any], name: str, error_name: str) -> list[_Entry]:
    """A Bundle that failed validation: keep its good entries, name its bad ones."""
    raw_entries = obj.get("entry")
    items = raw_entries if isinstance(raw_entries, list) else []
    # The Bundle's own fields, entries' fullUrl/request included, without the resources.
    shell = {key: value for key, value in obj.items() if key != "entry"}
    if isinstance(raw_entries, list):
        shell["entry"] = [_without_resource(item) for item in raw_entries]
    elif raw_entries is not None:
        shell["entry"] = raw_entries  # let validation say what is wrong with it
    entries: list[_Entry] = []
    _, problem = _validate(shell)
    if problem:
        entries.append(_failed(error_name, problem))
    for index, item in enumerate(items):
        if not isinstance(item, dict) or "resource" not in item:
            continue  # nothing to read; the shell's validation named it if it is malformed
        resource = item["resource"]
        full_url = item.get("fullUrl")
        entries.extend(
            _load(
                resource,
                name,
                _resource_name(name, resource, fallback=f"{name}#entry[{index}]"),
                where=f"entry[{index}]",
                full_url=full_url if isinstance(full_url, str) else None,
            )
        )
    return entries


def _without_resource(item: object) -> object:
    if isinstance(item, dict):
        return {key: value for key, value in item.items() if key != "resource"}
    return item


def _validate(obj: dict[str, Any]) -> tuple[Resource | None, str]:
    """The resource validated by its R4B model, or None and the problem in one line."""
    resource_type = obj["resourceType"]
    shown = resource_type if re.fullmatch(r"[A-Za-z]{1,64}", resource_type) else "?"
    try:
        model = get_fhir_model_class(resource_type)
    except ValueError:
        return None, f"unknown FHIR R4 resource type '{shown}'"
    if not issubclass(model, Resource):  # a data type such as HumanName is no resource
        return None, f"unknown FHIR R4 resource type '{shown}'"
    try:
        resource = model.model_validate(obj)
    except ValidationError as exc:
        return None, _invalid(resource_type, exc.errors(include_url=False))
    except (ValueError, TypeError, RecursionError):
        return None, f"invalid FHIR R4 {resource_type}: it could not be validated"
    assert isinstance(resource, Resource)
    return resource, ""


def _invalid(resource_type: str, errors: Sequence[ErrorDetails]) -> str:
    problems = list(dict.fromkeys(_problem(error) for error in errors))
    text = "; ".join(problems[:MAX_PROBLEMS])
    if len(problems) > MAX_PROBLEMS:
        text += f" (and {len(problems) - MAX_PROBLEMS} more problems)"
    return f"invalid FHIR R4 {resource_type}: {text}"


def _problem(error: ErrorDetails) -> str:
    path = _path(error["loc"])
    if error["type"] == "extra_forbidden":
        return f"{path}: not a field of this FHIR R4 resource"
    if error["type"].endswith("missing"):
        return f"{path}: required"
    if error["type"] == "base64_decode":
        return f"{path}: not valid base64"
    return f"{path}: {_message(error['msg'], error.get('input'))}"


def _path(loc: tuple[int | str, ...]) -> str:
    """A pydantic location as FHIRPath-like text: `content[0].attachment.data`."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part not in ("root", "__root__"):
            path += f".{part}" if path else part
    return path or "the resource"


def _message(msg: str, value: object) -> str:
    msg = " ".join(msg.removeprefix("Value error, ").split()).rstrip(".")
    msg = re.sub(
        r"^(\w+) value string does not match spec regex$",
        lambda m: f"not a valid FHIR {m.group(1).lower()}",
        msg,
    )
    # pydantic messages do not quote the value today; make sure no future one leaks it.
    if isinstance(value, str | int | float) and len(str(value)) >= 3:
        msg = msg.replace(str(value), "(the value)")
    return msg[:200]


def _resource_name(name: str, obj: object, *, fallback: str) -> str:
    if isinstance(obj, dict):
        resource_type, resource_id = obj.get("resourceType"), obj.get("id")
        if isinstance(resource_type, str) and isinstance(resource_id, str) and resource_id:
            return f"{name}#{resource_type}/{resource_id}"
    return fallback


def _failed(document_name: str, error: str) -> _Entry:
    file = document_name.split("#", 1)[0]
    return _Entry(error=SourceDocument(document_name, file, (), error=error))


# --- references ------------------------------------------------------------------------------


class _Index:
    """The file's resources under every name a reference may use for them."""

    def __init__(self, entries: Iterable[_Entry]) -> None:
        self._by_key: dict[str, Resource] = {}
        for entry in entries:
            if entry.resource is not None:
                for key in _keys(entry.resource, entry.full_url):
                    self._by_key.setdefault(key, entry.resource)

    def resolve(self, reference: str | None, owner: Resource | None = None) -> Resource | None:
        if not reference:
            return None
        if reference.startswith("#"):
            return _contained(owner, reference[1:])
        key = reference.split("/_history/", 1)[0]
        found = self._by_key.get(key)
        if found is None and "://" in key:
            # An absolute URL on the sender's server names the same resource as Type/id here.
            found = self._by_key.get("/".join(key.rstrip("/").split("/")[-2:]))
        return found


def _keys(resource: Resource, full_url: str | None) -> Iterator[str]:
    if full_url:
        yield full_url
    resource_type = resource.get_resource_type()
    if resource.id:
        yield f"{resource_type}/{resource.id}"
    # Bulk exports (Synthea among them) point at practitioners and organisations by identifier.
    if isinstance(resource, Practitioner | PractitionerRole | Organization):
        for identifier in resource.identifier or []:
            if identifier.value:
                system = f"{identifier.system}|" if identifier.system else ""
                yield f"{resource_type}?identifier={system}{identifier.value}"


def _contained(owner: Resource | None, local_id: str) -> Resource | None:
    if isinstance(owner, DomainResource):
        for resource in owner.contained or []:
            if isinstance(resource, Resource) and resource.id == local_id:
                return resource
    return None


def _reference_type(reference: Reference, target: Resource | None) -> str | None:
    """What a reference points at, even when the target is not in the file."""
    if target is not None:
        return target.get_resource_type()
    if reference.type:
        return reference.type
    text = reference.reference or ""
    if "?" in text:  # a conditional reference: Practitioner?identifier=...
        return text.split("?", 1)[0].rsplit("/", 1)[-1]
    parts = text.rstrip("/").split("/")
    return parts[-2] if len(parts) >= 2 else None


# --- reading resources -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    name: str
    index: _Index


def _read_entries(entries: Sequence[_Entry], name: str) -> ReadFile:
    context = _Context(name, _Index(entries))
    documents: list[SourceDocument] = []
    facts: list[Fact] = []
    for entry in entries:
        resource = entry.resource
        if entry.error is not None:
            documents.append(entry.error)
        elif isinstance(resource, DocumentReference):
            documents.append(_document_reference(resource, _ref(entry), context))
        elif isinstance(resource, DiagnosticReport) and not _retracted(resource):
            fact, document = _diagnostic_report(resource, _ref(entry), context)
            facts.append(fact)
            if document is not None:
                documents.append(document)
        elif isinstance(resource, Encounter) and not _retracted(resource):
            facts.append(_encounter_fact(resource, _ref(entry), context))
        elif isinstance(resource, Procedure) and not _retracted(resource):
            facts.append(_procedure_fact(resource, _ref(entry), context))
        elif isinstance(resource, Condition) and not _retracted(resource):
            facts.append(_condition_fact(resource, _ref(entry), context))
    return ReadFile(name, tuple(documents), tuple(facts))


def _ref(entry: _Entry) -> str:
    assert entry.resource is not None
    resource_type = entry.resource.get_resource_type()
    if entry.resource.id:
        return f"{resource_type}/{entry.resource.id}"
    return f"{resource_type} ({entry.where})" if entry.where else resource_type


def _retracted(resource: Resource) -> bool:
    """Marked entered-in-error by its source: a record that never should have existed."""
    if isinstance(resource, Condition):
        return _has_code(resource.verificationStatus, "entered-in-error")
    return getattr(resource, "status", None) == "entered-in-error"


def _document_reference(doc: DocumentReference, ref: str, context: _Context) -> SourceDocument:
    attachments = [content.attachment for content in doc.content or []]
    hints = Hints(
        kind=_loinc_kind(doc.type),
        date=_document_day(doc, attachments, context),
        provider=_who(doc.author or [], doc, context) or _encounter_provider(doc, context),
        title=doc.description or _first(a.title for a in attachments) or _label(doc.type),
    )
    if doc.status == "entered-in-error":
        pages: list[Page] = []
        problems = ["marked entered-in-error by its source"]
    else:
        pages, problems = _read_attachments(attachments, doc, context)
    if not attachments:
        problems.append("no attachment (the document has no content)")
    return SourceDocument(
        f"{context.name}#{ref}",
        context.name,
        tuple(pages),
        error="; ".join(problems) or None,
        hints=hints,
    )


def _document_day(
    doc: DocumentReference, attachments: Sequence[Attachment], context: _Context
) -> date | None:
    period = doc.context.period if doc.context else None
    return (
        _day(doc.date)
        or _day(period.start if period else None)
        or _day(_period_start(_encounter_of(doc, context)))
        or _first(_day(attachment.creation) for attachment in attachments)
    )


def _encounter_of(doc: DocumentReference, context: _Context) -> Encounter | None:
    for reference in (doc.context.encounter or []) if doc.context else []:
        found = context.index.resolve(reference.reference, doc)
        if isinstance(found, Encounter):
            return found
    return None


def _encounter_provider(doc: DocumentReference, context: _Context) -> str | None:
    encounter = _encounter_of(doc, context)
    return _encounter_who(encounter, context) if encounter else None


def _diagnostic_report(
    report: DiagnosticReport, ref: str, context: _Context
) -> tuple[Fact, SourceDocument | None]:
    label = _label(report.code) or "Diagnostic report"
    day = (
        _day(report.effectiveDateTime)
        or _day(report.effectivePeriod.start if report.effectivePeriod else None)
        or _day(report.issued)
    )
    # The reading physician is the provider; the performing imaging centre is the fallback.
    readers = [*(report.resultsInterpreter or []), *(report.performer or [])]
    provider = _who(readers, report, context)
    code = _code(report.code, (LOINC,))
    fact = Fact(
        "diagnostic_report",
        day,
        _joined(label, report.conclusion),
        context.name,
        ref,
        provider=provider,
        code=code,
    )
    if not report.presentedForm and not report.conclusion:
        return fact, None
    pages, problems = _read_attachments(report.presentedForm or [], report, context)
    heading = _joined(label, report.conclusion, separator="\n")
    # The heading goes on the first page so that a presented PDF keeps its own page numbers.
    first = Page(1, f"{heading}\n{pages[0].text}" if pages else heading)
    kind = "imaging_report" if _is_imaging(report) else "diagnostic_report"
    document = SourceDocument(
        f"{context.name}#{ref}",
        context.name,
        (first, *pages[1:]),
        error="; ".join(problems) or None,
        hints=Hints(kind=kind, date=day, provider=provider, title=label),
    )
    return fact, document


def _is_imaging(report: DiagnosticReport) -> bool:
    for category in report.category or []:
        for coding in category.coding or []:
            if coding.system == V2_0074 and coding.code in IMAGING_SECTIONS:
                return True
            if coding.system == LOINC and coding.code == LOINC_RADIOLOGY_CATEGORY:
                return True
    return _loinc_kind(report.code) == "imaging_report"


def _encounter_fact(encounter: Encounter, ref: str, context: _Context) -> Fact:
    return Fact(
        "encounter",
        _day(_period_start(encounter)),
        _encounter_text(encounter),
        context.name,
        ref,
        provider=_encounter_who(encounter, context),
        encounter_class=encounter.class_fhir.code if encounter.class_fhir else None,
    )


def _procedure_fact(procedure: Procedure, ref: str, context: _Context) -> Fact:
    period = procedure.performedPeriod
    performers = [p.actor for p in procedure.performer or [] if p.actor]
    return Fact(
        "procedure",
        _day(procedure.performedDateTime) or _day(period.start if period else None),
        _label(procedure.code) or "Procedure",
        context.name,
        ref,
        provider=_who(performers, procedure, context),
        code=_code(procedure.code),
        surgical=SURGICAL_PROCEDURE in {c.code for c in _codings(procedure.category)},
    )


def _condition_fact(condition: Condition, ref: str, context: _Context) -> Fact:
    period = condition.onsetPeriod
    day = (
        _day(condition.onsetDateTime)
        or _day(period.start if period else None)
        or _day(condition.recordedDate)
    )
    who = [r for r in (condition.asserter, condition.recorder) if r is not None]
    return Fact(
        "condition",
        day,
        _label(condition.code) or "Condition",
        context.name,
        ref,
        provider=_who(who, condition, context),
        code=_code(condition.code, (*ICD10_SYSTEMS, SNOMED)),
    )


def _encounter_text(encounter: Encounter) -> str:
    kinds = [label for label in map(_label, encounter.type or []) if label]
    if not kinds and encounter.class_fhir:
        kinds = [encounter.class_fhir.display or encounter.class_fhir.code or ""]
    reasons = [label for label in map(_label, encounter.reasonCode or []) if label]
    reasons += [r.display for r in encounter.reasonReference or [] if r.display]
    text = ", ".join(k for k in kinds if k) or "Encounter"
    return f"{text}; reason: {'; '.join(reasons)}" if reasons else text


def _encounter_who(encounter: Encounter, context: _Context) -> str | None:
    individuals = [p.individual for p in encounter.participant or [] if p.individual]
    return _who(individuals, encounter, context)


# --- attachments -----------------------------------------------------------------------------


class _Unreadable(ValueError):
    """Why an attachment's content cannot be read, as a phrase."""


def _read_attachments(
    attachments: Sequence[Attachment], owner: Resource, context: _Context
) -> tuple[list[Page], list[str]]:
    """Pages numbered across all attachments, and one problem per unreadable attachment."""
    pages: list[Page] = []
    problems: list[str] = []
    for number, attachment in enumerate(attachments, 1):
        try:
            texts = _attachment_texts(attachment, owner, context)
        except _Unreadable as exc:
            problems.append(f"attachment {number}: {exc}")
            continue
        start = len(pages)
        pages.extend(Page(start + i, text) for i, text in enumerate(texts, 1))
    return pages, problems


def _attachment_texts(attachment: Attachment, owner: Resource, context: _Context) -> list[str]:
    if attachment.data is not None:
        return _decode(attachment.data, attachment.contentType)
    if attachment.url:
        target = context.index.resolve(str(attachment.url), owner)
        if isinstance(target, Binary):
            if target.data is None:
                raise _Unreadable("its Binary resource holds no data")
            return _decode(target.data, target.contentType or attachment.contentType)
        if target is not None:
            raise _Unreadable(f"its URL points at a {target.get_resource_type()}, not a Binary")
        raise _Unreadable("only a link to an external URL; its content is not in the file")
    raise _Unreadable("no data and no URL")


def _decode(content: bytes, content_type: str | None) -> list[str]:
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if not content.strip():
        raise _Unreadable("empty")
    if media == "application/pdf" or (not media and content.startswith(b"%PDF")):
        return _pdf_texts(content)
    if media in HTML_TYPES:
        return [_html_text(_text(content, content_type))]
    if media in TEXT_TYPES or not media:
        return [_text(content, content_type)]
    shown = media if re.fullmatch(r"[\w.+-]+/[\w.+-]+", media) else "?"
    raise _Unreadable(f"content type '{shown[:80]}' is not read (PDF, text, Markdown or HTML are)")


def _text(content: bytes, content_type: str | None) -> str:
    charset = re.search(r"charset=\"?([\w.:-]+)", content_type or "", re.IGNORECASE)
    if charset and charset.group(1).lower() not in ("utf-8", "utf8"):
        try:
            return content.decode(charset.group(1)).replace("\r\n", "\n").replace("\r", "\n")
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown charset label: fall back to UTF-8, then Windows-1252
    try:
        return decode_text(content)
    except NotText as exc:
        raise _Unreadable(str(exc)) from exc


def _pdf_texts(content: bytes) -> list[str]:
    # The text layer only: OCR belongs to the background queue, not to reading a FHIR file.
    try:
        texts = [page.text for page in iter_pdf_pages(content, ocr=False)]
    except UnreadablePdf as exc:
        raise _Unreadable(str(exc)) from exc
    if not any(text.strip() for text in texts):
        raise _Unreadable("a PDF without a text layer (scanned pages are not OCR'd inside FHIR)")
    return texts


class _HtmlText(HTMLParser):
    """The visible text of an HTML attachment, one line per block element."""

    # Elements after which the text starts a new line.
    # fmt: off
    BLOCKS = frozenset({
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "pre", "blockquote", "section", "article", "header", "footer", "dt", "dd", "title",
    })
    # fmt: on
    HIDDEN = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _html_text(markup: str) -> str:
    parser = _HtmlText()
    parser.feed(markup)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# --- codes, names and dates ------------------------------------------------------------------


@cache
def _loinc_kinds() -> dict[str, str]:
    text = resources.files("medreview.data").joinpath("loinc_document_kinds.csv").read_text()
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {row["loinc"].strip(): row["kind"].strip() for row in rows}


def _loinc_kind(concept: CodeableConcept | None) -> str | None:
    kinds = _loinc_kinds()
    for coding in _codings(concept):
        if coding.system in (LOINC, None) and coding.code in kinds:
            return kinds[coding.code]
    return None


def _codings(concept: CodeableConcept | None) -> list[Coding]:
    return list(concept.coding or []) if concept is not None else []


def _label(concept: CodeableConcept | None) -> str | None:
    if concept is None:
        return None
    codings = _codings(concept)
    return _first(c.display for c in codings) or concept.text or _first(c.code for c in codings)


def _code(concept: CodeableConcept | None, preferred: Sequence[str] = ()) -> str | None:
    """The code of the first preferred system present, else the first code."""
    codings = [c for c in _codings(concept) if c.code]
    for system in preferred:
        for coding in codings:
            if coding.system == system:
                return coding.code
    return codings[0].code if codings else None


def _has_code(concept: CodeableConcept | None, code: str) -> bool:
    return any(c.code == code for c in _codings(concept))


def _who(references: Sequence[Reference], owner: Resource, context: _Context) -> str | None:
    """The first clinician named by the references, else the first organisation."""
    fallback: str | None = None
    for reference in references:
        target = context.index.resolve(reference.reference, owner)
        kind = _reference_type(reference, target)
        if kind in NOT_PROVIDERS:
            continue
        name = reference.display or _name_of(target, owner, context)
        if not name:
            continue
        if kind in ORGANISATIONS:
            fallback = fallback or name
        else:
            return name
    return fallback


def _name_of(target: Resource | None, owner: Resource, context: _Context) -> str | None:
    if isinstance(target, Practitioner):
        return _human_name(target.name or [])
    if isinstance(target, PractitionerRole) and target.practitioner:
        return target.practitioner.display or _name_of(
            context.index.resolve(target.practitioner.reference, owner), owner, context
        )
    if isinstance(target, Organization):
        return target.name
    return None


def _human_name(names: Sequence[HumanName]) -> str | None:
    """`Given Family, Suffix`: how a clinician signs a record (prefixes such as Dr. dropped)."""
    chosen = _first(n for n in names if n.use in ("official", "usual")) or _first(names)
    if chosen is None:
        return None
    full = " ".join(part for part in [*(chosen.given or []), chosen.family] if part)
    if not full:
        return chosen.text or None
    return ", ".join([full, *(suffix for suffix in chosen.suffix or [] if suffix)])


def _period_start(resource: Encounter | None) -> object:
    return resource.period.start if resource is not None and resource.period else None


def _day(value: object) -> date | None:
    """The stated day of a FHIR date, dateTime or instant; None for a partial date (`2026-06`)."""
    if isinstance(value, datetime):
        return value.date()  # its own offset, as the source wrote it: no conversion to UTC
    if isinstance(value, date):
        return value
    return None  # fhir.resources keeps partial dates as strings


def _joined(*parts: str | None, separator: str = ": ") -> str:
    return separator.join(part for part in parts if part)


def _first(items: Iterable[T | None]) -> T | None:
    return next((item for item in items if item), None)
