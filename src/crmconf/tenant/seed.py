"""The data a fresh tenant starts with, and the facts about it that tests rely on (``SEED``).

Seed data is plain data plus small builder functions. Everything is derived from fixed keys and
from the options' data clock (``data_date``), so two tenants with the same options hold exactly
the same records.

Provisioning seed, for provider GP1: seven subscriptions whose listed PENDING requests number
34, 23, 18, 13, 9, 6 and 3 (106 in all, every request type represented). "Listed" means PENDING
and created within the seven calendar days that end with ``data_date``; the first request of
the first subscription is created exactly at the window's first second. Each subscription also
holds requests that are never listed: one COMPLETED and one REJECTED inside the window and one
PENDING older than the window, and the first subscription one PENDING created one second
before the window opens. Provider GP2 has requests of its own (four on its own subscription, two
on GP1's first subscription), which a GP1 listing never shows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from crmconf.tenant.ids import record_id
from crmconf.tenant.options import TenantOptions
from crmconf.tenant.records import (
    ADDRESS_MEMBERS,
    EMAIL_MEMBERS,
    PHONE_MEMBERS,
    REQUEST_TYPES,
    ContactRecord,
    ProvisioningRequest,
    Subscription,
    TenantData,
    blank_contact,
    shaped,
)

CREDENTIALS: dict[str, str | None] = {
    "username": "qa.engineer",
    "password": "reference-tenant-password",
    "organisation": "Reference Organisation",
    "unit": None,
}
API_KEY = "reference-tenant-web-api-key"

WINDOW_DAYS = 7
LISTED_PER_SUBSCRIPTION = (34, 23, 18, 13, 9, 6, 3)
GP2_ON_SHARED_SUBSCRIPTION = 2
GP2_ON_OWN_SUBSCRIPTION = 4
FIRST_NEW_CONTACT_NUMBER = 113

# ---------------------------------------------------------------- reference data


def _reference(kind: str, key: str, **members: Any) -> dict[str, Any]:
    return {"id": record_id(kind, key), **members}


def reference_data() -> dict[str, list[dict[str, Any]]]:
    """Records that ``<thing>_identifier`` objects in create/update bodies resolve against."""
    return {
        "privacy_level": [
            _reference("privacy_level", "1", name="Public", number="1"),
            _reference("privacy_level", "8", name="Restricted", number="8"),
        ],
        "category": [
            _reference("category", "CONTACT", name="Contact Category", code="CONTACT"),
            _reference("category", "VIP", name="VIP Customers", code="VIP"),
        ],
        "group": [
            _reference("group", "MAIN", name="Main Group", code="MAIN"),
            _reference("group", "SALES", name="Sales Team", code="SALES"),
        ],
        "country": [
            _reference("country", "CYP", name="Cyprus", code="CYP"),
            _reference("country", "GRC", name="Greece", code="GRC"),
            _reference("country", "GBR", name="United Kingdom", code="GBR"),
        ],
        "industry": [
            _reference("industry", "TEL", name="Telecommunications", code="TEL"),
            _reference("industry", "RET", name="Retail", code="RET"),
        ],
        "industry_sector": [
            _reference("industry_sector", "PRIVATE", name="Private Sector", code="PRIVATE"),
            _reference("industry_sector", "PUBLIC", name="Public Sector", code="PUBLIC"),
        ],
    }


def _pick(references: dict[str, list[dict[str, Any]]], kind: str, **match: str) -> dict[str, Any]:
    for record in references[kind]:
        if all(record.get(name) == value for name, value in match.items()):
            return dict(record)
    raise LookupError(f"no seed {kind} with {match}")


# ---------------------------------------------------------------- contacts


def udf_floats(options: TenantOptions) -> tuple[float | int, float | int]:
    # The vendor's show example carries integer-valued floats (``"udf_float_1": 10``).
    return (12.75, 340.5) if options.fractional_floats else (12, 340)


def _address(key: str, **members: Any) -> dict[str, Any]:
    return shaped(ADDRESS_MEMBERS, id=record_id("address", key), **members)


def _phone(key: str, **members: Any) -> dict[str, Any]:
    return shaped(PHONE_MEMBERS, id=record_id("phone", key), **members)


def _email(key: str, **members: Any) -> dict[str, Any]:
    return shaped(EMAIL_MEMBERS, id=record_id("email", key), **members)


def person_contact(references: dict[str, list[dict[str, Any]]], options: TenantOptions) -> ContactRecord:
    number = "CI000111"
    cyprus = _pick(references, "country", code="CYP")
    contact = blank_contact(record_id("contact", number), "PERSON")
    udf_float_1, udf_float_2 = udf_floats(options)
    contact.update(
        life_cycle_state="FINANCIAL",
        name="Eleni Maria Georgiou",
        title="Mrs",
        first_name="Eleni",
        middle_name="Maria",
        last_name="Georgiou",
        notes="Prefers to be called after 17:00.",
        organizational_unit=1,
        preferred_language="ENG",
        privacy_level=_pick(references, "privacy_level", number="8"),
        udf_string_1="Loyalty tier: Gold",
        udf_string_2="Referred by a partner shop",
        udf_string_3=None,
        udf_float_1=udf_float_1,
        udf_float_2=udf_float_2,
    )
    contact["demographics"].update(
        gender="FEMALE",
        date_of_birth={"day": 14, "month": 3, "year": 1984},
        name_day={"day": 21, "month": 5},
        id_number="880123",
        id_issued_by_country=cyprus,
        passport_number="K00451277",
        passport_issued_by_country=dict(cyprus),
        social_security_number="6613207",
        industry=_pick(references, "industry", code="TEL"),
        industry_sector=_pick(references, "industry_sector", code="PRIVATE"),
    )
    contact["addresses_set"] = [
        _address(
            f"{number}/1",
            type="HOME",
            postal_code="1065",
            street_name="Makariou Avenue",
            street_number="42",
            floor=3,
            apartment_number="3B",
            area="Agios Antonios",
            town_city="Nicosia",
            district="Nicosia",
            municipality="Strovolos",
            country=dict(cyprus),
        ),
        _address(
            f"{number}/2",
            type="POBOX",
            town_city="Nicosia",
            country=dict(cyprus),
            po_box="21045",
            po_box_postal_code="1501",
        ),
    ]
    contact["phones_set"] = [
        _phone(f"{number}/1", type="MOBILE", number="99123456", area_code="+357"),
        _phone(f"{number}/2", type="LANDLINE", number="22445566", area_code="+357"),
    ]
    contact["emails_set"] = [
        _email(f"{number}/1", type="PERSONAL", email_address="eleni.georgiou@example.com", is_primary=True),
        _email(f"{number}/2", type="BUSINESS", email_address="e.georgiou@example.org", is_primary=False),
    ]
    return ContactRecord(
        number=number,
        created_at=datetime.datetime.combine(options.data_date, datetime.time(10, 30))
        - datetime.timedelta(days=412),
        data=contact,
        category=_pick(references, "category", code="VIP"),
        owned_by_group=_pick(references, "group", code="MAIN"),
    )


def company_contact(references: dict[str, list[dict[str, Any]]], options: TenantOptions) -> ContactRecord:
    number = "CI000112"
    cyprus = _pick(references, "country", code="CYP")
    contact = blank_contact(record_id("contact", number), "COMPANY")
    contact.update(
        life_cycle_state="FINANCIAL",
        name="Aegean Broadband Ltd",
        company_name="Aegean Broadband Ltd",
        notes="Wholesale partner; invoices go to the accounts department.",
        organizational_unit=0,
        preferred_language="ENG",
        privacy_level=_pick(references, "privacy_level", number="1"),
        udf_string_1="Partner since 2019",
    )
    contact["demographics"].update(
        vat_registration_number="CY10259874X",
        registration_number="HE259874",
        industry=_pick(references, "industry", code="TEL"),
        industry_sector=_pick(references, "industry_sector", code="PRIVATE"),
    )
    contact["addresses_set"] = [
        _address(
            f"{number}/1",
            type="BUSINESS",
            postal_code="3036",
            street_name="Anexartisias Street",
            street_number="118",
            floor=5,
            area="Agia Zoni",
            town_city="Limassol",
            district="Limassol",
            municipality="Limassol",
            country=cyprus,
        ),
    ]
    contact["phones_set"] = [_phone(f"{number}/1", type="LANDLINE", number="25880100", area_code="+357")]
    contact["emails_set"] = [
        _email(
            f"{number}/1", type="BUSINESS", email_address="accounts@aegean-broadband.example", is_primary=True
        ),
    ]
    return ContactRecord(
        number=number,
        created_at=datetime.datetime.combine(options.data_date, datetime.time(15, 5))
        - datetime.timedelta(days=980),
        data=contact,
        category=_pick(references, "category", code="CONTACT"),
        owned_by_group=_pick(references, "group", code="SALES"),
    )


# ---------------------------------------------------------------- provisioning


def providers() -> list[dict[str, Any]]:
    return [
        {
            "id": record_id("provisioning_provider", "GP1"),
            "name": "Generic Provider 1",
            "alternative_code": "GP1",
        },
        {
            "id": record_id("provisioning_provider", "GP2"),
            "name": "Generic Provider 2",
            "alternative_code": "GP2",
        },
    ]


SERVICE_CATALOGUE = (
    ("BB-100", "Broadband 100 Mbps"),
    ("TV-BASIC", "Basic TV Package"),
    ("TV-SPORT", "Sports Pack"),
    ("VOICE", "Home Voice Line"),
    ("MOB-5G", "Mobile 5G Plan"),
)
PRODUCT_CATALOGUE = (
    ("STB-4K", "4K Set-Top Box"),
    ("RTR-AX", "Wi-Fi 6 Router"),
    ("ONT-G", "Fibre ONT"),
)
SUBSCRIBERS = (
    # account holder, street, town
    ("Eleni Maria Georgiou", "Makariou Avenue", "Nicosia"),
    ("Aegean Broadband Ltd", "Anexartisias Street", "Limassol"),
    ("Andreas Christou", "Griva Digeni Avenue", "Larnaca"),
    ("Sophia Nicolaou", "Apostolou Pavlou Avenue", "Paphos"),
    ("Marios Ioannou", "Ayias Fylaxeos Street", "Limassol"),
    ("Katerina Demetriou", "Ermou Street", "Nicosia"),
    ("Panayiotis Savva", "Leoforos Athalassas", "Nicosia"),
    ("Christina Pavlou", "Kennedy Avenue", "Paralimni"),
)


def _subscription(
    index: int, references: dict[str, list[dict[str, Any]]], created_at: datetime.datetime
) -> Subscription:
    number = f"SUB{101 + index:06d}"
    holder, street, town = SUBSCRIBERS[index]
    services = tuple(
        {"id": record_id("subscription_service", f"{number}/{code}"), "code": code, "name": name}
        for code, name in (
            SERVICE_CATALOGUE[(index + shift) % len(SERVICE_CATALOGUE)] for shift in range(2 + index % 2)
        )
    )
    installed_items = tuple(
        {
            "id": record_id("installed_item", f"{number}/{code}"),
            "serial_number": f"SN{index + 1:02d}{position + 1:02d}{7300 + index * 17:05d}",
            "product_code": code,
            "product_name": name,
        }
        for position, (code, name) in enumerate(
            PRODUCT_CATALOGUE[(index + shift) % len(PRODUCT_CATALOGUE)] for shift in range(1 + index % 2)
        )
    )
    address = _address(
        f"{number}/installation",
        type="HOME" if index != 1 else "BUSINESS",
        postal_code=f"{1010 + index * 305}",
        street_name=street,
        street_number=str(5 + index * 7),
        town_city=town,
        district=town,
        country=_pick(references, "country", code="CYP"),
    )
    return Subscription(
        number=number,
        account_number=f"AC{201 + index:06d}",
        account_name=holder,
        created_at=created_at,
        address=address,
        services=services,
        installed_items=installed_items,
    )


def window_start(data_date: datetime.date) -> datetime.datetime:
    """The first second of the seven calendar days that end with ``data_date``."""
    return datetime.datetime.combine(data_date - datetime.timedelta(days=WINDOW_DAYS - 1), datetime.time())


class _RequestBook:
    """Provisioning requests, numbered PR000001, PR000002, ... in the order they are added."""

    def __init__(self) -> None:
        self.requests: list[ProvisioningRequest] = []

    def add(
        self,
        subscription: Subscription,
        provider: dict[str, Any],
        *,
        variant: int,
        state: str,
        created: datetime.datetime,
        delay: datetime.timedelta,
    ) -> None:
        """``variant`` picks the request type, service and installed item, cycling through each."""
        self.requests.append(
            ProvisioningRequest(
                number=f"PR{len(self.requests) + 1:06d}",
                type=REQUEST_TYPES[variant % len(REQUEST_TYPES)],
                provider_id=provider["id"],
                subscription_number=subscription.number,
                life_cycle_state=state,
                created_at=created,
                scheduled_at=created + delay,
                service=subscription.services[variant % len(subscription.services)],
                installed_item=subscription.installed_items[variant % len(subscription.installed_items)],
            )
        )


def _hours(hours: int, minutes: int = 0) -> datetime.timedelta:
    return datetime.timedelta(hours=hours, minutes=minutes)


def _gp1_requests(
    book: _RequestBook, subscription: Subscription, gp1: dict[str, Any], index: int, start: datetime.datetime
) -> None:
    window_minutes = WINDOW_DAYS * 24 * 60
    for position in range(LISTED_PER_SUBSCRIPTION[index]):
        # Spread creation over the window and scheduling over the next two days, so that
        # subscriptions interleave in time and the ordering rule has work to do.
        offset = (index * 3181 + position * 613) % window_minutes
        book.add(
            subscription,
            gp1,
            variant=index + position,
            state="PENDING",
            created=start + datetime.timedelta(minutes=offset),
            delay=_hours((position * 5 + index) % 48, (position * 13) % 60),
        )
    inside_window = start + datetime.timedelta(minutes=index * 97 + 30)
    book.add(subscription, gp1, variant=index, state="COMPLETED", created=inside_window, delay=_hours(1))
    book.add(subscription, gp1, variant=index + 1, state="REJECTED", created=inside_window, delay=_hours(2))
    too_old = start - datetime.timedelta(days=1 + index, hours=3)
    book.add(subscription, gp1, variant=index + 2, state="PENDING", created=too_old, delay=_hours(4))


def _gp2_requests(
    book: _RequestBook, shared: Subscription, own: Subscription, gp2: dict[str, Any], start: datetime.datetime
) -> None:
    for position in range(GP2_ON_SHARED_SUBSCRIPTION):
        created = start + datetime.timedelta(days=2, minutes=position * 40)
        book.add(shared, gp2, variant=position, state="PENDING", created=created, delay=_hours(1))
    for position in range(GP2_ON_OWN_SUBSCRIPTION):
        created = start + datetime.timedelta(days=1 + position, hours=9)
        book.add(own, gp2, variant=position * 3, state="PENDING", created=created, delay=_hours(2))
    completed = start + datetime.timedelta(days=3)
    book.add(own, gp2, variant=5, state="COMPLETED", created=completed, delay=_hours(1))


def provisioning_requests(
    subscriptions: list[Subscription], gp1: dict[str, Any], gp2: dict[str, Any], data_date: datetime.date
) -> list[ProvisioningRequest]:
    start = window_start(data_date)
    book = _RequestBook()
    for index in range(len(LISTED_PER_SUBSCRIPTION)):
        _gp1_requests(book, subscriptions[index], gp1, index, start)
    just_too_old = start - datetime.timedelta(seconds=1)
    book.add(subscriptions[0], gp1, variant=3, state="PENDING", created=just_too_old, delay=_hours(6))
    _gp2_requests(book, subscriptions[0], subscriptions[len(LISTED_PER_SUBSCRIPTION)], gp2, start)
    return book.requests


def build_seed(options: TenantOptions) -> TenantData:
    references = reference_data()
    gp1, gp2 = providers()
    subscriptions_created = datetime.datetime.combine(options.data_date, datetime.time(8, 0))
    subscriptions = [
        _subscription(index, references, subscriptions_created - datetime.timedelta(days=200 - index * 11))
        for index in range(len(SUBSCRIBERS))
    ]
    return TenantData(
        contacts=[person_contact(references, options), company_contact(references, options)],
        references=references,
        providers=[gp1, gp2],
        subscriptions=subscriptions,
        requests=provisioning_requests(subscriptions, gp1, gp2, options.data_date),
    )


# ---------------------------------------------------------------- facts for tests


@dataclass(frozen=True)
class SeedFacts:
    """Seed facts that tests and feature files name; true for every ``TenantOptions``."""

    person_number: str
    person_id: str
    person_id_number: str
    person_passport_number: str
    person_social_security_number: str
    company_number: str
    company_id: str
    company_vat_registration_number: str
    company_registration_number: str
    provider_alternative_code: str
    provider_id: str
    provider_name: str
    pending_request_count: int
    unlisted_request_numbers: tuple[str, ...]
    """GP1's requests that get_pending never lists: not PENDING, or created before the window."""
    pending_subscription_count: int
    second_provider_alternative_code: str
    second_provider_id: str
    second_provider_name: str
    second_provider_pending_count: int
    privacy_level_number: str
    category_name: str
    group_name: str
    country_code: str


def _facts() -> SeedFacts:
    options = TenantOptions()
    data = build_seed(options)
    person, company = (record.data for record in data.contacts)
    gp1, gp2 = data.providers
    return SeedFacts(
        person_number=data.contacts[0].number,
        person_id=person["id"],
        person_id_number=person["demographics"]["id_number"],
        person_passport_number=person["demographics"]["passport_number"],
        person_social_security_number=person["demographics"]["social_security_number"],
        company_number=data.contacts[1].number,
        company_id=company["id"],
        company_vat_registration_number=company["demographics"]["vat_registration_number"],
        company_registration_number=company["demographics"]["registration_number"],
        provider_alternative_code=gp1["alternative_code"],
        provider_id=gp1["id"],
        provider_name=gp1["name"],
        pending_request_count=sum(LISTED_PER_SUBSCRIPTION),
        unlisted_request_numbers=tuple(
            request.number
            for request in data.requests
            if request.provider_id == gp1["id"]
            and (request.life_cycle_state != "PENDING" or request.created_at < window_start(options.data_date))
        ),
        pending_subscription_count=len(LISTED_PER_SUBSCRIPTION),
        second_provider_alternative_code=gp2["alternative_code"],
        second_provider_id=gp2["id"],
        second_provider_name=gp2["name"],
        second_provider_pending_count=GP2_ON_SHARED_SUBSCRIPTION + GP2_ON_OWN_SUBSCRIPTION,
        privacy_level_number="8",
        category_name="Contact Category",
        group_name="Main Group",
        country_code="CYP",
    )


SEED = _facts()
