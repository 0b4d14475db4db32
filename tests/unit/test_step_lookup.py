"""Step lookups remembered per feature file give the definitions pytest-bdd's own lookup gives."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from crmconf import step_lookup

pytest_plugins = ["pytester"]


def request_for(scope: str, manager: object) -> SimpleNamespace:
    node = SimpleNamespace(nodeid=f"{scope}::test", parent=SimpleNamespace(nodeid=scope))
    return SimpleNamespace(node=node, _fixturemanager=manager)


def step(text: str, kind: str = "given") -> SimpleNamespace:
    return SimpleNamespace(type=kind, name=text)


def counting_lookup(answers: dict[tuple[str, str], object]):
    calls: list[tuple[str, str]] = []

    def lookup(request, step):
        calls.append((request.node.parent.nodeid, step.name))
        return answers.get((request.node.parent.nodeid, step.name))

    return lookup, calls


def test_the_second_lookup_of_a_step_in_a_feature_file_is_remembered():
    lookup, calls = counting_lookup({("a.feature", "x"): "definition of x"})
    remembered = step_lookup.remembering(lookup)
    manager = object.__new__(type("Manager", (), {}))
    for _ in range(3):
        assert remembered(request_for("a.feature", manager), step("x")) == "definition of x"
    assert calls == [("a.feature", "x")]


def test_lookups_are_kept_apart_by_feature_file_step_type_and_session():
    lookup, calls = counting_lookup({("a.feature", "x"): "a", ("b.feature", "x"): "b"})
    remembered = step_lookup.remembering(lookup)
    Manager = type("Manager", (), {})
    first, second = Manager(), Manager()
    assert remembered(request_for("a.feature", first), step("x")) == "a"
    assert remembered(request_for("b.feature", first), step("x")) == "b"
    assert remembered(request_for("a.feature", first), step("x", "then")) == "a"
    assert remembered(request_for("a.feature", second), step("x")) == "a"
    assert len(calls) == 4


def test_a_step_without_definition_is_looked_up_again():
    lookup, calls = counting_lookup({})
    remembered = step_lookup.remembering(lookup)
    manager = type("Manager", (), {})()
    assert remembered(request_for("a.feature", manager), step("nowhere")) is None
    assert remembered(request_for("a.feature", manager), step("nowhere")) is None
    assert len(calls) == 2


def test_install_leaves_an_unexpected_lookup_alone(monkeypatch):
    module = sys.modules["pytest_bdd.scenario"]

    def other(request, step, extra):
        return None

    monkeypatch.setattr(module, step_lookup.LOOKUP, other)
    cleanups: list = []
    assert step_lookup.install(SimpleNamespace(add_cleanup=cleanups.append, stash=pytest.Stash())) is False
    assert getattr(module, step_lookup.LOOKUP) is other
    assert cleanups == []


def test_install_is_undone_with_the_configuration(monkeypatch):
    module = sys.modules["pytest_bdd.scenario"]

    def original(request, step):
        return None

    monkeypatch.setattr(module, step_lookup.LOOKUP, original)
    cleanups: list = []
    assert step_lookup.install(SimpleNamespace(add_cleanup=cleanups.append, stash=pytest.Stash())) is True
    assert getattr(module, step_lookup.LOOKUP) is not original
    for cleanup in cleanups:
        cleanup()
    assert getattr(module, step_lookup.LOOKUP) is original


FEATURE = """\
Feature: {name}
  Scenario: first in {name}
    Given a value
    Then the value is {name}

  Scenario: second in {name}
    Given a value
    Then the value is {name}
"""

STEPS = """\
from pytest_bdd import given

@given("a value", target_fixture="value")
def _():
    return "{name}"
"""

TESTS = """\
from pytest_bdd import parsers, scenarios, then

scenarios("{name}.feature")

@then(parsers.parse("the value is {{expected}}"))
def _(value, expected):
    assert value == expected
"""


COMPARING = (Path(__file__).parents[1] / "compare_step_lookup.py").read_text(encoding="utf-8")


def test_the_same_step_text_defined_differently_in_two_folders_keeps_each_definition(pytester):
    """The same phrase, defined in two folders' conftest files: each scenario must get its own
    folder's definition, the first time and when remembered; and the indexed search must find
    exactly what pytest-bdd's own search finds, in the same order."""
    pytester.makeconftest(COMPARING)
    for name in ("alpha", "beta"):
        folder = pytester.mkpydir(name)
        (folder / "conftest.py").write_text(STEPS.format(name=name))
        (folder / f"{name}.feature").write_text(FEATURE.format(name=name))
        (folder / f"test_{name}.py").write_text(TESTS.format(name=name))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_a_missing_step_still_fails_as_pytest_bdd_makes_it_fail(pytester):
    pytester.makeconftest(
        "from crmconf import step_lookup\n\n"
        "def pytest_configure(config):\n"
        "    assert step_lookup.install(config)\n"
    )
    pytester.makefile(".feature", lonely="Feature: lonely\n  Scenario: nothing defines it\n    Given no definition\n")
    pytester.makepyfile(test_lonely='from pytest_bdd import scenarios\n\nscenarios("lonely.feature")\n')
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*Step definition is not found*no definition*"])


def test_a_definition_closer_to_the_test_wins_as_in_pytest_bdd(pytester):
    """The same phrase defined at the root and again in one folder: that folder's scenarios get
    its definition, the other folder's get the root's; each lookup agrees with pytest-bdd's own."""
    pytester.makeconftest(COMPARING + "\n\n" + STEPS.format(name="root"))
    expected = {"alpha": "alpha", "beta": "root"}
    for name, value in expected.items():
        folder = pytester.mkpydir(name)
        if name == "alpha":
            (folder / "conftest.py").write_text(STEPS.format(name=name))
        (folder / f"{value}.feature").write_text(FEATURE.format(name=value))
        (folder / f"test_{name}.py").write_text(TESTS.format(name=value))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_remembered_signatures_are_read_once_per_function():
    signature = step_lookup.remembered_signatures()

    def step_function(a, b=1):
        return a + b

    first = signature(step_function)
    assert signature(step_function) is first
    assert list(first.parameters) == ["a", "b"]
    assert list(signature(lambda x: x).parameters) == ["x"]


def test_an_unhashable_callable_still_has_its_signature_read():
    class Unhashable:
        __hash__ = None

        def __call__(self, value):
            return value

    assert list(step_lookup.remembered_signatures()(Unhashable()).parameters) == ["value"]
