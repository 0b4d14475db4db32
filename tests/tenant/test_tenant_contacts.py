"""contact_information/show, create and update, over real HTTP."""

from __future__ import annotations

import pytest
import requests
from tenant_api import Answer, Api, person_body

from crmconf.tenant import SEED, EmbeddedTenant
from crmconf.tenant.records import CONTACT_MEMBERS, DEMOGRAPHICS_MEMBERS

PERSON = f"number={SEED.person_number}"


@pytest.fixture(scope="module")
def api():
    with EmbeddedTenant() as tenant:
        yield Api(tenant.url)


# ---------------------------------------------------------------- show


def test_show_by_number_and_by_id_return_the_same_contact(api):
    by_number = api.show(PERSON).assert_ok()
    by_id = api.show(f"id={SEED.person_id}").assert_ok()
    assert by_number == by_id
    assert by_number["id"] == SEED.person_id and by_number["type"] == "PERSON"


def test_show_accepts_the_identifier_unencoded_as_in_the_documentation(api):
    url = (
        f"{api.base}contact_information/show?token={api.token}&contact_information_identifier=number=CI000111"
    )
    assert Answer.of(requests.get(url, timeout=10)).assert_ok()["id"] == SEED.person_id


@pytest.mark.parametrize(
    ("identifier", "contact_id"),
    [
        (f"id_number={SEED.person_id_number}", SEED.person_id),
        (f"passport_number={SEED.person_passport_number}", SEED.person_id),
        (f"social_security_number={SEED.person_social_security_number}", SEED.person_id),
        (f"vat_registration_number={SEED.company_vat_registration_number}", SEED.company_id),
        (f"registration_number={SEED.company_registration_number}", SEED.company_id),
        (f"number={SEED.company_number}", SEED.company_id),
    ],
)
def test_show_finds_contacts_by_every_documented_identifier_field(api, identifier, contact_id):
    assert api.show(identifier).assert_ok()["id"] == contact_id


def test_show_returns_every_documented_member_and_no_internal_number(api):
    person = api.show(PERSON).assert_ok()
    assert tuple(person) == CONTACT_MEMBERS
    assert tuple(person["demographics"]) == DEMOGRAPHICS_MEMBERS
    assert "number" not in person
    assert person["udf_string_3"] is None
    assert isinstance(person["organizational_unit"], int)
    assert set(person["privacy_level"]) == {"id", "name", "number"}
    assert set(person["demographics"]["date_of_birth"]) == {"day", "month", "year"}
    assert set(person["demographics"]["name_day"]) == {"day", "month"}
    assert all(len(person[name]) >= 1 for name in ("addresses_set", "phones_set", "emails_set"))


def test_company_has_company_name_as_its_name(api):
    company = api.show(f"number={SEED.company_number}").assert_ok()
    assert company["type"] == "COMPANY" and company["name"] == company["company_name"]
    assert company["first_name"] is None and company["demographics"]["gender"] is None


def test_show_of_an_unknown_contact_is_a_404(api):
    api.show("number=CI999999").assert_error(404, "NOTFOUND")
    api.show("id=0000").assert_error(404, "NOTFOUND")


@pytest.mark.parametrize(
    "identifier",
    [
        pytest.param(f"number={SEED.person_number},id={SEED.person_id}", id="two-fields"),
        pytest.param(SEED.person_number, id="no-field"),
        pytest.param("email_address=eleni.georgiou@example.com", id="field-not-allowed"),
        pytest.param("number=", id="empty-value"),
        pytest.param("", id="empty"),
    ],
)
def test_show_refuses_an_identifier_that_does_not_name_exactly_one_allowed_field(api, identifier):
    api.show(identifier).assert_error(400, "IDENTIFIER")


def test_show_without_identifier_is_a_validation_error(api):
    message = api.get("contact_information/show").assert_error(400, "MANDATORY")
    assert "contact_information_identifier" in message


def test_fields_set_on_show_returns_only_the_named_fields(api):
    shown = api.show(PERSON, fields_set=" first_name , emails_set,unknown_field,,").assert_ok()
    assert shown == {
        "first_name": "Eleni",
        "emails_set": api.show(PERSON).assert_ok()["emails_set"],
    }


def test_fields_set_adds_no_implicit_id_and_empty_fields_set_means_all(api):
    assert api.show(PERSON, fields_set="last_name").assert_ok() == {"last_name": "Georgiou"}
    assert api.show(PERSON, fields_set=" , ").assert_ok() == api.show(PERSON).assert_ok()


# ---------------------------------------------------------------- create


def test_create_person_returns_the_full_new_contact(api):
    created = api.create(person_body()).assert_ok()
    assert tuple(created) == CONTACT_MEMBERS
    assert created["name"] == "Nikos Andreas Pavlides"
    assert created["privacy_level"]["number"] == "8"
    assert created["demographics"]["id_issued_by_country"]["code"] == "GRC"
    assert created["demographics"]["date_of_birth"] == {"day": 1, "month": 2, "year": 1990}
    assert created["addresses_set"][0]["country"]["code"] == "CYP"
    assert created["addresses_set"][0]["floor"] == 1
    assert created["phones_set"][0]["number"] == "99887766"
    assert created["emails_set"][0]["is_primary"] is True
    assert all(item["id"] for name in ("addresses_set", "phones_set", "emails_set") for item in created[name])
    assert created["udf_string_2"] is None and created["company_name"] is None
    assert api.show(f"id={created['id']}").assert_ok() == created


def test_create_company_needs_only_company_name(api):
    created = api.create({"type": "COMPANY", "company_name": "Troodos Fibre Ltd"}).assert_ok()
    assert created["name"] == "Troodos Fibre Ltd"
    assert created["life_cycle_state"] == "MARKETING"
    assert created["addresses_set"] == [] and created["phones_set"] == [] and created["emails_set"] == []


def test_create_with_fields_set_returns_only_those_fields(api):
    created = api.create(person_body(fields_set="id, last_name")).assert_ok()
    assert set(created) == {"id", "last_name"}
    assert api.show(f"id={created['id']}").assert_ok()["first_name"] == "Nikos"


def test_two_identical_creates_make_two_contacts(api):
    body = {"type": "COMPANY", "company_name": "Same Twice Ltd"}
    first, second = api.create(body).assert_ok(), api.create(body).assert_ok()
    assert first["id"] != second["id"]
    assert api.show(f"id={first['id']}").assert_ok()["company_name"] == "Same Twice Ltd"
    assert api.show(f"id={second['id']}").assert_ok()["company_name"] == "Same Twice Ltd"


@pytest.mark.parametrize(
    ("body", "named"),
    [
        pytest.param({"first_name": "A", "last_name": "B"}, "type", id="no-type"),
        pytest.param({"type": "PERSON", "last_name": "B"}, "first_name", id="person-without-first-name"),
        pytest.param({"type": "PERSON", "first_name": "A"}, "last_name", id="person-without-last-name"),
        pytest.param(
            {"type": "PERSON", "first_name": " ", "last_name": "B"}, "first_name", id="blank-first-name"
        ),
        pytest.param(
            {"type": "COMPANY", "first_name": "A", "last_name": "B"}, "company_name", id="company-unnamed"
        ),
        pytest.param(
            {"type": "PERSON", "first_name": "A", "last_name": "B", "phone_set": [{"type": "MOBILE"}]},
            "phone_set[0].number",
            id="phone-without-number",
        ),
        pytest.param(
            {"type": "PERSON", "first_name": "A", "last_name": "B", "address_set": [{"street_name": "X"}]},
            "address_set[0].type",
            id="address-without-type",
        ),
    ],
)
def test_create_refuses_missing_mandatory_fields(api, body, named):
    assert named in api.create(body).assert_error(400, "MANDATORY")


def _person(**members):
    return {"type": "PERSON", "first_name": "A", "last_name": "B", **members}


@pytest.mark.parametrize(
    ("body", "named"),
    [
        pytest.param({"type": "ROBOT", "company_name": "X"}, "type", id="type"),
        pytest.param(_person(life_cycle_state="ACTIVE"), "life_cycle_state", id="life-cycle-state"),
        pytest.param(_person(demographics={"gender": "OTHER"}), "demographics.gender", id="gender"),
        pytest.param(_person(address_set=[{"type": "CUSTOM6"}]), "address_set[0].type", id="address-type"),
        pytest.param(
            _person(phone_set=[{"type": "PAGER", "number": "1"}]), "phone_set[0].type", id="phone-type"
        ),
        pytest.param(
            _person(email_set=[{"type": "HOME", "email_address": "a@b.c"}]),
            "email_set[0].type",
            id="email-type",
        ),
    ],
)
def test_create_refuses_values_outside_the_documented_enums(api, body, named):
    message = api.create(body).assert_error(400, "INVALIDPARAMETER")
    assert named in message and "must be one of" in message


@pytest.mark.parametrize(
    ("members", "named"),
    [
        pytest.param(
            {"demographics": {"date_of_birth": {"day": "01", "month": 1, "year": 1990}}},
            "demographics.date_of_birth.day",
            id="date-of-birth-string-day",
        ),
        pytest.param(
            {"demographics": {"date_of_birth": {"day": 31, "month": 2, "year": 1990}}},
            "demographics.date_of_birth",
            id="date-of-birth-not-a-date",
        ),
        pytest.param(
            {"demographics": {"name_day": {"day": 32, "month": 1}}}, "demographics.name_day", id="name-day"
        ),
        pytest.param(
            {"address_set": [{"type": "HOME", "floor": "3"}]}, "address_set[0].floor", id="floor-string"
        ),
        pytest.param(
            {"address_set": [{"type": "HOME", "floor": 2.5}]}, "address_set[0].floor", id="floor-float"
        ),
        pytest.param({"organizational_unit": True}, "organizational_unit", id="organizational-unit-bool"),
        pytest.param({"udf_float_1": "12"}, "udf_float_1", id="udf-float-string"),
        pytest.param({"first_name": 7}, "first_name", id="first-name-number"),
        pytest.param(
            {"email_set": [{"type": "PERSONAL", "email_address": "not-an-address"}]},
            "email_set[0].email_address",
            id="email-address",
        ),
        pytest.param(
            {
                "email_set": [
                    {"type": "PERSONAL", "email_address": "a@b.c", "is_primary": True},
                    {"type": "BUSINESS", "email_address": "d@e.f", "is_primary": True},
                ]
            },
            "primary",
            id="two-primary-emails",
        ),
        pytest.param(
            {"phone_set": {"type": "MOBILE", "number": "1"}}, "phone_set", id="collection-not-array"
        ),
        pytest.param({"demographics": "MALE"}, "demographics", id="demographics-not-object"),
    ],
)
def test_create_refuses_values_of_the_wrong_type(api, members, named):
    assert named in api.create(_person(**members)).assert_error(400, "INVALIDPARAMETER")


@pytest.mark.parametrize(
    "members",
    [
        pytest.param({"privacy_level_identifier": {"number": "8", "name": "Restricted"}}, id="two-fields"),
        pytest.param({"privacy_level_identifier": {}}, id="no-field"),
        pytest.param({"privacy_level_identifier": {"number": 8}}, id="non-string-value"),
        pytest.param({"privacy_level_identifier": "8"}, id="not-an-object"),
        pytest.param({"category_identifier": {"colour": "blue"}}, id="field-not-allowed"),
        pytest.param(
            {"address_set": [{"type": "HOME", "country_identifier": {"code": "CYP", "name": "Cyprus"}}]},
            id="country-two-fields",
        ),
    ],
)
def test_create_refuses_identifier_objects_that_do_not_name_exactly_one_field(api, members):
    api.create(_person(**members)).assert_error(400, "INVALIDIDENTIFIER")


@pytest.mark.parametrize(
    "members",
    [
        pytest.param({"privacy_level_identifier": {"number": "99"}}, id="privacy-level"),
        pytest.param({"category_identifier": {"name": "No Such Category"}}, id="category"),
        pytest.param({"owned_by_group_identifier": {"name": "No Such Group"}}, id="group"),
        pytest.param(
            {"address_set": [{"type": "HOME", "country_identifier": {"code": "XXX"}}]}, id="country"
        ),
        pytest.param({"demographics": {"industry_identifier": {"code": "NOPE"}}}, id="industry"),
    ],
)
def test_create_refuses_identifier_objects_naming_records_that_do_not_exist(api, members):
    api.create(_person(**members)).assert_error(404, "NOTFOUNDEXCEPTION")


def test_a_refused_create_stores_nothing():
    with EmbeddedTenant() as tenant:
        fresh = Api(tenant.url)
        fresh.create(_person(privacy_level_identifier={"number": "99"})).assert_error(404, "NOTFOUND")
        fresh.create({"type": "PERSON", "first_name": "A"}).assert_error(400, "MANDATORY")
        created = fresh.create({"type": "COMPANY", "company_name": "First Stored Ltd"}).assert_ok()
        # The first contact stored after the seed's CI000111 and CI000112 gets the next number.
        assert fresh.show("number=CI000113").assert_ok() == created
        fresh.show("number=CI000114").assert_error(404, "NOTFOUND")


# ---------------------------------------------------------------- update


@pytest.fixture()
def contact(api):
    return api.create(person_body()).assert_ok()


def test_update_changes_what_is_sent_and_keeps_the_rest(api, contact):
    updated = api.update(
        {"id": contact["id"]}, {"notes": "Changed", "demographics": {"gender": "FEMALE"}}
    ).assert_ok()
    assert updated["notes"] == "Changed"
    assert updated["demographics"]["gender"] == "FEMALE"
    assert updated["demographics"]["id_number"] == contact["demographics"]["id_number"]
    unchanged = {name: value for name, value in contact.items() if name not in ("notes", "demographics")}
    assert {name: updated[name] for name in unchanged} == unchanged
    assert api.show(f"id={contact['id']}").assert_ok() == updated


def test_update_clears_members_sent_as_null(api, contact):
    updated = api.update(
        {"id": contact["id"]},
        {"middle_name": None, "privacy_level_identifier": None, "phone_set": None, "udf_float_1": None},
    ).assert_ok()
    assert updated["middle_name"] is None and updated["name"] == "Nikos Pavlides"
    assert updated["privacy_level"] is None and updated["udf_float_1"] is None
    assert updated["phones_set"] == []
    assert updated["emails_set"] == contact["emails_set"]


def test_update_with_demographics_null_clears_all_of_them(api, contact):
    updated = api.update({"id": contact["id"]}, {"demographics": None}).assert_ok()
    assert set(updated["demographics"].values()) == {None}


def test_update_replaces_a_collection_that_is_sent(api, contact):
    new_phones = [{"type": "LANDLINE", "number": "22000000"}, {"type": "FAX", "number": "22000001"}]
    updated = api.update({"id": contact["id"]}, {"phone_set": new_phones}).assert_ok()
    assert [(phone["type"], phone["number"]) for phone in updated["phones_set"]] == [
        ("LANDLINE", "22000000"),
        ("FAX", "22000001"),
    ]
    assert not {phone["id"] for phone in updated["phones_set"]} & {
        phone["id"] for phone in contact["phones_set"]
    }


def test_update_finds_the_contact_by_any_identifier_field(api):
    contact = api.create(person_body(demographics={"id_number": "UPDATE-BY-ID-NUMBER"})).assert_ok()
    updated = api.update({"id_number": "UPDATE-BY-ID-NUMBER"}, {"title": "Dr"}).assert_ok()
    assert updated["id"] == contact["id"] and updated["title"] == "Dr"


def test_update_returns_only_fields_set_when_given(api, contact):
    assert api.update({"id": contact["id"]}, {"notes": "x", "fields_set": "notes"}).assert_ok() == {
        "notes": "x"
    }


def test_update_cannot_clear_a_mandatory_name_or_change_the_type(api, contact):
    assert "last_name" in api.update({"id": contact["id"]}, {"last_name": None}).assert_error(
        400, "MANDATORY"
    )
    api.update({"id": contact["id"]}, {"type": "COMPANY"}).assert_error(400, "INVALIDPARAMETER")
    assert api.show(f"id={contact['id']}").assert_ok() == contact


@pytest.mark.parametrize(
    "identifier",
    [
        pytest.param({"number": SEED.person_number, "id": SEED.person_id}, id="two-fields"),
        pytest.param({}, id="no-field"),
        pytest.param(f"number={SEED.person_number}", id="query-form-in-a-body"),
        pytest.param({"number": 111}, id="non-string-value"),
        pytest.param({"email": "x"}, id="field-not-allowed"),
    ],
)
def test_update_refuses_an_identifier_that_does_not_name_exactly_one_field(api, identifier):
    api.update(identifier, {"notes": "x"}).assert_error(400, "INVALIDIDENTIFIER")


def test_update_of_an_unknown_contact_is_a_404(api):
    api.update({"number": "CI999999"}, {"notes": "x"}).assert_error(404, "NOTFOUND")


def test_identifier_matching_two_contacts_is_refused(api):
    api.create(person_body(demographics={"passport_number": "P-TWICE"})).assert_ok()
    api.create(person_body(demographics={"passport_number": "P-TWICE"})).assert_ok()
    api.show("passport_number=P-TWICE").assert_error(400, "AMBIGUOUSIDENTIFIER")
