"""Which documented behaviours the suite checks: ``features/behaviours.yaml`` against the scenarios.

``behaviours.yaml`` lists the operations and behaviours the vendor documentation describes (the
project's digest, sections 1 to 6), each with an id, a one-line statement, its source page, the
strength of the evidence and the scenarios (feature file + scenario name) that check it. A
behaviour with no scenario is listed as not covered: that is the point of the list. A scenario
named there must exist, so that renaming a scenario cannot silently drop coverage (the suite
lint reports such a name).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from crmconf import located_yaml
from crmconf.feature_files import scenario_names

BEHAVIOURS_FILE = Path("features") / "behaviours.yaml"
FEATURES_DIR = "features"
EVIDENCE = ("DOC", "EX", "FIELD", "OPEN")
"""As in the digest: stated by the docs, shown by an example only, seen in field code, left open."""
BEHAVIOUR_KEYS = ("id", "statement", "source", "evidence", "scenarios")
SCENARIO_KEYS = ("feature", "scenario")
BEHAVIOUR_ID = re.compile(r"[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*")


class BehavioursError(Exception):
    """The behaviours file cannot be used at all; the message names the file (and line)."""


@dataclass(frozen=True)
class ScenarioRef:
    feature: str
    """The feature file, relative to ``features/``: ``contact_information_show.feature``."""
    scenario: str
    line: int = field(default=0, compare=False)

    def __str__(self) -> str:
        return f"{self.feature}: {self.scenario}"


@dataclass(frozen=True)
class Behaviour:
    id: str
    statement: str
    source: str
    evidence: str
    scenarios: tuple[ScenarioRef, ...]
    line: int = field(default=0, compare=False)


# -- reading ---------------------------------------------------------------------------------


def read_behaviours(root: Path) -> tuple[list[Behaviour], list[str]]:
    """The usable behaviours of the file, and a message for every entry that is wrong.

    Raises ``BehavioursError`` when the file is missing, is not YAML or has no ``behaviours`` list.
    """
    shown = BEHAVIOURS_FILE.as_posix()
    document = _load(Path(root) / BEHAVIOURS_FILE, shown)
    entries = document.get("behaviours") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise BehavioursError(f"{shown}: expected a mapping with a list 'behaviours'")
    behaviours: list[Behaviour] = []
    problems: list[str] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        line = entries.line_of(index) if isinstance(entries, located_yaml.LocatedList) else 0
        entry_problems = _entry_problems(entry, index)
        if entry_problems:
            problems.extend(f"{shown}:{line}: {problem}" for problem in entry_problems)
            continue
        behaviour = _behaviour(entry)
        if behaviour.id in seen:
            problems.append(
                f"{shown}:{line}: id {behaviour.id!r} is already used on line {seen[behaviour.id]}"
            )
            continue
        seen[behaviour.id] = line
        behaviours.append(behaviour)
    return behaviours, problems


def _load(path: Path, shown: str) -> Any:
    try:
        return located_yaml.load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BehavioursError(f"{shown}: no such file (it lists the documented behaviours)") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BehavioursError(f"{shown}: cannot be read: {error}") from None
    except yaml.YAMLError as error:
        raise BehavioursError(f"{shown}: not valid YAML: {_one_line(error)}") from None


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _entry_problems(entry: Any, index: int) -> list[str]:
    """What is wrong with the shape of one entry of the list."""
    if not isinstance(entry, dict):
        return [f"behaviour #{index + 1} must be a mapping with {', '.join(BEHAVIOUR_KEYS)}"]
    name = f"behaviour {entry.get('id')!r}" if isinstance(entry.get("id"), str) else f"behaviour #{index + 1}"
    return [f"{name}{problem}" for problem in _member_problems(entry) + _reference_problems(entry)]


def _member_problems(entry: dict) -> list[str]:
    problems = [f" has an unknown key {key!r}" for key in entry if key not in BEHAVIOUR_KEYS]
    for key in ("id", "statement", "source"):
        if not isinstance(entry.get(key), str) or not entry[key].strip():
            problems.append(f" needs a non-empty {key}")
    if isinstance(entry.get("id"), str) and not BEHAVIOUR_ID.fullmatch(entry["id"]):
        problems.append(": an id is lower case words joined by dots or hyphens, such as get.idempotent")
    if isinstance(entry.get("statement"), str) and "\n" in entry["statement"].strip():
        problems.append(": the statement must be one line")
    if entry.get("evidence") not in EVIDENCE:
        problems.append(f": evidence must be one of {', '.join(EVIDENCE)}, found {entry.get('evidence')!r}")
    return problems


def _reference_problems(entry: dict) -> list[str]:
    scenarios = entry.get("scenarios")
    if not isinstance(scenarios, list):
        return [": scenarios must be a list ([] when no scenario checks it yet)"]
    return [
        ": each scenario is a mapping with exactly 'feature' and 'scenario' (text)"
        for reference in scenarios
        if not (
            isinstance(reference, dict)
            and set(reference) == set(SCENARIO_KEYS)
            and all(isinstance(reference[key], str) and reference[key] for key in SCENARIO_KEYS)
        )
    ]


def _behaviour(entry: dict) -> Behaviour:
    references = tuple(
        ScenarioRef(reference["feature"], reference["scenario"], getattr(reference, "line", 0))
        for reference in entry["scenarios"]
    )
    return Behaviour(
        id=entry["id"],
        statement=entry["statement"].strip(),
        source=entry["source"].strip(),
        evidence=entry["evidence"],
        scenarios=references,
        line=getattr(entry, "line", 0),
    )


def suite_scenarios(root: Path) -> dict[str, list[str]]:
    """Every readable feature file (relative to ``features/``) and its scenario names, in order."""
    return scenario_names(Path(root) / FEATURES_DIR)


# -- judging -----------------------------------------------------------------------------------


def unknown_references(behaviours: list[Behaviour], scenarios: dict[str, list[str]]) -> list[str]:
    """Each scenario named by a behaviour that the features do not have, as a message with its line."""
    shown = BEHAVIOURS_FILE.as_posix()
    problems = []
    for behaviour in behaviours:
        for reference in behaviour.scenarios:
            where = f"{shown}:{reference.line or behaviour.line}"
            if reference.feature not in scenarios:
                problems.append(
                    f"{where}: behaviour {behaviour.id!r} names features/{reference.feature}, "
                    "which is not a readable feature file"
                )
            elif reference.scenario not in scenarios[reference.feature]:
                problems.append(
                    f"{where}: behaviour {behaviour.id!r} names scenario {reference.scenario!r}, "
                    f"which features/{reference.feature} does not have (renamed or removed?)"
                )
    return problems


def problems(root: Path) -> list[str]:
    """Everything wrong with ``behaviours.yaml``, each naming the file and line; empty when sound."""
    try:
        behaviours, found = read_behaviours(root)
    except BehavioursError as error:
        return [str(error)]
    return found + unknown_references(behaviours, suite_scenarios(root))


@dataclass
class Coverage:
    behaviours: list[Behaviour]
    scenarios: dict[str, list[str]]

    def checking(self, behaviour: Behaviour) -> list[ScenarioRef]:
        """The scenarios of a behaviour that exist."""
        return [ref for ref in behaviour.scenarios if ref.scenario in self.scenarios.get(ref.feature, ())]

    def missing(self, behaviour: Behaviour) -> list[ScenarioRef]:
        """The scenarios a behaviour names that do not exist (they cover nothing)."""
        return [ref for ref in behaviour.scenarios if ref not in self.checking(behaviour)]

    @property
    def covered(self) -> list[Behaviour]:
        return [behaviour for behaviour in self.behaviours if self.checking(behaviour)]

    @property
    def uncovered(self) -> list[Behaviour]:
        return [behaviour for behaviour in self.behaviours if not self.checking(behaviour)]

    @property
    def unlinked_scenarios(self) -> list[ScenarioRef]:
        """Scenarios no behaviour names: either a behaviour is missing from the list or a link is."""
        linked = {ref for behaviour in self.behaviours for ref in behaviour.scenarios}
        return [
            ScenarioRef(feature, name)
            for feature, names in self.scenarios.items()
            for name in names
            if ScenarioRef(feature, name) not in linked
        ]


def measure(root: Path) -> Coverage:
    """The coverage of the suite at ``root``; entries of the file that are wrong are left out."""
    behaviours, _problems = read_behaviours(root)
    return Coverage(behaviours, suite_scenarios(root))


# -- output ------------------------------------------------------------------------------------


def summary(coverage: Coverage) -> str:
    total, covered = len(coverage.behaviours), len(coverage.covered)
    return f"{total} documented behaviours: {covered} covered, {total - covered} not covered"


def render_text(coverage: Coverage) -> str:
    lines = [f"crmconf coverage: {summary(coverage)}", "", "Covered:"]
    for behaviour in coverage.covered:
        lines += _listed(coverage, behaviour)
    lines += ["", "Not covered:"]
    for behaviour in coverage.uncovered:
        lines += _listed(coverage, behaviour)
    unlinked = coverage.unlinked_scenarios
    if unlinked:
        lines += [
            "",
            f"Scenarios no behaviour names ({len(unlinked)}): link them in {BEHAVIOURS_FILE.as_posix()}",
        ]
        lines.extend(f"  - {ref}" for ref in unlinked)
    return "\n".join(lines)


def _listed(coverage: Coverage, behaviour: Behaviour) -> list[str]:
    """A behaviour's heading, then the scenarios it names: those that check it, then those that do
    not exist (an uncovered behaviour has only these)."""
    return [
        f"  {behaviour.id}: {behaviour.statement}\n      [{behaviour.evidence}] {behaviour.source}",
        *(f"      - {ref}" for ref in coverage.checking(behaviour)),
        *(f"      - {ref}  (no such scenario: covers nothing)" for ref in coverage.missing(behaviour)),
    ]


def as_json(coverage: Coverage) -> dict[str, Any]:
    return {
        "summary": {
            "behaviours": len(coverage.behaviours),
            "covered": len(coverage.covered),
            "not_covered": len(coverage.uncovered),
        },
        "behaviours": [
            {
                "id": behaviour.id,
                "statement": behaviour.statement,
                "source": behaviour.source,
                "evidence": behaviour.evidence,
                "covered": bool(coverage.checking(behaviour)),
                "scenarios": [_reference_json(ref) for ref in coverage.checking(behaviour)],
                "missing_scenarios": [_reference_json(ref) for ref in coverage.missing(behaviour)],
            }
            for behaviour in coverage.behaviours
        ],
        "unlinked_scenarios": [_reference_json(ref) for ref in coverage.unlinked_scenarios],
    }


def _reference_json(reference: ScenarioRef) -> dict[str, str]:
    return {"feature": reference.feature, "scenario": reference.scenario}
