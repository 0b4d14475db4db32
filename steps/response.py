"""Response vocabulary: what the envelope says, values at a path, comparisons between responses."""

import json

from pytest_bdd import parsers, then

from crmconf import checks, rules
from crmconf.client import Exchange
from crmconf.fieldsets import field_names
from crmconf.observations import Observations
from crmconf.plugin import Harness
from crmconf.settings import Settings
from crmconf.values import ScenarioValues

PATH = r"(?P<path>(?:data|status)(?:\.[A-Za-z0-9_]+)*)"


def expected_value(expected: str, values: ScenarioValues):
    """``expected`` is JSON (``"ENG"``, ``12``, ``null``) or a ``{placeholder}`` meaning its text."""
    text = values.expand(expected)
    return text if text != expected else json.loads(expected)


@then("the status code is OK")
def _(crm_exchange: Exchange) -> None:
    checks.expect_success(crm_exchange)


@then("the request is refused")
def _(crm_exchange: Exchange, crm_settings: Settings, crm_observations: Observations) -> None:
    checks.expect_error(crm_exchange, crm_settings.allowed_error_http)
    crm_observations.note("errors come with", f"HTTP {crm_exchange.http_status}")


@then(parsers.re(PATH + r" is (?P<expected>(?!not ).+)$"))
def _(path: str, expected: str, crm_exchange: Exchange, crm_values: ScenarioValues) -> None:
    checks.expect_value(crm_exchange, path, expected_value(expected, crm_values))


@then(parsers.re(PATH + r" is not (?P<expected>.+)$"))
def _(path: str, expected: str, crm_exchange: Exchange, crm_values: ScenarioValues) -> None:
    checks.expect_different(crm_exchange, path, expected_value(expected, crm_values))


@then(parsers.re(r"I keep (?P<path>[A-Za-z0-9_.]+) as \{(?P<name>[a-z][a-z0-9_]*)\}$"))
def _(path: str, name: str, crm_exchange: Exchange, crm_values: ScenarioValues) -> None:
    crm_values.keep(name, checks.expect_present(crm_exchange, path))


@then(parsers.re(PATH + r" has exactly the fields (?P<fields>\S+)$"))
def _(path: str, fields: str, crm_exchange: Exchange) -> None:
    checks.expect_fields_exactly(crm_exchange, path, field_names(fields), rules.FIELDS_SET)


@then(parsers.re(PATH + r" is a complete contact$"))
def _(path: str, crm_exchange: Exchange, crm_harness: Harness, crm_settings: Settings) -> None:
    checks.expect_complete_contact(crm_exchange, path, crm_harness.catalogue, crm_settings.release)


@then(parsers.re(PATH + r" has the token format of the tenant's release$"))
def _(path: str, crm_exchange: Exchange, crm_settings: Settings) -> None:
    checks.expect_token_format(crm_exchange, path, crm_settings.release)


@then("the last two responses have identical bodies")
def _(crm_exchanges: list[Exchange]) -> None:
    checks.expect_same_body(crm_exchanges[-2], crm_exchanges[-1])


@then("the response has the same body as the first one")
def _(crm_exchanges: list[Exchange]) -> None:
    checks.expect_same_body(crm_exchanges[0], crm_exchanges[-1])


@then("the response shows the same record as the first one")
def _(crm_exchanges: list[Exchange]) -> None:
    checks.expect_same_body(crm_exchanges[0], crm_exchanges[-1], rule=rules.IDENTIFIER)
