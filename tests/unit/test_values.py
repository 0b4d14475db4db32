"""Scenario values: placeholders, kept values, run values stored in and read from cassettes."""

from pathlib import Path

import pytest
from vcr.errors import MissingMetadataError

from crmconf.identifiers import Identifier
from crmconf.values import (
    OPTIONAL_RUN_VALUES,
    RUN_VALUE_SETTINGS,
    ScenarioValues,
    UnknownValue,
    auth_mode,
    placeholders,
    sends_unit,
    uses_token,
)


class FakeCassette:
    """What ScenarioValues uses of a vcrpy cassette: ``get_metadata`` and ``path``."""

    def __init__(self, metadata=None, write_protected=False, path="cassettes/contact/show.yaml"):
        self.metadata = dict(metadata or {})
        self.write_protected = write_protected
        self.path = self._path = path
        self.record_mode = "none" if write_protected else "all"
        self.asked = []

    def get_metadata(self, key, default):
        self.asked.append((key, default))
        if key in self.metadata:
            return self.metadata[key]
        if self.write_protected:
            raise MissingMetadataError(cassette=self, key=key)
        self.metadata[key] = default
        return default


def unexpected():
    raise AssertionError("a replay must not read the settings")


def test_placeholders_finds_names():
    assert placeholders("GET contact_information/show?x={contact}&y={contact_id}") == {
        "contact",
        "contact_id",
    }


def test_placeholders_ignores_json_and_capitals():
    assert placeholders('{"name": "x"} {Contact} {1st} { contact }') == set()


def test_run_values_map_to_settings():
    assert RUN_VALUE_SETTINGS == {
        "contact": "contact_identifier",
        "provider": "provisioning_provider",
        "non_pending": "non_pending_requests",
        "other_contact": "other_contact_identifier",
        "other_provider": "other_provisioning_provider",
    }


def test_the_second_contact_and_provider_are_optional_run_values():
    assert OPTIONAL_RUN_VALUES == {"non_pending", "other_contact", "other_provider"}


def test_expand_replaces_run_values_from_sources():
    values = ScenarioValues({"contact": lambda: Identifier("number", "CI000111")})
    assert (
        values.expand("contact_information_identifier={contact}")
        == "contact_information_identifier=number=CI000111"
    )


def test_expand_replaces_every_occurrence_and_leaves_other_text():
    values = ScenarioValues({"a": lambda: "1"})
    values.keep("b", 2)
    assert values.expand('{"x": "{a}", "y": "{b}{a}"}') == '{"x": "1", "y": "21"}'


def test_kept_value_is_text_and_beats_a_source():
    values = ScenarioValues({"contact_id": lambda: "from settings"})
    values.keep("contact_id", 12)
    assert values["contact_id"] == "12"


def test_unknown_placeholder_names_itself_and_the_known_ones():
    values = ScenarioValues({"contact": lambda: "x"})
    values.keep("contact_id", "7")
    with pytest.raises(
        UnknownValue, match=r"\{nothing\} is not a known value \(known here: contact, contact_id\)"
    ):
        values.expand("{nothing}")


def test_unset_setting_is_an_unknown_value():
    with pytest.raises(UnknownValue, match="not set"):
        ScenarioValues({"contact": lambda: None})["contact"]


def test_source_is_read_when_needed():
    calls = []
    values = ScenarioValues({"contact": lambda: calls.append(1) or "x", "provider": unexpected})
    assert values.expand("{contact}") == "x"
    assert calls == [1]


def test_record_stores_run_value_in_cassette():
    cassette = FakeCassette()
    values = ScenarioValues({"contact": lambda: Identifier("id", "A1")}, cassette, replay=False)
    assert values["contact"] == "id=A1"
    assert cassette.metadata == {"contact": "id=A1"}


def test_record_stores_text_not_identifier():
    cassette = FakeCassette()
    ScenarioValues({"contact": lambda: Identifier("id", "A1")}, cassette)["contact"]
    assert isinstance(cassette.metadata["contact"], str)


def test_record_refuses_unset_setting_without_storing():
    cassette = FakeCassette()
    with pytest.raises(UnknownValue):
        ScenarioValues({"contact": lambda: None}, cassette)["contact"]
    assert cassette.metadata == {}


def test_kept_values_are_not_stored_in_cassette():
    cassette = FakeCassette()
    values = ScenarioValues({}, cassette)
    values.keep("contact_id", "7")
    assert values.expand("{contact_id}") == "7"
    assert cassette.asked == []


def test_replay_reads_run_value_from_cassette():
    cassette = FakeCassette({"contact": "number=CI000111"}, write_protected=True)
    values = ScenarioValues({"contact": unexpected}, cassette, replay=True)
    assert values.expand("id={contact}") == "id=number=CI000111"


def test_replay_without_recorded_value_names_cassette_and_placeholder():
    cassette = FakeCassette(write_protected=True, path="cassettes/provisioning/page.yaml")
    values = ScenarioValues({"provider": unexpected}, cassette, replay=True)
    with pytest.raises(UnknownValue) as caught:
        values["provider"]
    message = str(caught.value)
    assert "cassettes/provisioning/page.yaml" in message
    assert "{provider}" in message
    assert "--crm-mode record" in message


def test_replay_still_refuses_unknown_placeholder():
    values = ScenarioValues({}, FakeCassette(write_protected=True), replay=True)
    with pytest.raises(UnknownValue, match="known here: none"):
        values["contact"]


def test_replay_with_a_real_vcr_cassette(tmp_path):
    """The fake's contract holds for vcrpy's own cassette in record mode none."""
    from vcr.cassette import Cassette
    from vcr.record_mode import RecordMode

    cassette = Cassette(path=str(Path(tmp_path, "none.yaml")), record_mode=RecordMode.NONE)
    values = ScenarioValues({"contact": unexpected}, cassette, replay=True)
    with pytest.raises(UnknownValue, match="none.yaml"):
        values["contact"]


@pytest.mark.parametrize(
    ("token", "unit", "mode", "token_used", "unit_sent"),
    [
        (False, False, "login", False, False),
        (False, True, "login+unit", False, True),
        (True, False, "token", True, False),
        (True, True, "token+unit", True, True),  # scenarios that log in themselves still send the unit
    ],
)
def test_the_auth_mode_says_token_or_login_and_whether_a_unit_is_sent(token, unit, mode, token_used, unit_sent):
    assert auth_mode(token=token, unit=unit) == mode
    assert uses_token(mode) is token_used
    assert sends_unit(mode) is unit_sent
