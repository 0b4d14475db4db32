"""Authentication vocabulary."""

from pytest_bdd import given, when

from crmconf.checks import expect_success
from crmconf.client import CrmClient, Exchange
from crmconf.scrub import PLACEHOLDERS
from crmconf.settings import Settings
from crmconf.values import ScenarioValues, sends_unit, uses_token


WRONG_PASSWORD = "crmconf-wrong-password"


def log_in(client: CrmClient, settings: Settings, values: ScenarioValues, password: str | None = None) -> Exchange:
    """POST authentication/token with the configured credentials (a replay sends the placeholders
    the recording was scrubbed to). A unit is sent when the recording or the settings have one."""
    with_unit = sends_unit(values["auth"])
    return client.login(
        settings.username or PLACEHOLDERS["username"],
        password or settings.password or PLACEHOLDERS["password"],
        settings.organisation or PLACEHOLDERS["organisation"],
        (settings.unit or PLACEHOLDERS["unit"]) if with_unit else None,
    )


@given("a valid token")
def _(crm_client: CrmClient, crm_settings: Settings, crm_values: ScenarioValues) -> None:
    """Logs in with the configured credentials, or uses the configured token (CRM_TOKEN)."""
    if uses_token(crm_values["auth"]):  # recorded with the cassette (crmconf.values.auth_mode)
        crm_client.token = crm_settings.token or PLACEHOLDERS["token"]
        return
    expect_success(log_in(crm_client, crm_settings, crm_values))


@when("I POST authentication/token with the configured credentials", target_fixture="crm_exchange")
def _(crm_client: CrmClient, crm_settings: Settings, crm_values: ScenarioValues, crm_exchanges) -> Exchange:
    exchange = log_in(crm_client, crm_settings, crm_values)
    crm_exchanges.append(exchange)
    return exchange


@when("I POST authentication/token with a wrong password", target_fixture="crm_exchange")
def _(crm_client: CrmClient, crm_settings: Settings, crm_values: ScenarioValues, crm_exchanges) -> Exchange:
    exchange = log_in(crm_client, crm_settings, crm_values, password=WRONG_PASSWORD)
    crm_exchanges.append(exchange)
    return exchange
