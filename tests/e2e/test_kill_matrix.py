"""The suite has power: every catalogued fault of the reference tenant is caught by the scenarios
written for the rule it breaks, and no conforming tenant fails a scenario.

One session fixture computes the whole matrix once with ``crmconf.selftest``: each tenant (the
clean one, each variant of ``test_variants``, each fault of ``crmconf.tenant.faults.FAULTS``) is
served in this process, and the suite runs live against it in a subprocess, several at a time.
The tests only read the matrix. The table of which scenarios must catch which fault, and with
which rule, is ``FAULTS`` itself.
"""

from __future__ import annotations

import importlib
import os
import re
from pathlib import Path

import pytest
from test_variants import VARIANTS

from crmconf import selftest
from crmconf.failures import Rule
from crmconf.selftest import Matrix, RunResult, ScenarioNames, Target
from crmconf.tenant import TenantOptions
from crmconf.tenant.faults import FAULTS

SUITE = Path(__file__).resolve().parents[2]
TENANT_SOURCES = SUITE / "src" / "crmconf" / "tenant"
# Where the rules a failure message can name are defined: the core rules and each feature's library.
RULE_MODULES = ("crmconf.rules", "crmconf.paging", "crmconf.contacts", "crmconf.fieldsets")
CONFORMING = {selftest.CLEAN: (TenantOptions(), {}), **VARIANTS}
JOBS = os.cpu_count() or 2


@pytest.fixture(scope="session")
def kill_matrix() -> Matrix:
    targets = [Target(name, options, profile) for name, (options, profile) in CONFORMING.items()]
    return selftest.run_matrix([*selftest.fault_targets(FAULTS), *targets], SUITE, jobs=JOBS)


@pytest.fixture(scope="module")
def suite_scenarios() -> ScenarioNames:
    return ScenarioNames(SUITE / "features")


def known_rule_ids() -> set[str]:
    modules = [importlib.import_module(name) for name in RULE_MODULES]
    return {value.id for module in modules for value in vars(module).values() if isinstance(value, Rule)}


def failures_shown(run: RunResult) -> str:
    lines = [f"{o.feature}: {o.test} ({o.rule or o.outcome})" for o in run.failures]
    return "\n".join(lines) or "(no scenario failed)"


# -- the catalogue itself -------------------------------------------------------------------------


@pytest.mark.parametrize("name", FAULTS)
def test_a_fault_names_a_known_rule_and_existing_scenarios(name, suite_scenarios):
    fault = FAULTS[name]
    assert fault.rule in known_rule_ids(), f"{name}: no rule {fault.rule!r} in {', '.join(RULE_MODULES)}"
    assert fault.catchers, f"{name} names no scenario that must catch it"
    unknown = [catcher for catcher in fault.catchers if catcher not in suite_scenarios]
    assert not unknown, f"{name} names scenarios the suite does not have: {unknown}"


@pytest.mark.parametrize("name", FAULTS)
def test_a_fault_is_switched_at_one_place_of_the_tenant(name):
    hooks = [
        f"{path.name}:{text[: match.start()].count(chr(10)) + 1}"
        for path in sorted(TENANT_SOURCES.glob("*.py")) if path.name != "faults.py"
        for text in [path.read_text()]
        for match in re.finditer(f'"{re.escape(name)}"', text)
    ]
    assert len(hooks) == 1, f"{name} is switched at {hooks or 'no place'}; a fault changes one place"


def test_a_fault_is_off_by_default():
    assert TenantOptions().fault is None


def test_an_unknown_fault_is_refused_naming_the_known_ones():
    with pytest.raises(ValueError, match="unknown fault 'no-such-fault'.*fields-set-ignored"):
        TenantOptions(fault="no-such-fault")


# -- the matrix -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FAULTS)
def test_the_scenarios_written_for_a_rule_catch_its_fault(name, kill_matrix):
    run = kill_matrix.run(name)
    assert not run.problems, "\n".join(run.problems)
    assert run.exit_code == 1, f"the suite passed against {name}"
    missed = kill_matrix.missed_catchers(run)
    assert not missed, f"{name} was not caught by {missed}; it failed:\n{failures_shown(run)}"


@pytest.mark.parametrize("name", FAULTS)
def test_the_failures_that_catch_a_fault_name_its_rule(name, kill_matrix):
    run = kill_matrix.run(name)
    silent = kill_matrix.silent_on_rule(run)
    assert not silent, (
        f"these failures do not name rule {FAULTS[name].rule}:\n"
        + "\n".join(f"{o.test}:\n{o.message[:800]}" for o in silent)
    )


@pytest.mark.parametrize("name", CONFORMING)
def test_a_conforming_tenant_passes_every_scenario(name, kill_matrix):
    run = kill_matrix.run(name)
    assert not run.problems, "\n".join(run.problems)
    assert run.exit_code == 0 and not run.failures, failures_shown(run)
    assert any(outcome.outcome == "passed" for outcome in run.outcomes)
