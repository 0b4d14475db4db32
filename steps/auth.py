"""Authentication vocabulary."""

from pytest_bdd import given

from crmconf.checks import expect_success
from crmconf.client import CrmClient
from crmconf.scrub import PLACEHOLDERS
from crmconf.settings import Settings
from crmconf.values import ScenarioValues


@given("a valid token")
def _(crm_client: CrmClient, crm_settings: Settings, crm_values: ScenarioValues) -> None:
    """POST authentication/token with the configured credentials, or use the configured token.

    A replay logs in with placeholders: the recorded login was scrubbed the same way.
    """
    auth = crm_values["auth"]  # "token", "login" or "login+unit"; recorded with the cassette
    if auth == "token":
        crm_client.token = crm_settings.token or PLACEHOLDERS["token"]
        return
    s = crm_settings
    exchange = crm_client.login(
        s.username or PLACEHOLDERS["username"],
        s.password or PLACEHOLDERS["password"],
        s.organisation or PLACEHOLDERS["organisation"],
        (s.unit or PLACEHOLDERS["unit"]) if auth == "login+unit" else None,
    )
    expect_success(exchange)
