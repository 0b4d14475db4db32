"""Pagination of ``provisioning/generic_provisioning_requests/get_pending``: listings and checks.

A get_pending page is a list of subscriptions, each with its pending requests. Flattened, a page
is an ordered list of ``Item`` (subscription number, request number, executed_date), and pages
walked at offsets 0, n, 2n, ... until an empty page make the *full listing*. The checks compare
pages with that listing, so they hold for any tenant whatever its page size, data or release.

Where the documentation is open, the profile decides and the run reports the tenant's answer:

- ``page_unit``: what ``number_of_results`` and ``offset`` count, ``requests`` (the default) or
  ``subscriptions``. A page's size in subscriptions is its number of subscription objects; the
  listing's is its number of runs of one subscription's requests.
- ``over_cap``: ``number_of_results`` above 50 is ``refused``, ``capped`` at 50, or ``any`` of both.
- ``pending_requests_set``: the member of a subscription that lists its requests.

$comment on the ordering (an OPEN reading): the vendor page says requests are "grouped by
Subscription and ordered based on their scheduled date", oldest first. The suite reads it as:
each subscription's requests form one contiguous run of the listing, with dates non-decreasing
inside the run, and runs ordered by their first request's date. A pending request has not run
yet, and the only date a request carries is ``executed_date``: the suite reads the scheduled
date from it. Dates are compared with ``datetime.fromisoformat``; one it cannot read fails the
order check, naming its JSON pointer.
"""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import Any

from crmconf.checks import MAX_DIFFERENCES, expect_error, expect_success
from crmconf.client import Exchange
from crmconf.failures import ConformanceFailure, Mismatch, Rule, shown

GET_PENDING = "vendor wiki: GET provisioning/generic_provisioning_requests/get_pending"
MAX_RESULTS = 50
SUBSCRIPTIONS_SET = "/data/subscriptions_set"

PAGE_SHAPE = Rule(
    "pagination.page-shape",
    "a get_pending page lists subscriptions, each with its subscription_number and its requests, "
    "each request with its number",
    GET_PENDING,
)
CAP = Rule(
    "pagination.cap", "a page holds at most number_of_results items, and never more than 50", GET_PENDING
)
OVER_CAP = Rule(
    "pagination.over-cap",
    "number_of_results above 50 is refused with an error envelope or answered with at most 50 items, "
    "as the profile's over_cap allows",
    GET_PENDING,
)
WINDOWS = Rule(
    "pagination.windows",
    "page(offset=k, number_of_results=n) is the slice [k, k+n) of the full ordered listing, so "
    "consecutive windows join into the full listing with no gap",
    GET_PENDING,
)
NO_REPEAT = Rule("pagination.no-repeat", "consecutive windows never list a request twice", GET_PENDING)
ORDER = Rule(
    "pagination.order",
    "requests are grouped by subscription and ordered by scheduled date, oldest first",
    GET_PENDING,
)
PENDING_ONLY = Rule(
    "pagination.pending-only", "only PENDING requests created within the last 7 days are listed", GET_PENDING
)
PROVIDER_ONLY = Rule(
    "pagination.provider-only",
    "get_pending lists only the requests of the provider its provisioning_provider_identifier names",
    GET_PENDING,
)
UNIT = Rule(
    "pagination.unit",
    "number_of_results and offset count the unit the profile's page_unit names (requests or subscriptions)",
    GET_PENDING,
)
REQUEST_FIELDS = Rule(
    "fields_set.pending-requests",
    "with fields_set, every pending request has only the fields asked for, all of them",
    GET_PENDING,
)

Problems = list[tuple["Item | None", Mismatch]]
"""Mismatches of a listing, each with the item it points at, to show the page it is on."""


# -- pages and listings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One listed request. Equal items name the same request of the same subscription and date."""

    subscription_number: Any
    number: Any
    executed_date: Any
    pointer: str = field(default="", compare=False)
    page_offset: int | None = field(default=None, compare=False)

    def __str__(self) -> str:
        date = shown(self.executed_date)
        return f"request {self.number} of subscription {self.subscription_number} (executed_date {date})"

    @property
    def where(self) -> str:
        """Which page the item came from: a pointer alone is ambiguous in a listing of many pages."""
        return f"the page at offset {self.page_offset}" if self.page_offset is not None else "the page"


@dataclass(frozen=True)
class Page:
    """One successful get_pending answer, flattened."""

    exchange: Exchange
    items: tuple[Item, ...]
    subscriptions: int
    """How many subscription objects the page holds (a subscription may straddle two pages)."""

    @property
    def offset(self) -> int | None:
        return paging_parameter(self.exchange, "offset")

    @property
    def number_of_results(self) -> int | None:
        return paging_parameter(self.exchange, "number_of_results")

    @property
    def is_empty(self) -> bool:
        return not self.items and not self.subscriptions

    def size(self, unit: str) -> int:
        return len(self.items) if unit == "requests" else self.subscriptions


@dataclass(frozen=True)
class Listing:
    """Pages read at offsets 0, n, 2n, ... up to the first empty page."""

    pages: tuple[Page, ...]
    page_size: int
    unit: str

    @property
    def items(self) -> list[Item]:
        return [item for page in self.pages for item in page.items]

    @property
    def size(self) -> int:
        """The listing's length in its unit: an offset this large is past the end."""
        return len(units(self.items, self.unit))


def paging_parameter(exchange: Exchange, name: str) -> int | None:
    """``offset`` or ``number_of_results`` as sent, when it was a whole number."""
    raw = exchange.request.params.get(name)
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def units(items: Sequence[Item], unit: str) -> list[tuple[Item, ...]]:
    """The items grouped as the tenant counts them: one per request, or one run per subscription."""
    if unit == "requests":
        return [(item,) for item in items]
    return [tuple(run) for _, run in groupby(items, key=attrgetter("subscription_number"))]


def read_page(exchange: Exchange, member: str) -> Page:
    """A successful page as items; every shape problem is reported at once."""
    items: list[Item] = []
    problems: list[Mismatch] = []
    data = exchange.data
    subscriptions = data.get("subscriptions_set") if isinstance(data, Mapping) else None
    if not isinstance(subscriptions, list):
        problems.append(Mismatch(SUBSCRIPTIONS_SET, "an array of subscriptions", shown(subscriptions)))
        subscriptions = []
    for index, subscription in enumerate(subscriptions):
        items += _items_of(subscription, f"{SUBSCRIPTIONS_SET}/{index}", member, exchange, problems)
    if problems:
        note = f"requests read from the member {member!r} (setting pending_requests_set)"
        raise ConformanceFailure(PAGE_SHAPE, problems, exchange, note=note)
    return Page(exchange, tuple(items), len(subscriptions))


def _items_of(
    subscription: Any, at: str, member: str, exchange: Exchange, problems: list[Mismatch]
) -> list[Item]:
    if not isinstance(subscription, Mapping):
        problems.append(Mismatch(at, "a subscription object", shown(subscription)))
        return []
    if "subscription_number" not in subscription:
        problems.append(Mismatch(f"{at}/subscription_number", "the subscription's number", "nothing"))
    requests = subscription.get(member)
    if not isinstance(requests, list):
        problems.append(Mismatch(f"{at}/{member}", "an array of pending requests", shown(requests)))
        return []
    offset = paging_parameter(exchange, "offset")
    items = []
    for index, request in enumerate(requests):
        pointer = f"{at}/{member}/{index}"
        if not isinstance(request, Mapping) or "number" not in request:
            problems.append(Mismatch(pointer, "a request object with its number", shown(request)))
            continue
        number, date = request["number"], request.get("executed_date")
        items.append(Item(subscription.get("subscription_number"), number, date, pointer, offset))
    return items


def page_through(
    fetch: Callable[[int], Exchange], page_size: int, *, member: str, unit: str, max_pages: int
) -> Listing:
    """Read pages at offsets 0, n, 2n, ... until one is empty; at most ``max_pages`` pages, since a
    tenant that ignores ``offset`` would otherwise be paged forever."""
    pages: list[Page] = []
    for index in range(max_pages):
        exchange = fetch(index * page_size)
        expect_success(exchange)
        pages.append(read_page(exchange, member))
        if pages[-1].is_empty:
            return Listing(tuple(pages), page_size, unit)
    last = pages[-1]
    raise ConformanceFailure(
        WINDOWS,
        [Mismatch(SUBSCRIPTIONS_SET, f"an empty page within {max_pages} pages of {page_size} (CRM_MAX_PAGES)",
                  f"{last.size(unit)} {unit} on the page at offset {last.offset}")],
        last.exchange,
        note=_repeat_hint([item for page in pages for item in page.items]),
    )


def _repeat_hint(items: Sequence[Item]) -> str | None:
    repeated = _repeats(items)
    if not repeated:
        return None
    return f"{len(repeated)} requests came back on more than one page: is offset ignored?"


# -- caps ------------------------------------------------------------------------------------------


def check_cap(exchanges: Iterable[Exchange], member: str, unit: str) -> None:
    """No successful get_pending page holds more than it asked for, nor more than 50."""
    pages = [read_page(exchange, member) for exchange in exchanges if _is_pending_page(exchange)]
    if not pages:
        nothing = Mismatch(SUBSCRIPTIONS_SET, "at least one successful get_pending page", "none")
        raise ConformanceFailure(CAP, [nothing])
    too_full = [page for page in pages if page.size(unit) > _limit(page)]
    if too_full:
        raise ConformanceFailure(
            CAP,
            [Mismatch(SUBSCRIPTIONS_SET, f"at most {_limit(page)} {unit} on the page at offset {page.offset} "
                      f"(number_of_results={page.number_of_results})", f"{page.size(unit)} {unit}")
             for page in too_full],
            too_full[0].exchange,
            note=f"{len(too_full)} of {len(pages)} pages hold too much",
        )


def _is_pending_page(exchange: Exchange) -> bool:
    return exchange.operation.endswith("get_pending") and exchange.succeeded


def _limit(page: Page) -> int:
    asked = page.number_of_results
    return MAX_RESULTS if asked is None else min(asked, MAX_RESULTS)


def over_cap_answer(exchange: Exchange, member: str, unit: str) -> str | None:
    """How the tenant answered number_of_results above 50: "refused", "capped at 50", or None
    when it did neither (a 5xx, or more than 50 items)."""
    if not exchange.succeeded:
        return "refused" if exchange.http_status < 500 else None
    return "capped at 50" if read_page(exchange, member).size(unit) <= MAX_RESULTS else None


def check_over_cap(
    exchange: Exchange, over_cap: str, allowed_http: Iterable[str], member: str, unit: str
) -> None:
    """An error envelope (never a 5xx) or at most 50 items, as the profile's over_cap allows."""
    if not exchange.succeeded:
        expect_error(exchange, allowed_http)
        if over_cap == "capped":
            expected = '"OK" with at most 50 items (over_cap=capped)'
            received = shown(exchange.status_code)
            raise ConformanceFailure(OVER_CAP, [Mismatch("/status/code", expected, received)], exchange)
        return
    size = read_page(exchange, member).size(unit)
    problems = []
    if size > MAX_RESULTS:
        problems.append(Mismatch(SUBSCRIPTIONS_SET, f"at most {MAX_RESULTS} {unit}", f"{size} {unit}"))
    if over_cap == "refused":
        problems.append(Mismatch("/status/code", "an error code (over_cap=refused)", '"OK"'))
    if problems:
        raise ConformanceFailure(OVER_CAP, problems, exchange)


# -- windows -------------------------------------------------------------------------------------


def check_slice(page: Page, listing: Listing) -> None:
    """The page equals the slice of the full listing at its offset and number_of_results."""
    offset, size = page.offset, page.number_of_results
    if offset is None or size is None or offset < 0:
        expected = "a request with whole-number offset (0 or more) and number_of_results"
        raise ConformanceFailure(WINDOWS, [Mismatch("", expected, "other values")], page.exchange)
    window = units(listing.items, listing.unit)[offset : offset + size]
    expected_items = [item for unit in window for item in unit]
    differences = sequence_differences(expected_items, page.items)
    if differences:
        raise ConformanceFailure(
            WINDOWS,
            [mismatch for _, mismatch in differences[:MAX_DIFFERENCES]],
            page.exchange,
            note=f"the slice [{offset}, {offset + size}) of the full listing ({listing.size} {listing.unit}, "
            f"read in pages of {listing.page_size})" + _more(differences),
        )


def check_joined(paged: Listing, listing: Listing) -> None:
    """Windows of one size, joined, give the listing read in windows of another size."""
    for pages in (paged, listing):
        check_no_repeat(pages)
    differences = sequence_differences(listing.items, paged.items)
    if differences:
        note = f"pages of {paged.page_size} joined, compared with the listing in pages of {listing.page_size}"
        _fail_listing(WINDOWS, differences, paged, note)


def check_no_repeat(listing: Listing) -> None:
    repeated: Problems = [
        (again, Mismatch(again.pointer, f"a request not listed before (first at {first.pointer} on "
                         f"{first.where})", f"{again} again, on {again.where}"))
        for first, again in _repeats(listing.items)
    ]
    if repeated:
        _fail_listing(NO_REPEAT, repeated, listing, f"pages of {listing.page_size}")


def _repeats(items: Sequence[Item]) -> list[tuple[Item, Item]]:
    """(first listing, later listing) of every request number listed more than once."""
    first_seen: dict[Any, Item] = {}
    repeated = []
    for item in items:
        key = _hashable(item.number)
        if key in first_seen:
            repeated.append((first_seen[key], item))
        else:
            first_seen[key] = item
    return repeated


def sequence_differences(expected: Sequence[Item], received: Sequence[Item]) -> Problems:
    """Where ``received`` departs from ``expected``: requests missing, extra, or in another place.
    Each mismatch comes with the received item it points at (None past the end)."""
    keys = list(map(_key, expected)), list(map(_key, received))
    matcher = difflib.SequenceMatcher(None, *keys, autojunk=False)
    differences: Problems = []
    for operation, e1, e2, r1, r2 in matcher.get_opcodes():
        if operation == "equal":
            continue
        for index in range(max(e2 - e1, r2 - r1)):
            want = expected[e1 + index] if e1 + index < e2 else None
            have = received[r1 + index] if r1 + index < r2 else None
            here = received[r1 + index] if r1 + index < len(received) else None
            differences.append((here, _difference(want, have, here)))
    return differences


def _difference(want: Item | None, have: Item | None, here: Item | None) -> Mismatch:
    if want is None:
        return Mismatch(have.pointer, "no further request here", f"{have} on {have.where}")
    if have is None and here is None:
        return Mismatch(SUBSCRIPTIONS_SET, str(want), "nothing: the pages end before it")
    if have is None:
        skipped = f"nothing: the pages skip it ({here} comes next, on {here.where})"
        return Mismatch(here.pointer, str(want), skipped)
    return Mismatch(have.pointer, str(want), f"{have} on {have.where}")


# -- order and content of the listing ----------------------------------------------------------------

Dated = tuple[Item, datetime.datetime]


def check_order(listing: Listing) -> None:
    """Grouped by subscription, oldest scheduled first (see the module's note on the reading)."""
    dated, unreadable = _read_dates(_require_items(listing, ORDER))
    if unreadable:
        _fail_listing(ORDER, unreadable, listing, "every executed_date must be readable to check the order")
    runs = [list(run) for _, run in groupby(dated, key=lambda pair: _hashable(pair[0].subscription_number))]
    problems = _scattered_subscriptions(runs) + _dates_out_of_order(runs)
    if problems:
        _fail_listing(ORDER, problems, listing, f"the full listing read in pages of {listing.page_size}")


def _read_dates(items: Sequence[Item]) -> tuple[list[Dated], Problems]:
    dated, unreadable = [], []
    for item in items:
        try:
            dated.append((item, datetime.datetime.fromisoformat(item.executed_date)))
        except (TypeError, ValueError):
            mismatch = Mismatch(f"{item.pointer}/executed_date", "a date datetime.fromisoformat reads",
                                f"{shown(item.executed_date)} on {item.where}")
            unreadable.append((item, mismatch))
    return dated, unreadable


def _scattered_subscriptions(runs: list[list[Dated]]) -> Problems:
    """A subscription whose requests do not form one contiguous run."""
    last_of: dict[Any, Item] = {}
    problems: Problems = []
    for run in runs:
        first = run[0][0]
        key = _hashable(first.subscription_number)
        if key in last_of:
            earlier = last_of[key]
            expected = (f"the requests of subscription {first.subscription_number} together "
                        f"(its run ended at {earlier.pointer} on {earlier.where})")
            received = f"{first} after other subscriptions, on {first.where}"
            problems.append((first, Mismatch(first.pointer, expected, received)))
        last_of[key] = run[-1][0]
    return problems


def _dates_out_of_order(runs: list[list[Dated]]) -> Problems:
    """Inside a run, dates never decrease; runs follow the date of their first request."""
    problems: Problems = []
    for earlier, later in zip(runs, runs[1:]):
        problems += _earlier_than(earlier[0], later[0], "the first request of the previous subscription")
    for run in runs:
        for earlier, later in zip(run, run[1:]):
            problems += _earlier_than(earlier, later, "the previous request of its subscription")
    return problems


def _earlier_than(earlier: Dated, later: Dated, what: str) -> Problems:
    try:
        in_order = earlier[1] <= later[1]
    except TypeError:  # a date with a UTC offset cannot be compared with one without
        in_order = False
    if in_order:
        return []
    item = later[0]
    expected = f"a date on or after {earlier[0].executed_date} ({what})"
    received = f"{shown(item.executed_date)} on {item.where}"
    return [(item, Mismatch(f"{item.pointer}/executed_date", expected, received))]


def check_pending_only(listing: Listing, not_listed: Iterable[str]) -> None:
    """None of the requests known not to be listed (not PENDING, or too old) is listed."""
    excluded = {str(number).strip() for number in not_listed}
    listed = [item for item in _require_items(listing, PENDING_ONLY) if str(item.number) in excluded]
    problems: Problems = [
        (item, Mismatch(item.pointer, "a PENDING request of the last 7 days",
                        f"{item}, known not to be one, on {item.where}"))
        for item in listed
    ]
    if problems:
        note = f"requests never to be listed: {', '.join(sorted(excluded))}"
        _fail_listing(PENDING_ONLY, problems, listing, note)


def check_provider_only(other: Listing, listing: Listing) -> None:
    """The listing of another provider holds none of the requests listed for the provider: a
    request goes to one provider, even on a subscription that both providers serve."""
    own = {_hashable(item.number): item for item in _require_items(listing, PROVIDER_ONLY)}
    problems: Problems = [
        (item, Mismatch(item.pointer, "a request of the other provider alone",
                        f"{item} on {item.where}, also listed for the provider at {own[key].pointer} on "
                        f"{own[key].where}"))
        for item in other.items
        if (key := _hashable(item.number)) in own
    ]
    if problems:
        note = (f"the other provider's listing (pages of {other.page_size}) compared with the provider's "
                f"(pages of {listing.page_size})")
        _fail_listing(PROVIDER_ONLY, problems, other, note)


# -- the page unit ---------------------------------------------------------------------------------


def page_unit_answer(page: Page, listing: Listing) -> str | None:
    """The one unit ("requests" or "subscriptions") this page's size agrees with, None if both or
    neither do: a page whose subscriptions each hold one request cannot tell."""
    fitting = [unit for unit in ("requests", "subscriptions") if _fits(page, listing, unit)]
    return fitting[0] if len(fitting) == 1 else None


def _fits(page: Page, listing: Listing, unit: str) -> bool:
    return page.size(unit) == _expected_size(page, listing, unit)


def check_page_unit(page: Page, listing: Listing, unit: str) -> None:
    """The page holds number_of_results of the configured unit (fewer only at the listing's end)."""
    _require_items(listing, UNIT)
    expected = _expected_size(page, listing, unit)
    if page.size(unit) != expected:
        asked = f"number_of_results={page.number_of_results}, offset={page.offset}, page_unit={unit}"
        received = f"{len(page.items)} requests in {page.subscriptions} subscriptions"
        mismatch = Mismatch(SUBSCRIPTIONS_SET, f"{expected} {unit} ({asked})", received)
        raise ConformanceFailure(UNIT, [mismatch], page.exchange)


def _expected_size(page: Page, listing: Listing, unit: str) -> int:
    """What a page holds in ``unit``: the rest of the listing from its offset, at most the page size."""
    in_unit = len(units(listing.items, unit))
    return max(0, min(page.number_of_results or 0, in_unit - (page.offset or 0)))


# -- fields_set ----------------------------------------------------------------------------------


def check_request_fields(exchange: Exchange, member: str, fields: Sequence[str]) -> None:
    """Every pending request of the page has exactly ``fields`` as members; there is at least one."""
    wanted = list(fields)
    problems, seen = [], 0
    data = exchange.data
    subscriptions = data.get("subscriptions_set") if isinstance(data, Mapping) else None
    for index, subscription in enumerate(subscriptions if isinstance(subscriptions, list) else []):
        at = f"{SUBSCRIPTIONS_SET}/{index}/{member}"
        requests = subscription.get(member) if isinstance(subscription, Mapping) else None
        if not isinstance(requests, list):
            problems.append(Mismatch(at, "an array of pending requests", shown(requests)))
            continue
        seen += len(requests)
        problems += [
            Mismatch(f"{at}/{position}", f"exactly the members {', '.join(wanted)}", problem)
            for position, request in enumerate(requests)
            if (problem := _fields_problem(request, wanted))
        ]
    if not seen and not problems:
        problems.append(Mismatch(SUBSCRIPTIONS_SET, "at least one pending request to look at", "none"))
    if problems:
        note = f"fields_set={','.join(wanted)}" + _more(problems)
        raise ConformanceFailure(REQUEST_FIELDS, problems[:MAX_DIFFERENCES], exchange, note=note)


def _fields_problem(request: Any, wanted: list[str]) -> str | None:
    if not isinstance(request, Mapping):
        return shown(request)
    missing = [name for name in wanted if name not in request]
    extra = [name for name in request if name not in wanted]
    parts = [f"missing {', '.join(missing)}" if missing else "", f"extra {', '.join(extra)}" if extra else ""]
    return "; ".join(part for part in parts if part) or None


# -- helpers ---------------------------------------------------------------------------------------


def _key(item: Item) -> tuple:
    return (_hashable(item.subscription_number), _hashable(item.number), _hashable(item.executed_date))


def _hashable(value: Any) -> Any:
    """Request members are strings on a conforming tenant; anything else still compares, by text."""
    return value if isinstance(value, (str, int, float, type(None))) else shown(value)


def _require_items(listing: Listing, rule: Rule) -> list[Item]:
    """A check over an empty listing would prove nothing: the provider must have pending requests."""
    items = listing.items
    if not items:
        raise ConformanceFailure(
            rule,
            [Mismatch(SUBSCRIPTIONS_SET, "at least one pending request in the listing", "an empty listing")],
            listing.pages[0].exchange if listing.pages else None,
            note="the provider (CRM_PROVISIONING_PROVIDER) lists nothing, so this check would prove nothing",
        )
    return items


def _fail_listing(rule: Rule, problems: Problems, listing: Listing, note: str) -> None:
    """Raise for a listing made of many pages, showing the page the first problem points into."""
    first = problems[0][0]
    shown_page = next((p for p in listing.pages if any(item is first for item in p.items)), listing.pages[-1])
    mismatches = [mismatch for _, mismatch in problems[:MAX_DIFFERENCES]]
    raise ConformanceFailure(rule, mismatches, shown_page.exchange, note=note + _more(problems))


def _more(problems: Sequence[Any]) -> str:
    hidden = len(problems) - MAX_DIFFERENCES
    return f"; {hidden} more not shown" if hidden > 0 else ""
