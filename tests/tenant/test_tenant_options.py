"""Each TenantOptions field changes what it should, and only that."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from tenant_api import NO_TOKEN, Api, flatten

from crmconf.tenant import SEED, EmbeddedTenant, TenantOptions

PERSON = f"number={SEED.person_number}"


@pytest.fixture()
def serve_with():
    """Start a tenant with the given options; stopped at the end of the test."""
    started = []

    def start(**options):
        tenant = EmbeddedTenant(TenantOptions(**options)).start()
        started.append(tenant)
        return Api(tenant.url)

    yield start
    for tenant in started:
        tenant.stop()


@pytest.mark.parametrize(
    ("setting", "expected_statuses"), [("4xx", (404, 400, 401)), ("200", (200, 200, 200))]
)
def test_error_http_status(serve_with, setting, expected_statuses):
    api = serve_with(error_http_status=setting)
    answers = (api.show("number=CI999999"), api.pending(0, 0), api.show(PERSON, token="unknown"))
    assert tuple(answer.http_status for answer in answers) == expected_statuses
    assert [answer.code.rsplit(".", 1)[1] for answer in answers] == [
        "CONTACTINFORMATIONNOTFOUNDEXCEPTION",
        "INVALIDPARAMETEREXCEPTION",
        "INVALIDTOKENEXCEPTION",
    ]
    assert api.show(PERSON).http_status == 200


@pytest.mark.parametrize(("setting", "blank"), [("null", None), ("empty", "")])
def test_success_message(serve_with, setting, blank):
    api = serve_with(success_message=setting)
    for answer in (api.login(), api.show(PERSON), api.pending(1, 0)):
        assert answer.code == "OK" and answer.message == blank and answer.description == blank
    assert isinstance(api.show("number=CI999999").message, str)


@pytest.mark.parametrize(("setting", "first_member"), [(False, "status"), (True, "data")])
def test_data_first(serve_with, setting, first_member):
    api = serve_with(data_first=setting)
    for answer in (api.show(PERSON), api.show("number=CI999999")):
        assert answer.text.startswith(f'{{"{first_member}": ')
        assert next(iter(json.loads(answer.text))) == first_member


@pytest.mark.parametrize("setting", [False, True])
def test_extra_fields(serve_with, setting):
    api = serve_with(extra_fields=setting)
    extras = {"created_date", "x_internal_ref"}
    person = api.show(PERSON).assert_ok()
    created = api.create({"type": "COMPANY", "company_name": "Extra Ltd"}).assert_ok()
    subscription = api.pending(1, 0).assert_ok()["subscriptions_set"][0]
    request = subscription["pending_provisioning_requests_set"][0]
    for record in (person, created, subscription, request):
        assert (extras <= set(record)) is setting, record
    if setting:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", person["created_date"])


@pytest.mark.parametrize(
    ("setting", "pattern"),
    [("jwt", r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}"), ("hex", r"[0-9a-f]{32}")],
)
def test_token_format(serve_with, setting, pattern):
    api = serve_with(token_format=setting)
    token = api.login().assert_ok()["token"]
    assert re.fullmatch(pattern, token)
    assert (len(token) > 32) is (setting == "jwt")
    assert api.show(PERSON, token=token).assert_ok()["id"] == SEED.person_id


@pytest.mark.parametrize(
    ("setting", "text"), [(False, '"udf_float_1": 12,'), (True, '"udf_float_1": 12.75,')]
)
def test_fractional_floats(serve_with, setting, text):
    api = serve_with(fractional_floats=setting)
    answer = api.show(PERSON)
    assert text in answer.text
    assert (answer.data["udf_float_2"] % 1 != 0) is setting


@pytest.mark.parametrize(
    ("setting", "phones", "emails"),
    [("both", 1, 1), ("top", 1, 0), ("demographics", 0, 1)],
)
def test_input_collections(serve_with, setting, phones, emails):
    api = serve_with(input_collections=setting)
    body = {
        "type": "PERSON",
        "first_name": "A",
        "last_name": "B",
        "phone_set": [{"type": "MOBILE", "number": "99000000"}],
        "demographics": {"gender": "MALE", "email_set": [{"type": "PERSONAL", "email_address": "a@b.c"}]},
    }
    created = api.create(body).assert_ok()
    assert (len(created["phones_set"]), len(created["emails_set"])) == (phones, emails)
    assert created["demographics"]["gender"] == "MALE"
    updated = api.update(
        {"id": created["id"]},
        {
            "demographics": {"phone_set": []},
            "phone_set": [
                {"type": "FAX", "number": "1"},
                {"type": "FAX", "number": "2"},
            ],
        },
    )
    if setting == "both":
        assert "both" in updated.assert_error(400, "INVALIDPARAMETER")
    else:
        assert len(updated.assert_ok()["phones_set"]) == {"top": 2, "demographics": 0}[setting]


@pytest.mark.parametrize("data_date", [datetime.date(2026, 1, 15), datetime.date(2025, 6, 1)])
def test_data_date(serve_with, data_date):
    api = serve_with(data_date=data_date)
    listing = api.full_listing()
    assert len(listing) == SEED.pending_request_count
    first_day = (data_date - datetime.timedelta(days=6)).isoformat()
    assert min(request["executed_date"] for request in listing) == f"{first_day}T00:00:00"


@pytest.mark.parametrize(
    (
        "release",
        "has_preferred_language",
        "has_is_primary",
        "registration_number_allowed",
        "has_get_pending",
        "has_release_and_key",
    ),
    [
        ("R16.1.0", True, True, True, True, True),
        ("R16.0.5", True, False, True, True, True),
        ("R13.2.0", True, False, False, True, True),
        ("R12.0.0", True, False, False, False, True),
        ("R11.0.0", False, False, False, False, True),
        ("R9.4.0", False, False, False, False, False),
    ],
)
def test_release(
    serve_with,
    release,
    has_preferred_language,
    has_is_primary,
    registration_number_allowed,
    has_get_pending,
    has_release_and_key,
):
    api = serve_with(release=release)
    person = api.show(PERSON).assert_ok()
    assert ("preferred_language" in person) is has_preferred_language
    assert all(("is_primary" in email) is has_is_primary for email in person["emails_set"])
    by_registration = api.show(f"registration_number={SEED.company_registration_number}")
    assert by_registration.ok is registration_number_allowed
    if not registration_number_allowed:
        by_registration.assert_error(400, "INVALIDIDENTIFIER")
    assert (api.pending(1, 0).http_status == 200) is has_get_pending
    gated = (
        api.post("authentication/token/release", {"token": api.login().assert_ok()["token"]}, token=NO_TOKEN),
        api.post_raw("authentication/web_api_key/token", b"{}"),
    )
    for answer in gated:
        assert ("UNKNOWNOPERATION" in answer.code) is (not has_release_and_key)


SENTINEL_CREDENTIALS = {
    "username": "sentinel-user",
    "password": "sentinel-password",
    "organisation": "Sentinel Organisation",
    "unit": "Sentinel Unit",
}


def test_credentials(serve_with):
    api = serve_with(credentials=SENTINEL_CREDENTIALS)
    token = api.post("authentication/token", SENTINEL_CREDENTIALS, token=NO_TOKEN).assert_ok()["token"]
    api.show(PERSON, token=token).assert_ok()
    api.login().assert_error(401, "INVALIDCREDENTIALS")  # the published CREDENTIALS no longer log in
    without_unit = {name: value for name, value in SENTINEL_CREDENTIALS.items() if name != "unit"}
    api.post("authentication/token", without_unit, token=NO_TOKEN).assert_error(401, "INVALIDCREDENTIALS")


def test_credentials_stay_out_of_the_options_repr_and_are_copied():
    given = dict(SENTINEL_CREDENTIALS)
    options = TenantOptions(credentials=given)
    given["password"] = "changed afterwards"
    assert options.credentials["password"] == "sentinel-password"
    assert "sentinel-password" not in repr(options)
    assert hash(options) == hash(TenantOptions(credentials=SENTINEL_CREDENTIALS))


@pytest.mark.parametrize(
    "options",
    [
        {"credentials": {"username": "u", "password": "p"}},
        {"credentials": {**SENTINEL_CREDENTIALS, "role": "admin"}},
        {"credentials": {**SENTINEL_CREDENTIALS, "unit": ""}},
        {"credentials": [("username", "u")]},
        {"error_http_status": "500"},
        {"success_message": None},
        {"token_format": "JWT"},
        {"input_collections": "inside"},
        {"data_first": "yes"},
        {"extra_fields": 1},
        {"release": "16.1"},
        {"data_date": "2026-01-15"},
        {"data_date": datetime.datetime(2026, 1, 15, 10, 0)},
    ],
)
def test_options_refuse_values_outside_their_choices(options):
    with pytest.raises(ValueError):
        TenantOptions(**options)


def test_options_change_only_their_own_behaviour(serve_with):
    reference = serve_with()
    varied = serve_with(error_http_status="200", data_first=True, token_format="hex")
    assert reference.show(PERSON).data == varied.show(PERSON).data
    assert flatten(reference.pending(50, 3).data["subscriptions_set"]) == flatten(
        varied.pending(50, 3).data["subscriptions_set"]
    )
