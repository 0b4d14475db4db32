"""Synthetic suites for the benchmarks: many copies of the shipped show scenarios.

A synthetic suite is a folder shaped like the repository's suite: the same ``conftest.py``,
``pytest.ini``, ``steps/`` and ``schemas/``, with generated ``features/`` and ``cassettes/``.
Scenario ``i`` is a copy of the ``i mod 6``-th scenario of ``features/contact_information_show.feature``,
renamed so names stay unique, and its cassette is a byte copy of the shipped one. Feature files
hold at most ``PER_FEATURE`` scenarios, like a real suite that grows by files.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from crmconf.lint import Suite, example_rows
from crmconf.recording import cassette_path
from crmconf.suite import CONFTEST, PYTEST_INI, SCHEMAS, STEPS, copy_suite

REPO = Path(__file__).resolve().parents[1]
SOURCE_FEATURE = "contact_information_show.feature"
PER_FEATURE = 100
COPIED = (CONFTEST, PYTEST_INI, STEPS, SCHEMAS)
_SCENARIO = re.compile(r"^  Scenario: (?P<name>.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Template:
    name: str
    body: str  # the scenario's lines after its title
    cassette: Path


def templates(repo: Path = REPO) -> tuple[str, list[Template]]:
    """The show feature's header (title, description, Background) and its scenarios."""
    text = (repo / "features" / SOURCE_FEATURE).read_text(encoding="utf-8")
    starts = list(_SCENARIO.finditer(text))
    if not starts:
        raise SystemExit(f"{SOURCE_FEATURE}: no plain Scenario to copy")
    header = text[: starts[0].start()]
    found = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        name = match.group("name").strip()
        cassette = cassette_path(repo / "cassettes", SOURCE_FEATURE, name)
        if not cassette.is_file():
            raise SystemExit(f"{cassette}: the shipped cassette of {name!r} is missing")
        found.append(Template(name, text[match.end() : end].rstrip() + "\n", cassette))
    return header, found


def generate(target: Path, scenarios: int, repo: Path = REPO) -> Path:
    """Write a suite of ``scenarios`` show scenarios with their cassettes under ``target``."""
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    copy_suite(repo, target, COPIED)
    header, found = templates(repo)
    (target / "features").mkdir()
    title = header.splitlines()[0]
    for first in range(0, scenarios, PER_FEATURE):
        number = first // PER_FEATURE
        feature = f"synthetic_{number:03d}.feature"
        parts = [header.replace(title, f"{title} (synthetic copy {number:03d})", 1)]
        for index in range(first, min(first + PER_FEATURE, scenarios)):
            template = found[index % len(found)]
            name = f"{template.name} copy {index:05d}"
            parts.append(f"  Scenario: {name}\n{template.body}\n")
            destination = cassette_path(target / "cassettes", feature, name)
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(template.cassette, destination)
        (target / "features" / feature).write_text("".join(parts), encoding="utf-8")
    return target


FLOOR_CONFTEST = '''"""Step definitions that match every step and do nothing, with crmconf's step lookup."""

from pytest_bdd import given, parsers, then, when

from crmconf import step_lookup


def pytest_configure(config):
    step_lookup.install(config)


@given(parsers.re(".*"))
def _():
    pass


@when(parsers.re(".*"))
def _():
    pass


@then(parsers.re(".*"))
def _():
    pass
'''


def floor_suite(target: Path, repo: Path = REPO) -> tuple[Path, int, int]:
    """A plain pytest-bdd suite of the same shape as the suite at ``repo``: one scenario per test
    (scenario or Examples row), each with that test's steps as they run, bound to step definitions
    that do nothing. What pytest and pytest-bdd cost for these scenarios, whatever the steps do.
    Returns the folder, the number of scenarios and the number of steps."""
    target = Path(target)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    (target / "conftest.py").write_text(FLOOR_CONFTEST, encoding="utf-8")
    scenarios = steps = 0
    features: dict[str, list[str]] = {}
    for source, scenario in Suite(repo).scenarios():
        for row in example_rows(scenario) or [{}]:
            blocks = features.setdefault(source.path.stem, [])
            lines = [f"  Scenario: test {len(blocks):04d}"]
            lines += [f"    {step.keyword.strip()} {step.name}" for step in scenario.render(row).steps]
            blocks.append("\n".join(lines))
            scenarios += 1
            steps += len(lines) - 1
    for stem, blocks in features.items():
        (target / f"{stem}.feature").write_text(f"Feature: {stem}\n\n" + "\n\n".join(blocks) + "\n", encoding="utf-8")
        (target / f"test_{stem}.py").write_text(
            f"from pytest_bdd import scenarios\n\nscenarios({stem + '.feature'!r})\n", encoding="utf-8"
        )
    return target, scenarios, steps


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("scenarios", type=int)
    arguments = parser.parse_args()
    print(generate(arguments.target, arguments.scenarios))
