"""Pagination vocabulary for get_pending: full listings, windows, caps, order and the page unit.

``Given the full listing of <operation> with <query> in pages of <n>`` reads pages at offsets
0, n, 2n, ... until an empty page; each page is an exchange of the scenario, so the paging
requests stay visible in the step text and in the cassette. The checks live in
``crmconf.paging``.
"""

from pytest_bdd import given, parsers, then, when

from crmconf import paging
from crmconf.client import CrmClient, Exchange
from crmconf.observations import Observations
from crmconf.settings import Settings
from crmconf.values import ScenarioValues
from crmconf.fieldsets import field_names

PAGED = r"(?P<operation>[a-z_/]+) with (?P<query>\S+) in pages of (?P<size>\d+)$"


def walk(operation: str, query: str, size: str, client: CrmClient, values: ScenarioValues,
         settings: Settings, exchanges: list[Exchange]) -> paging.Listing:
    """Pages of ``size`` at offsets 0, size, 2 size, ...; every page joins the scenario's exchanges."""
    params = values.query(query)

    def fetch(offset: int) -> Exchange:
        exchange = client.get(operation, {**params, "number_of_results": size, "offset": offset})
        exchanges.append(exchange)
        return exchange

    return paging.page_through(
        fetch, int(size), member=settings.pending_requests_set, unit=settings.page_unit,
        max_pages=settings.max_pages,
    )


def page_of(exchange: Exchange, settings: Settings) -> paging.Page:
    return paging.read_page(exchange, settings.pending_requests_set)


@given(parsers.re("the full listing of " + PAGED), target_fixture="crm_listing")
def _(operation, query, size, crm_client, crm_values, crm_settings, crm_exchanges) -> paging.Listing:
    """Also keeps {listing_size}: the listing's length in the page unit, the first offset past its end."""
    listing = walk(operation, query, size, crm_client, crm_values, crm_settings, crm_exchanges)
    crm_values.keep("listing_size", listing.size)
    return listing


@when(parsers.re("I page through " + PAGED), target_fixture="crm_paging")
def _(operation, query, size, crm_client, crm_values, crm_settings, crm_exchanges) -> paging.Listing:
    return walk(operation, query, size, crm_client, crm_values, crm_settings, crm_exchanges)


@then("the pages joined are the full listing")
def _(crm_paging: paging.Listing, crm_listing: paging.Listing) -> None:
    paging.check_joined(crm_paging, crm_listing)


@then("the page is the slice of the full listing at its offset")
def _(crm_exchange: Exchange, crm_listing: paging.Listing, crm_settings: Settings) -> None:
    paging.check_slice(page_of(crm_exchange, crm_settings), crm_listing)


@then("no page holds more than number_of_results items, nor more than 50")
def _(crm_exchanges: list[Exchange], crm_settings: Settings) -> None:
    paging.check_cap(crm_exchanges, crm_settings.pending_requests_set, crm_settings.page_unit)


@then("the full listing is grouped by subscription, oldest scheduled first")
def _(crm_listing: paging.Listing) -> None:
    paging.check_order(crm_listing)


@then(parsers.re(r"the full listing holds none of (?P<numbers>\S+)$"))
def _(numbers: str, crm_listing: paging.Listing, crm_values: ScenarioValues) -> None:
    paging.check_pending_only(crm_listing, field_names(crm_values.expand(numbers)))


@then("the pages walked share no request with the full listing")
def _(crm_paging: paging.Listing, crm_listing: paging.Listing) -> None:
    paging.check_provider_only(crm_paging, crm_listing)


@then("the request is refused or capped at 50")
def _(crm_exchange: Exchange, crm_settings: Settings, crm_observations: Observations) -> None:
    member, unit = crm_settings.pending_requests_set, crm_settings.page_unit
    answer = paging.over_cap_answer(crm_exchange, member, unit)
    if answer:  # noted before the check, so a tenant the profile does not expect still shows its answer
        crm_observations.note("number_of_results above 50", answer)
    paging.check_over_cap(crm_exchange, crm_settings.over_cap, crm_settings.allowed_error_http, member, unit)


@then("the page counts number_of_results in the configured page unit")
def _(crm_exchange: Exchange, crm_listing: paging.Listing, crm_settings: Settings, crm_observations) -> None:
    page = page_of(crm_exchange, crm_settings)
    answer = paging.page_unit_answer(page, crm_listing)
    if answer:  # noted before the check, as above
        crm_observations.note("get_pending pages count", answer)
    paging.check_page_unit(page, crm_listing, crm_settings.page_unit)


@then(parsers.re(r"every pending request has exactly the fields (?P<fields>\S+)$"))
def _(fields: str, crm_exchange: Exchange, crm_settings: Settings) -> None:
    paging.check_request_fields(crm_exchange, crm_settings.pending_requests_set, field_names(fields))
