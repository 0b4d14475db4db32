"""Contact vocabulary: what a contact shown holds after the create or update a scenario posted."""

from pytest_bdd import then

from crmconf import contacts
from crmconf.client import Exchange
from crmconf.plugin import Harness


@then("the contact shown holds what the create request posted")
def _(crm_exchange: Exchange, crm_exchanges: list[Exchange]) -> None:
    contacts.expect_created_contact_shown(contacts.last_post(crm_exchanges, contacts.CREATE), crm_exchange)


@then("the contact shown holds what the update request posted, the rest unchanged")
def _(crm_exchange: Exchange, crm_exchanges: list[Exchange], crm_harness: Harness) -> None:
    update = contacts.last_post(crm_exchanges, contacts.UPDATE)
    before = contacts.show_before(crm_exchanges, update)
    documented = contacts.documented_contact_fields(crm_harness.catalogue)
    contacts.expect_update_applied(before, update, crm_exchange, documented)


@then("the last two responses are two different contacts")
def _(crm_exchanges: list[Exchange]) -> None:
    contacts.expect_two_contacts(crm_exchanges[-2], crm_exchanges[-1])
