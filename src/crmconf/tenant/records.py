"""The records a tenant holds, and the documented shape of each in output.

Member tuples fix both which members an output object has and their order, so every documented
member is always present (``null`` when unset, ``[]`` for an empty set) and output is stable.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

UDF_STRING_COUNT = 3
UDF_FLOAT_COUNT = 2
UDF_STRINGS = tuple(f"udf_string_{n}" for n in range(1, UDF_STRING_COUNT + 1))
UDF_FLOATS = tuple(f"udf_float_{n}" for n in range(1, UDF_FLOAT_COUNT + 1))

CONTACT_MEMBERS = (
    "id",
    "type",
    "life_cycle_state",
    "name",
    "title",
    "first_name",
    "middle_name",
    "last_name",
    "company_name",
    "notes",
    "organizational_unit",
    "preferred_language",
    "privacy_level",
    *UDF_STRINGS,
    *UDF_FLOATS,
    "demographics",
    "addresses_set",
    "phones_set",
    "emails_set",
)
DEMOGRAPHICS_MEMBERS = (
    "gender",
    "date_of_birth",
    "name_day",
    "id_number",
    "id_issued_by_country",
    "passport_number",
    "passport_issued_by_country",
    "social_security_number",
    "vat_registration_number",
    "registration_number",
    "industry",
    "industry_sector",
)
ADDRESS_MEMBERS = (
    "id",
    "type",
    "postal_code",
    "street_name",
    "street_number",
    "floor",
    "apartment_number",
    "area",
    "town_city",
    "district",
    "municipality",
    "country",
    "po_box",
    "po_box_postal_code",
)
PHONE_MEMBERS = ("id", "type", "number", "area_code")
EMAIL_MEMBERS = ("id", "type", "email_address", "is_primary")

CONTACT_SETS = ("addresses_set", "phones_set", "emails_set")

CONTACT_TYPES = ("PERSON", "COMPANY")
LIFE_CYCLE_STATES = ("MARKETING", "FINANCIAL")
GENDERS = ("MALE", "FEMALE")
CUSTOM_TYPES = tuple(f"CUSTOM{n}" for n in range(1, 6))
ADDRESS_TYPES = ("HOME", "BUSINESS", "POBOX", *CUSTOM_TYPES)
PHONE_TYPES = ("LANDLINE", "MOBILE", "FAX", *CUSTOM_TYPES)
EMAIL_TYPES = ("PERSONAL", "BUSINESS", *CUSTOM_TYPES)

REQUEST_TYPES = (
    "BECOME_SUBSCRIBER",
    "ACTIVATE_SERVICE",
    "DEACTIVATE_SERVICE",
    "ADD_INSTALLED_ITEM",
    "REMOVE_INSTALLED_ITEM",
    "ACTIVATE_SUBSCRIBER",
    "DEACTIVATE_SUBSCRIBER",
    "UPDATE_SUBSCRIBER",
    "UPDATE_ADDRESS",
    "ADD_UDR",
    "CANCEL_UDR",
)
REQUEST_STATES = ("PENDING", "COMPLETED", "REJECTED")


def shaped(members: Iterable[str], **values: Any) -> dict[str, Any]:
    """An object with every one of ``members`` in order, ``null`` unless given in ``values``."""
    members = tuple(members)
    unknown = set(values) - set(members)
    if unknown:
        raise KeyError(f"not members of this object: {sorted(unknown)}")
    return {member: values.get(member) for member in members}


def blank_contact(contact_id: str, contact_type: str) -> dict[str, Any]:
    contact = shaped(CONTACT_MEMBERS, id=contact_id, type=contact_type, life_cycle_state="MARKETING")
    contact["demographics"] = shaped(DEMOGRAPHICS_MEMBERS)
    for member in CONTACT_SETS:
        contact[member] = []
    return contact


@dataclass
class ContactRecord:
    """A contact: its documented output plus what the tenant keeps but does not show."""

    number: str
    created_at: datetime.datetime
    data: dict[str, Any]
    category: dict[str, Any] | None = None
    owned_by_group: dict[str, Any] | None = None


@dataclass(frozen=True)
class Subscription:
    number: str
    account_number: str
    account_name: str
    created_at: datetime.datetime
    address: dict[str, Any]
    services: tuple[dict[str, Any], ...]
    installed_items: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class ProvisioningRequest:
    number: str
    type: str
    provider_id: str
    subscription_number: str
    life_cycle_state: str
    created_at: datetime.datetime
    scheduled_at: datetime.datetime
    service: dict[str, Any] | None = None
    installed_item: dict[str, Any] | None = None


@dataclass
class TenantData:
    """Everything a tenant stores; reference lists are keyed by record kind name."""

    contacts: list[ContactRecord] = field(default_factory=list)
    references: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    providers: list[dict[str, Any]] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    requests: list[ProvisioningRequest] = field(default_factory=list)
