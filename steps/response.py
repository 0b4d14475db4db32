"""Response vocabulary: what the envelope says, values at a path, comparisons between responses."""

import json

from pytest_bdd import parsers, then

from crmconf import checks, rules
from crmconf.client import Exchange
from crmconf.values import ScenarioValues


@then("the status code is OK")
def _(crm_exchange: Exchange) -> None:
    checks.expect_success(crm_exchange)


@then("the request is refused")
def _(crm_exchange: Exchange) -> None:
    checks.expect_error(crm_exchange)


@then(parsers.re(r"(?P<path>(?:data|status)(?:\.[A-Za-z0-9_]+)*) is (?P<expected>.+)"))
def _(path: str, expected: str, crm_exchange: Exchange, crm_values: ScenarioValues) -> None:
    """``expected`` is JSON (``"ENG"``, ``12``, ``null``) or a ``{placeholder}`` meaning its text."""
    text = crm_values.expand(expected)
    value = text if text != expected else json.loads(expected)
    checks.expect_value(crm_exchange, path, value)


@then(parsers.re(r"I keep (?P<path>[A-Za-z0-9_.]+) as \{(?P<name>[a-z][a-z0-9_]*)\}"))
def _(path: str, name: str, crm_exchange: Exchange, crm_values: ScenarioValues) -> None:
    crm_values.keep(name, checks.expect_present(crm_exchange, path))


@then("the last two responses have identical bodies")
def _(crm_exchanges: list[Exchange]) -> None:
    checks.expect_same_body(crm_exchanges[-2], crm_exchanges[-1])


@then("the response has the same body as the first one")
def _(crm_exchanges: list[Exchange]) -> None:
    checks.expect_same_body(crm_exchanges[0], crm_exchanges[-1], rule=rules.IDENTIFIER)
