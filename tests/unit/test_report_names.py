"""The names the standard reports give a scenario, and the kill matrix reading them back."""

from pathlib import Path

import pytest

from crmconf.selftest import ScenarioNames
from crmconf.standard_reports import feature_classname, scenario_title

FEATURES = Path(__file__).resolve().parents[2] / "features"


def test_a_scenario_is_named_as_written_and_an_outline_row_with_its_id():
    assert scenario_title("an unknown operation is refused", None) == "an unknown operation is refused"
    assert scenario_title("a page never holds more than number_of_results requests", "7") == (
        "a page never holds more than number_of_results requests [7]"
    )


@pytest.mark.parametrize(
    ("nodeid", "prefix", "expected"),
    [
        ("features/errors.feature::test_an_unknown_operation_is_refused", None, "features.errors"),
        ("features/fields_set.feature::test_x[first_name,last_name]", None, "features.fields_set"),
        ("features/errors.feature::test_x", "tenant-a", "tenant-a.features.errors"),
    ],
)
def test_the_class_name_is_the_feature_file_without_its_suffix(nodeid, prefix, expected):
    assert feature_classname(nodeid, prefix) == expected


@pytest.mark.parametrize(
    "test",
    [
        "show returns exactly the fields fields_set names [first_name,last_name]",  # crmconf's name
        "test_show_returns_exactly_the_fields_fields_set_names[first_name,last_name]",  # pytest's
    ],
)
def test_the_kill_matrix_reads_a_scenario_back_from_either_name(test):
    names = ScenarioNames(FEATURES)
    assert names.scenario("fields_set", test) == "show returns exactly the fields fields_set names"
