"""A pytest plugin for crmconf's tests: every first search for a step's definitions is done twice,
pytest-bdd's way and crmconf's indexed way, and must give the same definitions in the same order.

Loaded with ``-p compare_step_lookup`` or as a conftest. It installs ``crmconf.step_lookup`` if
nothing has yet (installing is once per run), then checks whatever search is in place.
"""

import importlib

import pytest

from crmconf import step_lookup

module = importlib.import_module("pytest_bdd.scenario")
PYTEST_BDD_SEARCH = module.find_fixturedefs_for_step  # as imported, before any configuration


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    step_lookup.install(config)
    indexed = module.find_fixturedefs_for_step
    assert indexed is not PYTEST_BDD_SEARCH, "crmconf.step_lookup did not replace the search"

    def compared(step, fixturemanager, node):
        expected = list(PYTEST_BDD_SEARCH(step=step, fixturemanager=fixturemanager, node=node))
        found = list(indexed(step=step, fixturemanager=fixturemanager, node=node))
        assert found == expected, (step.name, found, expected)
        return iter(found)

    module.find_fixturedefs_for_step = compared
    config.add_cleanup(lambda: setattr(module, "find_fixturedefs_for_step", indexed))
