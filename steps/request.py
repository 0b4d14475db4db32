"""Request vocabulary: the HTTP exchange stays visible in the feature file.

``When I GET <operation> with <query>`` writes the query as in a URL, unencoded, with
``{placeholders}``: ``contact_information_identifier={contact}&fields_set=id,name``.
"""

from pytest_bdd import parsers, when

from crmconf.client import CrmClient, Exchange
from crmconf.values import ScenarioValues


def query_params(query: str, values: ScenarioValues) -> dict[str, str]:
    """``a=1&b=x=y`` as ``{"a": "1", "b": "x=y"}``: the first ``=`` of each pair separates."""
    params = {}
    for pair in filter(None, query.split("&")):
        name, _, value = pair.partition("=")
        params[name.strip()] = values.expand(value.strip())
    return params


@when(parsers.parse("I GET {operation} with {query}"), target_fixture="crm_exchange")
def _(operation: str, query: str, crm_client: CrmClient, crm_values: ScenarioValues, crm_exchanges: list[Exchange]) -> Exchange:
    exchange = crm_client.get(operation, query_params(query, crm_values))
    crm_exchanges.append(exchange)
    return exchange


@when(parsers.re(r"I GET (?P<operation>[a-z_/]+)$"), target_fixture="crm_exchange")
def _(operation: str, crm_client: CrmClient, crm_exchanges: list[Exchange]) -> Exchange:
    exchange = crm_client.get(operation)
    crm_exchanges.append(exchange)
    return exchange


@when("I send the same request again", target_fixture="crm_exchange")
def _(crm_client: CrmClient, crm_exchanges: list[Exchange]) -> Exchange:
    previous = crm_exchanges[-1].request
    if previous.method == "GET":
        exchange = crm_client.get(previous.operation, previous.params, token=None)
    else:
        exchange = crm_client.post(previous.operation, previous.raw_body or previous.json_body, token=None)
    crm_exchanges.append(exchange)
    return exchange
