"""Conformance checks and the failures they raise, against the suite's real schemas."""

import json
import shlex
from pathlib import Path

import pytest
from check_support import envelope, failure_of

from crmconf import rules
from crmconf.checks import (
    MAX_DIFFERENCES,
    check_response,
    differences_between,
    expect_error,
    expect_present,
    expect_same_body,
    expect_success,
    expect_value,
    pointer,
    value_at,
)
from crmconf.client import API_PATH, Exchange, SentRequest
from crmconf.failures import Mismatch, Rule
from crmconf.schemas import SchemaCatalogue

SCHEMAS = Path(__file__).parents[2] / "schemas"
SERVER = "https://tenant.example.com"


@pytest.fixture(scope="module")
def catalogue():
    return SchemaCatalogue(SCHEMAS)


def exchange(
    body, http_status=200, content_type="application/json", operation="authentication/token", method="POST"
):
    text = body if isinstance(body, str) else json.dumps(body)
    url = SERVER + API_PATH + operation
    if method == "GET":
        request = SentRequest("GET", operation, url, params={"token": "t", "fields_set": "id"})
    else:
        request = SentRequest("POST", operation, url, json_body={"username": "ann", "password": "pw"})
    return Exchange(request, http_status, content_type, text, 0.01)


def error(code="COM.CRM.EXCEPTION.AUTHENTICATION.INVALIDCREDENTIALSEXCEPTION", message="Wrong password"):
    return envelope(None, code, message)


# -- check_response ------------------------------------------------------------------------------


def test_valid_success_passes(catalogue):
    check_response(exchange(envelope({"token": "abc"})), catalogue)


def test_success_with_data_first_and_sentence_message_passes(catalogue):
    body = {"data": {"token": "abc"}, "status": {"code": "OK", "message": "Logged in", "description": ""}}
    check_response(exchange(body, content_type="application/json; charset=UTF-8"), catalogue)


def test_valid_error_passes_with_200_or_4xx(catalogue):
    check_response(exchange(error(), 200), catalogue)
    check_response(exchange(error(), 401), catalogue)


def test_non_json_body_fails_json_rule(catalogue):
    failure = failure_of(check_response, exchange("<html>Bad gateway</html>", 502, "text/html"), catalogue)
    assert failure.rule is rules.JSON_RESPONSE
    assert len(failure.mismatches) == 2
    text = str(failure)
    assert "expected Content-Type application/json" in text
    assert "expected a JSON body" in text and "not JSON" in text


def test_wrong_content_type_fails_json_rule(catalogue):
    failure = failure_of(
        check_response, exchange(envelope({"token": "a"}), content_type="text/plain"), catalogue
    )
    assert failure.rule is rules.JSON_RESPONSE
    assert [m.received for m in failure.mismatches] == ['"text/plain"']


def test_missing_content_type_fails_json_rule(catalogue):
    failure = failure_of(check_response, exchange(envelope({"token": "a"}), content_type=""), catalogue)
    assert failure.rule is rules.JSON_RESPONSE
    assert "(none)" in failure.mismatches[0].received


@pytest.mark.parametrize(
    "body",
    [
        [1, 2],
        {"token": "abc"},
        {"status": "OK", "data": None},
        {"status": {}, "data": 1},
    ],
)
def test_body_that_is_not_an_envelope_fails_envelope_rule(catalogue, body):
    failure = failure_of(check_response, exchange(body), catalogue)
    assert failure.rule is rules.ENVELOPE
    assert failure.mismatches


def test_success_without_data_fails_response_schema(catalogue):
    failure = failure_of(check_response, exchange({"status": {"code": "OK"}}), catalogue)
    assert failure.rule is rules.RESPONSE_SCHEMA
    assert failure.mismatches[0].expected.startswith("required")


def test_success_not_matching_operation_schema_fails_response_schema(catalogue):
    failure = failure_of(check_response, exchange(envelope({"tokn": "abc"})), catalogue)
    assert failure.rule is rules.RESPONSE_SCHEMA
    [mismatch] = failure.mismatches
    assert mismatch.pointer == "/data"
    assert mismatch.expected.startswith("required")
    assert mismatch.schema_path.startswith("operations/authentication/token.json#")


def test_success_lists_every_schema_mismatch(catalogue):
    body = envelope({"id": 7, "first_name": 3, "organizational_unit": "one"})
    failure = failure_of(
        check_response, exchange(body, operation="contact_information/show", method="GET"), catalogue
    )
    assert failure.rule is rules.RESPONSE_SCHEMA
    assert {m.pointer for m in failure.mismatches} == {
        "/data/id",
        "/data/first_name",
        "/data/organizational_unit",
    }
    assert all(
        m.schema_path.startswith("operations/contact_information/show.json#") for m in failure.mismatches
    )


def test_success_of_unknown_operation_fails_response_schema(catalogue):
    failure = failure_of(check_response, exchange(envelope({}), operation="no_such/thing"), catalogue)
    assert failure.rule is rules.RESPONSE_SCHEMA
    assert "operations/no_such/thing.json" in str(failure)


@pytest.mark.parametrize(
    "body",
    [
        error(message=""),
        error(message="   "),
        error(message=None),
        {"status": {"code": "ERR", "message": "m"}, "data": {"token": "x"}},
        {"status": {"code": "", "message": "m"}, "data": None},
    ],
)
def test_error_not_matching_error_schema_fails_error_rule(catalogue, body):
    failure = failure_of(check_response, exchange(body, 400), catalogue)
    assert failure.rule is rules.ERROR_SCHEMA
    assert all(m.schema_path.startswith("error.json#") for m in failure.mismatches)


def test_error_is_checked_with_error_schema_even_for_unknown_operation(catalogue):
    check_response(exchange(error(), 404, operation="no_such/thing"), catalogue)


# -- expect_success / expect_error -------------------------------------------------------------------


def test_expect_success_passes_ok():
    expect_success(exchange(envelope({"token": "a"})))


def test_expect_success_refuses_error_and_quotes_tenant():
    failure = failure_of(expect_success, exchange(error(message="Contact not found"), 404))
    assert failure.rule is rules.SUCCESS
    assert failure.mismatches[0].pointer == "/status/code"
    assert "the tenant said: Contact not found" in str(failure)


def test_expect_success_refuses_non_json():
    failure = failure_of(expect_success, exchange("oops", 500, "text/plain"))
    assert failure.rule is rules.SUCCESS
    assert failure.mismatches[0].received == "null"


@pytest.mark.parametrize("http_status", [200, 400, 401, 404, 499])
def test_expect_error_accepts_200_and_4xx(http_status):
    expect_error(exchange(error(), http_status))


@pytest.mark.parametrize("http_status", [200, 400])
def test_expect_error_refuses_ok(http_status):
    failure = failure_of(expect_error, exchange(envelope({"token": "a"}), http_status))
    assert failure.rule is rules.REFUSED


@pytest.mark.parametrize("http_status", [500, 502, 503])
def test_expect_error_refuses_5xx(http_status):
    failure = failure_of(expect_error, exchange(error(), http_status))
    assert failure.rule is rules.NO_SERVER_ERROR
    assert failure.mismatches[0].received == f"HTTP {http_status}"


@pytest.mark.parametrize("http_status", [201, 302])
def test_expect_error_refuses_other_statuses(http_status):
    failure = failure_of(expect_error, exchange(error(), http_status))
    assert failure.rule is rules.ERROR_HTTP_STATUS
    assert failure.mismatches[0].expected == "HTTP 200 or 4xx"


def test_expect_error_may_require_4xx_only():
    expect_error(exchange(error(), 400), allowed_http=("4xx",))
    failure = failure_of(expect_error, exchange(error(), 200), allowed_http=("4xx",))
    assert failure.rule is rules.ERROR_HTTP_STATUS


def test_expect_error_may_require_200_only():
    expect_error(exchange(error(), 200), allowed_http=("200",))
    assert (
        failure_of(expect_error, exchange(error(), 404), allowed_http=("200",)).rule
        is rules.ERROR_HTTP_STATUS
    )


# -- expect_same_body -------------------------------------------------------------------------------


def test_same_body_passes_with_members_in_another_order():
    first = exchange({"status": {"code": "OK"}, "data": {"a": 1, "b": [1, {"c": 2}]}}, method="GET")
    second = exchange({"data": {"b": [1, {"c": 2}], "a": 1}, "status": {"code": "OK"}}, method="GET")
    expect_same_body(first, second)


def test_same_body_lists_differences_by_json_pointer():
    first = exchange(envelope({"name": "Ann", "tags": ["a", "b"], "gone": 1, "n": 1}), method="GET")
    second = exchange(envelope({"name": "Bob", "tags": ["a", "c"], "new": True, "n": "1"}), method="GET")
    failure = failure_of(expect_same_body, first, second)
    assert failure.rule is rules.GET_IDEMPOTENT
    assert failure.exchange is second
    found = {m.pointer: (m.expected, m.received) for m in failure.mismatches}
    assert found == {
        "/data/name": ('"Ann"', '"Bob"'),
        "/data/tags/1": ('"b"', '"c"'),
        "/data/gone": ("1", "nothing (the member is absent)"),
        "/data/new": ("nothing (the member was absent)", "true"),
        "/data/n": ("1", '"1"'),
    }
    assert "compared with the earlier answer to GET authentication/token" in str(failure)


def test_same_body_compares_lists_of_another_length_whole():
    first, second = exchange(envelope([1, 2]), method="GET"), exchange(envelope([1, 2, 3]), method="GET")
    [mismatch] = failure_of(expect_same_body, first, second).mismatches
    assert (mismatch.pointer, mismatch.expected, mismatch.received) == ("/data", "[1, 2]", "[1, 2, 3]")


def test_same_body_tells_true_from_one():
    assert list(differences_between({"a": True}, {"a": 1})) == [Mismatch("/a", "true", "1")]


def test_same_body_shows_at_most_the_limit_and_counts_the_rest():
    first = exchange(envelope({f"k{i}": i for i in range(MAX_DIFFERENCES + 5)}), method="GET")
    second = exchange(envelope({f"k{i}": -i - 1 for i in range(MAX_DIFFERENCES + 5)}), method="GET")
    failure = failure_of(expect_same_body, first, second)
    assert len(failure.mismatches) == MAX_DIFFERENCES
    assert "; 5 more differences" in str(failure)


def test_same_body_accepts_another_rule():
    rule = Rule("custom.rule", "stays the same", "here")
    failure = failure_of(expect_same_body, exchange(envelope(1)), exchange(envelope(2)), rule=rule)
    assert failure.rule is rule


def test_differences_pointer_escapes_slash_and_tilde():
    [mismatch] = differences_between({"a/b": {"c~d": 1}}, {"a/b": {"c~d": 2}})
    assert mismatch.pointer == "/a~1b/c~0d"


# -- values --------------------------------------------------------------------------------------------


def test_value_at_follows_dotted_path_into_lists():
    body = {"data": {"addresses_set": [{"town_city": "Nicosia"}]}}
    assert value_at(body, "data.addresses_set.0.town_city") == "Nicosia"
    assert value_at(body, "") is body


def test_pointer_of_dotted_path():
    assert pointer("data.addresses_set.0") == "/data/addresses_set/0"
    assert pointer("") == ""


def test_expect_value_passes_equal_value():
    expect_value(exchange(envelope({"id": "7"})), "data.id", "7")


def test_expect_value_reports_pointer_expected_and_received():
    failure = failure_of(expect_value, exchange(envelope({"id": "8"})), "data.id", "7")
    assert failure.rule is rules.VALUE
    assert failure.mismatches == [Mismatch("/data/id", '"7"', '"8"')]


def test_expect_value_reports_absent_member():
    failure = failure_of(expect_value, exchange(envelope({"list": []})), "data.list.0", None)
    assert failure.mismatches[0].received == "nothing (the member is absent)"


def test_expect_present_returns_value():
    assert expect_present(exchange(envelope({"token": "abc"})), "data.token") == "abc"


@pytest.mark.parametrize(
    "data, received", [({"token": None}, "null"), ({}, "nothing (the member is absent)")]
)
def test_expect_present_refuses_null_and_absent(data, received):
    assert (
        failure_of(expect_present, exchange(envelope(data)), "data.token").mismatches[0].received == received
    )


# -- failure messages -------------------------------------------------------------------------------


def test_failure_message_names_rule_and_gives_curl_line(catalogue):
    broken = exchange({"token": "abc"}, 200, operation="authentication/token")
    failure = failure_of(check_response, broken, catalogue)
    text = str(failure)
    lines = text.splitlines()
    assert lines[0] == f"Rule broken: {rules.ENVELOPE}"
    assert "envelope.shape" in lines[0]
    assert f"Request: {broken.request.curl()}" in lines
    curl = next(line for line in lines if line.startswith("Request: "))[len("Request: ") :]
    assert shlex.split(curl)[:5] == ["curl", "-sS", "-X", "POST", SERVER + API_PATH + "authentication/token"]
    assert "Response: HTTP 200, Content-Type application/json" in text
    assert '{"token": "abc"}' in text


def test_failure_message_of_get_has_query_in_curl():
    failure = failure_of(
        expect_value,
        exchange(envelope({"id": "8"}), method="GET", operation="contact_information/show"),
        "data.id",
        "7",
    )
    assert "contact_information/show?token=t&fields_set=id" in str(failure)
    assert failure.rule.id in str(failure)


def test_failure_message_cuts_long_body():
    failure = failure_of(expect_value, exchange(envelope({"long": "x" * 5000})), "data.id", "7")
    assert "characters in all" in str(failure)
    assert len(str(failure)) < 2000


def test_failure_message_of_empty_body():
    failure = failure_of(check_response, exchange("", 502, "text/html"), SchemaCatalogue(SCHEMAS))
    assert "(empty body)" in str(failure)
    assert "Content-Type text/html" in str(failure)
