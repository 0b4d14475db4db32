"""Faults: deliberate departures from the documented API, to prove the suite catches each one.

A fault is off unless ``TenantOptions(fault=NAME)`` names it. A faulty tenant breaks exactly one
documented rule, at one hook in one tenant module (``if is_on(options, NAME): ...``), and behaves
as the reference tenant everywhere else.

``FAULTS`` is the catalogue, as data: each fault's name, what it breaks, the id of the rule the
suite reports when it catches it (from ``crmconf.rules`` or a feature's library module), and the
scenarios written for that rule, which must fail against the faulty tenant. ``crmconf selftest``
and ``tests/e2e/test_kill_matrix.py`` read it. To add a fault: add an entry here, one hook where
the behaviour lives, and, if no scenario fails against it yet, the scenario that must.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from crmconf.tenant.records import ADDRESS_TYPES, EMAIL_TYPES, PHONE_TYPES

if TYPE_CHECKING:
    from crmconf.tenant.errors import ApiError
    from crmconf.tenant.options import TenantOptions


@dataclass(frozen=True)
class Fault:
    name: str
    """kebab-case, as given to ``TenantOptions(fault=...)`` and ``crmconf tenant --fault``."""
    category: str
    description: str
    rule: str
    """The id of the rule the suite names when it catches the fault."""
    caught_by: tuple[str, ...]
    """``"<feature file stem>: <scenario name>"`` of each scenario that must fail."""

    @property
    def catchers(self) -> tuple[tuple[str, str], ...]:
        """``caught_by`` as (feature file stem, scenario name) pairs."""
        return tuple(tuple(entry.split(": ", 1)) for entry in self.caught_by)  # type: ignore[misc]


def _fault(name: str, category: str, rule: str, description: str, *caught_by: str) -> Fault:
    return Fault(name, category, description, rule, caught_by)


SHOW_FIELDS = "fields_set: show returns exactly the fields fields_set names"
SHOW_INTRODUCTION_FIELDS = "fields_set: show returns the fields of the Introduction's fields_set example"
CREATE_FIELDS = "fields_set: create with fields_set returns only those fields"
PENDING_FIELDS = "provisioning_get_pending: fields_set selects the members of every pending request"
OVER_CAP = "provisioning_get_pending: number_of_results above 50 is refused or capped at 50"
PAGE_CAP = "provisioning_get_pending: a page never holds more than number_of_results requests"
JOINED = "provisioning_get_pending: consecutive windows join into the full listing with no gap or repeat"
SLICE = "provisioning_get_pending: a page is the slice of the full listing at its offset"
ORDER = "provisioning_get_pending: requests come grouped by subscription, oldest scheduled first"
PENDING_ONLY = "provisioning_get_pending: only PENDING requests are listed"
MISSING_PAGING = "provisioning_get_pending: a missing or invalid paging value is refused"
SHOW = "contact_information_show: show returns the contact named by its identifier"
SHOW_TWICE = "contact_information_show: the same GET sent twice returns identical bodies"
GET_SIDE_EFFECT = "contact_information_show: a GET changes nothing a later GET can see"
SHOW_UNKNOWN = "contact_information_show: an unknown identifier is refused with an error envelope"
SHOW_TWO_FIELDS = "contact_information_show: an identifier naming two fields is refused"
LOGIN = "authentication: login returns a token in the format of the tenant's release"
WRONG_PASSWORD = "authentication: a wrong password is refused with an error envelope"
RELEASED_TOKEN = "authentication: a released token is refused afterwards"
INVALID_TOKEN_GET = "errors: an invalid token is refused on GET"
NO_TOKEN_GET = "errors: a GET without a token is refused"
NO_TOKEN_POST = "errors: a POST without a token is refused"
UNKNOWN_OPERATION = "errors: an unknown operation is refused"
CREATE_SHOWN = "contact_information_create: create returns the new contact and show returns what was posted"
TWO_CREATES = "contact_information_create: two identical creates make two contacts"
NO_LAST_NAME = "contact_information_create: a PERSON without last_name is refused"
BODY_TWO_FIELDS = "contact_information_create: an identifier object naming two fields is refused"
ENUM_OUTSIDE = "contact_information_create: an enum value outside the documented list is refused"
UPDATE_PARTIAL = "contact_information_update: update changes the fields sent and leaves the others unchanged"
UPDATE_CLEARS_NULL = "contact_information_update: update clears a field sent as null"
UPDATE_NO_LAST_NAME = (
    "contact_information_update: an update that leaves a PERSON without last_name is refused"
)
COMPLETE_CONTACT = "fields_set: show without fields_set returns every documented field"
UNKNOWN_PROVIDER = "provisioning_get_pending: an unknown provider is refused with an error envelope"
PROVIDER_ONLY = "provisioning_get_pending: a provider's listing holds none of another provider's requests"
OTHER_CONTACT = "contact_information_show: another identifier shows another contact"
UPDATE_ENUM_OUTSIDE = (
    "contact_information_update: an update with an enum value outside the documented list is refused"
)

_CATALOGUE = (
    # -- fields_set
    _fault("fields-set-ignored", "fields_set", "fields_set.exact",
           "fields_set is ignored everywhere: every field comes back",
           SHOW_FIELDS, SHOW_INTRODUCTION_FIELDS, CREATE_FIELDS),
    _fault("fields-set-drops-one", "fields_set", "fields_set.exact",
           "the last of two or more names in fields_set is dropped",
           SHOW_FIELDS, SHOW_INTRODUCTION_FIELDS),
    _fault("fields-set-ignored-on-create", "fields_set", "fields_set.exact",
           "create ignores the fields_set of its body and returns every field",
           CREATE_FIELDS),
    _fault("fields-set-ignored-on-get-pending", "fields_set", "fields_set.pending-requests",
           "get_pending ignores fields_set: every request member comes back",
           PENDING_FIELDS),
    # -- pagination
    _fault("cap-not-enforced", "pagination", "pagination.over-cap",
           "number_of_results above 50 is accepted and honoured",
           OVER_CAP),
    _fault("offset-ignored", "pagination", "pagination.windows",
           "offset is read but ignored: every page starts at the first request",
           JOINED, SLICE),
    _fault("offset-off-by-one", "pagination", "pagination.windows",
           "offset is read as counting from 1: a page starts one request before its offset",
           SLICE),
    _fault("newest-scheduled-first", "pagination", "pagination.order",
           "get_pending lists the newest scheduled requests first",
           ORDER),
    _fault("one-item-too-many", "pagination", "pagination.cap",
           "a page holds number_of_results + 1 requests",
           PAGE_CAP),
    _fault("non-pending-listed", "pagination", "pagination.pending-only",
           "get_pending lists COMPLETED and REJECTED requests too",
           PENDING_ONLY),
    _fault("stale-pending-listed", "pagination", "pagination.pending-only",
           "get_pending lists PENDING requests older than 7 days too",
           PENDING_ONLY),
    _fault("paging-values-optional", "pagination", "request.refused",
           "a missing number_of_results or offset defaults to 10 or 0 instead of being refused",
           MISSING_PAGING),
    _fault("provider-identifier-optional", "pagination", "request.refused",
           "a missing provisioning_provider_identifier defaults to the first provider instead of being refused",
           MISSING_PAGING),
    _fault("unknown-provider-lists-nothing", "pagination", "request.refused",
           "a provisioning_provider_identifier naming no provider gets an empty listing instead of an error",
           UNKNOWN_PROVIDER),
    # A join through the subscription instead of the provider: only a subscription that two
    # providers serve shows it, from either side.
    _fault("other-providers-requests-listed", "pagination", "pagination.provider-only",
           "get_pending lists every provider's pending requests on the subscriptions the provider serves",
           PROVIDER_ONLY),
    # -- envelope
    _fault("status-code-missing", "envelope", "envelope.shape",
           "a success envelope has no status.code",
           SHOW, LOGIN, PENDING_FIELDS),
    # The suite decides success by status.code alone, so it reads "SUCCESS" as an error, one
    # that carries data and no message.
    _fault("success-code-not-ok", "envelope", "error.envelope",
           'a success says status.code "SUCCESS" instead of "OK"',
           SHOW, LOGIN, PENDING_FIELDS),
    _fault("data-null-on-success", "envelope", "response.schema",
           "a success carries data null",
           SHOW, LOGIN, PENDING_FIELDS),
    _fault("json-served-as-text-plain", "envelope", "envelope.json",
           "a success is served as text/plain, its body still JSON",
           SHOW, LOGIN, PENDING_FIELDS),
    # -- errors
    _fault("html-error-bodies", "errors", "envelope.json",
           "errors come as an HTML page",
           SHOW_UNKNOWN, WRONG_PASSWORD, UNKNOWN_OPERATION),
    _fault("plain-text-error-bodies", "errors", "envelope.json",
           "errors come as a line of plain text",
           SHOW_UNKNOWN, WRONG_PASSWORD, UNKNOWN_OPERATION),
    _fault("server-error-for-client-mistake", "errors", "error.not-5xx",
           "a client mistake is answered with HTTP 500",
           SHOW_UNKNOWN, WRONG_PASSWORD, UNKNOWN_OPERATION, NO_LAST_NAME),
    # Read as a success, whose data (null) is not the operation's documented output.
    _fault("errors-with-code-ok", "errors", "response.schema",
           'an error envelope says status.code "OK"',
           SHOW_UNKNOWN, WRONG_PASSWORD, UNKNOWN_OPERATION),
    _fault("error-message-missing", "errors", "error.envelope",
           "an error envelope has no status.message",
           SHOW_UNKNOWN, WRONG_PASSWORD, UNKNOWN_OPERATION),
    _fault("error-data-not-null", "errors", "error.envelope",
           "an error envelope carries data {} instead of null",
           SHOW_UNKNOWN, WRONG_PASSWORD, UNKNOWN_OPERATION),
    # -- authentication
    _fault("token-unchecked-on-get", "authentication", "request.refused",
           "GET operations answer without checking the token",
           INVALID_TOKEN_GET, NO_TOKEN_GET, RELEASED_TOKEN),
    _fault("token-unchecked-on-post", "authentication", "request.refused",
           "POST operations answer without checking the token",
           NO_TOKEN_POST),
    _fault("released-token-accepted", "authentication", "request.refused",
           "authentication/token/release succeeds but the token keeps working",
           RELEASED_TOKEN),
    _fault("password-unchecked", "authentication", "request.refused",
           "login accepts any password",
           WRONG_PASSWORD),
    # -- POST semantics
    # The show of the new id is refused before what was posted can be compared.
    _fault("create-not-persisted", "POST semantics", "request.succeeds",
           "create answers with the new contact but never stores it",
           CREATE_SHOWN, TWO_CREATES),
    _fault("last-name-stored-as-middle-name", "POST semantics", "post.persists",
           "create and update store the posted last_name into middle_name as well",
           CREATE_SHOWN),
    _fault("phone-set-dropped", "POST semantics", "post.persists",
           "create and update check the phone_set they are sent, then drop it",
           CREATE_SHOWN),
    _fault("last-name-not-mandatory", "POST semantics", "request.refused",
           "a PERSON without last_name is accepted",
           NO_LAST_NAME, UPDATE_NO_LAST_NAME),
    _fault("update-ignores-null", "POST semantics", "update.clears-null",
           "update leaves the members it is sent as null unchanged",
           UPDATE_CLEARS_NULL),
    _fault("update-empties-unsent-collections", "POST semantics", "update.partial",
           "update empties the address, phone and email sets it is not sent",
           UPDATE_PARTIAL),
    _fault("reference-naming-two-fields-accepted", "POST semantics", "request.refused",
           "a <thing>_identifier object naming two fields is read by its first field",
           BODY_TWO_FIELDS),
    _fault("identical-creates-collapsed", "POST semantics", "post.not-idempotent",
           "a create identical to an earlier one returns the earlier contact instead of a new one",
           TWO_CREATES),
    # -- GET semantics
    # Only a show naming another contact than the first can tell: create's show of the new id (and,
    # naming another rule, the unknown identifier's show and the show of the profile's other contact).
    _fault("show-ignores-identifier", "GET semantics", "response.value",
           "show checks the identifier's form but always returns the first contact",
           CREATE_SHOWN, TWO_CREATES),
    _fault("show-counts-views", "GET semantics", "get.idempotent",
           "show adds one to udf_float_2 of the contact shown, a view counter later GETs see",
           SHOW_TWICE, GET_SIDE_EFFECT),
    _fault("query-identifier-naming-two-fields-accepted", "GET semantics", "request.refused",
           "show reads contact_information_identifier=a=1,b=2 by its first field",
           SHOW_TWO_FIELDS),
    # Every other scenario shows the first contact, or a contact by id: only a second contact,
    # named by number, tells.
    _fault("show-by-number-returns-first-contact", "GET semantics", "response.differs",
           "show by number checks that the number exists, then returns the first contact",
           OTHER_CONTACT),
    # -- types and enums
    _fault("organizational-unit-as-string", "types and enums", "response.schema",
           'show returns the integer organizational_unit as a string ("1")',
           SHOW, COMPLETE_CONTACT),
    _fault("contact-type-in-lower-case", "types and enums", "response.schema",
           'show returns the contact type in lower case ("person")',
           SHOW, COMPLETE_CONTACT),
    _fault("contact-type-case-ignored", "types and enums", "request.refused",
           'create accepts a contact type in any case ("person")',
           ENUM_OUTSIDE),
    _fault("update-drops-undocumented-item-types", "types and enums", "request.refused",
           "update drops an address, phone or email item of an undocumented type instead of refusing it",
           UPDATE_ENUM_OUTSIDE),
)

FAULTS: Mapping[str, Fault] = MappingProxyType({fault.name: fault for fault in _CATALOGUE})


def unknown_fault_message(name: str) -> str:
    return f"unknown fault {name!r}; the known faults are: {', '.join(FAULTS)}"


def is_on(options: TenantOptions, name: str) -> bool:
    """Whether this tenant has the fault ``name``; a hook naming no catalogued fault is a bug."""
    if name not in FAULTS:
        raise KeyError(unknown_fault_message(name))
    return options.fault == name


# -- the faulty behaviours that take more than a line at their hook ---------------------------


def html_error_page(error: ApiError) -> bytes:
    """An error as a web server's HTML error page, not a JSON envelope."""
    message = html.escape(error.message)
    page = f"<!DOCTYPE html><html><head><title>Error</title></head><body><h1>{message}</h1></body></html>"
    return page.encode()


def plain_text_error(error: ApiError) -> bytes:
    return f"{error.kind.code}: {error.message}\n".encode()


def without_ids(value: Any) -> Any:
    """A stored contact with every ``id`` member left out, to compare contents alone."""
    if isinstance(value, dict):
        return {name: without_ids(member) for name, member in value.items() if name != "id"}
    if isinstance(value, list):
        return [without_ids(item) for item in value]
    return value


def same_contents(first: dict[str, Any], second: dict[str, Any]) -> bool:
    return without_ids(first) == without_ids(second)


def without_undocumented_item_types(body: dict[str, Any]) -> dict[str, Any]:
    """An update body without the address, phone and email items whose type is outside its
    documented list, wherever the collections were sent (top level or demographics)."""
    types = {"address_set": ADDRESS_TYPES, "phone_set": PHONE_TYPES, "email_set": EMAIL_TYPES}

    def kept(holder: dict[str, Any]) -> dict[str, Any]:
        kept_members = dict(holder)
        for member, allowed in types.items():
            if isinstance(holder.get(member), list):
                kept_members[member] = [
                    item for item in holder[member] if not isinstance(item, dict) or item.get("type") in allowed
                ]
        return kept_members

    cleaned = kept(body)
    if isinstance(body.get("demographics"), dict):
        cleaned["demographics"] = kept(body["demographics"])
    return cleaned
