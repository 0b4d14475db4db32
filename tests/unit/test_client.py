"""The HTTP client, against a mocked transport (``responses``): no network."""

import json
import os
import shlex
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import responses
from check_support import envelope

from crmconf.client import DEFAULT_TIMEOUT, CrmClient, Exchange, SentRequest, TransportError
from crmconf.identifiers import Identifier

SERVER = "https://tenant.example.com"
API = SERVER + "/crmapi/rest/v2/"


def query_of(call):
    return parse_qs(urlsplit(call.request.url).query, keep_blank_values=True)


def body_of(call):
    return json.loads(call.request.body)


def exchange(text, http_status=200, content_type="application/json", method="GET", operation="x/y"):
    request = SentRequest(method, operation, API + operation)
    return Exchange(request, http_status, content_type, text, 0.01)


@pytest.fixture
def mocked():
    with responses.RequestsMock() as rsps:
        yield rsps


# -- URL building -------------------------------------------------------------------------------


@pytest.mark.parametrize("server", [SERVER, SERVER + "/", SERVER + "//"])
@pytest.mark.parametrize("operation", ["contact_information/show", "/contact_information/show/"])
def test_url_is_server_api_path_and_operation(server, operation):
    assert CrmClient(server).url(operation) == API + "contact_information/show"


def test_url_keeps_nested_resources():
    url = CrmClient(SERVER).url("provisioning/generic_provisioning_requests/get_pending")
    assert url == API + "provisioning/generic_provisioning_requests/get_pending"


def test_get_sends_to_operation_url(mocked):
    mocked.get(API + "contact_information/show", json=envelope({}))
    result = CrmClient(SERVER + "/").get("/contact_information/show")
    assert urlsplit(mocked.calls[0].request.url).path == "/crmapi/rest/v2/contact_information/show"
    assert result.request.url == API + "contact_information/show"
    assert result.operation == "/contact_information/show"


# -- token --------------------------------------------------------------------------------------


def test_get_puts_token_in_query(mocked):
    mocked.get(API + "contact_information/show", json=envelope({}))
    result = CrmClient(SERVER, token="tok-123").get("contact_information/show", {"fields_set": "id"})
    assert query_of(mocked.calls[0]) == {"token": ["tok-123"], "fields_set": ["id"]}
    assert list(result.request.params) == ["token", "fields_set"]
    assert mocked.calls[0].request.body is None


def test_get_with_token_none_omits_token(mocked):
    mocked.get(API + "contact_information/show", json=envelope({}))
    result = CrmClient(SERVER, token="tok-123").get("contact_information/show", {"a": "1"}, token=None)
    assert "token" not in query_of(mocked.calls[0])
    assert "token" not in result.request.params


def test_get_without_any_token_omits_token(mocked):
    mocked.get(API + "contact_information/show", json=envelope({}))
    CrmClient(SERVER).get("contact_information/show")
    assert "token" not in query_of(mocked.calls[0])


def test_get_with_explicit_token_overrides_session_token(mocked):
    mocked.get(API + "contact_information/show", json=envelope({}))
    CrmClient(SERVER, token="session").get("contact_information/show", token="crmconf-invalid-x")
    assert query_of(mocked.calls[0])["token"] == ["crmconf-invalid-x"]


def test_post_puts_token_as_first_body_member(mocked):
    mocked.post(API + "contact_information/create", json=envelope({}))
    result = CrmClient(SERVER, token="tok-123").post(
        "contact_information/create", {"type": "PERSON", "name": "A"}
    )
    sent = body_of(mocked.calls[0])
    assert list(sent) == ["token", "type", "name"]
    assert sent["token"] == "tok-123"
    assert list(result.request.json_body) == ["token", "type", "name"]
    assert "token" not in query_of(mocked.calls[0])


def test_post_sends_json_content_type(mocked):
    mocked.post(API + "contact_information/create", json=envelope({}))
    CrmClient(SERVER).post("contact_information/create", {"a": 1})
    assert mocked.calls[0].request.headers["Content-Type"] == "application/json"


def test_post_with_token_none_omits_token(mocked):
    mocked.post(API + "contact_information/create", json=envelope({}))
    CrmClient(SERVER, token="tok-123").post("contact_information/create", {"a": 1}, token=None)
    assert body_of(mocked.calls[0]) == {"a": 1}


def test_post_without_body_sends_only_the_token(mocked):
    mocked.post(API + "authentication/token/release", json=envelope(None))
    CrmClient(SERVER, token="tok-123").post("authentication/token/release")
    assert body_of(mocked.calls[0]) == {"token": "tok-123"}


def test_post_raw_string_is_sent_as_is_without_token(mocked):
    mocked.post(API + "contact_information/create", json=envelope(None, "ERR", "bad"))
    result = CrmClient(SERVER, token="tok-123").post("contact_information/create", '{"broken": ')
    assert mocked.calls[0].request.body == b'{"broken": '
    assert result.request.raw_body == '{"broken": '
    assert result.request.json_body is None


# -- parameters -----------------------------------------------------------------------------------


def test_get_identifier_becomes_field_equals_value(mocked):
    mocked.get(API + "contact_information/show", json=envelope({}))
    CrmClient(SERVER).get(
        "contact_information/show", {"contact_information_identifier": Identifier("number", "CI000111")}
    )
    assert query_of(mocked.calls[0]) == {"contact_information_identifier": ["number=CI000111"]}


def test_get_drops_none_and_joins_lists(mocked):
    mocked.get(API + "contact_information/show", json=envelope({}))
    result = CrmClient(SERVER).get("contact_information/show", {"fields_set": ["id", "name"], "unused": None})
    assert query_of(mocked.calls[0]) == {"fields_set": ["id,name"]}
    assert result.request.params == {"fields_set": "id,name"}


def test_post_identifier_becomes_one_member_object(mocked):
    mocked.post(API + "contact_information/create", json=envelope({}))
    CrmClient(SERVER).post("contact_information/create", {"category_identifier": Identifier("name", "VIP")})
    assert body_of(mocked.calls[0]) == {"category_identifier": {"name": "VIP"}}


def test_post_nested_identifiers_become_objects(mocked):
    mocked.post(API + "contact_information/update", json=envelope({}))
    body = {
        "demographics": {"country_identifier": Identifier("code", "CY")},
        "addresses_set": [{"country_identifier": Identifier("code", "GR"), "town_city": "Athens"}],
    }
    CrmClient(SERVER).post("contact_information/update", body)
    assert body_of(mocked.calls[0]) == {
        "demographics": {"country_identifier": {"code": "CY"}},
        "addresses_set": [{"country_identifier": {"code": "GR"}, "town_city": "Athens"}],
    }


# -- login and release --------------------------------------------------------------------------------


def test_login_sends_credentials_without_token(mocked):
    mocked.post(API + "authentication/token", json=envelope({"token": "new"}))
    CrmClient(SERVER, token="old").login("ann", "pw", "org")
    assert body_of(mocked.calls[0]) == {"username": "ann", "password": "pw", "organisation": "org"}


def test_login_sends_unit_when_given(mocked):
    mocked.post(API + "authentication/token", json=envelope({"token": "new"}))
    CrmClient(SERVER).login("ann", "pw", "org", unit="Main")
    assert body_of(mocked.calls[0])["unit"] == "Main"


def test_login_stores_token_on_success(mocked):
    mocked.post(API + "authentication/token", json=envelope({"token": "issued-token"}))
    mocked.get(API + "contact_information/show", json=envelope({}))
    client = CrmClient(SERVER)
    result = client.login("ann", "pw", "org")
    client.get("contact_information/show")
    assert result.succeeded
    assert client.token == "issued-token"
    assert query_of(mocked.calls[1])["token"] == ["issued-token"]


@pytest.mark.parametrize(
    "answer",
    [
        envelope(
            {"token": "should-not-be-kept"},
            code="COM.CRM.EXCEPTION.AUTHENTICATION.INVALIDEXCEPTION",
            message="no",
        ),
        envelope({"token": ""}),
        envelope({}),
        envelope(None),
        envelope(["not", "an", "object"]),
    ],
)
def test_login_keeps_previous_token_unless_success_gives_one(mocked, answer):
    mocked.post(API + "authentication/token", json=answer, status=200)
    client = CrmClient(SERVER, token="previous")
    client.login("ann", "pw", "org")
    assert client.token == "previous"


def test_login_does_not_store_token_of_a_4xx_error(mocked):
    mocked.post(
        API + "authentication/token", json=envelope({"token": "x"}, code="ERR", message="no"), status=401
    )
    client = CrmClient(SERVER)
    client.login("ann", "pw", "org")
    assert client.token is None


def test_release_posts_session_token(mocked):
    mocked.post(API + "authentication/token/release", json=envelope(None))
    CrmClient(SERVER, token="tok-123").release()
    assert body_of(mocked.calls[0]) == {"token": "tok-123"}


def test_release_posts_given_token(mocked):
    mocked.post(API + "authentication/token/release", json=envelope(None))
    CrmClient(SERVER, token="tok-123").release("other")
    assert body_of(mocked.calls[0]) == {"token": "other"}


# -- transport ---------------------------------------------------------------------------------------------


def test_default_timeout_is_passed_to_requests(mocked):
    mocked.get(API + "a", json=envelope({}))
    CrmClient(SERVER).get("a")
    assert mocked.calls[0].request.req_kwargs["timeout"] == DEFAULT_TIMEOUT == (5.0, 30.0)


@pytest.mark.parametrize("method", ["get", "post"])
def test_timeout_is_passed_as_connect_and_read(mocked, method):
    getattr(mocked, method)(API + "a", json=envelope({}))
    getattr(CrmClient(SERVER, timeout=(1.5, 7.0)), method)("a")
    assert mocked.calls[0].request.req_kwargs["timeout"] == (1.5, 7.0)


@pytest.mark.parametrize(
    "error",
    [requests.exceptions.ConnectTimeout("slow connect"), requests.exceptions.ReadTimeout("slow read")],
)
def test_timeout_becomes_transport_error(mocked, error):
    mocked.get(API + "a", body=error)
    client = CrmClient(SERVER, token="t", timeout=(1.0, 2.0))
    with pytest.raises(TransportError, match=r"timeout \(connect 1\.0 s, read 2\.0 s\)") as caught:
        client.get("a")
    assert caught.value.request.url == API + "a"
    assert caught.value.request.params == {"token": "t"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_connection_error_becomes_transport_error(mocked, method):
    getattr(mocked, method)(API + "a", body=requests.exceptions.ConnectionError("refused"))
    with pytest.raises(TransportError, match="could not reach the tenant") as caught:
        getattr(CrmClient(SERVER), method)("a")
    assert caught.value.request.method == method.upper()
    assert caught.value.request.operation == "a"


def test_transport_error_records_no_exchange(mocked):
    mocked.get(API + "a", body=requests.exceptions.ConnectionError("refused"))
    client = CrmClient(SERVER)
    seen = []
    client.observers.append(seen.append)
    with pytest.raises(TransportError):
        client.get("a")
    assert client.exchanges == [] and seen == []


def test_every_exchange_is_recorded_and_observed_in_order(mocked):
    mocked.get(API + "a", json=envelope({"n": 1}))
    mocked.post(API + "b", json=envelope({"n": 2}), status=201)
    client = CrmClient(SERVER)
    first, second = [], []
    client.observers += [first.append, second.append]
    one = client.get("a")
    two = client.post("b", {})
    assert client.exchanges == [one, two]
    assert first == [one, two] and second == [one, two]
    assert (one.data, two.data, two.http_status) == ({"n": 1}, {"n": 2}, 201)


def test_observer_error_propagates_after_exchange_is_recorded(mocked):
    mocked.get(API + "a", json=envelope({}))
    client = CrmClient(SERVER)

    def refuse(_):
        raise AssertionError("checked and refused")

    client.observers.append(refuse)
    with pytest.raises(AssertionError, match="checked and refused"):
        client.get("a")
    assert len(client.exchanges) == 1


def test_exchange_keeps_response_as_received(mocked):
    mocked.get(
        API + "a",
        body='{"status": {"code": "OK"}, "data": "Café"}'.encode(),
        status=200,
        content_type="application/json; charset=utf-8",
        headers={"Retry-After": "3"},
    )
    result = CrmClient(SERVER).get("a")
    assert result.content_type == "application/json; charset=utf-8"
    assert result.text == '{"status": {"code": "OK"}, "data": "Café"}'
    assert result.headers["Retry-After"] == "3"
    assert result.elapsed >= 0


# -- Exchange ----------------------------------------------------------------------------------------------


def test_exchange_body_decodes_json():
    assert exchange('{"status": {"code": "OK"}, "data": [1]}').body == {"status": {"code": "OK"}, "data": [1]}


def test_exchange_non_json_has_no_body_and_says_why():
    result = exchange("<html>oops</html>", content_type="text/html")
    assert result.is_json is False
    assert result.body is None
    assert result.json_error.startswith("not JSON")


def test_exchange_json_null_is_json():
    result = exchange("null")
    assert result.is_json is True and result.json_error is None and result.body is None


def test_exchange_status_code_reads_envelope():
    assert exchange('{"status": {"code": "COM.CRM.X"}, "data": null}').status_code == "COM.CRM.X"


@pytest.mark.parametrize(
    "text", ['{"data": 1}', '{"status": "OK"}', '{"status": {"code": 0}}', "[1]", "not json", '"OK"']
)
def test_exchange_status_code_is_none_without_envelope_code(text):
    result = exchange(text)
    assert result.status_code is None
    assert result.succeeded is False


@pytest.mark.parametrize("http_status", [200, 201, 400, 500])
def test_succeeded_is_decided_by_status_code_alone(http_status):
    assert (
        exchange('{"data": null, "status": {"code": "OK", "message": "Done"}}', http_status).succeeded is True
    )
    assert (
        exchange('{"status": {"code": "ERR", "message": "x"}, "data": null}', http_status).succeeded is False
    )


def test_succeeded_is_case_sensitive():
    assert exchange('{"status": {"code": "ok"}, "data": null}').succeeded is False


def test_exchange_data_is_envelope_data():
    assert exchange('{"data": {"id": "7"}, "status": {"code": "OK"}}').data == {"id": "7"}
    assert exchange("[1, 2]").data is None
    assert exchange("not json").data is None


def test_exchange_preview_cuts_long_text():
    result = exchange("x" * 1000)
    assert result.preview(10) == "x" * 10 + "… (1000 characters in all)"
    assert exchange("short").preview(10) == "short"


# -- curl ------------------------------------------------------------------------------------------------


def test_curl_get_puts_params_in_url():
    request = SentRequest(
        "GET", "a", API + "a", params={"token": "t", "contact_information_identifier": "number=CI 1"}
    )
    words = shlex.split(request.curl())
    assert words[:4] == ["curl", "-sS", "-X", "GET"]
    url = words[4]
    assert parse_qs(urlsplit(url).query) == {
        "token": ["t"],
        "contact_information_identifier": ["number=CI 1"],
    }
    assert "--data-raw" not in words


def test_curl_post_sends_json_body():
    body = {"token": "t", "name": 'O\'Brien & "sons" $HOME `x`', "city": "Λευκωσία"}
    words = shlex.split(SentRequest("POST", "a", API + "a", json_body=body).curl())
    assert words[:5] == ["curl", "-sS", "-X", "POST", API + "a"]
    assert words[5:7] == ["-H", "Content-Type: application/json"]
    assert words[7] == "--data-raw"
    assert json.loads(words[8]) == body


def test_curl_post_raw_body_is_sent_verbatim():
    words = shlex.split(SentRequest("POST", "a", API + "a", raw_body="{not json'").curl())
    assert words[-2:] == ["--data-raw", "{not json'"]


def test_curl_line_runs_in_a_shell(tmp_path):
    """The line is run by bash against a stand-in ``curl`` that writes down its arguments."""
    fake = tmp_path / "curl"
    fake.write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(tmp_path / 'argv.json')!r}, 'w').write(json.dumps(sys.argv[1:]))\n"
    )
    fake.chmod(0o755)
    body = {"token": "t", "note": "it's $(rm -rf /) `whoami` \\ done", "list": ["ü", None]}
    line = SentRequest("POST", "a", API + "a", json_body=body).curl()
    environment = {**os.environ, "PATH": f"{tmp_path}{os.pathsep}{os.environ.get('PATH', '')}"}
    subprocess.run(["bash", "-c", line], check=True, env=environment)
    argv = json.loads((tmp_path / "argv.json").read_text())
    assert argv[:4] == ["-sS", "-X", "POST", API + "a"]
    assert json.loads(argv[-1]) == body
