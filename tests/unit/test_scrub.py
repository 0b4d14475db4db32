"""Scrubbing: secrets out of everything crmconf writes or prints."""

import json
import logging

import pytest

from crmconf.scrub import (
    API_KEY_PLACEHOLDER,
    FAKE_TOKEN_PREFIX,
    KEPT_REQUEST_HEADERS,
    KEPT_RESPONSE_HEADERS,
    PLACEHOLDERS,
    SECRET_PLACEHOLDER,
    SERVER_PLACEHOLDER,
    Scrubber,
    scrub_log_records,
    token_placeholder,
)

JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbm4iLCJpYXQiOjE3MDB9.c2lnbmF0dXJlLXBhcnQ"
USER = "sentinel-user"
PASSWORD = "sentinel-password"
ORGANISATION = "Sentinel Org"


@pytest.fixture
def scrubber():
    return Scrubber([USER, PASSWORD, ORGANISATION, None, ""], server="https://crm.sentinel.example:8443/")


# -- by name ---------------------------------------------------------------------------------------


def test_data_replaces_secret_members_by_name():
    body = {
        "username": "u",
        "password": "p",
        "organisation": "o",
        "unit": "n",
        "token": "t",
        "type": "PERSON",
    }
    assert Scrubber().data(body) == {
        "username": "<USERNAME>",
        "password": "<PASSWORD>",
        "organisation": "<ORGANISATION>",
        "unit": "<UNIT>",
        "token": "<TOKEN>",
        "type": "PERSON",
    }


def test_data_replaces_secret_members_at_any_depth():
    body = {"data": {"token": "abc123"}, "list": [{"auth": [{"password": "deep"}]}]}
    assert Scrubber().data(body) == {
        "data": {"token": "<TOKEN>"},
        "list": [{"auth": [{"password": "<PASSWORD>"}]}],
    }


def test_data_replaces_non_text_secret_members():
    assert Scrubber().data({"token": {"value": "abc"}, "password": 1234}) == {
        "token": "<TOKEN>",
        "password": "<PASSWORD>",
    }


def test_data_keeps_empty_and_null_secret_members():
    assert Scrubber().data({"token": None, "password": ""}) == {"token": None, "password": ""}


def test_data_keeps_fake_tokens():
    fake = FAKE_TOKEN_PREFIX + "expired"
    assert Scrubber().data({"token": fake}) == {"token": fake}


def test_data_does_not_change_input():
    body = {"token": "abc", "inner": {"password": "x"}}
    Scrubber().data(body)
    assert body == {"token": "abc", "inner": {"password": "x"}}


def test_url_replaces_secret_query_parameters_by_name():
    scrubbed = Scrubber().url("https://h/crmapi/rest/v2/a?token=abc&fields_set=id,name&username=u")
    assert scrubbed == "https://h/crmapi/rest/v2/a?token=<TOKEN>&fields_set=id,name&username=<USERNAME>"


def test_url_keeps_identifier_queries_readable():
    url = "https://h/a?contact_information_identifier=number=CI000111&token=crmconf-invalid-x"
    assert Scrubber().url(url) == url


# -- by value --------------------------------------------------------------------------------------


def test_text_replaces_known_secrets_anywhere(scrubber):
    message = f"user {USER} of {ORGANISATION} gave {PASSWORD}!"
    assert (
        scrubber.text(message)
        == f"user {SECRET_PLACEHOLDER} of {SECRET_PLACEHOLDER} gave {SECRET_PLACEHOLDER}!"
    )


def test_text_replaces_added_token_with_token_placeholder():
    scrubber = Scrubber()
    scrubber.add_token("0123456789abcdef0123456789abcdef")
    assert scrubber.text("curl ...?token=0123456789abcdef0123456789abcdef") == "curl ...?token=<TOKEN:HEX32>"


def test_text_replaces_longer_secret_first():
    scrubber = Scrubber(["abcd", "abcdefgh"])
    scrubber.add_token("abcdefgh")
    assert scrubber.text("abcdefgh") == "<TOKEN>"


def test_text_keeps_short_secrets():
    assert Scrubber(["qa"]).text("qa team") == "qa team"


def test_text_keeps_fake_tokens():
    scrubber = Scrubber()
    fake = FAKE_TOKEN_PREFIX + "abcdef"
    scrubber.add_token(fake)
    assert scrubber.text(f"token {fake}") == f"token {fake}"


def test_text_replaces_jwt_shapes():
    assert Scrubber().text(f"Bearer {JWT} was refused") == "Bearer <TOKEN:JWT> was refused"


def test_data_replaces_secret_values_in_other_members(scrubber):
    body = {"status": {"message": f"user {USER} is locked"}, "data": [f"{ORGANISATION}", 3, None]}
    assert scrubber.data(body) == {
        "status": {"message": f"user {SECRET_PLACEHOLDER} is locked"},
        "data": [SECRET_PLACEHOLDER, 3, None],
    }


def test_data_replaces_jwt_in_other_members():
    assert Scrubber().data({"note": f"got {JWT}"}) == {"note": "got <TOKEN:JWT>"}


def test_url_replaces_secret_values_in_path_and_query(scrubber):
    scrubbed = scrubber.url(f"https://crm.sentinel.example:8443/crmapi/rest/v2/a/{USER}?search={USER}")
    assert USER not in scrubbed


def test_url_replaces_encoded_secret_values():
    secret = "ann@example.com"
    scrubbed = Scrubber([secret]).url("https://h/crmapi/rest/v2/contacts?email=ann@example.com")
    assert secret not in scrubbed
    assert "ann%40example.com" not in scrubbed


# -- bodies --------------------------------------------------------------------------------------


def test_body_scrubs_json_text():
    scrubbed = Scrubber().body('{"token": "abc", "data": {"token": "def"}}')
    assert json.loads(scrubbed) == {"token": "<TOKEN>", "data": {"token": "<TOKEN>"}}


def test_body_keeps_bytes_as_bytes():
    scrubbed = Scrubber().body(b'{"password": "pw", "name": "\xc3\xa9"}')
    assert isinstance(scrubbed, bytes)
    assert json.loads(scrubbed) == {"password": "<PASSWORD>", "name": "é"}


def test_body_scrubs_non_json_as_text(scrubber):
    assert scrubber.body(f"<html>{USER} {JWT}</html>") == f"<html>{SECRET_PLACEHOLDER} <TOKEN:JWT></html>"


@pytest.mark.parametrize("body", [None, b"", ""])
def test_body_keeps_empty(body):
    assert Scrubber().body(body) == body


# -- server ------------------------------------------------------------------------------------


def test_url_replaces_server_base(scrubber):
    scrubbed = scrubber.url("https://crm.sentinel.example:8443/crmapi/rest/v2/a?token=x")
    assert scrubbed == SERVER_PLACEHOLDER + "/crmapi/rest/v2/a?token=<TOKEN>"


def test_server_is_replaced_only_when_set():
    assert Scrubber().server("https://crm.sentinel.example/x") == "https://crm.sentinel.example/x"


def test_set_server_changes_the_replaced_base():
    scrubber = Scrubber(server="http://127.0.0.1:1111")
    scrubber.set_server("http://127.0.0.1:2222/")
    assert scrubber.server("http://127.0.0.1:2222/x") == SERVER_PLACEHOLDER + "/x"
    assert scrubber.server("http://127.0.0.1:1111/x") == "http://127.0.0.1:1111/x"


def test_server_is_replaced_only_at_a_url_boundary():
    scrubber = Scrubber(server="http://127.0.0.1:80")
    assert scrubber.server("http://127.0.0.1:8080/x") == "http://127.0.0.1:8080/x"


# -- headers -----------------------------------------------------------------------------------


def test_headers_keep_only_the_named_ones():
    headers = {"Content-Type": "application/json", "Cookie": "s=1", "Date": "today", "X-Api-Key": "k"}
    assert Scrubber().headers(headers, KEPT_REQUEST_HEADERS) == {"Content-Type": "application/json"}


def test_response_headers_keep_content_type_and_retry_after():
    headers = {
        "content-type": ["application/json"],
        "Retry-After": ["5"],
        "Set-Cookie": ["a=b"],
        "Server": ["x"],
    }
    assert Scrubber().headers(headers, KEPT_RESPONSE_HEADERS) == {
        "content-type": ["application/json"],
        "Retry-After": ["5"],
    }


def test_authorization_keeps_scheme_only():
    assert Scrubber().headers({"Authorization": "Basic a2V5Og=="}, KEPT_REQUEST_HEADERS) == {
        "Authorization": f"Basic {API_KEY_PLACEHOLDER}"
    }


def test_authorization_list_keeps_scheme_only():
    headers = {"authorization": ["Basic a2V5Og==", "Bearer xyz"]}
    assert Scrubber().headers(headers, KEPT_REQUEST_HEADERS) == {
        "authorization": [f"Basic {API_KEY_PLACEHOLDER}", f"Bearer {API_KEY_PLACEHOLDER}"]
    }


def test_authorization_without_scheme_is_replaced_whole():
    scrubbed = Scrubber().headers({"Authorization": "a2V5OnNlY3JldA=="}, KEPT_REQUEST_HEADERS)
    assert "a2V5OnNlY3JldA==" not in json.dumps(scrubbed)


def test_placeholders_cover_the_documented_secret_names():
    assert set(PLACEHOLDERS) >= {"token", "password", "username", "organisation"}


@pytest.mark.parametrize(
    "token, placeholder",
    [
        (JWT, "<TOKEN:JWT>"),
        ("0123456789abcdef0123456789ABCDEF", "<TOKEN:HEX32>"),
        ("short-opaque-token", "<TOKEN>"),
        ("<TOKEN:JWT>", "<TOKEN:JWT>"),
    ],
)
def test_token_placeholder_keeps_only_the_shape(token, placeholder):
    assert token_placeholder(token) == placeholder
    assert Scrubber().data({"token": token}) == {"token": placeholder}


# -- log records -----------------------------------------------------------------------------------

HEX = "0123456789abcdef0123456789abcdef"


@pytest.fixture
def logged(scrubber, caplog):
    """Log records made while ``scrubber`` scrubs them, as the handlers receive them."""
    stop = scrub_log_records(scrubber)
    caplog.set_level(logging.DEBUG, logger="crmconf.test")
    yield caplog
    stop()


def test_a_logged_url_loses_its_token_and_the_secrets_it_names(logged, scrubber):
    logging.getLogger("crmconf.test").debug(
        "http://127.0.0.1:80 %s %s", "GET", f"/crmapi/rest/v2/contact_information/show?token={HEX}&number=1"
    )
    message = logged.records[-1].getMessage()
    assert HEX not in message
    assert "token=<TOKEN:HEX32>" in message and "number=1" in message


def test_a_logged_body_loses_secrets_by_name_before_the_token_is_known(logged):
    body = {"status": {"code": "OK"}, "data": {"token": "a-token-nobody-registered", "unit": "Sales"}}
    logging.getLogger("crmconf.test").debug("recorded %r and %s", body, json.dumps(body))
    message = logged.records[-1].getMessage()
    assert "a-token-nobody-registered" not in message and "Sales" not in message
    assert logged.records[-1].args is None  # the record holds the scrubbed text only


def test_a_logged_exception_and_known_values_are_scrubbed(logged):
    try:
        raise ValueError(f"cannot log in as {USER} with {PASSWORD}")
    except ValueError:
        logging.getLogger("crmconf.test").exception("login of %s failed", USER)
    text = logged.text
    assert USER not in text and PASSWORD not in text
    assert SECRET_PLACEHOLDER in text


def test_records_are_left_alone_once_scrubbing_stops(scrubber, caplog):
    stop = scrub_log_records(scrubber)
    stop()
    caplog.set_level(logging.DEBUG, logger="crmconf.test")
    logging.getLogger("crmconf.test").debug("user %s", USER)
    assert USER in caplog.records[-1].getMessage()
