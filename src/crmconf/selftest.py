"""The suite's power, proved: run it live against the reference tenant and against each fault.

A *target* is a reference tenant built from ``TenantOptions``, with the profile settings its QA
would give. Each target is served in this process on its own free port, and the suite runs
against it as ``crmconf run --mode live`` does, in a subprocess of its own with only ``CRM_*``
variables for settings (writes allowed: the tenant's data is thrown away). Runs go in parallel on
a small thread pool. Each run's JUnit XML gives every scenario's outcome and failure message.

The *matrix* says, per fault, which scenarios caught it (failed), and whether the catalogue's
promise holds: the scenarios ``crmconf.tenant.faults`` names for the fault fail, and their
messages name the fault's rule. A conforming target (no fault) must pass every scenario.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pytest_bdd.feature import get_feature
from pytest_bdd.scenario import get_python_name_generator

if TYPE_CHECKING:
    from crmconf.tenant import TenantOptions
    from crmconf.tenant.faults import Fault

CLEAN = "clean"
RUN_TIMEOUT_SECONDS = 600
SOUND_EXIT_CODES = (0, 1)  # pytest: all passed, some failed; anything else is no verdict
FAILED, ERROR = "failed", "error"
RULE_BROKEN = re.compile(r"^Rule broken: (\S+):", re.M)  # how crmconf.failures starts a message


@dataclass(frozen=True)
class Target:
    """A tenant to run the suite against."""

    name: str
    options: TenantOptions
    profile: Mapping[str, str] = field(default_factory=dict)
    """``CRM_*`` settings of the tenant's profile, on top of the login and test data."""

    @property
    def fault(self) -> Fault | None:
        from crmconf.tenant.faults import FAULTS

        return FAULTS[self.options.fault] if self.options.fault else None


def clean_target() -> Target:
    from crmconf.tenant import TenantOptions

    return Target(CLEAN, TenantOptions())


def fault_targets(names: Iterable[str]) -> list[Target]:
    from crmconf.tenant import TenantOptions

    return [Target(name, TenantOptions(fault=name)) for name in names]


# -- one run --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioOutcome:
    feature: str
    """The feature file's stem, e.g. ``fields_set``."""
    scenario: str
    test: str
    """The test's name, with the example's id for an outline row."""
    outcome: str
    """passed, failed, skipped, or error (outside the scenario's steps)."""
    message: str = ""

    @property
    def caught(self) -> bool:
        return self.outcome in (FAILED, ERROR)

    @property
    def rule(self) -> str | None:
        """The id of the rule the failure message names first, if any."""
        found = RULE_BROKEN.search(self.message)
        return found.group(1) if found else None


@dataclass(frozen=True, repr=False)
class RunResult:
    target: Target
    exit_code: int | None
    """pytest's exit status; ``None`` when the run did not finish in time."""
    outcomes: tuple[ScenarioOutcome, ...]
    output: str
    seconds: float

    @property
    def failures(self) -> list[ScenarioOutcome]:
        return [outcome for outcome in self.outcomes if outcome.caught]

    def __repr__(self) -> str:
        # Short, since pytest prints it in every assertion about a run.
        return f"<run against {self.target.name}: exit {self.exit_code}, {len(self.failures)} tests failed>"

    @property
    def problems(self) -> list[str]:
        """Why this run gives no verdict: pytest stopped early, or something broke outside a step."""
        problems = []
        if self.exit_code not in SOUND_EXIT_CODES:
            problems.append(f"pytest exited with status {self.exit_code}:\n{self.output[-3000:]}")
        if not self.outcomes:
            problems.append("no scenario outcome was reported")
        problems += [f"{o.feature}: {o.test} errored outside its steps: {o.message[:500]}"
                     for o in self.outcomes if o.outcome == ERROR]
        return problems


def suite_settings(url: str) -> dict[str, str]:
    """The reference tenant's login and test data, as a QA engineer would export them."""
    from crmconf.tenant import CREDENTIALS, SEED

    return {
        "CRM_SERVER": url,
        "CRM_USERNAME": CREDENTIALS["username"] or "",
        "CRM_PASSWORD": CREDENTIALS["password"] or "",
        "CRM_ORGANISATION": CREDENTIALS["organisation"] or "",
        "CRM_CONTACT_IDENTIFIER": f"number={SEED.person_number}",
        "CRM_PROVISIONING_PROVIDER": f"alternative_code={SEED.provider_alternative_code}",
        "CRM_NON_PENDING_REQUESTS": ",".join(SEED.unlisted_request_numbers),
        "CRM_OTHER_CONTACT_IDENTIFIER": f"number={SEED.company_number}",
        "CRM_OTHER_PROVISIONING_PROVIDER": f"alternative_code={SEED.second_provider_alternative_code}",
        "CRM_ALLOW_WRITES": "1",
    }


def run_target(target: Target, suite: Path, workdir: Path, scenario_names: ScenarioNames) -> RunResult:
    """Serve the target's tenant here and run the suite against it in a subprocess."""
    from crmconf.tenant import EmbeddedTenant

    junit = workdir / f"{target.name}.xml"
    started = time.monotonic()
    with EmbeddedTenant(target.options) as tenant:
        exit_code, output = run_suite_live(suite, {**suite_settings(tenant.url), **target.profile}, junit)
    outcomes = read_junit(junit, scenario_names) if junit.is_file() else ()
    return RunResult(target, exit_code, outcomes, output, time.monotonic() - started)


def run_suite_live(suite: Path, settings: Mapping[str, str], junit: Path) -> tuple[int | None, str]:
    """``crmconf run --mode live`` in a process of its own, whose only ``CRM_*`` variables are
    ``settings``; its exit status (``None`` when it ran out of time) and its output."""
    environment = {name: value for name, value in os.environ.items() if not name.startswith("CRM_")}
    command = [sys.executable, "-m", "crmconf", "run", "--mode", "live", "--suite", str(suite),
               "--junitxml", str(junit)]
    try:
        completed = subprocess.run(command, env={**environment, **settings}, cwd=suite, capture_output=True,
                                   text=True, timeout=RUN_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        return None, f"no verdict within {RUN_TIMEOUT_SECONDS} seconds"
    return completed.returncode, completed.stdout + completed.stderr


# -- reading the JUnit report ---------------------------------------------------------------------


class ScenarioNames:
    """Test names back to scenario names, named as the plugin names a feature file's tests."""

    def __init__(self, features: Path) -> None:
        self._names: dict[tuple[str, str], str] = {}
        for path in sorted(features.glob("*.feature")):
            taken: set[str] = set()
            for scenario in get_feature(str(features), path.name).scenarios:
                test = next(name for name in get_python_name_generator(scenario) if name not in taken)
                taken.add(test)
                self._names[(path.stem, test)] = scenario
        self._scenarios = {(feature, scenario) for (feature, _), scenario in self._names.items()}

    def scenario(self, feature: str, test: str) -> str:
        """The scenario of a JUnit test case: named ``scenario [row id]`` by crmconf's standard
        reports, or ``test_<python name>[row id]`` by pytest alone."""
        title = test.rpartition(" [")[0] if test.endswith("]") else test
        if (feature, title) in self._scenarios:
            return title
        function = test.split("[", 1)[0]  # an outline row's test carries its example's id
        return self._names.get((feature, function), test)

    def __contains__(self, catcher: tuple[str, str]) -> bool:
        """Whether (feature stem, scenario name) is a scenario of the suite."""
        return catcher in self._scenarios


def read_junit(path: Path, names: ScenarioNames) -> tuple[ScenarioOutcome, ...]:
    outcomes = []
    for case in ElementTree.parse(path).iter("testcase"):
        feature = case.get("classname", "").removeprefix("features.").removesuffix(".feature")
        test = case.get("name", "")
        outcome, message = _outcome_of(case)
        outcomes.append(ScenarioOutcome(feature, names.scenario(feature, test), test, outcome, message))
    return tuple(outcomes)


def _outcome_of(case: ElementTree.Element) -> tuple[str, str]:
    for tag, outcome in (("failure", FAILED), ("error", ERROR), ("skipped", "skipped")):
        element = case.find(tag)
        if element is not None:
            return outcome, element.text or element.get("message", "")
    return "passed", ""


# -- the matrix -----------------------------------------------------------------------------------


@dataclass(frozen=True, repr=False)
class Matrix:
    runs: Mapping[str, RunResult]
    """By target name, in the order the targets were given."""

    def __repr__(self) -> str:
        return f"<kill matrix of {len(self.runs)} runs>"

    def run(self, name: str) -> RunResult:
        return self.runs[name]

    @property
    def fault_runs(self) -> list[RunResult]:
        return [run for run in self.runs.values() if run.target.fault is not None]

    @property
    def conforming_runs(self) -> list[RunResult]:
        return [run for run in self.runs.values() if run.target.fault is None]

    @property
    def features(self) -> list[str]:
        return sorted({outcome.feature for run in self.runs.values() for outcome in run.outcomes})

    @property
    def survivors(self) -> list[str]:
        return [run.target.name for run in self.fault_runs if not run.failures]

    def missed_catchers(self, run: RunResult) -> list[tuple[str, str]]:
        """The scenarios the catalogue says catch the fault that did not fail."""
        caught = {(outcome.feature, outcome.scenario) for outcome in run.failures}
        return [catcher for catcher in run.target.fault.catchers if catcher not in caught]

    def silent_on_rule(self, run: RunResult) -> list[ScenarioOutcome]:
        """Failures of the catalogued catchers whose message does not name the fault's rule."""
        fault = run.target.fault
        catching = [o for o in run.failures if (o.feature, o.scenario) in fault.catchers]
        return [outcome for outcome in catching if fault.rule not in outcome.message]

    def problems(self) -> list[str]:
        """Everything that keeps the matrix from proving the suite's power, one line each."""
        problems = []
        for run in self.runs.values():
            problems += [f"{run.target.name}: {problem}" for problem in run.problems]
        for run in self.conforming_runs:
            problems += [f"{run.target.name}: {outcome.feature}: {outcome.scenario} fails against a "
                         f"conforming tenant" for outcome in run.failures]
        for run in self.fault_runs:
            if not run.failures:
                problems.append(f"{run.target.name}: survives, no scenario fails")
            problems += [f"{run.target.name}: {feature}: {scenario} passes, but the catalogue says it "
                         f"catches this fault" for feature, scenario in self.missed_catchers(run)]
            problems += [f"{run.target.name}: {outcome.feature}: {outcome.test} fails without naming "
                         f"rule {run.target.fault.rule}" for outcome in self.silent_on_rule(run)]
        return problems


def run_matrix(
    targets: Sequence[Target],
    suite: Path,
    *,
    jobs: int = 2,
    progress: Callable[[RunResult], None] | None = None,
) -> Matrix:
    """Run the suite against every target, ``jobs`` runs at a time."""
    names = ScenarioNames(suite / "features")
    with tempfile.TemporaryDirectory(prefix="crmconf-selftest-") as workdir:

        def run_one(target: Target) -> RunResult:
            result = run_target(target, suite, Path(workdir), names)
            if progress is not None:
                progress(result)
            return result

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            results = list(pool.map(run_one, targets))
    return Matrix({result.target.name: result for result in results})


# -- rendering ------------------------------------------------------------------------------------


def caught_by_feature(run: RunResult) -> dict[str, dict[str, list[ScenarioOutcome]]]:
    """feature -> scenario -> its failing tests (several for the rows of an outline)."""
    caught: dict[str, dict[str, list[ScenarioOutcome]]] = {}
    for outcome in run.failures:
        caught.setdefault(outcome.feature, {}).setdefault(outcome.scenario, []).append(outcome)
    return caught


def render(matrix: Matrix) -> list[str]:
    """The matrix as text: a table of caught-scenario counts, the kill rate, then the names."""
    return [*_table(matrix), "", _kill_rate(matrix), "", *_names_caught(matrix), *_problem_lines(matrix)]


def _table(matrix: Matrix) -> list[str]:
    features = matrix.features
    labels = column_labels(features)
    rows = [["tenant", *(labels[feature] for feature in features), "rule"]]
    for run in matrix.runs.values():
        caught = caught_by_feature(run)
        counts = [str(len(caught[feature])) if feature in caught else "-" for feature in features]
        rows.append([run.target.name, *counts, run.target.fault.rule if run.target.fault else "(conforming)"])
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    shortened = [f"{labels[feature]} = {feature}" for feature in features if labels[feature] != feature]
    legend = [f"columns: the scenarios of features/<column>.feature that caught the fault ({', '.join(shortened)})"]
    return [*legend, "", lines[0], "  ".join("-" * width for width in widths), *lines[1:]]


def column_labels(features: Sequence[str]) -> dict[str, str]:
    """Each feature file's stem without the words it shares with another's at the start, to keep the
    table narrow: ``contact_information_create`` is ``create`` beside ``contact_information_show``."""
    labels = {}
    for feature in features:
        prefixes = [os.path.commonprefix([feature, other]) for other in features if other != feature]
        start = max((prefix.rfind("_") + 1 for prefix in prefixes), default=0)  # whole words only
        labels[feature] = feature[start:] or feature
    return labels


def _kill_rate(matrix: Matrix) -> str:
    total = len(matrix.fault_runs)
    killed = total - len(matrix.survivors)
    rate = f"{100 * killed / total:.0f}%" if total else "n/a"
    conforming = sum(1 for run in matrix.conforming_runs if not run.failures and not run.problems)
    return (f"kill rate: {killed}/{total} faults killed ({rate}); "
            f"{conforming}/{len(matrix.conforming_runs)} conforming tenants pass every scenario")


def _names_caught(matrix: Matrix) -> list[str]:
    lines = ["scenarios that caught each fault, with the rules their failures name "
             "(* a scenario the catalogue names for the fault; n tests: the failing rows of an outline):"]
    for run in matrix.fault_runs:
        fault = run.target.fault
        lines.append(f"{fault.name}  [{fault.rule}]  {fault.description}")
        for feature, scenarios in sorted(caught_by_feature(run).items()):
            for scenario, tests in scenarios.items():
                mark = "*" if (feature, scenario) in fault.catchers else " "
                rules = ", ".join(sorted({test.rule or test.outcome for test in tests}))
                count = f", {len(tests)} tests" if len(tests) > 1 else ""
                lines.append(f"  {mark} {feature}: {scenario}  ({rules}{count})")
        if not run.failures:
            lines.append("    SURVIVED: no scenario failed")
    return lines


def _problem_lines(matrix: Matrix) -> list[str]:
    problems = matrix.problems()
    return ["", f"{len(problems)} problems:", *(f"  {problem}" for problem in problems)] if problems else []
