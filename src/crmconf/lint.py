"""The suite lints itself: every problem of the suite's data, found without running a scenario.

``Suite(root).problems()`` returns a list of ``Problem``; each names the file and the line or
key where it applies. The categories, each of which ``crmconf check`` and
``tests/test_suite_lint.py`` run:

=============  ==================================================================================
features       every ``.feature`` file parses
schemas        every schema is valid against the 2020-12 metaschema and every ``$ref`` resolves
steps          every step of every scenario (each Examples row rendered) matches a step definition
               registered by the modules conftest.py's ``pytest_plugins`` lists
tags           every tag is a marker of pytest.ini (``@since_R12_1_0`` is the ``since`` marker)
names          scenario names are unique per feature, at most 80 characters, without "should"
sources        every feature names its vendor source ("Source: vendor wiki")
cassettes      every scenario (each Examples row) has a cassette, none is orphaned, each parses
secrets        cassettes hold no token and no credential: placeholders ``<...>`` only
index          every step phrase used is listed in features/README.md
behaviours     features/behaviours.yaml is well formed and every scenario it names exists
=============  ==================================================================================
"""

from __future__ import annotations

import ast
import configparser
import contextlib
import hashlib
import importlib
import inspect
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import yaml
from pytest_bdd.gherkin_parser import Child, ExamplesTable, GherkinDocument, Rule
from pytest_bdd.gherkin_parser import Feature as GherkinFeature
from pytest_bdd.gherkin_parser import Scenario as GherkinScenario
from pytest_bdd.parser import Feature, ScenarioTemplate, Step
from pytest_bdd.steps import StepFunctionContext, StepNamePrefix, step_function_context_registry

from crmconf import coverage, located_yaml
from crmconf.feature_files import FeatureFileError, read_feature
from crmconf.recording import (
    CASSETTE_SUFFIX,
    CassetteError,
    ReadableYamlSerializer,
    ReplayPersister,
    cassette_path,
    unfinished_writes,
)
from crmconf.schemas import SchemaCatalogue
from crmconf.scrub import FAKE_TOKEN_PREFIX, PLACEHOLDERS
from crmconf.settings import release_key
from crmconf.suite import CASSETTES, CONFTEST, FEATURES, PYTEST_INI, SCHEMAS

STEP_INDEX = Path(FEATURES) / "README.md"

MAX_SCENARIO_NAME = 80
VENDOR_SOURCE = "Source: vendor wiki"
SINCE_TAG = "since_R"
SINCE_MARKER = "since"

JWT_SHAPE = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.")
HEX32_SHAPE = re.compile(r"[0-9a-f]{32}")
PLACEHOLDER = re.compile(r"<[^<>\s]+>")
AUTHORIZATION_PLACEHOLDER = re.compile(r"(?:\S+ )?<[^<>\s]+>")
CREDENTIAL_MEMBERS = frozenset(PLACEHOLDERS) - {"token"}
"""Members that hold a login credential (``username``, ``password``, ``organisation``, ``unit``)."""
INDEXED_PHRASE = re.compile(r"^\| `(?:Given|When|Then|And) ([^`]+)`", re.MULTILINE)
PHRASE_PARAMETER = re.compile(r"<[^>]+>|\{[a-z_]+\}")

CATEGORIES = (
    "features",
    "schemas",
    "steps",
    "tags",
    "names",
    "sources",
    "cassettes",
    "secrets",
    "index",
    "behaviours",
)


@dataclass(frozen=True)
class Problem:
    category: str
    where: str
    """The file, relative to the suite, with ``:line`` or ``: key`` where it applies."""
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class FeatureSource:
    """A parsed feature file: pytest-bdd's view, plus the Gherkin document for what it drops."""

    path: Path
    shown: str
    feature: Feature
    document: GherkinDocument

    def at(self, line: int) -> str:
        return f"{self.shown}:{line}"


class Suite:
    """The suite at ``root`` (features/, schemas/, cassettes/, steps, conftest.py, pytest.ini)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.checks: dict[str, Callable[[], Iterable[Problem]]] = {
            category: getattr(self, f"_check_{category}") for category in CATEGORIES
        }

    def problems(self, categories: Iterable[str] | None = None) -> list[Problem]:
        """Every problem of the named categories (all by default), in a stable order."""
        chosen = list(categories) if categories is not None else list(self.checks)
        unknown = [name for name in chosen if name not in self.checks]
        if unknown:
            raise ValueError(f"unknown lint categories {unknown}; known: {', '.join(self.checks)}")
        return [problem for name in chosen for problem in self.checks[name]()]

    def shown(self, path: Path) -> str:
        """A path as the suite's reader knows it: relative to the suite folder."""
        try:
            return Path(path).resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _unrooted(self, message: str) -> str:
        """A message with the suite folder taken out of the paths it names."""
        return message.replace(f"{self.root}/", "")

    # -- what the suite holds ---------------------------------------------------------------------

    @cached_property
    def feature_paths(self) -> list[Path]:
        return sorted((self.root / FEATURES).rglob("*.feature"))

    @cached_property
    def _parsed_features(self) -> tuple[list[FeatureSource], list[Problem]]:
        sources, problems = [], []
        for path in self.feature_paths:
            try:
                read = read_feature(path)
            except FeatureFileError as error:
                where = f"{self.shown(path)}:{error.line}" if error.line else self.shown(path)
                problems.append(Problem("features", where, str(error)))
                continue
            sources.append(FeatureSource(path, self.shown(path), read.feature, read.document))
        return sources, problems

    @property
    def features(self) -> list[FeatureSource]:
        """The feature files that parse (the others are ``features`` problems)."""
        return self._parsed_features[0]

    def scenarios(self) -> Iterator[tuple[FeatureSource, ScenarioTemplate]]:
        for source in self.features:
            for scenario in source.feature.scenarios.values():
                yield source, scenario

    @cached_property
    def cassette_files(self) -> list[Path]:
        return sorted((self.root / CASSETTES).rglob("*" + CASSETTE_SUFFIX))

    @cached_property
    def _step_definitions(self) -> tuple[list[StepFunctionContext], list[Problem]]:
        return collect_step_definitions(self.root)

    @property
    def step_definitions(self) -> list[StepFunctionContext]:
        return self._step_definitions[0]

    # -- the checks ---------------------------------------------------------------------------------

    def _check_features(self) -> list[Problem]:
        return self._parsed_features[1]

    def _check_schemas(self) -> Iterator[Problem]:
        for message in SchemaCatalogue(self.root / SCHEMAS).problems():
            yield Problem("schemas", *_split_place(self._unrooted(message)))

    def _check_steps(self) -> Iterator[Problem]:
        definitions, problems = self._step_definitions
        yield from problems
        modules = ", ".join(plugin_modules(self.root)[0]) or "none"
        unmatched = self._steps_not_matching(
            rendered_steps, lambda step: any(_defines(definition, step) for definition in definitions)
        )
        for source, step in unmatched:
            message = f"no step definition matches {_as_written(step)} (looked in {modules})"
            yield Problem("steps", source.at(step.line_number), message)

    def _check_tags(self) -> Iterator[Problem]:
        markers, problems = registered_markers(self.root)
        yield from problems
        if not markers:
            return
        for source in self.features:
            for tag, line in _tags_applied_as_markers(source):
                yield from _tag_problem(tag, line, source, markers, via_hook=True)
            for tag, line in _examples_tags(source):
                yield from _tag_problem(tag, line, source, markers, via_hook=False)

    def _check_names(self) -> Iterator[Problem]:
        for source in self.features:
            first_seen: dict[str, int] = {}
            for name, line in scenario_headings(source.document):
                if name in first_seen:
                    yield Problem(
                        "names",
                        source.at(line),
                        f"scenario name {name!r} is already used on line {first_seen[name]}; "
                        "each test and cassette needs its own",
                    )
                first_seen.setdefault(name, line)
                for fault in scenario_name_faults(name):
                    yield Problem("names", source.at(line), fault)
            yield from _duplicate_example_ids(source)

    def _check_sources(self) -> Iterator[Problem]:
        for source in self.features:
            if VENDOR_SOURCE not in source.feature.description:
                yield Problem(
                    "sources",
                    source.at(source.feature.line_number),
                    "the feature's description names no vendor page: "
                    f"add a line '{VENDOR_SOURCE}, \"<page>\"'",
                )

    def _check_cassettes(self) -> Iterator[Problem]:
        expected = self.expected_cassettes()
        for path, (source, scenario, example) in expected.items():
            if not path.is_file():
                row = f" (Examples row {example!r})" if example is not None else ""
                yield Problem(
                    "cassettes",
                    source.at(scenario.line_number),
                    f"scenario {scenario.name!r}{row} has no cassette {self.shown(path)}: "
                    "record it with crmconf run --mode record",
                )
        for path in self.cassette_files:
            if path not in expected:
                message = "no scenario uses this cassette: delete it or rename it after its scenario"
                yield Problem("cassettes", self.shown(path), message)
            broken = _by_content(path, cassette_load_problem)
            if broken:
                yield Problem("cassettes", self.shown(path), self._unrooted(broken))
        for path in unfinished_writes(self.root / CASSETTES):
            yield Problem(
                "cassettes",
                self.shown(path),
                "temporary file of a cassette write that never finished (the recording was interrupted); "
                "the cassette beside it is the previous one, whole: delete this file",
            )

    def tests(self) -> Iterator[tuple[FeatureSource, ScenarioTemplate, str | None]]:
        """Each test the suite holds: one per scenario, one per Examples row of an outline, with
        the row's test id (None for a plain scenario)."""
        for source, scenario in self.scenarios():
            for example in example_ids(scenario) or [None]:
                yield source, scenario, example

    def expected_cassettes(
        self, folder: Path | None = None
    ) -> dict[Path, tuple[FeatureSource, ScenarioTemplate, str | None]]:
        """Each cassette the tests use, under ``folder`` (default: the suite's ``cassettes/``), with
        its scenario and Examples row id (None without)."""
        folder = self.root / CASSETTES if folder is None else Path(folder)
        return {
            cassette_path(folder, str(source.path), scenario.name, example): (source, scenario, example)
            for source, scenario, example in self.tests()
        }

    def _check_secrets(self) -> Iterator[Problem]:
        for path in self.cassette_files:
            for line, key_path, message in _by_content(path, secrets_in_cassette):
                yield Problem("secrets", f"{self.shown(path)}:{line}", f"{key_path}: {message}")

    def _check_index(self) -> Iterator[Problem]:
        index_path = self.root / STEP_INDEX
        try:
            index = index_path.read_text(encoding="utf-8")
        except OSError as error:
            yield Problem("index", STEP_INDEX.as_posix(), f"cannot be read: {error}")
            return
        templates = [_phrase_pattern(phrase) for phrase in INDEXED_PHRASE.findall(index)]
        if not templates:
            yield Problem(
                "index",
                STEP_INDEX.as_posix(),
                "lists no step phrase (rows like | `When I GET <operation>` |)",
            )
            return
        unmatched = self._steps_not_matching(
            lambda scenario: scenario.steps,
            lambda step: any(template.fullmatch(step.name) for template in templates),
        )
        for source, step in unmatched:
            message = f"{_as_written(step)} is not a phrase of {STEP_INDEX.as_posix()}"
            yield Problem("index", source.at(step.line_number), message)

    def _steps_not_matching(
        self, steps: Callable[[ScenarioTemplate], Iterable[Step]], matches: Callable[[Step], bool]
    ) -> Iterator[tuple[FeatureSource, Step]]:
        """Each step of ``steps(scenario)`` that ``matches`` refuses, once per place and text: a
        Background step is in every scenario of its feature, but is one problem."""
        reported: set[tuple[str, int, str]] = set()
        for source, scenario in self.scenarios():
            for step in steps(scenario):
                key = (source.shown, step.line_number, step.name)
                if key in reported or matches(step):
                    continue
                reported.add(key)
                yield source, step

    def _check_behaviours(self) -> Iterator[Problem]:
        for message in coverage.problems(self.root):
            yield Problem("behaviours", *_split_place(message))

    # -- for a summary --------------------------------------------------------------------------------

    def inventory(self) -> dict[str, int]:
        """What the lint looked at, for a one-line summary."""
        return {
            "features": len(self.feature_paths),
            "scenarios": sum(1 for _ in self.scenarios()),
            "cassettes": len(self.cassette_files),
            "schemas": len(list((self.root / SCHEMAS).rglob("*.json"))),
            "step definitions": len(self.step_definitions),
        }


def lint(root: Path, categories: Iterable[str] | None = None) -> list[Problem]:
    """Every problem of the suite at ``root``; empty when the suite is sound."""
    return Suite(root).problems(categories)


# -- features ---------------------------------------------------------------------------------------


def scenario_headings(document: GherkinDocument) -> Iterator[tuple[str, int]]:
    """Every scenario's name and line, repeats included (pytest-bdd keeps only the last of a name)."""
    for child in document.feature.children if document.feature else []:
        for scenario in _gherkin_scenarios(child):
            yield scenario.name, scenario.location.line


def _gherkin_scenarios(child: Child) -> Iterator[GherkinScenario]:
    """The scenarios of a child of the Gherkin feature: those of a Rule, or the child's own."""
    for item in child.rule.children if child.rule else [child]:
        if item.scenario:
            yield item.scenario


def scenario_name_faults(name: str) -> list[str]:
    """What is wrong with a scenario name on its own: too long, or "should" instead of what it does."""
    faults = []
    if len(name) > MAX_SCENARIO_NAME:
        faults.append(f"scenario name is {len(name)} characters, at most {MAX_SCENARIO_NAME}: {name!r}")
    if re.search(r"\bshould\b", name, re.IGNORECASE):
        faults.append(f"say what the tenant does, in the present tense, not 'should': {name!r}")
    return faults


def example_rows(scenario: ScenarioTemplate) -> list[dict[str, str]]:
    """Each Examples row of an outline as its values by column; empty for a plain scenario."""
    return [context for examples in scenario.examples for context in examples.as_contexts()]


def example_ids(scenario: ScenarioTemplate) -> list[str]:
    """The test id of each Examples row, as pytest-bdd makes it (values joined by ``-``)."""
    return ["-".join(row.values()) for row in example_rows(scenario)]


def _duplicate_example_ids(source: FeatureSource) -> Iterator[Problem]:
    for scenario in source.feature.scenarios.values():
        ids = example_ids(scenario)
        for repeated in sorted({example for example in ids if ids.count(example) > 1}):
            yield Problem(
                "names",
                source.at(scenario.line_number),
                f"two Examples rows of {scenario.name!r} make the same test id {repeated!r}; "
                "their cassettes would collide",
            )


def rendered_steps(scenario: ScenarioTemplate) -> Iterator[Step]:
    """The steps as they run: background first, once per Examples row with its values filled in."""
    for row in example_rows(scenario) or [{}]:
        yield from scenario.render(row).steps


def _as_written(step: Step) -> str:
    """A step as the feature file says it: ``Then 'the request is refused'``."""
    return f"{step.keyword.strip()} {step.name!r}"


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """An indexed phrase such as ``I GET <operation> with <query>`` as a pattern over step text."""
    return re.compile(".+".join(map(re.escape, PHRASE_PARAMETER.split(phrase))))


def _split_place(message: str) -> tuple[str, str]:
    """``"path:line: text"`` as (``path:line``, ``text``)."""
    place, separator, text = message.partition(": ")
    return (place, text) if separator else ("", message)


# -- step definitions ---------------------------------------------------------------------------------


def plugin_modules(root: Path) -> tuple[list[str], list[Problem]]:
    """The modules conftest.py loads through ``pytest_plugins``, read without running conftest.py."""
    path = Path(root) / CONFTEST
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (OSError, UnicodeDecodeError, SyntaxError) as error:
        return [], [Problem("steps", CONFTEST, f"cannot be read: {error}")]
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            getattr(t, "id", None) == "pytest_plugins" for t in node.targets
        ):
            try:
                modules = ast.literal_eval(node.value)
            except ValueError:
                break
            if isinstance(modules, (list, tuple)) and all(isinstance(m, str) for m in modules):
                return list(modules), []
            break
    return [], [
        Problem("steps", CONFTEST, "has no pytest_plugins list of module names: no step definition is loaded")
    ]


def collect_step_definitions(root: Path) -> tuple[list[StepFunctionContext], list[Problem]]:
    """The step definitions registered by the ``pytest_plugins`` modules of the suite at ``root``.

    Modules that live in the suite folder (``steps.request``) are imported from it afresh, so a
    copy of the suite is judged by its own steps; the interpreter's modules are put back after.
    """
    modules, problems = plugin_modules(root)
    definitions: list[StepFunctionContext] = []
    with _suite_modules_first(Path(root), modules):
        for name in modules:
            try:
                module = importlib.import_module(name)
            except Exception as error:  # noqa: BLE001 - a step module may raise anything while importing
                problems.append(
                    Problem(
                        "steps",
                        CONFTEST,
                        f"pytest_plugins module {name!r} cannot be imported: {type(error).__name__}: {error}",
                    )
                )
                continue
            definitions.extend(step_definitions_of(module))
    return definitions, problems


def step_definitions_of(module: Any) -> list[StepFunctionContext]:
    """The step definitions a module holds: pytest-bdd's ``pytestbdd_stepdef_*`` fixtures."""
    found = []
    for name, value in vars(module).items():
        if name.startswith(StepNamePrefix.step_def.value):
            context = step_function_context_registry.get(inspect.unwrap(value))
            if context is not None:
                found.append(context)
    return found


def _defines(definition: StepFunctionContext, step: Step) -> bool:
    return definition.type in (None, step.type) and definition.parser.is_matching(step.name)


@contextlib.contextmanager
def _suite_modules_first(root: Path, modules: list[str]) -> Iterator[None]:
    """Import the suite's own packages from ``root``, then restore ``sys.modules`` and ``sys.path``."""
    local = {
        name.split(".")[0]
        for name in modules
        if (root / name.split(".")[0]).is_dir() or (root / f"{name.split('.')[0]}.py").is_file()
    }

    def ours(module_name: str) -> bool:
        return module_name.split(".")[0] in local

    saved_modules = {name: module for name, module in sys.modules.items() if ours(name)}
    saved_path = list(sys.path)
    for name in saved_modules:
        del sys.modules[name]
    sys.path.insert(0, str(root))
    importlib.invalidate_caches()
    try:
        yield
    finally:
        for name in [name for name in sys.modules if ours(name)]:
            del sys.modules[name]
        sys.modules.update(saved_modules)
        sys.path[:] = saved_path


# -- tags -------------------------------------------------------------------------------------------


def registered_markers(root: Path) -> tuple[set[str], list[Problem]]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        read = parser.read(Path(root) / PYTEST_INI, encoding="utf-8")
    except configparser.Error as error:
        return set(), [Problem("tags", PYTEST_INI, f"not a valid ini file: {' '.join(str(error).split())}")]
    if not read or not parser.has_option("pytest", "markers"):
        return set(), [Problem("tags", PYTEST_INI, "has no [pytest] markers: no tag can be registered")]
    lines = parser["pytest"]["markers"].strip().splitlines()
    return {re.split(r"[(:]", line.strip(), maxsplit=1)[0].strip() for line in lines if line.strip()}, []


def _tags_applied_as_markers(source: FeatureSource) -> Iterator[tuple[str, int]]:
    """Feature, rule and scenario tags: pytest-bdd applies these through the tag hook."""
    feature = source.document.feature
    if feature is None:
        return
    yield from _tag_places(feature)
    for child in feature.children:
        if child.rule:
            yield from _tag_places(child.rule)
        for scenario in _gherkin_scenarios(child):
            yield from _tag_places(scenario)


def _examples_tags(source: FeatureSource) -> Iterator[tuple[str, int]]:
    """Examples tags: pytest-bdd makes each a mark of that very name, without the tag hook."""
    feature = source.document.feature
    for child in feature.children if feature else []:
        for scenario in _gherkin_scenarios(child):
            for examples in scenario.examples:
                yield from _tag_places(examples)


def _tag_places(
    holder: GherkinFeature | Rule | GherkinScenario | ExamplesTable,
) -> Iterator[tuple[str, int]]:
    """The tags of a Gherkin feature, rule, scenario or Examples table: name without ``@``, line."""
    for tag in holder.tags:
        yield tag.name.lstrip("@"), tag.location.line


def _tag_problem(
    tag: str, line: int, source: FeatureSource, markers: set[str], via_hook: bool
) -> Iterator[Problem]:
    if via_hook and tag.startswith(SINCE_TAG):
        release = "R" + tag[len(SINCE_TAG) :].replace("_", ".")
        try:
            release_key(release)
        except ValueError:
            yield Problem("tags", source.at(line), f"tag @{tag} names no release: write it as @since_R12_1_0")
            return
        tag = SINCE_MARKER
    if tag not in markers:
        where = "" if via_hook else " (an Examples tag is used as a marker of exactly that name)"
        yield Problem(
            "tags", source.at(line), f"tag @{tag} is not a marker registered in {PYTEST_INI}{where}"
        )


# -- cassettes --------------------------------------------------------------------------------------


def cassette_load_problem(path: Path) -> str | None:
    """Why a replay could not load the cassette at ``path`` (the replay's own loader); None if it can."""
    try:
        ReplayPersister.load_cassette(str(path), ReadableYamlSerializer)
    except CassetteError as error:
        return str(error).replace(f"cassette {path} ", "")
    except Exception as error:  # noqa: BLE001 - whatever vcrpy trips on is a broken cassette, not a crash
        return f"is broken: {type(error).__name__}: {error}; record it again with --crm-mode record"
    return None


_VERDICTS: dict[tuple[str, str], Any] = {}
_MOST_VERDICTS = 4096


def _by_content(path: Path, judge: Callable[[Path], Any]) -> Any:
    """``judge(path)``, remembered by the file's content: cassettes are large YAML and slow to parse,
    and a verdict that does not name the path depends on the content alone."""
    try:
        key = (judge.__name__, hashlib.sha256(path.read_bytes()).hexdigest())
    except OSError:
        return judge(path)
    if key not in _VERDICTS:
        if len(_VERDICTS) >= _MOST_VERDICTS:
            _VERDICTS.clear()
        _VERDICTS[key] = judge(path)
    return _VERDICTS[key]


# -- secrets ----------------------------------------------------------------------------------------


def _members(node: Any, key_path: str = "", line: int = 0) -> Iterator[tuple[str, int, Any, Any]]:
    """Every (key path, line, key, value) of a YAML document read with ``located_yaml``."""
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{key_path}.{key}" if key_path else str(key)
            member_line = node.line_of(key) if isinstance(node, located_yaml.LocatedMapping) else line
            yield here, member_line, key, value
            yield from _members(value, here, member_line)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            here = f"{key_path}[{index}]"
            item_line = node.line_of(index) if isinstance(node, located_yaml.LocatedList) else line
            yield here, item_line, None, item
            yield from _members(item, here, item_line)


def secrets_in_cassette(path: Path) -> list[tuple[int, str, str]]:
    """Each (line, key path, finding) of a cassette; empty when it holds no secret or cannot be read
    (an unreadable cassette is a ``cassettes`` problem)."""
    try:
        document = located_yaml.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return []
    return [
        (line, key_path, message)
        for key_path, line, key, value in _members(document)
        for message in secret_findings(key, value)
    ]


def secret_findings(key: Any, value: Any) -> list[str]:
    """What about one member of a cassette looks like a secret kept in clear; empty when fine."""
    findings = []
    if isinstance(value, str) and JWT_SHAPE.search(value):
        findings.append("holds a JWT-shaped token (eyJ...); scrub it to <TOKEN:JWT>")
    if key == "token":
        findings.extend(_token_findings("token", value))
    elif key in CREDENTIAL_MEMBERS and not _is_placeholder(value):
        findings.append(f"{key} holds a value, not a placeholder such as {PLACEHOLDERS[key]}")
    elif key == "uri" and isinstance(value, str):
        findings.extend(_query_findings(value))
    elif isinstance(key, str) and key.lower() == "authorization":
        values = value if isinstance(value, list) else [value]
        if any(not (isinstance(v, str) and AUTHORIZATION_PLACEHOLDER.fullmatch(v)) for v in values):
            findings.append("the Authorization header holds credentials, not 'Basic <API_KEY>'")
    return findings


def _token_findings(where: str, value: Any) -> list[str]:
    if _is_placeholder(value) or (isinstance(value, str) and value.startswith(FAKE_TOKEN_PREFIX)):
        return []
    shape = (
        "a 32-character hex token" if isinstance(value, str) and HEX32_SHAPE.fullmatch(value) else "a token"
    )
    return [f"{where} holds {shape}, not a placeholder such as {PLACEHOLDERS['token']}"]


def _query_findings(uri: str) -> list[str]:
    findings = []
    for name, value in parse_qsl(urlsplit(uri).query, keep_blank_values=True):
        if name == "token":
            findings.extend(_token_findings("query parameter token", value))
        elif name in CREDENTIAL_MEMBERS and not _is_placeholder(value):
            findings.append(
                f"query parameter {name} holds a value, not a placeholder such as {PLACEHOLDERS[name]}"
            )
    return findings


def _is_placeholder(value: Any) -> bool:
    return (
        value is None or value == "" or (isinstance(value, str) and PLACEHOLDER.fullmatch(value) is not None)
    )
