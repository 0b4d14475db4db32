"""provisioning/generic_provisioning_requests/get_pending, over real HTTP."""

from __future__ import annotations

import datetime

import pytest
from tenant_api import GET_PENDING, Api, flatten

from crmconf.tenant import SEED, EmbeddedTenant, TenantOptions
from crmconf.tenant.provisioning import MEMBERS_BY_TYPE, TYPE_DEPENDENT_MEMBERS
from crmconf.tenant.records import REQUEST_TYPES
from crmconf.tenant.seed import build_seed

REQUEST_MEMBERS = ("number", "type", "executed_date", *TYPE_DEPENDENT_MEMBERS)
WRAPPER_MEMBERS = ("subscription_number", "account_number", "pending_provisioning_requests_set")


@pytest.fixture(scope="module")
def api():
    with EmbeddedTenant() as tenant:
        yield Api(tenant.url)


@pytest.fixture(scope="module")
def listing(api):
    return api.full_listing()


def _expected_listed_numbers(options: TenantOptions, provider_id: str) -> set[str]:
    """The documented rule applied to the seed: PENDING, this provider, created in the last 7 days."""
    first_day = options.data_date - datetime.timedelta(days=6)
    return {
        request.number
        for request in build_seed(options).requests
        if request.provider_id == provider_id
        and request.life_cycle_state == "PENDING"
        and first_day <= request.created_at.date() <= options.data_date
    }


def test_full_listing_has_the_seed_count_across_the_seed_subscriptions(listing):
    assert len(listing) == SEED.pending_request_count > 100
    assert len({request["number"] for request in listing}) == len(listing)
    assert (
        len({request["subscription_number"] for request in listing}) == SEED.pending_subscription_count >= 6
    )


def test_only_pending_requests_created_in_the_last_seven_days_are_listed(listing):
    options = TenantOptions()
    expected = _expected_listed_numbers(options, SEED.provider_id)
    assert {request["number"] for request in listing} == expected
    seed = build_seed(options).requests
    never_listed = {request.number for request in seed} - expected
    states = {request.life_cycle_state for request in seed if request.number in never_listed}
    assert states == {"PENDING", "COMPLETED", "REJECTED"}  # the seed does hold requests that must stay out


def test_listing_includes_the_first_second_of_the_window_and_not_the_second_before(listing):
    window_opens = datetime.datetime(2026, 1, 9)
    seed = build_seed(TenantOptions()).requests
    at_opening = [r.number for r in seed if r.created_at == window_opens and r.life_cycle_state == "PENDING"]
    just_before = [r.number for r in seed if r.created_at == window_opens - datetime.timedelta(seconds=1)]
    listed = {request["number"] for request in listing}
    assert at_opening and set(at_opening) <= listed
    assert just_before and not set(just_before) & listed


def test_listing_is_ordered_by_subscription_then_scheduled_date(listing):
    oldest: dict[str, str] = {}
    for request in listing:
        oldest[request["subscription_number"]] = min(
            oldest.get(request["subscription_number"], request["executed_date"]), request["executed_date"]
        )
    keys = [
        (oldest[r["subscription_number"]], r["subscription_number"], r["executed_date"], r["number"])
        for r in listing
    ]
    assert keys == sorted(keys)
    assert [r["subscription_number"] for r in listing] != sorted(r["subscription_number"] for r in listing)


@pytest.mark.parametrize(
    ("offset", "size"), [(0, 1), (0, 50), (7, 13), (33, 50), (49, 2), (100, 50), (105, 1)]
)
def test_every_window_is_the_same_slice_of_the_full_listing(api, listing, offset, size):
    window = flatten(api.pending(size, offset).assert_ok()["subscriptions_set"])
    assert window == listing[offset : offset + size]


def test_a_page_groups_its_requests_into_consecutive_subscriptions(api):
    subscriptions = api.pending(50, 20).assert_ok()["subscriptions_set"]
    numbers = [subscription["subscription_number"] for subscription in subscriptions]
    assert len(numbers) == len(set(numbers)) > 1
    assert all(tuple(subscription) == WRAPPER_MEMBERS for subscription in subscriptions)
    assert all(subscription["pending_provisioning_requests_set"] for subscription in subscriptions)


def test_number_of_results_is_capped_at_50(api):
    assert len(flatten(api.pending(50, 0).assert_ok()["subscriptions_set"])) == 50
    assert "at most 50" in api.pending(51, 0).assert_error(400, "INVALIDPARAMETER")


def test_offset_past_the_end_is_an_empty_page(api):
    assert api.pending(10, SEED.pending_request_count).assert_ok() == {"subscriptions_set": []}
    assert api.pending(10, 10_000).assert_ok() == {"subscriptions_set": []}


@pytest.mark.parametrize(
    ("number_of_results", "offset", "named"),
    [
        (0, 0, "number_of_results"),
        (-1, 0, "number_of_results"),
        (1000, 0, "number_of_results"),
        ("ten", 0, "number_of_results"),
        ("2.5", 0, "number_of_results"),
        (10, -1, "offset"),
        (10, "first", "offset"),
    ],
)
def test_bad_paging_values_are_refused(api, number_of_results, offset, named):
    assert named in api.pending(number_of_results, offset).assert_error(400, "INVALIDPARAMETER")


@pytest.mark.parametrize("missing", ["provisioning_provider_identifier", "number_of_results", "offset"])
def test_paging_parameters_and_provider_are_mandatory(api, missing):
    params = {"provisioning_provider_identifier": "alternative_code=GP1", "number_of_results": 5, "offset": 0}
    del params[missing]
    assert missing in api.get(GET_PENDING, **params).assert_error(400, "MANDATORY")


def test_provider_can_be_named_by_id_name_or_alternative_code(api):
    by_code = api.pending(20, 0).assert_ok()
    assert api.pending(20, 0, provider=f"id={SEED.provider_id}").assert_ok() == by_code
    assert api.pending(20, 0, provider=f"name={SEED.provider_name}").assert_ok() == by_code


@pytest.mark.parametrize(
    ("provider", "http_status", "code_part"),
    [
        ("alternative_code=NOPE", 404, "PROVISIONINGPROVIDERNOTFOUND"),
        ("code=GP1", 400, "INVALIDIDENTIFIER"),
        ("alternative_code=GP1,name=Generic Provider 1", 400, "INVALIDIDENTIFIER"),
        ("GP1", 400, "INVALIDIDENTIFIER"),
    ],
)
def test_provider_identifier_errors(api, provider, http_status, code_part):
    api.pending(10, 0, provider=provider).assert_error(http_status, code_part)


def test_another_providers_requests_are_never_listed(api, listing):
    other = api.full_listing(provider=f"alternative_code={SEED.second_provider_alternative_code}")
    assert len(other) == SEED.second_provider_pending_count
    assert not {r["number"] for r in other} & {r["number"] for r in listing}
    assert {r["number"] for r in other} == _expected_listed_numbers(TenantOptions(), SEED.second_provider_id)


def test_requests_carry_every_member_with_type_dependent_ones_null_when_not_applicable(listing):
    assert {request["type"] for request in listing} == set(REQUEST_TYPES)
    for request in listing:
        assert tuple(request)[1:] == REQUEST_MEMBERS, request  # [0] is subscription_number from flatten
        datetime.datetime.strptime(request["executed_date"], "%Y-%m-%dT%H:%M:%S")
        for member in TYPE_DEPENDENT_MEMBERS:
            applicable = member in MEMBERS_BY_TYPE[request["type"]]
            assert (request[member] is not None) == applicable, (request["type"], member)


def test_fields_set_selects_request_members_and_keeps_the_subscription_wrapper(api):
    subscriptions = api.pending(30, 0, fields_set="number, executed_date,nonsense").assert_ok()[
        "subscriptions_set"
    ]
    assert all(tuple(subscription) == WRAPPER_MEMBERS for subscription in subscriptions)
    requests = [r for s in subscriptions for r in s["pending_provisioning_requests_set"]]
    assert len(requests) == 30
    assert all(set(request) == {"number", "executed_date"} for request in requests)


def test_get_pending_is_idempotent(api):
    assert api.pending(50, 10).content == api.pending(50, 10).content
