"""fields_set vocabulary: a list sent exactly as written, and the open points of the documentation."""

from pytest_bdd import parsers, then, when

from crmconf.client import CrmClient, Exchange
from crmconf.fieldsets import OPEN_POINTS, expect_open_point_answer, field_names
from crmconf.observations import Observations
from crmconf.settings import Settings
from crmconf.values import ScenarioValues

OPEN_POINT_ANSWER = (
    rf"the tenant refuses fields_set with (?P<point>{'|'.join(OPEN_POINTS)})"
    r" or returns exactly the fields (?P<fields>\S+)$"
)


@when(
    parsers.re(r'I GET (?P<operation>[a-z_/]+) with (?P<query>\S+) and fields_set "(?P<names>[^"]*)"$'),
    target_fixture="crm_exchange",
)
def _(
    operation: str, query: str, names: str, crm_client: CrmClient, crm_values: ScenarioValues, crm_exchanges
) -> Exchange:
    """The quoted list is sent as is, spaces included: the query form cannot hold a space."""
    params = {**crm_values.query(query), "fields_set": names}
    exchange = crm_client.get(operation, params)
    crm_exchanges.append(exchange)
    return exchange


@then(parsers.re(OPEN_POINT_ANSWER))
def _(
    point: str, fields: str, crm_exchange: Exchange, crm_settings: Settings, crm_observations: Observations
) -> None:
    open_point = OPEN_POINTS[point]
    pinned = getattr(crm_settings, open_point.setting)
    answer = expect_open_point_answer(
        crm_exchange, open_point, pinned, field_names(fields), crm_settings.allowed_error_http
    )
    crm_observations.note(open_point.topic, answer)
    if not crm_exchange.succeeded:
        crm_observations.note("errors come with", f"HTTP {crm_exchange.http_status}")
