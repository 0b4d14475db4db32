"""Failure messages: the rule, every mismatch, the request as curl, the start of the response."""

import shlex

from crmconf import rules
from crmconf.client import Exchange, SentRequest
from crmconf.failures import ConformanceFailure, Mismatch, Rule, shown

URL = "https://tenant.example.com/crmapi/rest/v2/contact_information/show"


def test_rule_shows_id_statement_and_source():
    assert str(Rule("a.b", "does c", "page d")) == "a.b: does c (page d)"


def test_mismatch_shows_pointer_expected_and_received():
    assert str(Mismatch("/data/id", '"7"', '"8"')) == 'at /data/id: expected "7", received "8"'


def test_mismatch_at_root_says_whole_body():
    assert str(Mismatch("", "a", "b")) == "at (the whole body): expected a, received b"


def test_mismatch_shows_schema_path():
    text = str(Mismatch("/data", "required", "{}", "x.json#/required"))
    assert text == "at /data: expected required, received {}  [schema: x.json#/required]"


def test_failure_lists_every_mismatch_in_order():
    failure = ConformanceFailure(rules.VALUE, [Mismatch("/a", "1", "2"), Mismatch("/b", "3", "4")])
    assert str(failure).splitlines() == [
        f"Rule broken: {rules.VALUE}",
        "  at /a: expected 1, received 2",
        "  at /b: expected 3, received 4",
    ]


def test_failure_with_exchange_ends_with_curl_and_response():
    request = SentRequest("GET", "contact_information/show", URL, params={"fields_set": "id,name"})
    exchange = Exchange(request, 404, "application/json", '{"status": {"code": "X"}}', 0.1)
    failure = ConformanceFailure(rules.SUCCESS, [Mismatch("/status/code", '"OK"', '"X"')], exchange)
    lines = str(failure).splitlines()
    assert lines[0].startswith("Rule broken: request.succeeds: ")
    assert lines[2] == f"Request: {request.curl()}"
    assert shlex.split(lines[2][len("Request: ") :]) == [
        "curl",
        "-sS",
        "-X",
        "GET",
        URL + "?fields_set=id,name",
    ]
    assert lines[3] == "Response: HTTP 404, Content-Type application/json, 25 characters"
    assert lines[4] == '  {"status": {"code": "X"}}'
    assert failure.request is request


def test_failure_without_exchange_shows_given_request():
    request = SentRequest("POST", "a", URL, json_body={"x": 1})
    failure = ConformanceFailure(rules.VALUE, [Mismatch("", "a", "b")], request=request, note="a note")
    lines = str(failure).splitlines()
    assert lines[1] == "  a note"
    assert lines[2] == "  at (the whole body): expected a, received b"
    assert lines[3] == f"Request: {request.curl()}"
    assert len(lines) == 4


def test_failure_of_response_without_content_type_or_body():
    exchange = Exchange(SentRequest("GET", "a", URL), 502, "", "", 0.1)
    text = str(ConformanceFailure(rules.JSON_RESPONSE, [], exchange))
    assert "Response: HTTP 502, Content-Type (none), 0 characters" in text
    assert text.endswith("  (empty body)")


def test_failure_is_an_assertion_error_with_its_parts():
    failure = ConformanceFailure(rules.VALUE, [Mismatch("/a", "1", "2")])
    assert isinstance(failure, AssertionError)
    assert failure.rule is rules.VALUE and failure.exchange is None and failure.request is None


def test_shown_sorts_keys_and_quotes_text():
    assert shown({"b": 1, "a": 2}) == '{"a": 2, "b": 1}'
    assert shown("Ann") == '"Ann"'
    assert shown(None) == "null"


def test_shown_cuts_long_values():
    assert shown("x" * 500, limit=10) == '"' + "x" * 8 + "…"
    assert len(shown(list(range(1000)))) == 120


def test_rule_ids_are_unique():
    all_rules = [value for value in vars(rules).values() if isinstance(value, Rule)]
    assert len({rule.id for rule in all_rules}) == len(all_rules)


def test_rendered_with_a_scrubber_the_failure_shows_no_secret():
    from crmconf.scrub import Scrubber

    login = SentRequest(
        "POST", "authentication/token", URL,
        json_body={"username": "qa", "password": "pw-sentinel-1", "organisation": "Org"},
    )
    body = '{"status": {"code": "OK"}, "data": {"token": "tok-sentinel-2"}}'
    failure = ConformanceFailure(rules.SUCCESS, [Mismatch("/a", "1", "2")], Exchange(login, 200, "application/json", body, 0.1))
    text = failure.render(Scrubber(["pw-sentinel-1"]))
    for secret in ('"qa"', "pw-sentinel-1", '"Org"', "tok-sentinel-2"):
        assert secret not in text
    assert "<USERNAME>" in text and "<TOKEN>" in text
    assert "pw-sentinel-1" in failure.render()  # without a scrubber the library shows what it has
