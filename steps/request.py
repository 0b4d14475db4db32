"""Request vocabulary: the HTTP exchange stays visible in the feature file.

``When I GET <operation> with <query>`` writes the query as in a URL, unencoded, with
``{placeholders}``: ``contact_information_identifier={contact}&fields_set=id,name``.
A POST body is the step's doc string, JSON with ``{placeholders}``; the token is added as its
first member unless the body names a ``token`` itself.
"""

import json

from pytest_bdd import parsers, when

from crmconf.client import CrmClient, Exchange
from crmconf.contacts import place_input_collections
from crmconf.values import ScenarioValues

NO_TOKEN = None


def json_body(docstring: str, values: ScenarioValues) -> dict:
    body = json.loads(values.expand(docstring))
    if not isinstance(body, dict):
        raise ValueError("a POST body in a feature file must be a JSON object")
    return place_input_collections(body, values["input_collections"])


def _sent(exchange: Exchange, crm_exchanges: list[Exchange]) -> Exchange:
    crm_exchanges.append(exchange)
    return exchange


@when(parsers.re(r"I GET (?P<operation>[a-z_/]+)$"), target_fixture="crm_exchange")
def _(operation: str, crm_client: CrmClient, crm_exchanges: list[Exchange]) -> Exchange:
    return _sent(crm_client.get(operation), crm_exchanges)


@when(parsers.re(r"I GET (?P<operation>[a-z_/]+) with (?P<query>\S+)$"), target_fixture="crm_exchange")
def _(operation: str, query: str, crm_client: CrmClient, crm_values: ScenarioValues, crm_exchanges) -> Exchange:
    return _sent(crm_client.get(operation, crm_values.query(query)), crm_exchanges)


@when(parsers.re(r"I GET (?P<operation>[a-z_/]+) with (?P<query>\S+) without a token$"), target_fixture="crm_exchange")
def _(operation: str, query: str, crm_client: CrmClient, crm_values: ScenarioValues, crm_exchanges) -> Exchange:
    return _sent(crm_client.get(operation, crm_values.query(query), token=NO_TOKEN), crm_exchanges)


@when(
    parsers.re(r"I GET (?P<operation>[a-z_/]+) with (?P<query>\S+) and token (?P<token>\S+)$"),
    target_fixture="crm_exchange",
)
def _(operation: str, query: str, token: str, crm_client: CrmClient, crm_values: ScenarioValues, crm_exchanges):
    params = crm_values.query(query)
    return _sent(crm_client.get(operation, params, token=crm_values.expand(token)), crm_exchanges)


@when(parsers.re(r"I POST (?P<operation>[a-z_/]+) with body:$"), target_fixture="crm_exchange")
def _(operation: str, docstring: str, crm_client: CrmClient, crm_values: ScenarioValues, crm_exchanges) -> Exchange:
    return _sent(crm_client.post(operation, json_body(docstring, crm_values)), crm_exchanges)


@when(parsers.re(r"I POST (?P<operation>[a-z_/]+) without a token, with body:$"), target_fixture="crm_exchange")
def _(operation: str, docstring: str, crm_client: CrmClient, crm_values: ScenarioValues, crm_exchanges) -> Exchange:
    return _sent(crm_client.post(operation, json_body(docstring, crm_values), token=NO_TOKEN), crm_exchanges)


@when(parsers.re(r"I POST (?P<operation>[a-z_/]+) with the raw body:$"), target_fixture="crm_exchange")
def _(operation: str, docstring: str, crm_client: CrmClient, crm_values: ScenarioValues, crm_exchanges) -> Exchange:
    """The doc string is sent as text, for bodies that are not JSON: nothing is added, so it
    names the session token itself as ``{token}``; other placeholders are expanded too."""
    body = crm_values.expand(docstring.replace("{token}", crm_client.token or ""))
    return _sent(crm_client.post(operation, body), crm_exchanges)


@when("I send the same request again", target_fixture="crm_exchange")
def _(crm_client: CrmClient, crm_exchanges: list[Exchange]) -> Exchange:
    previous = crm_exchanges[-1].request
    if previous.method == "GET":
        exchange = crm_client.get(previous.operation, previous.params, token=NO_TOKEN)
    else:
        exchange = crm_client.post(previous.operation, previous.raw_body or previous.json_body, token=NO_TOKEN)
    return _sent(exchange, crm_exchanges)
