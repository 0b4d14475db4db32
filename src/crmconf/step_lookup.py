"""pytest-bdd's step lookup, done once per feature file instead of once per step.

To find the definition of a step, pytest-bdd asks pytest, for every fixture name of the session,
which definitions the test can see, keeps the step definitions among them whose parser matches
the step's text, then injects and resolves a temporary fixture: about 40 fixture lookups per step
in this suite, the largest single cost of a scenario after its HTTP exchanges (``bench/RESULTS.md``).
It then reads the step function's signature twice to call it, on every step.

The answer depends only on the step (keyword type and text) and on which fixtures the test can
see; step definitions are visible to a test through its module (the feature file) and the
folders above it, never through the test itself. So, per pytest session:

* ``get_step_function`` answers a step already looked up in the same feature file with the same
  definition, without asking again (a step with no definition is never remembered: it fails as
  pytest-bdd makes it fail);
* on a first lookup, ``find_fixturedefs_for_step`` matches the step against the step definitions
  visible from its feature file, listed once per feature file in pytest-bdd's own order, instead of
  asking pytest about every fixture name again; and the definition is taken from those matches as
  pytest-bdd's temporary fixture would resolve it (the closest one, by pytest-bdd's own sort), without
  injecting and resolving that fixture;
* a step function's signature is read once (``signature`` in pytest-bdd's modules is remembered
  per function).

All keep pytest-bdd's contract and its choice among several matching definitions. ``install``
puts each in place only when pytest-bdd has the function it replaces with the expected
parameters (and, for the search, the registries it reads); otherwise pytest-bdd's own stays.
The one visible difference: ``--setup-show`` no longer lists pytest-bdd's temporary step fixtures.
"""

from __future__ import annotations

import inspect
import sys
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import pytest

LOOKUP = "get_step_function"
LOOKUP_PARAMETERS = ["request", "step"]
FINDER = "find_fixturedefs_for_step"
FINDER_PARAMETERS = ["step", "fixturemanager", "node"]

SIGNATURE_READERS = ("pytest_bdd.scenario", "pytest_bdd.utils")  # modules calling ``inspect.signature`` per step

INSTALLED = pytest.StashKey[bool]()
PerSession = weakref.WeakKeyDictionary  # fixture manager -> what was learnt in its session


def install(config: pytest.Config) -> bool:
    """Put the remembering lookup (and, where pytest-bdd allows, the indexed search) in place for
    this pytest run, once however often called; undone when the run's configuration is cleaned
    up. Returns False, changing nothing, if pytest-bdd's lookup is not the one expected."""
    if INSTALLED in config.stash:
        return config.stash[INSTALLED]
    config.stash[INSTALLED] = installed = _install(config)
    return installed


def _install(config: pytest.Config) -> bool:
    module = sys.modules.get("pytest_bdd.scenario")
    lookup = _replaceable(module, LOOKUP, LOOKUP_PARAMETERS)
    if lookup is None:
        return False
    finder = _replaceable(module, FINDER, FINDER_PARAMETERS)
    steps = getattr(sys.modules.get("pytest_bdd.steps"), "step_function_context_registry", None)
    compat = sys.modules.get("pytest_bdd.compat")
    names = getattr(compat, "get_fixture_names", None)
    definitions = getattr(compat, "getfixturedefs", None)
    parents = getattr(module, "iterparentnodeids", None)
    first_lookup = lookup
    if finder is not None and steps is not None and names is not None and definitions is not None:
        search = indexed(steps, names, definitions)
        _replace(config, module, FINDER, finder, search)
        if parents is not None:
            first_lookup = resolving(search, steps, parents)
    _replace(config, module, LOOKUP, lookup, remembering(first_lookup))
    for name in SIGNATURE_READERS:
        reader = sys.modules.get(name)
        if reader is not None and getattr(reader, "signature", None) is inspect.signature:
            _replace(config, reader, "signature", inspect.signature, remembered_signatures())
    return True


def _replaceable(module: Any, name: str, parameters: list[str]) -> Callable[..., Any] | None:
    function = getattr(module, name, None)
    if function is None or list(inspect.signature(function).parameters) != parameters:
        return None
    return function


def _replace(config: pytest.Config, module: Any, name: str, original: Any, replacement: Any) -> None:
    setattr(module, name, replacement)
    config.add_cleanup(lambda: setattr(module, name, original))


def _feature_file(node: Any) -> str:
    """The node id of the module (feature file) holding a test: what decides which step
    definitions the test sees."""
    return node.parent.nodeid if node.parent is not None else node.nodeid


def remembering(lookup: Callable[..., Any]) -> Callable[..., Any]:
    """``lookup`` with its answers kept per pytest session (its fixture manager) and, within it,
    per (feature file, step type, step text)."""
    sessions: PerSession[Any, dict[tuple[str, str, str], Any]] = PerSession()

    def get_step_function(request: pytest.FixtureRequest, step: Any) -> Any:
        known = sessions.setdefault(request._fixturemanager, {})
        key = (_feature_file(request.node), step.type, step.name)
        found = known.get(key)
        if found is None:
            found = lookup(request=request, step=step)
            if found is not None:
                known[key] = found
        return found

    return get_step_function


def indexed(
    registry: Any, fixture_names: Callable[..., list[str]], fixturedefs: Callable[..., Any]
) -> Callable[..., Iterator[Any]]:
    """pytest-bdd's search for the definitions that parse a step, over a list of the step
    definitions visible from the step's feature file made on its first search there.

    ``registry`` maps a step definition's fixture function to its context (type, parser);
    ``fixture_names`` and ``fixturedefs`` are pytest-bdd's own ways of listing fixture names and
    asking which definitions of a name a node sees."""
    sessions: PerSession[Any, dict[str, list[tuple[Any, Any]]]] = PerSession()

    def visible(fixturemanager: Any, node: Any) -> list[tuple[Any, Any]]:
        known = sessions.setdefault(fixturemanager, {})
        feature_file = _feature_file(node)
        found = known.get(feature_file)
        if found is None:
            found = [
                (fixturedef, context)
                for name in fixture_names(fixturemanager=fixturemanager)
                for fixturedef in fixturedefs(fixturemanager, name, node) or []
                if (context := registry.get(fixturedef.func)) is not None
            ]
            known[feature_file] = found
        return found

    def find_fixturedefs_for_step(step: Any, fixturemanager: Any, node: Any) -> Iterator[Any]:
        for fixturedef, context in visible(fixturemanager, node):
            if context.type is not None and context.type != step.type:
                continue
            if context.parser.is_matching(step.name):
                yield fixturedef

    return find_fixturedefs_for_step


def resolving(
    search: Callable[..., Iterator[Any]], registry: Any, parents: Callable[[str], Iterator[str]]
) -> Callable[..., Any]:
    """pytest-bdd's ``get_step_function`` without its temporary fixture: pytest-bdd sorts the
    definitions that parse the step by the path of the node each belongs to (``parents`` of its
    ``baseid``), registers them under one fixture name and lets pytest resolve it, which picks the
    last (the closest to the test); that fixture's function returns the step's context, which
    ``registry`` holds by function."""

    def get_step_function(request: pytest.FixtureRequest, step: Any) -> Any:
        found = list(search(step=step, fixturemanager=request._fixturemanager, node=request.node))
        if not found:
            return None
        found.sort(key=lambda fixturedef: list(parents(fixturedef.baseid)))
        return registry[found[-1].func]

    return get_step_function


def remembered_signatures() -> Callable[[Any], inspect.Signature]:
    """``inspect.signature`` read once per function (step functions are called once per step)."""
    known: dict[Any, inspect.Signature] = {}

    def signature(function: Any) -> inspect.Signature:
        try:
            found = known.get(function)
        except TypeError:  # an unhashable callable: read each time
            return inspect.signature(function)
        if found is None:
            found = known[function] = inspect.signature(function)
        return found

    return signature
