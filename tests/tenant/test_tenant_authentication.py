"""Logging in, token checks, token release and web API key login, over real HTTP."""

from __future__ import annotations

import base64

import pytest
import requests
from tenant_api import GET_PENDING, NO_TOKEN, Answer, Api

from crmconf.tenant import API_KEY, CREDENTIALS, SEED, EmbeddedTenant, make_app

SHOW = "contact_information/show"
PERSON = f"number={SEED.person_number}"


@pytest.fixture(scope="module")
def api():
    with EmbeddedTenant() as tenant:
        yield Api(tenant.url)


def _basic(username: str, password: str = "") -> dict[str, str]:
    encoded = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"Authorization": f"Basic {encoded}"}


def test_login_returns_a_jwt_token_that_opens_the_api(api):
    token = api.login().assert_ok()["token"]
    assert token.count(".") == 2 and len(token) > 32
    assert api.show(PERSON, token=token).assert_ok()["id"] == SEED.person_id


def test_each_login_gets_a_distinct_token(api):
    assert api.login().assert_ok()["token"] != api.login().assert_ok()["token"]


@pytest.mark.parametrize("member", ["username", "password", "organisation"])
def test_login_with_a_wrong_credential_is_refused_with_401(api, member):
    api.login(**{member: CREDENTIALS[member] + "x"}).assert_error(401, "INVALIDCREDENTIALS")


def test_login_with_a_unit_the_organisation_does_not_have_is_refused(api):
    api.login(unit="Some Unit").assert_error(401, "INVALIDCREDENTIALS")


def test_login_without_a_password_is_a_validation_error(api):
    body = {name: value for name, value in CREDENTIALS.items() if name != "password"}
    message = api.post("authentication/token", body, token=NO_TOKEN).assert_error(400, "MANDATORY")
    assert "password" in message


def test_get_without_a_token_is_refused_with_401(api):
    api.show(PERSON, token=NO_TOKEN).assert_error(401, "TOKENREQUIRED")


def test_post_without_a_token_is_refused_with_401(api):
    answer = api.post("contact_information/create", {"type": "COMPANY", "company_name": "X"}, token=NO_TOKEN)
    answer.assert_error(401, "TOKENREQUIRED")


def test_get_pending_without_a_token_is_refused_with_401(api):
    api.pending(token=NO_TOKEN).assert_error(401, "TOKENREQUIRED")


def test_unknown_token_is_refused_on_get_and_post(api):
    api.show(PERSON, token="not-a-token").assert_error(401, "INVALIDTOKEN")
    api.update({"number": SEED.person_number}, {"token": "not-a-token"}).assert_error(401, "INVALIDTOKEN")


def test_token_sent_as_a_non_string_body_member_is_refused(api):
    api.post(
        "contact_information/update", {"contact_information_identifier": {"number": "CI000111"}}, token=12345
    ).assert_error(401, "INVALIDTOKEN")


def test_token_is_checked_before_parameters(api):
    api.get(GET_PENDING, token="not-a-token").assert_error(401, "INVALIDTOKEN")


def test_released_token_is_refused_afterwards(api):
    token = api.login().assert_ok()["token"]
    assert api.post("authentication/token/release", {"token": token}, token=NO_TOKEN).assert_ok() is None
    api.show(PERSON, token=token).assert_error(401, "INVALIDTOKEN")
    api.post(
        "contact_information/create", {"token": token, "type": "COMPANY", "company_name": "X"}, token=NO_TOKEN
    ).assert_error(401, "INVALIDTOKEN")


def test_releasing_an_unknown_or_already_released_token_is_an_error(api):
    token = api.login().assert_ok()["token"]
    api.post("authentication/token/release", {"token": token}, token=NO_TOKEN).assert_ok()
    api.post("authentication/token/release", {"token": token}, token=NO_TOKEN).assert_error(
        401, "INVALIDTOKEN"
    )
    api.post("authentication/token/release", {}, token=NO_TOKEN).assert_error(401, "TOKENREQUIRED")


def test_releasing_one_token_leaves_others_working(api):
    kept, released = api.login().assert_ok()["token"], api.login().assert_ok()["token"]
    api.post("authentication/token/release", {"token": released}, token=NO_TOKEN).assert_ok()
    api.show(PERSON, token=kept).assert_ok()


def test_web_api_key_as_basic_username_gives_a_working_token(api):
    answer = api.post_raw("authentication/web_api_key/token", b"{}", headers=_basic(API_KEY))
    token = answer.assert_ok()["token"]
    assert api.show(PERSON, token=token).assert_ok()["id"] == SEED.person_id


def test_web_api_key_login_needs_no_body(api):
    answer = Answer.of(
        requests.post(api.base + "authentication/web_api_key/token", auth=(API_KEY, ""), timeout=10)
    )
    assert api.show(PERSON, token=answer.assert_ok()["token"]).assert_ok()["id"] == SEED.person_id


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-authorization"),
        pytest.param(_basic("wrong-key"), id="wrong-key"),
        pytest.param(_basic(API_KEY, "a-password"), id="non-empty-password"),
        pytest.param({"Authorization": f"Bearer {API_KEY}"}, id="not-basic"),
        pytest.param({"Authorization": "Basic !!!"}, id="not-base64"),
    ],
)
def test_web_api_key_login_refuses_anything_but_the_key_with_an_empty_password(api, headers):
    api.post_raw("authentication/web_api_key/token", b"{}", headers=headers).assert_error(401, "WEBAPIKEY")


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_token_expires_two_hours_after_issue_whatever_its_use():
    clock = ManualClock()
    with EmbeddedTenant(app=make_app(clock=clock)) as tenant:
        api = Api(tenant.url)
        token = api.login().assert_ok()["token"]
        clock.now += 2 * 60 * 60 - 1
        api.show(PERSON, token=token).assert_ok()
        clock.now += 1
        api.show(PERSON, token=token).assert_error(401, "EXPIREDTOKEN")
        api.show(PERSON, token=token).assert_error(401, "INVALIDTOKEN")
