"""Paging of get_pending: listings walked from hand-made pages, and every check shown to fail when
the behaviour it guards breaks (offset ignored, off by one, overlap, too many, wrong order, ...)."""

import json
from collections.abc import Callable
from itertools import groupby

import pytest
from check_support import failure_of

from crmconf import paging, rules
from crmconf.client import API_PATH, Exchange, SentRequest
from crmconf.paging import Item, Listing

OPERATION = "provisioning/generic_provisioning_requests/get_pending"
MEMBER = "pending_provisioning_requests_set"
SET = "/data/subscriptions_set"

# The reference listing: three subscriptions, grouped, oldest scheduled first (12 requests).
LISTING = [
    ("S1", "PR01", "2026-01-09T08:00:00"),
    ("S1", "PR02", "2026-01-09T09:30:00"),
    ("S1", "PR03", "2026-01-10T07:00:00"),
    ("S1", "PR04", "2026-01-12T07:00:00"),
    ("S2", "PR05", "2026-01-09T12:00:00"),
    ("S2", "PR06", "2026-01-09T12:00:00"),
    ("S2", "PR07", "2026-01-11T01:00:00"),
    ("S3", "PR08", "2026-01-10T00:00:00"),
    ("S3", "PR09", "2026-01-10T05:00:00"),
    ("S3", "PR10", "2026-01-13T05:00:00"),
    ("S3", "PR11", "2026-01-14T05:00:00"),
    ("S3", "PR12", "2026-01-15T05:00:00"),
]

Triple = tuple[str, str, str]


def envelope(data, code="OK"):
    message = None if code == "OK" else "Invalid number_of_results"
    return {"status": {"code": code, "message": message, "description": None}, "data": data}


def page_data(triples: list[Triple], member: str = MEMBER) -> dict:
    """A get_pending ``data``: the requests grouped into consecutive subscription objects."""
    subscriptions = []
    for number, run in groupby(triples, key=lambda triple: triple[0]):
        requests = [{"number": request, "type": "ADD_UDR", "executed_date": date} for _, request, date in run]
        subscriptions.append({"subscription_number": number, "account_number": "AC1", member: requests})
    return {"subscriptions_set": subscriptions}


def exchange(body, offset=0, n=5, http_status=200, **extra) -> Exchange:
    params = {"token": "t", "provisioning_provider_identifier": "alternative_code=GP1",
              "number_of_results": str(n), "offset": str(offset), **extra}
    url = "https://tenant.example.com" + API_PATH + OPERATION
    request = SentRequest("GET", OPERATION, url, params=params)
    return Exchange(request, http_status, "application/json", json.dumps(body), 0.01)


def page_exchange(triples: list[Triple], offset=0, n=5, **extra) -> Exchange:
    return exchange(envelope(page_data(triples)), offset, n, **extra)


def exact_window(offset: int, n: int) -> slice:
    return slice(offset, offset + n)


def tenant(window: Callable[[int, int], slice] = exact_window, listing=LISTING):
    """A fake tenant paging ``listing`` in requests; ``window`` is where a page's slice is cut."""
    return lambda offset, n: page_exchange(listing[window(offset, n)], offset, n)


def walk(fake, n=5, unit="requests", max_pages=20) -> Listing:
    return paging.page_through(
        lambda offset: fake(offset, n), n, member=MEMBER, unit=unit, max_pages=max_pages
    )


def full_listing(n=5, unit="requests", listing=LISTING) -> Listing:
    return walk(tenant(listing=listing), n, unit)


def page(triples, offset=0, n=5) -> paging.Page:
    return paging.read_page(page_exchange(triples, offset, n), MEMBER)


def keys(items):
    return [(item.subscription_number, item.number, item.executed_date) for item in items]


# -- reading pages and walking -----------------------------------------------------------------


def test_a_page_flattens_into_items_with_pointers():
    read = page(LISTING[2:6], offset=2)
    assert keys(read.items) == LISTING[2:6]
    assert read.subscriptions == 2
    assert read.items[2].pointer == f"{SET}/1/{MEMBER}/0"
    assert read.items[2].page_offset == 2


def test_the_requests_member_is_the_one_configured():
    exchange_ = exchange(envelope(page_data(LISTING[:3], member="requests_set")))
    assert len(paging.read_page(exchange_, "requests_set").items) == 3
    failure = failure_of(paging.read_page, exchange_, MEMBER)
    assert failure.rule is paging.PAGE_SHAPE
    assert failure.mismatches[0].pointer == f"{SET}/0/{MEMBER}"


def test_every_shape_problem_of_a_page_is_listed():
    data = page_data(LISTING[:6])
    del data["subscriptions_set"][0][MEMBER]
    del data["subscriptions_set"][1][MEMBER][1]["number"]
    failure = failure_of(paging.read_page, exchange(envelope(data)), MEMBER)
    assert [m.pointer for m in failure.mismatches] == [f"{SET}/0/{MEMBER}", f"{SET}/1/{MEMBER}/1"]


def test_walking_reads_windows_until_an_empty_page():
    listing = full_listing(5)
    assert [p.offset for p in listing.pages] == [0, 5, 10, 15]
    assert keys(listing.items) == LISTING
    assert listing.size == 12
    assert full_listing(5, unit="subscriptions").size == 3


def test_walking_a_tenant_that_ignores_offset_stops_at_max_pages():
    failure = failure_of(walk, tenant(lambda offset, n: slice(0, n)), max_pages=6)
    assert failure.rule is paging.WINDOWS
    assert "6 pages" in failure.mismatches[0].expected
    assert "offset ignored" in failure.note


def test_walking_stops_at_a_page_that_is_not_ok():
    def refused(offset, n):
        return exchange(envelope(None, code="COM.CRM.EXCEPTION.X"), offset, n, http_status=400)

    assert failure_of(walk, refused).rule is rules.SUCCESS


# -- windows: joined pages and slices ----------------------------------------------------------


def test_windows_of_another_size_join_into_the_full_listing():
    paging.check_joined(walk(tenant(), 7), full_listing(5))


def test_a_gap_at_each_window_boundary_breaks_the_join():
    off_by_one = tenant(lambda offset, n: slice(offset + 1 if offset else 0, offset + n))
    failure = failure_of(paging.check_joined, walk(off_by_one, 5), full_listing(7))
    assert failure.rule is paging.WINDOWS
    assert [m.expected.split()[1] for m in failure.mismatches] == ["PR06", "PR11"]
    assert all("skip" in m.received for m in failure.mismatches)


def test_overlapping_windows_break_the_no_repeat_rule():
    overlap = tenant(lambda offset, n: slice(max(offset - 1, 0), offset + n))
    failure = failure_of(paging.check_joined, walk(overlap, 5), full_listing(7))
    assert failure.rule is paging.NO_REPEAT
    assert [m.pointer for m in failure.mismatches] == [f"{SET}/0/{MEMBER}/0"] * 2
    assert "PR05 of subscription S2" in failure.mismatches[0].received


def test_a_reference_listing_with_a_repeat_fails_too():
    overlap = tenant(lambda offset, n: slice(max(offset - 1, 0), offset + n))
    assert failure_of(paging.check_joined, walk(tenant(), 5), walk(overlap, 7)).rule is paging.NO_REPEAT


def test_windows_in_another_order_break_the_join():
    shuffled = list(reversed(LISTING))
    failure = failure_of(paging.check_joined, walk(tenant(listing=shuffled), 5), full_listing(7))
    assert failure.rule is paging.WINDOWS


def test_a_page_is_the_slice_at_its_offset():
    listing = full_listing(5)
    paging.check_slice(page(LISTING[2:7], offset=2, n=5), listing)  # the vendor's example
    paging.check_slice(page(LISTING[10:12], offset=10, n=7), listing)
    paging.check_slice(page([], offset=12, n=7), listing)


@pytest.mark.parametrize(
    "served",
    [
        pytest.param(LISTING[0:5], id="offset ignored"),
        pytest.param(LISTING[3:8], id="off by one"),
        pytest.param(LISTING[2:8], id="one item too many"),
        pytest.param(LISTING[2:6], id="one item too few"),
        pytest.param([LISTING[3], LISTING[2], *LISTING[4:7]], id="two items swapped"),
    ],
)
def test_a_page_other_than_its_slice_fails(served):
    failure = failure_of(paging.check_slice, page(served, offset=2, n=5), full_listing(5))
    assert failure.rule is paging.WINDOWS
    assert failure.mismatches and all(m.pointer.startswith(SET) for m in failure.mismatches)


def test_a_missing_item_is_named_where_it_belongs():
    skipped_first = failure_of(paging.check_slice, page(LISTING[3:7], offset=2, n=5), full_listing(5))
    named = [(m.pointer, m.expected.split()[1]) for m in skipped_first.mismatches]
    assert named == [(f"{SET}/0/{MEMBER}/0", "PR03")]
    assert "PR04" in skipped_first.mismatches[0].received
    skipped_last = failure_of(paging.check_slice, page(LISTING[2:6], offset=2, n=5), full_listing(5))
    assert [(m.pointer, m.expected.split()[1]) for m in skipped_last.mismatches] == [(SET, "PR07")]


def test_slices_count_subscriptions_when_the_page_unit_says_so():
    listing = full_listing(2, unit="subscriptions")
    paging.check_slice(page(LISTING[4:12], offset=1, n=2), listing)
    failure = failure_of(paging.check_slice, page(LISTING[1:3], offset=1, n=2), listing)
    assert failure.rule is paging.WINDOWS


# -- caps ----------------------------------------------------------------------------------------


def test_pages_within_their_cap_pass():
    pages = [page_exchange(LISTING[0:5], 0, 5), page_exchange(LISTING[5:10], 5, 5)]
    paging.check_cap(pages, MEMBER, "requests")


def test_every_page_over_its_cap_is_listed():
    pages = [page_exchange(LISTING[0:6], 0, 5), page_exchange(LISTING[5:10], 5, 5),
             page_exchange(LISTING[5:12], 5, 5)]
    failure = failure_of(paging.check_cap, pages, MEMBER, "requests")
    assert failure.rule is paging.CAP
    assert [m.received for m in failure.mismatches] == ["6 requests", "7 requests"]


def test_more_than_50_fails_the_cap_even_when_asked_for():
    many = [(f"S{i // 10}", f"PR{i:03d}", "2026-01-10T00:00:00") for i in range(51)]
    failure = failure_of(paging.check_cap, [page_exchange(many, 0, 60)], MEMBER, "requests")
    assert "at most 50" in failure.mismatches[0].expected


def test_the_cap_counts_subscriptions_when_the_page_unit_says_so():
    paging.check_cap([page_exchange(LISTING[0:12], 0, 3)], MEMBER, "subscriptions")
    three_subscriptions = [page_exchange(LISTING[0:12], 0, 2)]
    assert failure_of(paging.check_cap, three_subscriptions, MEMBER, "subscriptions").rule is paging.CAP


def test_the_cap_check_needs_a_page_to_look_at():
    refused = exchange(envelope(None, code="COM.CRM.EXCEPTION.X"), http_status=400)
    assert failure_of(paging.check_cap, [refused], MEMBER, "requests").rule is paging.CAP


REFUSED = exchange(envelope(None, code="COM.CRM.EXCEPTION.INVALIDVALUE"), 0, 51, http_status=400)
CAPPED = page_exchange(LISTING, 0, 51)
SERVER_ERROR = exchange(envelope(None, code="COM.CRM.EXCEPTION.INTERNAL"), 0, 51, http_status=500)
NOT_CAPPED = page_exchange([(f"S{i // 10}", f"PR{i:03d}", "2026-01-10T00:00:00") for i in range(51)], 0, 51)


@pytest.mark.parametrize(
    ("answer", "setting"), [(REFUSED, "any"), (REFUSED, "refused"), (CAPPED, "any"), (CAPPED, "capped")]
)
def test_over_cap_answers_the_profile_allows_pass(answer, setting):
    paging.check_over_cap(answer, setting, ("200", "4xx"), MEMBER, "requests")


@pytest.mark.parametrize(
    ("answer", "setting", "rule"),
    [
        (REFUSED, "capped", paging.OVER_CAP),
        (CAPPED, "refused", paging.OVER_CAP),
        (NOT_CAPPED, "any", paging.OVER_CAP),
        (SERVER_ERROR, "any", rules.NO_SERVER_ERROR),
    ],
)
def test_over_cap_answers_the_profile_forbids_fail(answer, setting, rule):
    assert failure_of(paging.check_over_cap, answer, setting, ("200", "4xx"), MEMBER, "requests").rule is rule


def test_the_over_cap_answer_is_what_the_tenant_did():
    answered = (REFUSED, CAPPED, NOT_CAPPED, SERVER_ERROR)
    answers = [paging.over_cap_answer(answer, MEMBER, "requests") for answer in answered]
    assert answers == ["refused", "capped at 50", None, None]


# -- order and content ---------------------------------------------------------------------------


def listing_of(triples, n=5) -> Listing:
    return full_listing(n, listing=triples)


def test_the_reference_order_passes_also_with_subscriptions_straddling_pages():
    paging.check_order(full_listing(3))


def test_dates_decreasing_inside_a_subscription_fail_the_order():
    swapped = [LISTING[0], LISTING[2], LISTING[1], *LISTING[3:]]
    failure = failure_of(paging.check_order, listing_of(swapped))
    assert failure.rule is paging.ORDER
    assert failure.mismatches[0].pointer == f"{SET}/0/{MEMBER}/2/executed_date"


def test_a_subscription_split_in_two_runs_fails_the_order():
    split = [*LISTING[0:2], *LISTING[4:7], *LISTING[2:4], *LISTING[7:]]
    failure = failure_of(paging.check_order, listing_of(split, n=50))
    assert failure.rule is paging.ORDER
    assert any("together" in m.expected for m in failure.mismatches)


def test_subscriptions_out_of_date_order_fail_the_order():
    later_first = [*LISTING[7:], *LISTING[0:7]]
    failure = failure_of(paging.check_order, listing_of(later_first, n=50))
    assert failure.rule is paging.ORDER
    assert failure.mismatches[0].pointer == f"{SET}/1/{MEMBER}/0/executed_date"


@pytest.mark.parametrize("date", ["09/01/2026 10:00", "", "yesterday"])
def test_an_unreadable_date_fails_the_order_naming_its_pointer(date):
    unreadable = [*LISTING[0:4], ("S2", "PR05", date), *LISTING[5:]]
    failure = failure_of(paging.check_order, listing_of(unreadable))
    assert failure.rule is paging.ORDER
    assert [m.pointer for m in failure.mismatches] == [f"{SET}/1/{MEMBER}/0/executed_date"]
    assert "offset 0" in failure.mismatches[0].received


def test_an_absent_date_fails_the_order():
    data = page_data(LISTING[0:3])
    del data["subscriptions_set"][0][MEMBER][1]["executed_date"]
    pages = (paging.read_page(exchange(envelope(data), 0, 50), MEMBER), page([], 50, 50))
    assert failure_of(paging.check_order, Listing(pages, 50, "requests")).rule is paging.ORDER


def test_dates_with_and_without_utc_offset_cannot_be_ordered():
    mixed = [("S1", "PR01", "2026-01-09T08:00:00+00:00"), ("S1", "PR02", "2026-01-09T09:00:00")]
    assert failure_of(paging.check_order, listing_of(mixed)).rule is paging.ORDER


def test_an_empty_listing_proves_nothing_and_fails():
    empty = listing_of([])
    assert failure_of(paging.check_order, empty).rule is paging.ORDER
    assert failure_of(paging.check_pending_only, empty, ["PR99"]).rule is paging.PENDING_ONLY


def test_a_listing_without_the_non_pending_requests_passes():
    paging.check_pending_only(full_listing(5), ["PR90", "PR91"])


def test_every_listed_non_pending_request_is_named():
    failure = failure_of(paging.check_pending_only, full_listing(5), ["PR90", " PR03", "PR11"])
    assert failure.rule is paging.PENDING_ONLY
    assert [(m.pointer, m.received.split()[1]) for m in failure.mismatches] == [
        (f"{SET}/0/{MEMBER}/2", "PR03"),
        (f"{SET}/0/{MEMBER}/0", "PR11"),
    ]
    assert "offset 10" in failure.mismatches[1].received


# -- one provider's requests ---------------------------------------------------------------------

OTHER_PROVIDER = [
    ("S1", "PR20", "2026-01-11T10:00:00"),
    ("S4", "PR21", "2026-01-12T10:00:00"),
    ("S4", "PR22", "2026-01-13T10:00:00"),
]


def test_another_provider_listing_other_requests_passes():
    paging.check_provider_only(listing_of(OTHER_PROVIDER), full_listing(5))


def test_another_provider_with_nothing_pending_passes():
    paging.check_provider_only(listing_of([]), full_listing(5))


def test_every_request_listed_for_both_providers_is_named():
    leaked = [OTHER_PROVIDER[0], LISTING[1], *OTHER_PROVIDER[1:], LISTING[11]]
    failure = failure_of(paging.check_provider_only, listing_of(leaked), full_listing(5))
    assert failure.rule is paging.PROVIDER_ONLY
    assert [m.received.split()[1] for m in failure.mismatches] == ["PR02", "PR12"]
    assert f"{SET}/0/{MEMBER}/1" in failure.mismatches[0].pointer
    assert "offset 10" in failure.mismatches[1].received  # where the provider's listing has it


def test_an_empty_provider_listing_proves_nothing_and_fails():
    failure = failure_of(paging.check_provider_only, listing_of(OTHER_PROVIDER), listing_of([]))
    assert failure.rule is paging.PROVIDER_ONLY


# -- the page unit -------------------------------------------------------------------------------


def test_a_page_of_requests_is_seen_as_counting_requests():
    full = page(LISTING[0:5], 0, 5)
    assert paging.page_unit_answer(full, full_listing(5)) == "requests"
    paging.check_page_unit(full, full_listing(5), "requests")
    assert failure_of(paging.check_page_unit, full, full_listing(5), "subscriptions").rule is paging.UNIT


def test_a_page_of_subscriptions_is_seen_as_counting_subscriptions():
    full = page(LISTING[0:7], 0, 2)
    assert paging.page_unit_answer(full, full_listing(5)) == "subscriptions"
    paging.check_page_unit(full, full_listing(5), "subscriptions")
    assert failure_of(paging.check_page_unit, full, full_listing(5), "requests").rule is paging.UNIT


def test_a_page_that_cannot_tell_the_unit_answers_nothing():
    one_each = [("S1", "PR01", "2026-01-09T08:00:00"), ("S2", "PR02", "2026-01-09T09:00:00")]
    assert paging.page_unit_answer(page(one_each, 0, 5), listing_of(one_each)) is None


def test_a_short_page_before_the_end_fails_the_unit():
    failure = failure_of(paging.check_page_unit, page(LISTING[0:3], 0, 5), full_listing(5), "requests")
    assert failure.mismatches[0].expected.startswith("5 requests")
    paging.check_page_unit(page(LISTING[10:12], 10, 5), full_listing(5), "requests")


# -- fields_set on pending requests ----------------------------------------------------------------


def fields_exchange(requests_by_subscription) -> Exchange:
    data = {"subscriptions_set": [
        {"subscription_number": f"S{i}", "account_number": "AC1", MEMBER: requests}
        for i, requests in enumerate(requests_by_subscription)
    ]}
    return exchange(envelope(data), fields_set="number,type")


def test_requests_with_exactly_the_fields_pass():
    exact = {"number": "PR01", "type": "ADD_UDR"}
    paging.check_request_fields(fields_exchange([[exact, exact], [exact]]), MEMBER, ["number", "type"])


def test_every_request_with_other_fields_is_listed():
    exact = {"number": "1", "type": "ADD_UDR"}
    extra = {"number": "2", "type": "ADD_UDR", "executed_date": None}
    missing = {"number": "3"}
    served = fields_exchange([[exact, extra], [missing]])
    failure = failure_of(paging.check_request_fields, served, MEMBER, ["number", "type"])
    assert failure.rule is paging.REQUEST_FIELDS
    assert [(m.pointer, m.received) for m in failure.mismatches] == [
        (f"{SET}/0/{MEMBER}/1", "extra executed_date"),
        (f"{SET}/1/{MEMBER}/0", "missing type"),
    ]


def test_a_page_without_requests_cannot_pass_the_fields_check():
    failure = failure_of(paging.check_request_fields, fields_exchange([]), MEMBER, ["number"])
    assert failure.rule is paging.REQUEST_FIELDS


def test_a_subscription_without_the_requests_member_fails_the_fields_check():
    data = {"subscriptions_set": [{"subscription_number": "S1", "requests": [{"number": "1"}]}]}
    failure = failure_of(paging.check_request_fields, exchange(envelope(data)), MEMBER, ["number"])
    assert failure.mismatches[0].pointer == f"{SET}/0/{MEMBER}"


# -- messages ------------------------------------------------------------------------------------


def test_a_failure_names_the_rule_the_pointer_and_the_request():
    failure = failure_of(paging.check_slice, page(LISTING[3:8], offset=2, n=5), full_listing(5))
    text = failure.render()
    assert "pagination.windows" in text and GET_PENDING_SOURCE in text
    assert f"at {SET}/0/{MEMBER}/0" in text
    assert "number_of_results=5" in text and "offset=2" in text


def test_long_lists_of_mismatches_are_cut_and_counted():
    failure = failure_of(paging.check_slice, page([], offset=0, n=50), full_listing(5))
    assert len(failure.mismatches) == 12
    many = [(f"S{i}", f"PR{i:03d}", f"2026-01-{10 + i // 10:02d}T00:00:00") for i in range(30)]
    failure = failure_of(paging.check_slice, page([], offset=0, n=30), listing_of(many, n=10))
    assert len(failure.mismatches) == 20 and "10 more not shown" in failure.note


GET_PENDING_SOURCE = "vendor wiki: GET provisioning/generic_provisioning_requests/get_pending"


def test_every_pagination_rule_names_the_vendor_page():
    for rule in (paging.CAP, paging.OVER_CAP, paging.WINDOWS, paging.NO_REPEAT, paging.ORDER,
                 paging.PENDING_ONLY, paging.UNIT, paging.REQUEST_FIELDS, paging.PAGE_SHAPE):
        assert rule.source == GET_PENDING_SOURCE
