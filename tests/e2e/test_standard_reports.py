"""``crmconf run --junitxml PATH --cucumberjson PATH``: the reports CI tools read (Jenkins, GitLab,
Allure) hold every feature and scenario under the names the feature files give them, agree with
the run on what passed, and say which scenario failed and which rule it broke.

The suite is replayed from the shipped cassettes, in one process and with two pytest-xdist
workers, then from a copy whose cassette of one scenario has a body the schemas refuse.
"""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

import pytest
from plugin_support import write_plugin

from crmconf.lint import Suite
from crmconf.standard_reports import scenario_title

SUITE = Path(__file__).resolve().parents[2]
TAMPERED_FEATURE = "contact_information_show"
TAMPERED_SCENARIO = "show returns the contact named by its identifier"
TAMPERED_RULE = "Rule broken: response.schema:"
"""The cassette of the tampered scenario answers with a contact type outside the documented enum."""


@dataclass
class Reports:
    run: object
    cucumber: list[dict]
    junit: ElementTree.Element

    def summary(self, outcome: str) -> int:
        found = re.search(rf"(\d+) {outcome}", self.run.out.splitlines()[-1])
        return int(found[1]) if found else 0

    @property
    def scenarios(self) -> list[tuple[dict, dict]]:
        """(feature, scenario) of each scenario of the Cucumber JSON."""
        return [(feature, element) for feature in self.cucumber for element in feature["elements"]]

    @property
    def testcases(self) -> list[ElementTree.Element]:
        return list(self.junit.iter("testcase"))

    def testcase(self, classname: str, name: str) -> ElementTree.Element:
        (case,) = [c for c in self.testcases if (c.get("classname"), c.get("name")) == (classname, name)]
        return case

    def cucumber_scenario(self, uri: str, name: str) -> dict:
        (element,) = [e for feature, e in self.scenarios if (feature["uri"], e["name"]) == (uri, name)]
        return element


def replay_with_reports(crmconf_run, folder: Path, *args: str) -> Reports:
    junit, cucumber = folder / "junit.xml", folder / "cucumber.json"
    run = crmconf_run("--junitxml", str(junit), "--cucumberjson", str(cucumber), *args)
    assert run.code in (0, 1), run  # a verdict, whatever it is
    return Reports(run, json.loads(cucumber.read_text()), ElementTree.parse(junit).getroot())


@pytest.fixture(scope="module")
def replay(crmconf_run, tmp_path_factory) -> Reports:
    return replay_with_reports(crmconf_run, tmp_path_factory.mktemp("replay"))


@pytest.fixture(scope="module")
def replay_two_workers(crmconf_run, tmp_path_factory) -> Reports:
    return replay_with_reports(crmconf_run, tmp_path_factory.mktemp("replay-n2"), "--", "-n", "2")


@pytest.fixture(params=["replay", "replay_two_workers"], ids=["one process", "two workers"])
def reports(request) -> Reports:
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def tampered(crmconf_run, tmp_path_factory) -> Reports:
    folder = tmp_path_factory.mktemp("tampered")
    cassettes = folder / "cassettes"
    shutil.copytree(SUITE / "cassettes", cassettes)
    (path,) = [path for path, (source, scenario, _) in Suite(SUITE).expected_cassettes(cassettes).items()
               if (source.path.stem, scenario.name) == (TAMPERED_FEATURE, TAMPERED_SCENARIO)]
    text, changed = re.subn(r"^(\s+type:) PERSON$", r"\1 person", path.read_text(), flags=re.MULTILINE)
    assert changed, f"{path} has no contact type to tamper with"
    path.write_text(text)
    return replay_with_reports(crmconf_run, folder, "--cassettes", str(cassettes))


def suite_tests() -> list[tuple[str, str, str, str]]:
    """(feature file, feature name, scenario name, JUnit name) of each test the suite holds."""
    return [(source.shown, source.feature.name, scenario.name, scenario_title(scenario.name, example))
            for source, scenario, example in Suite(SUITE).tests()]


def classname(feature_file: str) -> str:
    return feature_file.removesuffix(".feature").replace("/", ".")


# -- the names --------------------------------------------------------------------------------


def test_every_feature_file_is_a_cucumber_feature_with_its_name(reports):
    files = {f"features/{path.name}" for path in (SUITE / "features").glob("*.feature")}
    expected = {file: name for file, name, _, _ in suite_tests()}
    assert set(expected) == files
    assert {feature["uri"]: feature["name"] for feature in reports.cucumber} == expected


def test_every_scenario_and_outline_row_is_a_cucumber_scenario_with_its_steps(reports):
    expected = Counter((file, scenario) for file, _, scenario, _ in suite_tests())
    assert Counter((feature["uri"], element["name"]) for feature, element in reports.scenarios) == expected
    templates = {(source.shown, scenario.name): scenario for source, scenario, _ in Suite(SUITE).tests()}
    for feature, element in reports.scenarios:
        template = templates[(feature["uri"], element["name"])]
        steps = element["steps"]
        assert [step["keyword"] for step in steps] == [step.keyword for step in template.steps], element["name"]
        if not template.examples:  # an outline row's steps carry the row's values
            assert [step["name"] for step in steps] == [step.name for step in template.steps]
        assert all(step["result"]["status"] in ("passed", "failed", "skipped") for step in steps)


def test_junit_names_say_the_feature_and_the_scenario(reports):
    expected = sorted((classname(file), name) for file, _, _, name in suite_tests())
    assert sorted((case.get("classname"), case.get("name")) for case in reports.testcases) == expected
    # As a person reads them (and Jenkins: package "features", class "errors"):
    assert reports.testcase("features.errors", "an unknown operation is refused") is not None
    rows = [name for _, _, scenario, name in suite_tests() if name != scenario]
    assert rows and all(re.fullmatch(r".+ \[.+\]", name) for name in rows)


def test_both_reports_count_what_the_run_counts(reports):
    passed, failed = reports.summary("passed"), reports.summary("failed")
    assert passed + failed == len(suite_tests()), reports.run

    statuses = [{step["result"]["status"] for step in element["steps"]} for _, element in reports.scenarios]
    assert sum(1 for found in statuses if found == {"passed"}) == passed
    assert sum(1 for found in statuses if "failed" in found) == failed

    outcomes = Counter(next((child.tag for child in case if child.tag in ("failure", "error", "skipped")),
                            "passed") for case in reports.testcases)
    assert (outcomes["passed"], outcomes["failure"]) == (passed, failed)
    suite_element = reports.junit.find("testsuite")
    assert (int(suite_element.get("tests")), int(suite_element.get("failures"))) == (passed + failed, failed)


# -- a failing scenario -----------------------------------------------------------------------


def test_a_failing_scenario_is_failed_in_both_reports_with_the_rule(tampered, replay):
    feature_file = f"features/{TAMPERED_FEATURE}.feature"
    case = tampered.testcase(classname(feature_file), TAMPERED_SCENARIO)
    failure = case.find("failure")
    assert failure is not None, ElementTree.tostring(case, encoding="unicode")
    assert TAMPERED_RULE in failure.text and "at /data/type: expected enum" in failure.text

    element = tampered.cucumber_scenario(feature_file, TAMPERED_SCENARIO)
    statuses = [step["result"]["status"] for step in element["steps"]]
    first_failed = statuses.index("failed")
    assert set(statuses[:first_failed]) <= {"passed"}
    failing_step = element["steps"][first_failed]
    assert failing_step["keyword"] == "When" and TAMPERED_RULE in failing_step["result"]["error_message"]

    # Nothing else changed: every other test has the outcome it has in the untampered replay.
    def outcomes(reports: Reports) -> dict[tuple[str, str], str]:
        return {(case.get("classname"), case.get("name")): "failed" if case.find("failure") is not None else "other"
                for case in reports.testcases}

    expected = outcomes(replay) | {(classname(feature_file), TAMPERED_SCENARIO): "failed"}
    assert outcomes(tampered) == expected
    assert tampered.summary("failed") == replay.summary("failed") + 1


WHAT_CROSSES = """
import json, os
from crmconf.standard_reports import BDD_CONTEXT


class Controller:
    seen = {}

    def pytest_runtest_logreport(self, report):
        key = f"{report.when} {'with' if hasattr(report, BDD_CONTEXT) else 'without'}"
        self.seen[key] = self.seen.get(key, 0) + 1

    def pytest_unconfigure(self, config):
        with open(os.environ["CRMCONF_TEST_PROBE"], "w") as file:
            json.dump(self.seen, file)


def pytest_configure(config):
    if not hasattr(config, "workerinput"):
        config.pluginmanager.register(Controller())
"""


@pytest.mark.parametrize("cucumber", [True, False], ids=["cucumber json", "no cucumber json"])
def test_a_worker_sends_pytest_bdds_report_data_only_for_the_cucumber_json(crmconf_run, tmp_path, cucumber):
    """pytest-bdd's data (about 1 KB a report) crosses from the workers only when the Cucumber JSON
    is written, and only with the report its writer reads, the call's."""
    seen = tmp_path / "seen.json"
    env = write_plugin(tmp_path, "crmconf_what_crosses", WHAT_CROSSES, CRMCONF_TEST_PROBE=str(seen))
    wanted = ["--cucumberjson", str(tmp_path / "cucumber.json")] if cucumber else []
    run = crmconf_run(*wanted, "--", "-n", "2", "-p", "crmconf_what_crosses", env=env)
    assert run.code == 0, run
    tests = suite_tests()
    expected = {"setup without": len(tests), "teardown without": len(tests)}
    expected["call with" if cucumber else "call without"] = len(tests)
    assert json.loads(seen.read_text()) == expected
    if cucumber:
        assert len(json.loads((tmp_path / "cucumber.json").read_text())) == len({test[0] for test in tests})
