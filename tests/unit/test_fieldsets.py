"""fields_set checks, the documented rule and the open points, on hand-made exchanges."""

import json

import pytest
from check_support import failure_of

from crmconf import rules
from crmconf.checks import expect_fields_exactly
from crmconf.client import API_PATH, Exchange, SentRequest
from crmconf.fieldsets import OPEN_POINTS, expect_open_point_answer, field_names

OPERATION = "contact_information/show"
UNKNOWN = OPEN_POINTS["an unknown name"]
SPACES = OPEN_POINTS["spaces after commas"]
EITHER_HTTP = ("200", "4xx")
FULL_CONTACT = {"id": "C-1", "type": "PERSON", "first_name": "Eleni", "last_name": "Georgiou", "notes": None}


def answer(data=None, code="OK", http_status=200, fields_set="first_name,crmconf_no_such_field") -> Exchange:
    url = "https://tenant.example.com" + API_PATH + OPERATION
    request = SentRequest("GET", OPERATION, url, params={"token": "t", "fields_set": fields_set})
    message = None if code == "OK" else "fields_set names an unknown field"
    body = {"status": {"code": code, "message": message, "description": None}, "data": data}
    return Exchange(request, http_status, "application/json", json.dumps(body), 0.01)


def refusal(http_status=400) -> Exchange:
    return answer(code="COM.CRM.EXCEPTION.INVALIDPARAMETEREXCEPTION", http_status=http_status)


def test_field_names_split_on_commas_and_drop_spaces():
    assert field_names("first_name,last_name") == ["first_name", "last_name"]
    assert field_names(" id , name,") == ["id", "name"]


# -- the documented rule: exactly the fields asked for ---------------------------------------


def test_exactly_the_fields_asked_for_pass():
    exchange = answer({"first_name": "Eleni", "last_name": None})
    expect_fields_exactly(exchange, "data", ["first_name", "last_name"], rules.FIELDS_SET)


def test_fields_set_ignored_fails_naming_the_extra_fields():
    fields = ["first_name", "last_name"]
    failure = failure_of(expect_fields_exactly, answer(FULL_CONTACT), "data", fields, rules.FIELDS_SET)
    assert failure.rule is rules.FIELDS_SET
    assert "extra id, type, notes" in failure.mismatches[0].received


def test_one_field_dropped_fails_naming_it():
    exchange = answer({"first_name": "Eleni"})
    fields = ["first_name", "last_name"]
    failure = failure_of(expect_fields_exactly, exchange, "data", fields, rules.FIELDS_SET)
    assert failure.mismatches[0].received == "missing last_name"


# -- the open points ---------------------------------------------------------------------------


@pytest.mark.parametrize("pinned", ["any", "ignored"])
def test_an_unknown_name_ignored_passes_unless_pinned_to_refused(pinned):
    exchange = answer({"first_name": "Eleni"})
    assert expect_open_point_answer(exchange, UNKNOWN, pinned, ["first_name"], EITHER_HTTP) == "ignored"


@pytest.mark.parametrize("pinned", ["any", "refused"])
def test_an_unknown_name_refused_passes_unless_pinned_to_ignored(pinned):
    assert expect_open_point_answer(refusal(), UNKNOWN, pinned, ["first_name"], EITHER_HTTP) == "refused"


def test_an_unknown_name_answered_with_extra_fields_fails():
    exchange = answer({"first_name": "Eleni", "crmconf_no_such_field": None})
    failure = failure_of(expect_open_point_answer, exchange, UNKNOWN, "any", ["first_name"], EITHER_HTTP)
    assert failure.rule is rules.FIELDS_SET_OPEN
    assert "extra crmconf_no_such_field" in failure.mismatches[0].received


def test_an_unknown_name_that_disables_fields_set_fails():
    exchange = answer(FULL_CONTACT)
    failure = failure_of(expect_open_point_answer, exchange, UNKNOWN, "any", ["first_name"], EITHER_HTTP)
    assert failure.rule is rules.FIELDS_SET_OPEN


def test_spaces_trimmed_pass_and_a_field_dropped_fails():
    fields = ["first_name", "last_name"]
    trimmed = answer({"first_name": "Eleni", "last_name": "Georgiou"}, fields_set="first_name, last_name")
    assert expect_open_point_answer(trimmed, SPACES, "any", fields, EITHER_HTTP) == "trimmed"
    dropped = answer({"first_name": "Eleni"}, fields_set="first_name, last_name")
    failure = failure_of(expect_open_point_answer, dropped, SPACES, "trimmed", fields, EITHER_HTTP)
    assert failure.rule is rules.FIELDS_SET_OPEN
    assert failure.mismatches[0].received == "missing last_name"


def test_an_ok_answer_fails_when_the_profile_says_refused():
    exchange = answer({"first_name": "Eleni"})
    failure = failure_of(expect_open_point_answer, exchange, UNKNOWN, "refused", ["first_name"], EITHER_HTTP)
    assert failure.rule is rules.FIELDS_SET_OPEN
    assert "CRM_FIELDS_SET_UNKNOWN is refused" in failure.mismatches[0].expected


def test_a_refusal_fails_when_the_profile_says_trimmed():
    failure = failure_of(expect_open_point_answer, refusal(), SPACES, "trimmed", ["first_name"], EITHER_HTTP)
    assert failure.rule is rules.FIELDS_SET_OPEN
    assert "CRM_FIELDS_SET_SPACES is trimmed" in failure.mismatches[0].expected


def test_a_refusal_is_held_to_the_error_rules():
    fields = ["first_name"]
    server_error = failure_of(expect_open_point_answer, refusal(500), UNKNOWN, "any", fields, EITHER_HTTP)
    assert server_error.rule is rules.NO_SERVER_ERROR
    wrong_status = failure_of(expect_open_point_answer, refusal(200), UNKNOWN, "any", fields, ("4xx",))
    assert wrong_status.rule is rules.ERROR_HTTP_STATUS


def test_each_open_point_names_its_setting_and_topic():
    assert (UNKNOWN.setting, UNKNOWN.variable) == ("fields_set_unknown", "CRM_FIELDS_SET_UNKNOWN")
    assert (SPACES.setting, SPACES.variable) == ("fields_set_spaces", "CRM_FIELDS_SET_SPACES")
    assert UNKNOWN.topic == "fields_set with an unknown name"
