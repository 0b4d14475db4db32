"""What a contact shown must hold after a create or an update, on hand-made exchanges."""

import copy
import json
from pathlib import Path

import pytest
from check_support import envelope, failure_of

from crmconf import contacts
from crmconf.client import API_PATH, Exchange, SentRequest
from crmconf.contacts import (
    POST_NOT_IDEMPOTENT,
    POST_PERSISTS,
    UPDATE_APPLIES,
    UPDATE_CLEARS_NULL,
    UPDATE_PARTIAL,
    documented_contact_fields,
    expect_created_contact_shown,
    expect_two_contacts,
    expect_update_applied,
    last_post,
    place_input_collections,
    posted_contact,
    show_before,
)
from crmconf.failures import ConformanceFailure
from crmconf.schemas import SchemaCatalogue

SCHEMAS = Path(__file__).parents[2] / "schemas"
SERVER = "https://tenant.example.com"
CONTACT_ID = "C-1"

CREATE_BODY = {
    "token": "t",
    "type": "PERSON",
    "title": "Mr",
    "first_name": "Andreas",
    "middle_name": "Nikolas",
    "last_name": "Ioannou",
    "category_identifier": {"name": "Contact Category"},
    "privacy_level_identifier": {"number": "8"},
    "notes": "created",
    "demographics": {
        "gender": "MALE",
        "id_number": "ID-1",
        "passport_number": "PP-1",
        "social_security_number": "SS-1",
        "date_of_birth": {"day": 1, "month": 1, "year": 1980},
    },
    "address_set": [
        {"type": "HOME", "town_city": "Limassol", "floor": 2, "country_identifier": {"code": "CYP"}}
    ],
    "phone_set": [{"type": "LANDLINE", "number": "25123456"}, {"type": "MOBILE", "number": "99654321"}],
    "email_set": [{"type": "PERSONAL", "email_address": "a@example.com", "is_primary": True}],
}
CYPRUS = {"id": "CY-ID", "name": "Cyprus", "code": "CYP"}


def stored_contact() -> dict:
    """The contact a conforming tenant shows for CREATE_BODY: resolved records, item ids, extras."""
    return {
        "id": CONTACT_ID,
        "type": "PERSON",
        "life_cycle_state": "MARKETING",
        "name": "Andreas Nikolas Ioannou",
        "title": "Mr",
        "first_name": "Andreas",
        "middle_name": "Nikolas",
        "last_name": "Ioannou",
        "company_name": None,
        "notes": "created",
        "privacy_level": {"id": "PL8", "name": "Restricted", "number": "8"},
        "udf_string_1": None,
        "demographics": {
            "gender": "MALE",
            "date_of_birth": {"day": 1, "month": 1, "year": 1980},
            "id_number": "ID-1",
            "passport_number": "PP-1",
            "social_security_number": "SS-1",
            "industry": None,
        },
        "addresses_set": [
            {
                "id": "A1", "type": "HOME", "town_city": "Limassol", "floor": 2, "street_name": None,
                "country": CYPRUS,
            }
        ],
        "phones_set": [
            {"id": "P1", "type": "LANDLINE", "number": "25123456", "area_code": None},
            {"id": "P2", "type": "MOBILE", "number": "99654321", "area_code": None},
        ],
        "emails_set": [
            {"id": "E1", "type": "PERSONAL", "email_address": "a@example.com", "is_primary": True}
        ],
        "created_date": "2026-01-15T12:00:00",
    }


def post(operation: str, body: dict, data=None) -> Exchange:
    request = SentRequest("POST", operation, SERVER + API_PATH + operation, json_body=body)
    return Exchange(request, 200, "application/json", json.dumps(envelope(data if data is not None else {})), 0.01)


def show(data, code="OK") -> Exchange:
    operation = contacts.SHOW
    params = {"contact_information_identifier": f"id={CONTACT_ID}"}
    request = SentRequest("GET", operation, SERVER + API_PATH + operation, params=params)
    refused = {"status": {"code": code, "message": "no", "description": None}, "data": None}
    body = envelope(data) if code == "OK" else refused
    return Exchange(request, 200 if code == "OK" else 404, "application/json", json.dumps(body), 0.01)


def create(body=CREATE_BODY) -> Exchange:
    return post(contacts.CREATE, body, {"id": CONTACT_ID})


def pointers(failure: ConformanceFailure) -> list[str]:
    return [mismatch.pointer for mismatch in failure.mismatches]


# -- the body as posted ------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["top", "demographics"])
def test_posted_contact_reads_the_collections_wherever_the_profile_placed_them(where):
    sent = place_input_collections(copy.deepcopy(CREATE_BODY), where)
    contact = posted_contact(sent)
    assert contact["phone_set"] == CREATE_BODY["phone_set"]
    assert contact["demographics"] == CREATE_BODY["demographics"]
    assert "token" not in contact


def test_posted_contact_drops_a_demographics_that_only_carried_collections():
    sent = place_input_collections({"type": "PERSON", "email_set": []}, "demographics")
    assert sent == {"type": "PERSON", "demographics": {"email_set": []}}
    assert posted_contact(sent) == {"type": "PERSON", "email_set": []}


def test_posted_contact_leaves_out_what_steers_the_operation():
    body = {"token": "t", "fields_set": "id", "contact_information_identifier": {"id": "C-1"}, "notes": "n"}
    assert posted_contact(body) == {"notes": "n"}


# -- post.persists -------------------------------------------------------------------------------


def test_a_contact_holding_everything_posted_passes():
    expect_created_contact_shown(create(), show(stored_contact()))


def test_collections_posted_inside_demographics_are_compared_under_their_output_names():
    body = place_input_collections(copy.deepcopy(CREATE_BODY), "demographics")
    expect_created_contact_shown(create(body), show(stored_contact()))
    contact = stored_contact()
    contact["emails_set"] = []
    failure = failure_of(expect_created_contact_shown, create(body), show(contact))
    assert pointers(failure) == ["/data/emails_set/0"]


def test_a_dropped_collection_fails_with_every_missing_item():
    contact = stored_contact()
    contact["phones_set"] = []
    failure = failure_of(expect_created_contact_shown, create(), show(contact))
    assert failure.rule is POST_PERSISTS
    assert pointers(failure) == ["/data/phones_set/0", "/data/phones_set/1"]
    assert "25123456" in failure.mismatches[0].expected
    assert "0 items shown" in failure.mismatches[0].received


def test_a_collection_shown_under_its_input_name_only_fails():
    contact = stored_contact()
    contact["phone_set"] = contact.pop("phones_set")
    failure = failure_of(expect_created_contact_shown, create(), show(contact))
    assert pointers(failure) == ["/data/phones_set"]
    assert failure.mismatches[0].received == "nothing (the member is absent)"


def test_a_field_stored_wrongly_fails_at_its_pointer():
    contact = stored_contact()
    contact["demographics"]["gender"] = "FEMALE"
    contact["demographics"]["date_of_birth"]["day"] = 10
    failure = failure_of(expect_created_contact_shown, create(), show(contact))
    assert pointers(failure) == ["/data/demographics/gender", "/data/demographics/date_of_birth/day"]
    assert [m.expected for m in failure.mismatches] == ['"MALE"', "1"]


def test_items_shown_in_another_order_fail():
    contact = stored_contact()
    contact["phones_set"].reverse()
    failure = failure_of(expect_created_contact_shown, create(), show(contact))
    assert pointers(failure) == ["/data/phones_set/0/type", "/data/phones_set/0/number",
                                 "/data/phones_set/1/type", "/data/phones_set/1/number"]


def test_an_extra_item_fails():
    contact = stored_contact()
    contact["emails_set"].append({"id": "E2", "type": "BUSINESS", "email_address": "b@example.com"})
    failure = failure_of(expect_created_contact_shown, create(), show(contact))
    assert pointers(failure) == ["/data/emails_set/1"]
    assert failure.mismatches[0].expected == "no item (1 posted)"


def test_a_member_left_out_of_the_output_fails():
    contact = stored_contact()
    del contact["title"]
    failure = failure_of(expect_created_contact_shown, create(), show(contact))
    assert pointers(failure) == ["/data/title"]


@pytest.mark.parametrize(("stored", "received"), [(1, "1"), ("true", '"true"')])
def test_a_boolean_stored_as_another_type_fails(stored, received):
    contact = stored_contact()
    contact["emails_set"][0]["is_primary"] = stored
    failure = failure_of(expect_created_contact_shown, create(), show(contact))
    assert pointers(failure) == ["/data/emails_set/0/is_primary"]
    assert failure.mismatches[0].received == received


def test_an_integer_shown_as_the_same_json_number_passes():
    contact = stored_contact()
    contact["addresses_set"][0]["floor"] = 2.0
    expect_created_contact_shown(create(), show(contact))


def test_a_reference_resolved_to_another_record_fails():
    contact = stored_contact()
    contact["privacy_level"] = {"id": "PL1", "name": "Public", "number": "1"}
    contact["addresses_set"][0]["country"] = {"id": "GR", "name": "Greece", "code": "GRC"}
    failure = failure_of(expect_created_contact_shown, create(), show(contact))
    assert pointers(failure) == ["/data/privacy_level/number", "/data/addresses_set/0/country/code"]


def test_a_reference_dropped_to_null_fails():
    contact = stored_contact()
    contact["privacy_level"] = None
    failure = failure_of(expect_created_contact_shown, create(), show(contact))
    assert pointers(failure) == ["/data/privacy_level"]


def test_a_resolved_record_without_the_identifying_field_passes():
    contact = stored_contact()
    contact["addresses_set"][0]["country"] = {"id": "CY-ID", "name": "Cyprus"}
    expect_created_contact_shown(create(), show(contact))


def test_a_member_posted_as_null_must_read_back_cleared():
    body = {"type": "PERSON", "first_name": "A", "last_name": "B", "notes": None, "email_set": None}
    contact = {"type": "PERSON", "first_name": "A", "last_name": "B", "notes": None, "emails_set": []}
    expect_created_contact_shown(create(body), show(contact))
    failure = failure_of(expect_created_contact_shown, create(body), show({**contact, "notes": "kept"}))
    assert pointers(failure) == ["/data/notes"]


def test_a_failure_names_the_create_it_compared_with():
    contact = stored_contact()
    contact["notes"] = "other"
    text = str(failure_of(expect_created_contact_shown, create(), show(contact)))
    assert "post.persists" in text and "POST contact_information/create" in text


# -- update ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def documented():
    return documented_contact_fields(SchemaCatalogue(SCHEMAS))


def test_documented_fields_come_from_the_contact_schema(documented):
    assert documented("notes") and documented("emails_set") and documented("udf_string_7")
    assert not documented("created_date") and not documented("udf_string_")


def update(body: dict) -> Exchange:
    return post(contacts.UPDATE, {"token": "t", "contact_information_identifier": {"id": CONTACT_ID}, **body})


UPDATE_BODY = {"title": "Dr", "notes": "changed", "middle_name": None}


def updated_contact() -> dict:
    contact = stored_contact()
    contact.update(title="Dr", notes="changed", middle_name=None, name="Dr Andreas Ioannou")
    contact["created_date"] = "2026-01-16T09:00:00"  # undocumented: may change
    return contact


def update_failure(after: dict, documented) -> ConformanceFailure:
    """The failure of UPDATE_BODY applied to the stored contact, when ``after`` is shown."""
    before, sent = show(stored_contact()), update(UPDATE_BODY)
    return failure_of(expect_update_applied, before, sent, show(after), documented)


def test_an_update_that_changes_only_what_it_sent_passes(documented):
    expect_update_applied(show(stored_contact()), update(UPDATE_BODY), show(updated_contact()), documented)


def test_an_update_that_clears_unsent_fields_fails_update_partial(documented):
    after = updated_contact()
    after["phones_set"] = []
    after["demographics"]["gender"] = None
    failure = update_failure(after, documented)
    assert failure.rule is UPDATE_PARTIAL
    assert pointers(failure) == ["/data/demographics/gender", "/data/phones_set"]
    assert failure.mismatches[0].expected == 'unchanged, "MALE"'


def test_an_update_that_drops_an_unsent_member_fails_update_partial(documented):
    after = updated_contact()
    del after["last_name"]
    failure = update_failure(after, documented)
    assert failure.rule is UPDATE_PARTIAL and pointers(failure) == ["/data/last_name"]


def test_the_composed_name_may_change_only_when_a_name_part_was_sent(documented):
    after = updated_contact()
    expect_update_applied(show(stored_contact()), update(UPDATE_BODY), show(after), documented)
    after = stored_contact()
    after["notes"], after["name"] = "changed", "Someone Else"
    failure = failure_of(
        expect_update_applied, show(stored_contact()), update({"notes": "changed"}), show(after), documented
    )
    assert failure.rule is UPDATE_PARTIAL and pointers(failure) == ["/data/name"]


def test_an_update_not_stored_fails_update_applies(documented):
    after = updated_contact()
    after["title"] = "Mr"
    failure = update_failure(after, documented)
    assert failure.rule is UPDATE_APPLIES and pointers(failure) == ["/data/title"]


def test_a_member_sent_as_null_and_kept_fails_update_clears_null(documented):
    after = updated_contact()
    after["middle_name"] = "Nikolas"
    failure = update_failure(after, documented)
    assert failure.rule is UPDATE_CLEARS_NULL and pointers(failure) == ["/data/middle_name"]
    assert failure.mismatches[0].expected == "cleared (null, or empty)"


def test_every_broken_update_rule_is_reported_together(documented):
    after = updated_contact()
    after.update(title="Mr", middle_name="Nikolas", last_name="Other")
    failure = update_failure(after, documented)
    assert failure.rule is UPDATE_APPLIES
    assert pointers(failure) == ["/data/title", "/data/middle_name", "/data/last_name"]
    assert "also broken: update.clears-null, update.partial" in failure.note


def test_a_collection_sent_in_an_update_is_compared_item_by_item(documented):
    body = {"phone_set": [{"type": "FAX", "number": "22000000"}]}
    after = stored_contact()
    after["phones_set"] = [{"id": "P9", "type": "FAX", "number": "22000000", "area_code": None}]
    expect_update_applied(show(stored_contact()), update(body), show(after), documented)
    after["phones_set"] = stored_contact()["phones_set"]
    failure = failure_of(expect_update_applied, show(stored_contact()), update(body), show(after), documented)
    assert failure.rule is UPDATE_APPLIES
    assert "/data/phones_set/1" in pointers(failure)


# -- post.not-idempotent ---------------------------------------------------------------------


def test_two_creates_with_different_ids_pass():
    body = {"type": "PERSON", "first_name": "A", "last_name": "B"}
    first, second = post(contacts.CREATE, body, {"id": "C-1"}), post(contacts.CREATE, body, {"id": "C-2"})
    expect_two_contacts(first, second)


@pytest.mark.parametrize("second", [{"id": "C-1"}, {"first_name": "A"}, {"id": ""}])
def test_a_second_create_without_a_new_id_fails(second):
    body = {"type": "PERSON", "first_name": "A", "last_name": "B"}
    first = post(contacts.CREATE, body, {"id": "C-1"})
    failure = failure_of(expect_two_contacts, first, post(contacts.CREATE, body, second))
    assert failure.rule is POST_NOT_IDEMPOTENT
    assert pointers(failure) == ["/data/id"]
    assert "made contact C-1" in failure.note


def test_a_first_create_without_an_id_fails():
    body = {"type": "PERSON"}
    first, second = post(contacts.CREATE, body, {}), post(contacts.CREATE, body, {"id": "C"})
    failure = failure_of(expect_two_contacts, first, second)
    assert failure.rule is POST_NOT_IDEMPOTENT


# -- finding the exchanges compared -----------------------------------------------------------


def test_the_exchanges_compared_are_the_latest_successful_ones():
    first_show, refused_show = show(stored_contact()), show(None, code="NOTFOUND")
    the_update = update(UPDATE_BODY)
    exchanges = [create(), first_show, refused_show, the_update, show(updated_contact())]
    assert last_post(exchanges, contacts.UPDATE) is the_update
    assert last_post(exchanges, contacts.CREATE) is exchanges[0]
    assert show_before(exchanges, the_update) is first_show


def test_a_scenario_without_the_exchanges_to_compare_says_so():
    with pytest.raises(LookupError, match="no successful POST contact_information/update"):
        last_post([create()], contacts.UPDATE)
    the_update = update(UPDATE_BODY)
    with pytest.raises(LookupError, match="showed no contact before"):
        show_before([create(), the_update], the_update)
