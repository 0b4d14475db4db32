"""``<thing>_identifier`` parameters: each names exactly one of a few allowed fields.

GET form (query parameter value): ``field=value``, e.g.
``contact_information_identifier=number=CI000111``. A value with no ``=`` names no field; one
whose value part holds another ``=`` (``number=CI000111,id=X``) names two: both are refused.

POST form (body member): an object with exactly one member whose value is a string, e.g.
``{"number": "CI000111"}``.

Zero fields, two or more fields, a field outside the allowed list or an empty value is a 400
error; a well-formed identifier that matches no record is a 404 of the record's kind; one that
matches several records (two contacts created with the same id_number) is a 400 error asking for a
unique field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from crmconf.tenant.errors import AMBIGUOUS_IDENTIFIER, INVALID_IDENTIFIER, ApiError, ErrorKind, not_found
from crmconf.tenant.releases import available
from crmconf.tenant.validation import missing

Record = TypeVar("Record")


@dataclass(frozen=True)
class RecordKind:
    label: str
    fields: tuple[str, ...]
    not_found: ErrorKind
    example: tuple[str, str]
    since: Mapping[str, str] = field(default_factory=dict)
    """Fields that arrived with a release: field name -> feature name in ``releases``."""

    def allowed_fields(self, release: str) -> tuple[str, ...]:
        return tuple(
            name for name in self.fields if name not in self.since or available(self.since[name], release)
        )


CONTACT = RecordKind(
    label="contact information",
    # "number" is not in the documented list, but the Introduction's own example uses it.
    fields=(
        "id",
        "number",
        "id_number",
        "passport_number",
        "social_security_number",
        "vat_registration_number",
        "registration_number",
    ),
    not_found=not_found("CONTACTINFORMATION", "CONTACTINFORMATION"),
    example=("number", "CI000111"),
    since={"registration_number": "registration_number"},
)
PROVIDER = RecordKind(
    label="provisioning provider",
    fields=("id", "name", "alternative_code"),
    not_found=not_found("PROVISIONING", "PROVISIONINGPROVIDER"),
    example=("alternative_code", "GP1"),
)
REFERENCE_KINDS = {
    "privacy_level": RecordKind(
        "privacy level",
        ("id", "name", "number"),
        not_found("CONTACTINFORMATION", "PRIVACYLEVEL"),
        ("number", "8"),
    ),
    "category": RecordKind(
        "contact category",
        ("id", "name", "code"),
        not_found("CONTACTINFORMATION", "CATEGORY"),
        ("name", "Contact Category"),
    ),
    "group": RecordKind(
        "group", ("id", "name", "code"), not_found("SECURITY", "GROUP"), ("name", "Main Group")
    ),
    "country": RecordKind(
        "country", ("id", "name", "code"), not_found("SETTINGS", "COUNTRY"), ("code", "CYP")
    ),
    "industry": RecordKind(
        "industry", ("id", "name", "code"), not_found("CONTACTINFORMATION", "INDUSTRY"), ("code", "TEL")
    ),
    "industry_sector": RecordKind(
        "industry sector",
        ("id", "name", "code"),
        not_found("CONTACTINFORMATION", "INDUSTRYSECTOR"),
        ("code", "PRIVATE"),
    ),
}


def _refuse(parameter: str, problem: str, kind: RecordKind, allowed: Iterable[str], form: str) -> ApiError:
    name, value = kind.example
    example = f"{name}={value}" if form == "query" else json.dumps({name: value})
    return ApiError(
        INVALID_IDENTIFIER,
        f"{parameter} {problem}; it must name exactly one of {', '.join(allowed)}, for example {example}",
    )


def from_query(parameter: str, raw: str | None, kind: RecordKind, release: str) -> tuple[str, str]:
    """The (field, value) named by the GET form ``field=value``."""
    allowed = kind.allowed_fields(release)
    if raw is None:
        raise missing(parameter)
    name, equals, value = raw.partition("=")
    if not equals:
        raise _refuse(parameter, f"names no field ({raw!r} has no '=')", kind, allowed, "query")
    if "=" in value:
        raise _refuse(parameter, f"names more than one field ({raw!r})", kind, allowed, "query")
    return _checked(parameter, name.strip(), value, kind, allowed, "query")


def from_body(parameter: str, raw: Any, kind: RecordKind, release: str) -> tuple[str, str]:
    """The (field, value) named by the POST form ``{"field": "value"}``."""
    allowed = kind.allowed_fields(release)
    if raw is None:
        raise missing(parameter)
    if not isinstance(raw, dict):
        raise _refuse(parameter, "is not an object", kind, allowed, "body")
    if len(raw) != 1:
        named = ", ".join(raw) or "none"
        raise _refuse(parameter, f"names {len(raw)} fields ({named})", kind, allowed, "body")
    [(name, value)] = raw.items()
    if not isinstance(value, str):
        raise _refuse(parameter, f"gives {name} as {json.dumps(value)}, not a string", kind, allowed, "body")
    return _checked(parameter, name, value, kind, allowed, "body")


def _checked(
    parameter: str, name: str, value: str, kind: RecordKind, allowed: tuple[str, ...], form: str
) -> tuple[str, str]:
    if name not in allowed:
        raise _refuse(parameter, f"names field {name!r}, which is not allowed", kind, allowed, form)
    if not value.strip():
        raise _refuse(parameter, f"gives an empty value for {name}", kind, allowed, form)
    return name, value


def find_one(
    records: Iterable[Record],
    named: tuple[str, str],
    kind: RecordKind,
    value_of: Callable[[Record, str], Any],
) -> Record:
    """The one record whose ``field`` equals ``value`` (exact, case-sensitive)."""
    name, value = named
    matches = [record for record in records if value_of(record, name) == value]
    if not matches:
        raise ApiError(kind.not_found, f"no {kind.label} has {name} {value!r}")
    if len(matches) > 1:
        raise ApiError(
            AMBIGUOUS_IDENTIFIER,
            f"{len(matches)} {kind.label} records have {name} {value!r}; use a unique field",
        )
    return matches[0]


def member_of(record: Mapping[str, Any], name: str) -> Any:
    return record.get(name)
