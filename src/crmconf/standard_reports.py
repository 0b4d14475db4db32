"""The standard reports, JUnit XML (``--junitxml``) and Cucumber JSON (``--cucumberjson``), name
scenarios as people do, and the Cucumber JSON holds every scenario under pytest-xdist too.

pytest names a JUnit test case after its Python test: ``classname="features.errors.feature"`` (read
by Jenkins as the class ``feature`` of the package ``features.errors``) and
``name="test_an_unknown_operation_is_refused"``. Here the class name is the feature file without
its suffix, ``features.errors``, and the name is the scenario's, with the Examples row's id for
a row of an outline: ``an unknown operation is refused``, ``a page never holds more than
number_of_results requests [7]``. They are set the way pytest's ``record_xml_attribute`` sets
attributes, but by the process that writes the report, so they hold under pytest-xdist as well.

pytest-bdd writes the Cucumber JSON from what it attached to each report in the process that ran
the test; a pytest-xdist worker's report reaches the controller as a copy without it, and the
file came out empty (``[]``). When a Cucumber JSON is asked for, a worker now sends it along
with the report the writer reads (the call's), and the controller attaches it back before
pytest-bdd's writer reads the report; otherwise nothing more crosses to the controller.

Both degrade to pytest's and pytest-bdd's own behaviour when their internals are not there.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from crmconf.plugin import scenario_of

try:
    from _pytest.junitxml import xml_key
except ImportError:  # pragma: no cover - a pytest without it keeps its own names
    xml_key = None
try:
    from pytest_bdd.reporting import ReportContext, test_report_context_registry
except ImportError:  # pragma: no cover - a pytest-bdd without it keeps its own behaviour
    ReportContext = None  # type: ignore[assignment,misc]
    test_report_context_registry = None  # type: ignore[assignment]

SCENARIO_TITLE = "crmconf_scenario_title"
"""Report attribute: the scenario's name, with the Examples row's id for a row of an outline."""
BDD_CONTEXT = "crmconf_bdd_context"
"""Report attribute, sent by a pytest-xdist worker: what pytest-bdd attached to the report."""
FEATURE_SUFFIX = ".feature"


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(StandardReports(config), "crmconf-standard-reports")


def scenario_title(name: str, example_id: str | None) -> str:
    """``a scenario``, or ``a scenario [row id]`` for a row of an outline."""
    return f"{name} [{example_id}]" if example_id else name


def feature_classname(nodeid: str, prefix: str | None = None) -> str:
    """``features/errors.feature::test_x`` -> ``features.errors`` (after ``--junit-prefix``, if any)."""
    path = nodeid.split("::", 1)[0].removesuffix(FEATURE_SUFFIX)
    classname = path.replace("/", ".")
    return f"{prefix}.{classname}" if prefix else classname


class StandardReports:
    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.is_worker = hasattr(config, "workerinput")
        self.sends_bdd_context = (
            self.is_worker
            and test_report_context_registry is not None
            and bool(getattr(config.option, "cucumber_json_path", None))
        )

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
        # tryfirst: the outermost wrapper, so pytest-bdd has attached its context when this resumes.
        report = yield
        scenario = scenario_of(item)
        if scenario is None:
            return report
        example = item.callspec.id if hasattr(item, "callspec") else None
        setattr(report, SCENARIO_TITLE, scenario_title(scenario.name, example))
        if self.sends_bdd_context and report.when == "call":  # the only report the writer reads
            context = test_report_context_registry.get(report)
            if context is not None:
                setattr(report, BDD_CONTEXT, {"scenario": context.scenario, "name": context.name})
        return report

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # tryfirst: before pytest's JUnit writer and pytest-bdd's Cucumber writer read the report.
        if self.is_worker:
            return
        self._restore_bdd_context(report)
        self._name_junit_testcase(report)

    def _restore_bdd_context(self, report: pytest.TestReport) -> None:
        sent = getattr(report, BDD_CONTEXT, None)
        if sent is None or test_report_context_registry is None or report in test_report_context_registry:
            return
        test_report_context_registry[report] = ReportContext(scenario=sent["scenario"], name=sent["name"])

    def _name_junit_testcase(self, report: pytest.TestReport) -> None:
        title = getattr(report, SCENARIO_TITLE, None)
        xml: Any = self.config.stash.get(xml_key, None) if xml_key is not None else None
        if title is None or xml is None:
            return
        testcase = xml.node_reporter(report)
        # Attributes added this way survive pytest's own naming of the test case (record_testreport).
        testcase.add_attribute("classname", feature_classname(report.nodeid, xml.prefix))
        testcase.add_attribute("name", title)
