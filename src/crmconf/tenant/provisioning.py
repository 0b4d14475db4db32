"""``provisioning/generic_provisioning_requests/get_pending``.

Which requests are listed: those of the named provider whose life cycle state is PENDING and
that were created within the seven calendar days ending with the data clock's today
(``data_date - 6 days 00:00:00`` to ``data_date 23:59:59``, both included).

Ordering, where the documentation says only "grouped by subscription, oldest scheduled first":
the listed requests form one flat listing ordered by

1. the subscription's oldest scheduled date (over its listed requests),
2. the subscription number,
3. the request's scheduled date,
4. the request number.

``number_of_results`` (1 to 50) and ``offset`` (0 or more) count requests in that flat listing,
so page(offset=k, n) is always the slice [k, k+n) of the full listing and pages never overlap.
The page's slice is then grouped into consecutive subscription objects; a subscription whose
requests straddle two pages appears on both, each time with that page's requests. An offset past
the end is not an error: ``subscriptions_set`` is empty. There is no total count.

``executed_date`` carries the request's scheduled date-time: a pending request has not run yet,
and the scheduled date is the one the ordering speaks of. Dates are ``YYYY-MM-DDTHH:MM:SS``.

Each request has ``number``, ``type``, ``executed_date`` and the six type-dependent members
``address``, ``account_information``, ``service``, ``services_set``, ``installed_item``,
``installed_items_set``; a member that does not apply to the request's type is ``null``.
``fields_set`` selects members of each request; ``subscription_number``, ``account_number`` and
``pending_provisioning_requests_set`` always come.
"""

from __future__ import annotations

import copy
import datetime
import itertools
import re
from operator import attrgetter
from typing import Any

from crmconf.tenant.extras import with_extra_fields
from crmconf.tenant.faults import is_on
from crmconf.tenant.fields import FieldsSet, parse_fields_set, select
from crmconf.tenant.identifiers import PROVIDER, find_one, from_query, member_of
from crmconf.tenant.options import TenantOptions
from crmconf.tenant.records import ProvisioningRequest, Subscription, TenantData
from crmconf.tenant.seed import window_start
from crmconf.tenant.state import Call
from crmconf.tenant.validation import invalid, missing

IDENTIFIER = "provisioning_provider_identifier"
MAX_RESULTS = 50
_INTEGER = re.compile(r"^-?[0-9]+$")

MEMBERS_BY_TYPE = {
    "BECOME_SUBSCRIBER": {"address", "account_information", "services_set", "installed_items_set"},
    "UPDATE_SUBSCRIBER": {"address", "account_information"},
    "UPDATE_ADDRESS": {"address"},
    "ACTIVATE_SUBSCRIBER": {"services_set"},
    "DEACTIVATE_SUBSCRIBER": {"services_set"},
    "ACTIVATE_SERVICE": {"service"},
    "DEACTIVATE_SERVICE": {"service"},
    "ADD_UDR": {"service"},
    "CANCEL_UDR": {"service"},
    "ADD_INSTALLED_ITEM": {"installed_item"},
    "REMOVE_INSTALLED_ITEM": {"installed_item"},
}
TYPE_DEPENDENT_MEMBERS = (
    "address",
    "account_information",
    "service",
    "services_set",
    "installed_item",
    "installed_items_set",
)


def get_pending(call: Call) -> dict[str, Any]:
    params = call.params
    if is_on(call.options, "paging-values-optional"):
        params = {"number_of_results": "10", "offset": "0", **params}
    if is_on(call.options, "provider-identifier-optional"):
        params = {IDENTIFIER: f"id={call.state.data.providers[0]['id']}", **params}
    named = from_query(IDENTIFIER, params.get(IDENTIFIER), PROVIDER, call.options.release)
    number_of_results = _paging_integer(params, "number_of_results")
    if number_of_results < 1:
        raise invalid(f"number_of_results must be at least 1, not {number_of_results}")
    if number_of_results > MAX_RESULTS and not is_on(call.options, "cap-not-enforced"):
        raise invalid(f"number_of_results must be at most {MAX_RESULTS}, not {number_of_results}")
    offset = _paging_integer(params, "offset")
    if offset < 0:
        raise invalid(f"offset must be 0 or more, not {offset}")
    fields_set = parse_fields_set(params.get("fields_set"), call.options)
    if is_on(call.options, "fields-set-ignored-on-get-pending"):
        fields_set = None
    if is_on(call.options, "unknown-provider-lists-nothing"):
        if not any(member_of(provider, named[0]) == named[1] for provider in call.state.data.providers):
            return {"subscriptions_set": []}
    provider = find_one(call.state.data.providers, named, PROVIDER, member_of)
    listing = pending_listing(call.state.data, provider["id"], call.options)
    if is_on(call.options, "newest-scheduled-first"):
        listing.reverse()
    start, end = page_bounds(offset, number_of_results, call.options)
    return {"subscriptions_set": _grouped(listing[start:end], call.state.data, call.options, fields_set)}


def page_bounds(offset: int, number_of_results: int, options: TenantOptions) -> tuple[int, int]:
    """The slice [offset, offset + number_of_results) of the listing, unless a fault shifts it."""
    if is_on(options, "offset-ignored"):
        offset = 0
    if is_on(options, "offset-off-by-one"):
        offset = max(offset - 1, 0)  # offset read as counting from 1
    one_too_many = 1 if is_on(options, "one-item-too-many") else 0
    return offset, offset + number_of_results + one_too_many


def _paging_integer(params: dict[str, Any], name: str) -> int:
    raw = params.get(name)
    if raw is None or raw == "":
        raise missing(name)
    if not _INTEGER.match(raw):
        raise invalid(f"{name} must be an integer, not {raw!r}")
    return int(raw)


def listing_window(data_date: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    last_second = datetime.datetime.combine(data_date, datetime.time(23, 59, 59))
    return window_start(data_date), last_second


def pending_listing(data: TenantData, provider_id: str, options: TenantOptions) -> list[ProvisioningRequest]:
    first, last = listing_window(options.data_date)
    listed = [
        request
        for request in data.requests
        if _is_the_providers(request, provider_id, data, options) and _is_listed(request, first, last, options)
    ]
    oldest: dict[str, datetime.datetime] = {}
    for request in listed:
        current = oldest.get(request.subscription_number, request.scheduled_at)
        oldest[request.subscription_number] = min(current, request.scheduled_at)
    return sorted(
        listed,
        key=lambda request: (
            oldest[request.subscription_number],
            request.subscription_number,
            request.scheduled_at,
            request.number,
        ),
    )


def _is_the_providers(
    request: ProvisioningRequest, provider_id: str, data: TenantData, options: TenantOptions
) -> bool:
    """Sent to this provider, unless a fault lets through other providers' requests on the
    subscriptions this provider serves."""
    if request.provider_id == provider_id:
        return True
    if not is_on(options, "other-providers-requests-listed"):
        return False
    return any(
        other.provider_id == provider_id and other.subscription_number == request.subscription_number
        for other in data.requests
    )


def _is_listed(
    request: ProvisioningRequest, first: datetime.datetime, last: datetime.datetime, options: TenantOptions
) -> bool:
    """PENDING and created within the window, unless a fault lets other requests through."""
    pending = request.life_cycle_state == "PENDING" or is_on(options, "non-pending-listed")
    recent = first <= request.created_at or is_on(options, "stale-pending-listed")
    return pending and recent and request.created_at <= last


def _grouped(
    page: list[ProvisioningRequest], data: TenantData, options: TenantOptions, fields_set: FieldsSet
) -> list[dict[str, Any]]:
    subscriptions = {subscription.number: subscription for subscription in data.subscriptions}
    grouped = []
    for number, requests in itertools.groupby(page, key=attrgetter("subscription_number")):
        subscription = subscriptions[number]
        wrapper = {
            "subscription_number": subscription.number,
            "account_number": subscription.account_number,
            "pending_provisioning_requests_set": [
                select(render_request(request, subscription, options), fields_set) for request in requests
            ],
        }
        grouped.append(
            with_extra_fields(wrapper, options, subscription.created_at, f"CRM-{subscription.number}")
        )
    return grouped


def render_request(
    request: ProvisioningRequest, subscription: Subscription, options: TenantOptions
) -> dict[str, Any]:
    applicable = MEMBERS_BY_TYPE[request.type]
    values = {
        "address": lambda: copy.deepcopy(subscription.address),
        "account_information": lambda: {
            "account_number": subscription.account_number,
            "name": subscription.account_name,
        },
        "service": lambda: dict(request.service),
        "services_set": lambda: [dict(service) for service in subscription.services],
        "installed_item": lambda: dict(request.installed_item),
        "installed_items_set": lambda: [dict(item) for item in subscription.installed_items],
    }
    rendered = {
        "number": request.number,
        "type": request.type,
        "executed_date": request.scheduled_at.isoformat(timespec="seconds"),
        **{member: values[member]() if member in applicable else None for member in TYPE_DEPENDENT_MEMBERS},
    }
    return with_extra_fields(rendered, options, request.created_at, f"CRM-{request.number}")
