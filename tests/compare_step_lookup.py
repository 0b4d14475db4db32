"""A pytest plugin for crmconf's tests: every step is looked up twice, pytest-bdd's way and
crmconf's way, and both must give the same definition; every first search for a step's
definitions is done both ways too and must give the same definitions in the same order.

Loaded with ``-p compare_step_lookup`` or as a conftest. It installs ``crmconf.step_lookup`` if
nothing has yet (installing is once per run), then checks whatever lookup and search are in place.
"""

import importlib

import pytest

from crmconf import step_lookup

module = importlib.import_module("pytest_bdd.scenario")
PYTEST_BDD_LOOKUP = module.get_step_function  # as imported, before any configuration
PYTEST_BDD_SEARCH = module.find_fixturedefs_for_step


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    step_lookup.install(config)
    lookup, indexed = module.get_step_function, module.find_fixturedefs_for_step
    assert lookup is not PYTEST_BDD_LOOKUP, "crmconf.step_lookup did not replace the lookup"
    assert indexed is not PYTEST_BDD_SEARCH, "crmconf.step_lookup did not replace the search"

    def compared_search(step, fixturemanager, node):
        expected = list(PYTEST_BDD_SEARCH(step=step, fixturemanager=fixturemanager, node=node))
        found = list(indexed(step=step, fixturemanager=fixturemanager, node=node))
        assert found == expected, (step.name, found, expected)
        return iter(found)

    def compared_lookup(request, step):
        # pytest-bdd's own lookup resolves its temporary fixture through the compared search
        expected = PYTEST_BDD_LOOKUP(request=request, step=step)
        found = lookup(request=request, step=step)
        assert found is expected, (step.name, found, expected)
        return found

    module.find_fixturedefs_for_step = compared_search
    module.get_step_function = compared_lookup

    def restore():
        module.find_fixturedefs_for_step = indexed
        module.get_step_function = lookup

    config.add_cleanup(restore)
