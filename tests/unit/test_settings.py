"""Run settings: precedence, validation with every problem at once, secrets kept out of messages."""

import pytest

from crmconf.identifiers import Identifier
from crmconf.settings import DEFAULT_RELEASE, SETTINGS, Settings, SettingsError, load_settings

SECRET = "s3ntinel-secret-value"


def profile(tmp_path, text, name="tenant.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(environ=None, options=None, profile=None) -> str:
    with pytest.raises(SettingsError) as caught:
        load_settings(environ or {}, options, profile)
    return str(caught.value)


# -- defaults and parsing --------------------------------------------------------------------


def test_defaults_without_any_source():
    settings = load_settings({})
    assert settings == Settings()
    assert (settings.mode, settings.server, settings.allow_writes) == ("replay", None, False)
    assert settings.release == DEFAULT_RELEASE
    assert settings.timeout == (5.0, 30.0)
    assert settings.is_live is False
    assert settings.origin == {}


def test_every_setting_has_a_crm_variable():
    assert all(setting.env.startswith("CRM_") for setting in SETTINGS)
    assert {setting.name for setting in SETTINGS} <= set(Settings.__dataclass_fields__)


@pytest.mark.parametrize("raw, mode", [("record", "record"), (" LIVE ", "live"), ("Replay", "replay")])
def test_mode_is_normalised(raw, mode):
    settings = load_settings({"CRM_MODE": raw})
    assert settings.mode == mode
    assert settings.is_live is (mode != "replay")


def test_mode_outside_the_three_is_refused():
    message = problems({"CRM_MODE": "playback"})
    assert "CRM_MODE: 'playback' is not valid" in message
    assert "replay, record, live" in message


@pytest.mark.parametrize("raw", ["1", "true", "YES", " on "])
def test_true_flags(raw):
    assert load_settings({"CRM_ALLOW_WRITES": raw}).allow_writes is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off"])
def test_false_flags(raw):
    assert load_settings({"CRM_ALLOW_WRITES": raw}).allow_writes is False


def test_flag_that_is_neither_is_refused():
    assert "CRM_ALLOW_WRITES: 'maybe' is not valid: expected a yes/no value" in problems(
        {"CRM_ALLOW_WRITES": "maybe"}
    )


def test_timeouts_are_parsed_as_seconds():
    settings = load_settings({"CRM_CONNECT_TIMEOUT": "2.5", "CRM_READ_TIMEOUT": "12"})
    assert settings.timeout == (2.5, 12.0)


@pytest.mark.parametrize("raw", ["0", "-1", "abc", "nan"])
def test_timeout_that_is_not_a_positive_number_is_refused(raw):
    message = problems({"CRM_READ_TIMEOUT": raw})
    assert f"CRM_READ_TIMEOUT: {raw!r} is not valid" in message


@pytest.mark.parametrize("raw", ["inf", "1e400"])
def test_infinite_timeout_is_refused(raw):
    """An infinite timeout passes ``> 0`` but makes the socket layer raise OverflowError."""
    assert f"CRM_READ_TIMEOUT: {raw!r} is not valid" in problems({"CRM_READ_TIMEOUT": raw})


def test_timeouts_from_a_profile_may_be_numbers(tmp_path):
    path = profile(tmp_path, "connect_timeout = 3\nread_timeout = 4.5\n")
    assert load_settings({}, profile=path).timeout == (3.0, 4.5)


@pytest.mark.parametrize("raw", ["https://crm.example.com/", "https://crm.example.com"])
def test_server_loses_trailing_slash(raw):
    assert load_settings({"CRM_SERVER": raw}).server == "https://crm.example.com"


def test_server_may_be_embedded():
    settings = load_settings({"CRM_SERVER": "embedded"})
    assert settings.is_embedded and settings.server == "embedded"


def test_server_without_scheme_is_refused():
    assert "CRM_SERVER: 'crm.example.com' is not valid" in problems({"CRM_SERVER": "crm.example.com"})


def test_identifier_settings_are_parsed():
    settings = load_settings(
        {"CRM_CONTACT_IDENTIFIER": "number=CI000111", "CRM_PROVISIONING_PROVIDER": "name=GP"}
    )
    assert settings.contact_identifier == Identifier("number", "CI000111")
    assert settings.provisioning_provider == Identifier("name", "GP")


def test_the_other_contact_and_provider_are_identifiers_and_unset_by_default():
    settings = load_settings(
        {"CRM_OTHER_CONTACT_IDENTIFIER": "number=CI000112", "CRM_OTHER_PROVISIONING_PROVIDER": "id=GP2"}
    )
    assert settings.other_contact_identifier == Identifier("number", "CI000112")
    assert settings.other_provisioning_provider == Identifier("id", "GP2")
    assert Settings().other_contact_identifier is None and Settings().other_provisioning_provider is None


def test_identifier_setting_that_is_not_field_equals_value_is_refused():
    assert "CRM_CONTACT_IDENTIFIER: 'CI000111' is not valid" in problems(
        {"CRM_CONTACT_IDENTIFIER": "CI000111"}
    )


def test_secrets_lists_credentials_and_token():
    settings = load_settings(
        {
            "CRM_USERNAME": "u1",
            "CRM_PASSWORD": "p1",
            "CRM_ORGANISATION": "o1",
            "CRM_UNIT": "n1",
            "CRM_TOKEN": "t1",
        }
    )
    assert set(settings.secrets) == {"u1", "p1", "o1", "n1", "t1"}


# -- precedence --------------------------------------------------------------------------------------------


def test_option_beats_environment_beats_profile(tmp_path):
    path = profile(tmp_path, 'server = "https://from-profile.example"\nrelease = "R14.0.0"\nunit = "P"\n')
    environ = {"CRM_SERVER": "https://from-env.example", "CRM_RELEASE": "R15.0.0"}
    settings = load_settings(environ, {"server": "https://from-option.example"}, profile=path)
    assert settings.server == "https://from-option.example"
    assert settings.release == "R15.0.0"
    assert settings.unit == "P"
    assert settings.origin["server"] == "option --server"
    assert settings.origin["release"] == "CRM_RELEASE"
    assert settings.origin["unit"] == f"{path}: unit"


def test_option_set_to_none_does_not_override(tmp_path):
    settings = load_settings({"CRM_MODE": "record"}, {"mode": None, "server": None})
    assert settings.mode == "record"
    assert settings.origin["mode"] == "CRM_MODE"


def test_empty_environment_variable_does_not_override_profile(tmp_path):
    path = profile(tmp_path, 'username = "from-profile"\n')
    assert load_settings({"CRM_USERNAME": "  "}, profile=path).username == "from-profile"


def test_profile_is_named_by_environment(tmp_path):
    path = profile(tmp_path, 'release = "R12.0.0"\n')
    assert load_settings({"CRM_PROFILE": str(path)}).release == "R12.0.0"


def test_profile_argument_beats_profile_variable(tmp_path):
    chosen = profile(tmp_path, 'release = "R12.0.0"\n', "chosen.toml")
    other = profile(tmp_path, 'release = "R10.0.0"\n', "other.toml")
    assert load_settings({"CRM_PROFILE": str(other)}, profile=chosen).release == "R12.0.0"


def test_option_with_underscore_is_named_with_dashes():
    settings = load_settings({}, {"allow_writes": True})
    assert settings.origin["allow_writes"] == "option --allow-writes"


# -- problems --------------------------------------------------------------------------------------


def test_every_problem_is_reported_at_once(tmp_path):
    path = profile(tmp_path, 'read_timeout = "soon"\nrelese = "R1"\n')
    message = problems(
        {
            "CRM_MODE": "bogus",
            "CRM_SERVER": "ftp://x",
            "CRM_ALLOW_WRITES": "maybe",
            "CRM_CONNECT_TIMEOUT": "abc",
            "CRM_CONTACT_IDENTIFIER": "nope",
        },
        {"provisioning_provider": "nope"},
        profile=path,
    )
    for where in (
        "CRM_MODE",
        "CRM_SERVER",
        "CRM_ALLOW_WRITES",
        "CRM_CONNECT_TIMEOUT",
        "CRM_CONTACT_IDENTIFIER",
        "option --provisioning-provider",
        f"{path}: read_timeout",
        f"{path}: unknown key 'relese'",
    ):
        assert where in message
    assert message.count("\n  - ") == 8


def test_missing_profile_names_the_file(tmp_path):
    missing = tmp_path / "nowhere.toml"
    message = problems(profile=missing)
    assert f"profile file {missing} does not exist" in message


def test_profile_that_is_not_toml_names_the_file(tmp_path):
    path = profile(tmp_path, "server = https://unquoted\n")
    assert f"profile file {path} is not valid TOML" in problems(profile=path)


def test_profile_that_is_not_text_names_the_file(tmp_path):
    path = tmp_path / "binary.toml"
    path.write_bytes(b"\xff\xfe\x00bad")
    assert f"profile file {path} cannot be read" in problems(profile=path)


def test_profile_unknown_key_names_file_and_key(tmp_path):
    path = profile(tmp_path, 'servr = "https://x"\n')
    message = problems(profile=path)
    assert f"{path}: unknown key 'servr'" in message
    assert "server" in message.split("may set:", 1)[1]


def test_profile_may_not_set_the_mode(tmp_path):
    path = profile(tmp_path, 'mode = "live"\n')
    assert f"{path}: unknown key 'mode'" in problems(profile=path)


def test_profile_wrong_value_names_file_and_key(tmp_path):
    path = profile(tmp_path, "allow_writes = 3\n")
    assert f"{path}: allow_writes: 3 is not valid" in problems(profile=path)


def test_problems_are_reported_with_missing_profile_too(tmp_path):
    message = problems({"CRM_MODE": "bogus"}, profile=tmp_path / "absent.toml")
    assert "does not exist" in message and "CRM_MODE" in message


# -- secrets in messages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        f"password = {SECRET}\n",
        f'password = "{SECRET}\n',
        f'password = "{SECRET}" trailing\n',
        f'password = ["{SECRET}"]\n',
        f'[token]\nvalue = "{SECRET}"\n',
        f'username = {{ name = "{SECRET}" }}\n',
        f'organisation = ["{SECRET}"]\nunit = 7\n',
        f'passwrd = "{SECRET}"\n',
    ],
)
def test_profile_secret_never_appears_in_messages(tmp_path, text):
    path = profile(tmp_path, text)
    message = problems({"CRM_MODE": "bogus"}, profile=path)
    assert SECRET not in message
    assert str(path) in message


def test_environment_secrets_never_appear_in_messages():
    environ = {
        "CRM_USERNAME": SECRET + "u",
        "CRM_PASSWORD": SECRET + "p",
        "CRM_ORGANISATION": SECRET + "o",
        "CRM_TOKEN": SECRET + "t",
        "CRM_UNIT": SECRET + "n",
        "CRM_MODE": "bogus",
    }
    assert SECRET not in problems(environ)


def test_secret_option_of_wrong_type_is_hidden():
    message = problems(options={"password": 12345678})
    assert "12345678" not in message
    assert "option --password: (hidden) is not valid: expected text, got int" in message


# -- what a live run lacks -------------------------------------------------------------------------


def test_replay_lacks_nothing():
    assert load_settings({}).missing({"contact_identifier"}) == []


def test_live_run_lacks_server_and_credentials():
    found = load_settings({"CRM_MODE": "live"}).missing(set())
    assert len(found) == 2
    assert found[0].startswith("CRM_SERVER") and found[0].endswith("is not set")
    assert "CRM_USERNAME" in found[1] and "CRM_TOKEN" in found[1]


def test_record_run_is_checked_like_a_live_run():
    assert len(load_settings({"CRM_MODE": "record"}).missing(set())) == 2


def test_token_is_enough_credentials():
    settings = load_settings({"CRM_MODE": "live", "CRM_SERVER": "https://x", "CRM_TOKEN": "t"})
    assert settings.missing(set()) == []


def test_credentials_need_username_password_and_organisation():
    environ = {"CRM_MODE": "live", "CRM_SERVER": "https://x", "CRM_USERNAME": "u", "CRM_PASSWORD": "p"}
    assert len(load_settings(environ).missing(set())) == 1
    environ["CRM_ORGANISATION"] = "o"
    assert load_settings(environ).missing(set()) == []


def test_missing_lists_needed_settings_that_are_unset(tmp_path):
    environ = {
        "CRM_MODE": "live",
        "CRM_SERVER": "https://x",
        "CRM_TOKEN": "t",
        "CRM_PROVISIONING_PROVIDER": "id=1",
    }
    found = load_settings(environ).missing({"contact_identifier", "provisioning_provider"})
    assert len(found) == 1
    assert found[0].startswith("CRM_CONTACT_IDENTIFIER (")
    assert "the selected scenarios use it" in found[0]


def test_describe_says_where_a_value_came_from(tmp_path):
    path = profile(tmp_path, 'server = "https://x"\n')
    assert load_settings({}, profile=path).describe("server").endswith(f", from {path}: server")


# -- the embedded tenant ------------------------------------------------------------------------------


CREDENTIALS = {"username": "tenant-user", "password": "tenant-pw", "organisation": "tenant-org", "unit": None}
TEST_DATA = {
    "contact_identifier": Identifier("number", "CI1"),
    "provisioning_provider": Identifier("name", "GP"),
}


def test_with_embedded_tenant_fills_unset_values():
    settings = load_settings({"CRM_MODE": "live", "CRM_SERVER": "embedded"}).with_embedded_tenant(
        CREDENTIALS, TEST_DATA
    )
    assert (settings.username, settings.password, settings.organisation) == (
        "tenant-user",
        "tenant-pw",
        "tenant-org",
    )
    assert settings.unit is None
    assert settings.contact_identifier == Identifier("number", "CI1")
    assert settings.origin["username"] == "the embedded reference tenant"
    assert "unit" not in settings.origin
    assert settings.missing({"contact_identifier", "provisioning_provider"}) == []


def test_with_embedded_tenant_keeps_set_values():
    environ = {
        "CRM_MODE": "live",
        "CRM_SERVER": "embedded",
        "CRM_USERNAME": "mine",
        "CRM_CONTACT_IDENTIFIER": "id=9",
    }
    settings = load_settings(environ).with_embedded_tenant(CREDENTIALS, TEST_DATA)
    assert settings.username == "mine"
    assert settings.contact_identifier == Identifier("id", "9")
    assert settings.origin["username"] == "CRM_USERNAME"
    assert settings.password == "tenant-pw"


def test_with_embedded_tenant_allows_writes_unless_set():
    assert load_settings({}).with_embedded_tenant({}, {}).allow_writes is True
    assert load_settings({"CRM_ALLOW_WRITES": "0"}).with_embedded_tenant({}, {}).allow_writes is False


def test_with_embedded_tenant_returns_a_new_settings():
    original = load_settings({})
    original.with_embedded_tenant(CREDENTIALS, TEST_DATA)
    assert original.username is None and original.allow_writes is False
