"""``contact_information/show``, ``create`` and ``update``.

Create and update share one reading of the body: every member the caller sent is checked and
turned into a change to the stored contact; members not sent change nothing, members sent as
null clear (a collection sent as null becomes ``[]``), and a collection sent replaces the stored
one. Create applies the changes to a blank contact of the given ``type``, update to the stored
contact; both then check that the result still has the names its type needs.

Choices where the documentation is silent:

- ``name`` is derived: first, middle and last name for a PERSON, company_name for a COMPANY.
- Input collections ``address_set``/``phone_set``/``email_set`` are output as ``addresses_set``/
  ``phones_set``/``emails_set``; each item gets a fresh ``id``. Where they are read from is the
  option ``input_collections``; with ``both``, sending one in both places is refused.
- The identifying numbers (id, passport and social security numbers, VAT and registration
  numbers) all live in ``demographics``.
- ``category_identifier`` and ``owned_by_group_identifier`` are resolved and kept, but the show
  output documents no member for them, so none is shown.
- ``type`` cannot be changed by update; ``life_cycle_state`` cannot be null (a new contact is
  MARKETING unless told otherwise); at most one email is primary.
- Unknown members are ignored.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from crmconf.tenant.extras import with_extra_fields
from crmconf.tenant.faults import is_on, same_contents, without_undocumented_item_types
from crmconf.tenant.fields import parse_fields_set, select
from crmconf.tenant.identifiers import CONTACT, find_one, from_body, from_query
from crmconf.tenant.ids import record_id
from crmconf.tenant.options import TenantOptions
from crmconf.tenant.records import (
    ADDRESS_MEMBERS,
    ADDRESS_TYPES,
    CONTACT_TYPES,
    DEMOGRAPHICS_MEMBERS,
    EMAIL_MEMBERS,
    EMAIL_TYPES,
    GENDERS,
    LIFE_CYCLE_STATES,
    PHONE_MEMBERS,
    PHONE_TYPES,
    UDF_FLOATS,
    UDF_STRINGS,
    ContactRecord,
    blank_contact,
    shaped,
)
from crmconf.tenant.releases import available
from crmconf.tenant.state import Call, TenantState
from crmconf.tenant.validation import (
    email_address,
    invalid,
    list_of_objects,
    missing,
    one_of,
    optional_boolean,
    optional_date_of_birth,
    optional_day_and_month,
    optional_integer,
    optional_number,
    optional_object,
    optional_one_of,
    optional_string,
    required_string,
)

IDENTIFIER = "contact_information_identifier"
NAMES_BY_TYPE = {"PERSON": ("first_name", "last_name"), "COMPANY": ("company_name",)}

Check = Callable[[Any, str], Any]

SCALAR_INPUTS: dict[str, Check] = {
    "life_cycle_state": lambda value, where: one_of(value, LIFE_CYCLE_STATES, where),
    "title": optional_string,
    "first_name": optional_string,
    "middle_name": optional_string,
    "last_name": optional_string,
    "company_name": optional_string,
    "notes": optional_string,
    "organizational_unit": optional_integer,
    "preferred_language": optional_string,
    **{name: optional_string for name in UDF_STRINGS},
    **{name: optional_number for name in UDF_FLOATS},
}
DEMOGRAPHIC_SCALAR_INPUTS: dict[str, Check] = {
    "gender": lambda value, where: optional_one_of(value, GENDERS, where),
    "date_of_birth": optional_date_of_birth,
    "name_day": optional_day_and_month,
    "id_number": optional_string,
    "passport_number": optional_string,
    "social_security_number": optional_string,
    "vat_registration_number": optional_string,
    "registration_number": optional_string,
}
# input member -> (output member, kind of record it names)
REFERENCE_INPUTS = {
    "privacy_level_identifier": ("privacy_level", "privacy_level"),
}
HIDDEN_REFERENCE_INPUTS = {
    "category_identifier": ("category", "category"),
    "owned_by_group_identifier": ("owned_by_group", "group"),
}
DEMOGRAPHIC_REFERENCE_INPUTS = {
    "id_issued_by_country_identifier": ("id_issued_by_country", "country"),
    "passport_issued_by_country_identifier": ("passport_issued_by_country", "country"),
    "industry_identifier": ("industry", "industry"),
    "industry_sector_identifier": ("industry_sector", "industry_sector"),
}
COLLECTION_OUTPUTS = {"address_set": "addresses_set", "phone_set": "phones_set", "email_set": "emails_set"}
ITEM_KINDS = {"addresses_set": "address", "phones_set": "phone", "emails_set": "email"}


# ---------------------------------------------------------------- operations


def show(call: Call) -> dict[str, Any]:
    """GET contact_information/show."""
    named = from_query(IDENTIFIER, _query_identifier(call), CONTACT, call.options.release)
    fields_set = parse_fields_set(call.params.get("fields_set"), call.options)
    if is_on(call.options, "show-ignores-identifier"):
        record = call.state.data.contacts[0]
    else:
        record = find_contact(call.state, named)
    if named[0] == "number" and is_on(call.options, "show-by-number-returns-first-contact"):
        record = call.state.data.contacts[0]  # found, then the wrong row read
    shown = select(render(record, call.options), fields_set)
    if is_on(call.options, "show-counts-views"):
        record.data["udf_float_2"] = (record.data["udf_float_2"] or 0) + 1
    return shown


def _query_identifier(call: Call) -> str | None:
    raw = call.params.get(IDENTIFIER)
    if raw and is_on(call.options, "query-identifier-naming-two-fields-accepted"):
        return raw.split(",", 1)[0]  # a reader that stops at the comma and never sees the second field
    return raw


def create(call: Call) -> dict[str, Any]:
    """POST contact_information/create: not idempotent, each call makes a new contact."""
    body = call.params
    fields_set = parse_fields_set(body.get("fields_set"), call.options)
    if is_on(call.options, "fields-set-ignored-on-create"):
        fields_set = None
    contact_type = body.get("type")
    if contact_type is None:
        raise missing("type")
    if is_on(call.options, "contact-type-case-ignored") and isinstance(contact_type, str):
        contact_type = contact_type.upper()
    contact_type = one_of(contact_type, CONTACT_TYPES, "type")
    changes = read_changes(body, call.state)
    draft = blank_contact("", contact_type)
    changes.apply_to(draft)
    require_names(draft, call.options)
    twin = _identical_earlier_contact(call, draft)
    if twin is not None:
        return select(render(twin, call.options), fields_set)
    number = call.state.take_contact_number()
    draft["id"] = record_id("contact", number)
    record = ContactRecord(number=number, created_at=creation_time(call.options), data=draft)
    changes.apply_hidden_to(record)
    _give_item_ids(draft, call.state)
    if not is_on(call.options, "create-not-persisted"):
        call.state.data.contacts.append(record)
    return select(render(record, call.options), fields_set)


def _identical_earlier_contact(call: Call, draft: dict[str, Any]) -> ContactRecord | None:
    """Only a tenant with the fault answers a create with an earlier contact instead of a new one."""
    if not is_on(call.options, "identical-creates-collapsed"):
        return None
    return next((record for record in call.state.data.contacts if same_contents(record.data, draft)), None)


def update(call: Call) -> dict[str, Any]:
    """POST contact_information/update: change what was sent, clear what was sent as null."""
    body = call.params
    if is_on(call.options, "update-drops-undocumented-item-types"):
        body = without_undocumented_item_types(body)
    if is_on(call.options, "update-ignores-null"):
        body = {member: value for member, value in body.items() if value is not None}
    named = from_body(IDENTIFIER, body.get(IDENTIFIER), CONTACT, call.options.release)
    fields_set = parse_fields_set(body.get("fields_set"), call.options)
    record = find_contact(call.state, named)
    if "type" in body and body["type"] != record.data["type"]:
        raise invalid(f"type cannot be changed: the contact is a {record.data['type']}")
    changes = read_changes(body, call.state)
    updated = copy.deepcopy(record.data)
    if is_on(call.options, "update-empties-unsent-collections"):
        updated.update({output: [] for output in ITEM_KINDS})  # a replace where a merge was due
    changes.apply_to(updated)
    require_names(updated, call.options)
    _give_item_ids(updated, call.state)
    record.data = updated
    changes.apply_hidden_to(record)
    return select(render(record, call.options), fields_set)


# ---------------------------------------------------------------- finding and showing


def find_contact(state: TenantState, named: tuple[str, str]) -> ContactRecord:
    return find_one(state.data.contacts, named, CONTACT, _identifying_value)


def _identifying_value(record: ContactRecord, name: str) -> Any:
    if name == "number":
        return record.number
    if name == "id":
        return record.data["id"]
    return record.data["demographics"][name]


def render(record: ContactRecord, options: TenantOptions) -> dict[str, Any]:
    data = copy.deepcopy(record.data)
    if not available("preferred_language", options.release):
        del data["preferred_language"]
    if not available("email_is_primary", options.release):
        for email in data["emails_set"]:
            del email["is_primary"]
    if is_on(options, "organizational-unit-as-string") and data["organizational_unit"] is not None:
        data["organizational_unit"] = str(data["organizational_unit"])
    if is_on(options, "contact-type-in-lower-case"):
        data["type"] = data["type"].lower()
    return with_extra_fields(data, options, record.created_at, f"CRM-{record.number}")


def creation_time(options: TenantOptions) -> datetime.datetime:
    # Contacts created through the API are stamped with the data clock's day, not the real clock,
    # so output stays the same from run to run.
    return datetime.datetime.combine(options.data_date, datetime.time(12, 0))


def require_names(contact: dict[str, Any], options: TenantOptions) -> None:
    names = NAMES_BY_TYPE[contact["type"]]
    if is_on(options, "last-name-not-mandatory"):
        names = tuple(name for name in names if name != "last_name")
    for name in names:
        if not (contact[name] or "").strip():
            raise missing(f"{name} (for a {contact['type']} contact)")


def derived_name(contact: dict[str, Any]) -> str:
    if contact["type"] == "COMPANY":
        return contact["company_name"]
    parts = (contact["first_name"], contact["middle_name"], contact["last_name"])
    return " ".join(part.strip() for part in parts if part and part.strip())


def _give_item_ids(contact: dict[str, Any], state: TenantState) -> None:
    for output, kind in ITEM_KINDS.items():
        for item in contact[output]:
            if item["id"] is None:
                item["id"] = state.ids.new_id(kind)


# ---------------------------------------------------------------- reading a body


@dataclass
class ContactChanges:
    """The changes a create or update body asks for, already checked and resolved."""

    members: dict[str, Any] = field(default_factory=dict)
    demographics: dict[str, Any] | None = field(default_factory=dict)
    hidden: dict[str, Any] = field(default_factory=dict)

    def apply_to(self, contact: dict[str, Any]) -> None:
        contact.update(self.members)
        if self.demographics is None:
            contact["demographics"] = shaped(DEMOGRAPHICS_MEMBERS)
        else:
            contact["demographics"].update(self.demographics)
        contact["name"] = derived_name(contact)

    def apply_hidden_to(self, record: ContactRecord) -> None:
        for member, value in self.hidden.items():
            setattr(record, member, value)


def read_changes(body: dict[str, Any], state: TenantState) -> ContactChanges:
    release = state.options.release
    changes = ContactChanges()
    for member, check in SCALAR_INPUTS.items():
        if member == "preferred_language" and not available("preferred_language", release):
            continue
        if member in body:
            changes.members[member] = check(body[member], member)
    if is_on(state.options, "last-name-stored-as-middle-name") and "last_name" in changes.members:
        changes.members["middle_name"] = changes.members["last_name"]  # a crossed column
    for member, (output, kind) in REFERENCE_INPUTS.items():
        if member in body:
            changes.members[output] = state.resolve_reference(kind, member, body[member])
    for member, (output, kind) in HIDDEN_REFERENCE_INPUTS.items():
        if member in body:
            changes.hidden[output] = state.resolve_reference(kind, member, body[member])
    if "demographics" in body:
        changes.demographics = _read_demographics(body["demographics"], state)
    for member, items in collection_inputs(body, state.options).items():
        read = _read_collection(member, items, state)
        if not (member == "phone_set" and is_on(state.options, "phone-set-dropped")):
            changes.members[COLLECTION_OUTPUTS[member]] = read
    return changes


def _read_demographics(raw: Any, state: TenantState) -> dict[str, Any] | None:
    demographics = optional_object(raw, "demographics")
    if demographics is None:
        return None
    changes = {}
    for member, check in DEMOGRAPHIC_SCALAR_INPUTS.items():
        if member in demographics:
            changes[member] = check(demographics[member], f"demographics.{member}")
    for member, (output, kind) in DEMOGRAPHIC_REFERENCE_INPUTS.items():
        if member in demographics:
            changes[output] = state.resolve_reference(kind, f"demographics.{member}", demographics[member])
    return changes


def collection_inputs(body: dict[str, Any], options: TenantOptions) -> dict[str, Any]:
    """The ``*_set`` inputs sent, read from where option ``input_collections`` says."""
    demographics = body.get("demographics") if isinstance(body.get("demographics"), dict) else {}
    places = {
        "top": {"the top level": body},
        "demographics": {"demographics": demographics},
        "both": {"the top level": body, "demographics": demographics},
    }[options.input_collections]
    found = {}
    for member in COLLECTION_OUTPUTS:
        holders = [place for place, holder in places.items() if member in holder]
        if len(holders) > 1:
            raise invalid(f"{member} is sent both at the top level and inside demographics; send it once")
        if holders:
            found[member] = places[holders[0]][member]
    return found


def _read_collection(member: str, raw: Any, state: TenantState) -> list[dict[str, Any]]:
    read_item = {"address_set": _read_address, "phone_set": _read_phone, "email_set": _read_email}[member]
    items = [read_item(item, f"{member}[{n}]", state) for n, item in enumerate(list_of_objects(raw, member))]
    if member == "email_set" and sum(1 for item in items if item.get("is_primary")) > 1:
        raise invalid("email_set has more than one primary email; at most one may have is_primary true")
    return items


def _required_type(item: dict[str, Any], allowed: tuple[str, ...], where: str) -> str:
    if item.get("type") is None:
        raise missing(f"{where}.type")
    return one_of(item["type"], allowed, f"{where}.type")


def _read_address(item: dict[str, Any], where: str, state: TenantState) -> dict[str, Any]:
    texts = [name for name in ADDRESS_MEMBERS if name not in ("id", "type", "floor", "country")]
    return shaped(
        ADDRESS_MEMBERS,
        type=_required_type(item, ADDRESS_TYPES, where),
        floor=optional_integer(item.get("floor"), f"{where}.floor"),
        country=state.resolve_reference(
            "country", f"{where}.country_identifier", item.get("country_identifier")
        ),
        **{name: optional_string(item.get(name), f"{where}.{name}") for name in texts},
    )


def _read_phone(item: dict[str, Any], where: str, state: TenantState) -> dict[str, Any]:
    return shaped(
        PHONE_MEMBERS,
        type=_required_type(item, PHONE_TYPES, where),
        number=required_string(item.get("number"), f"{where}.number"),
        area_code=optional_string(item.get("area_code"), f"{where}.area_code"),
    )


def _read_email(item: dict[str, Any], where: str, state: TenantState) -> dict[str, Any]:
    is_primary = optional_boolean(item.get("is_primary"), f"{where}.is_primary")
    return shaped(
        EMAIL_MEMBERS,
        type=_required_type(item, EMAIL_TYPES, where),
        email_address=email_address(item.get("email_address"), f"{where}.email_address"),
        is_primary=bool(is_primary) if available("email_is_primary", state.options.release) else None,
    )
