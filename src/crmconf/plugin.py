"""The pytest plugin: run settings, the harness's fixtures, cassettes and failure reports.

Loaded by the suite's ``conftest.py``. One setting chooses the mode (``--crm-mode`` >
``CRM_MODE`` > ``replay``); see ``crmconf.settings`` for the others. Every response a scenario
receives is checked by ``checks.check_response`` through a client observer, so no step can
forget schema validation.
"""

from __future__ import annotations

import json
import os
import types
from collections.abc import Iterator
import secrets
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import scenario as bind_scenario
from pytest_bdd.exceptions import FeatureError, StepDefinitionNotFoundError
from pytest_bdd.feature import get_feature
from pytest_bdd.scenario import get_python_name_generator, scenario_wrapper_template_registry
from requests.adapters import HTTPAdapter
from vcr.errors import CannotOverwriteExistingCassetteException

from crmconf import step_lookup
from crmconf.checks import check_response
from crmconf.client import CrmClient, Exchange, TransportError, cut, transport
from crmconf.failures import ConformanceFailure
from crmconf.identifiers import Identifier
from crmconf.process import exit_without_collecting
from crmconf.progress import FailureProgress
from crmconf.recording import CassetteError, NetworkBlocked, Recorder, cassette_path
from crmconf.report import (
    FailureDetail,
    RunReport,
    ScenarioResult,
    StepResult,
    console_table,
    scenario_from_dict,
    write_html,
)
from crmconf.schemas import SchemaCatalogue, SchemaCatalogueError
from crmconf.scrub import RUN_ID_PLACEHOLDER, RUN_MARKER_PLACEHOLDER, SERVER_PLACEHOLDER, Scrubber, scrub_log_records
from crmconf.observations import Observations
from crmconf.settings import EMBEDDED, MODES, Settings, SettingsError, load_settings, release_key
from crmconf.values import (
    OPTIONAL_RUN_VALUES,
    RUN_VALUE_SETTINGS,
    ScenarioValues,
    UnknownValue,
    auth_mode,
    placeholders,
)

OUTCOMES = pytest.StashKey[dict[str, pytest.TestReport]]()
FAILED_STEP = pytest.StashKey[str]()
STEPS = pytest.StashKey[list[StepResult]]()
LAST_OPERATION = pytest.StashKey[str]()
HARNESS = pytest.StashKey["Harness"]()

# Failures whose message says everything: shown without a traceback.
CLEAR_FAILURES = (
    ConformanceFailure,
    TransportError,
    CannotOverwriteExistingCassetteException,
    CassetteError,
    NetworkBlocked,
    UnknownValue,
    SchemaCatalogueError,
    StepDefinitionNotFoundError,
)


@dataclass
class Harness:
    """What one run shares: settings, scrubber, schemas and, outside live mode, the recorder."""

    settings: Settings
    root: Path
    scrubber: Scrubber
    catalogue: SchemaCatalogue
    cassettes: Path
    recorder: Recorder | None
    observations: Observations
    run_marker: str = ""
    """Written by write scenarios into the records they create, so QA can find and remove them."""
    run_id: str = ""
    """Short and unique to the run, for values a tenant may require to be unique (passport numbers)."""
    created: list[tuple[str, str, str]] = field(default_factory=list)
    """(operation, record id, scenario) of every record a live or record run created."""
    report: RunReport | None = None


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("crmconf", "crmconf conformance suite")
    group.addoption("--crm-mode", choices=MODES, default=None, help="replay (default), record or live [CRM_MODE]")
    group.addoption(
        "--crm-server", default=None, metavar="URL", help=f"tenant base URL, or '{EMBEDDED}' [CRM_SERVER]"
    )
    group.addoption("--crm-profile", default=None, metavar="PATH", help="tenant profile file (TOML) [CRM_PROFILE]")
    group.addoption(
        "--crm-cassettes", default=None, metavar="DIR", help="cassette folder (default: cassettes/ of the suite)"
    )
    group.addoption("--crm-report", default=None, metavar="PATH", help="write a self-contained HTML report")


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(FailureProgress(config), "crmconf-progress")
    if hasattr(config, "workerinput"):  # a pytest-xdist worker: the process ends with the run
        exit_without_collecting()
    options = {"mode": config.getoption("--crm-mode"), "server": config.getoption("--crm-server")}
    try:
        settings = load_settings(os.environ, options, profile=config.getoption("--crm-profile"))
    except SettingsError as error:
        raise pytest.UsageError(str(error)) from None
    if settings.is_live and settings.is_embedded:
        settings = settings.with_embedded_tenant(*_embedded_tenant_settings())
    step_lookup.install(config)
    root = config.rootpath
    cassettes = Path(config.getoption("--crm-cassettes") or root / "cassettes")
    scrubber = Scrubber(settings.secrets, server=None if settings.is_embedded else settings.server)
    config.add_cleanup(scrub_log_records(scrubber))
    recorder = Recorder(settings.mode, scrubber) if settings.mode in ("replay", "record") else None
    catalogue = SchemaCatalogue(root / "schemas")
    problems = catalogue.problems()
    if problems:
        raise pytest.UsageError("crmconf schemas are broken:\n" + "\n".join(f"  - {p}" for p in problems))
    # A replay sends what was recorded: the placeholder the recording scrubbed the marker to.
    marker, run_id = RUN_MARKER_PLACEHOLDER, RUN_ID_PLACEHOLDER
    if settings.is_live:
        run_id = secrets.token_hex(4)
        marker = f"crmconf-run-{time.strftime('%Y%m%dT%H%M%S')}-{run_id}"
        scrubber.add(run_id, RUN_ID_PLACEHOLDER)  # recordings stay the same from run to run
    shown_server = settings.server if settings.is_live else "(replay of recorded cassettes)"
    report = RunReport(mode=settings.mode, server=scrubber.text(shown_server or ""), release=settings.release)
    config.stash[HARNESS] = Harness(
        settings, root, scrubber, catalogue, cassettes, recorder, Observations(),
        run_marker=marker, run_id=run_id, report=report,
    )


def _embedded_tenant_settings() -> tuple[dict, dict]:
    from crmconf.tenant import CREDENTIALS, SEED

    test_data = {
        "contact_identifier": Identifier("number", SEED.person_number),
        "provisioning_provider": Identifier("alternative_code", SEED.provider_alternative_code),
        "non_pending_requests": SEED.unlisted_request_numbers,
        "other_contact_identifier": Identifier("number", SEED.company_number),
        "other_provisioning_provider": Identifier("alternative_code", SEED.second_provider_alternative_code),
    }
    return CREDENTIALS, test_data


def _harness(config: pytest.Config) -> Harness:
    return config.stash[HARNESS]


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Each ``.feature`` file is a test module of its own: test ids name the feature and scenario."""
    if file_path.suffix == ".feature":
        return FeatureFile.from_parent(parent, path=file_path)
    return None


class FeatureFile(pytest.Module):
    """A feature file collected as a module holding one test per scenario."""

    def _getobj(self) -> types.ModuleType:
        try:
            feature = get_feature(str(self.path.parent), self.path.name)
        except FeatureError as error:
            raise self.CollectError(f"{self.path}: not a valid feature file: {error}") from None
        module = types.ModuleType(f"crmconf_feature_{self.path.stem}")
        module.__file__ = str(self.path)
        for scenario_name in feature.scenarios:
            name = next(n for n in get_python_name_generator(scenario_name) if not hasattr(module, n))
            test = bind_scenario(str(self.path), scenario_name, features_base_dir=str(self.path.parent))(_scenario)
            test.__name__ = name
            setattr(module, name, test)
        return module


def _scenario(
    crm_harness: Harness,
    crm_settings: Settings,
    crm_observations: Observations,
    crm_client: CrmClient,
    crm_values: ScenarioValues,
    crm_exchanges: list[Exchange],
) -> None:
    """The body of every scenario test: the steps do the work. It names the fixtures the steps
    use, so pytest finds them once, when it collects the test, and sets them up with the test
    (a cassette that cannot be read is an error of the test's setup, before any step), instead
    of finding each one again the first time a step asks for it."""


def scenario_of(item: pytest.Item) -> Any:
    """The pytest-bdd scenario template behind a test item, or None for a plain test."""
    function = getattr(item, "obj", None)
    return scenario_wrapper_template_registry.get(function) if function is not None else None


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    harness = _harness(config)
    settings = harness.settings
    needed: set[str] = set()
    for item in items:
        scenario = scenario_of(item)
        if scenario is None:
            continue
        used = {name for text in _scenario_texts(scenario) for name in placeholders(text)}
        for name in used & RUN_VALUE_SETTINGS.keys() - OPTIONAL_RUN_VALUES:
            needed.add(RUN_VALUE_SETTINGS[name])
        reason = _reason_to_skip(item, used, settings)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))
    problems = settings.missing(needed)
    if problems:
        raise pytest.UsageError(
            f"crmconf cannot run in {settings.mode} mode:\n" + "\n".join(f"  - {problem}" for problem in problems)
        )


def _scenario_texts(scenario: Any) -> list[str]:
    """Every text of a scenario that may hold a placeholder: steps, doc strings, Examples cells."""
    texts = [step.name + (step.docstring or "") for step in scenario.steps]
    texts += [value for table in scenario.examples for row in table.as_contexts() for value in row.values()]
    return texts


def _reason_to_skip(item: pytest.Item, used: set[str], settings: Settings) -> str | None:
    """Why a scenario cannot run against this tenant, in one line; None when it can."""
    since = item.get_closest_marker("since")
    if since and release_key(settings.release) < release_key(since.args[0]):
        return f"available from {since.args[0]}; the tenant's release is {settings.release} (CRM_RELEASE)"
    if not settings.is_live:
        return None
    if item.get_closest_marker("write") and not settings.allow_writes:
        return "sends a POST that changes data: set CRM_ALLOW_WRITES=1 to run it"
    if item.get_closest_marker("login") and not (settings.username and settings.password and settings.organisation):
        return "logs in itself: set CRM_USERNAME, CRM_PASSWORD and CRM_ORGANISATION (a token alone is not enough)"
    for name in sorted(used & OPTIONAL_RUN_VALUES):
        if getattr(settings, RUN_VALUE_SETTINGS[name]) is None:
            return f"needs {settings.describe(RUN_VALUE_SETTINGS[name])}"
    return None


def pytest_bdd_apply_tag(tag: str, function: Any) -> bool | None:
    """``@since_R12_1_0`` becomes ``pytest.mark.since("R12.1.0")``: skipped below that release."""
    if tag.startswith("since_R"):
        release = "R" + tag[len("since_R") :].replace("_", ".")
        pytest.mark.since(release)(function)
        return True
    return None


# -- fixtures -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def crm_harness(pytestconfig: pytest.Config) -> Harness:
    return _harness(pytestconfig)


@pytest.fixture(scope="session")
def crm_settings(crm_harness: Harness) -> Settings:
    return crm_harness.settings


@pytest.fixture(scope="session")
def crm_server(crm_harness: Harness) -> Iterator[str]:
    """The base URL requests go to: the tenant, an embedded reference tenant, or (replay) nowhere."""
    settings = crm_harness.settings
    if not settings.is_live:
        yield SERVER_PLACEHOLDER
    elif settings.is_embedded:
        from crmconf.tenant import EmbeddedTenant

        with EmbeddedTenant() as tenant:
            crm_harness.scrubber.set_server(tenant.url)
            yield tenant.url
    else:
        yield settings.server  # type: ignore[misc]


@pytest.fixture
def crm_cassette(request: pytest.FixtureRequest, crm_harness: Harness) -> Iterator[Any]:
    """The scenario's cassette, open for its whole duration (None in live mode)."""
    scenario = scenario_of(request.node)
    if crm_harness.recorder is None or scenario is None:
        yield None
        return
    example = request.node.callspec.id if hasattr(request.node, "callspec") else None
    path = cassette_path(crm_harness.cassettes, scenario.feature.filename, scenario.name, example)

    def passed() -> bool:
        outcome = request.node.stash.get(OUTCOMES, {}).get("call")
        return outcome is not None and outcome.passed

    with crm_harness.recorder.cassette(path, keep=passed) as cassette:
        yield cassette


@pytest.fixture
def crm_values(crm_harness: Harness, crm_cassette: Any) -> ScenarioValues:
    settings = crm_harness.settings
    sources = {
        "contact": lambda: settings.contact_identifier,
        "provider": lambda: settings.provisioning_provider,
        "non_pending": lambda: settings.non_pending_requests,
        "other_contact": lambda: settings.other_contact_identifier,
        "other_provider": lambda: settings.other_provisioning_provider,
        "input_collections": lambda: settings.input_collections,
        "auth": lambda: auth_mode(token=bool(settings.token), unit=bool(settings.unit)),
    }
    constants = {"run_marker": crm_harness.run_marker, "run_id": crm_harness.run_id}
    return ScenarioValues(sources, crm_cassette, replay=settings.mode == "replay", constants=constants)


@pytest.fixture(scope="session")
def crm_transport(crm_harness: Harness) -> Iterator[HTTPAdapter | None]:
    """In live mode, one connection pool for the whole run, so scenarios reuse connections to the
    tenant as any client would (each scenario still has its own session: cookies never cross).
    Recording and replay give each scenario its own, opened while its cassette is."""
    if not crm_harness.settings.is_live:
        yield None
        return
    adapter = transport(crm_harness.settings.retries)
    yield adapter
    adapter.close()


@pytest.fixture
def crm_client(
    request: pytest.FixtureRequest,
    crm_harness: Harness,
    crm_server: str,
    crm_transport: HTTPAdapter | None,
    crm_cassette: Any,
) -> CrmClient:
    """A client whose every response is checked against the schemas before a step sees it."""
    settings = crm_harness.settings
    client = CrmClient(crm_server, timeout=settings.timeout, retries=settings.retries, adapter=crm_transport)
    if not settings.is_live or settings.is_embedded:
        # A replay opens no connection, and the embedded tenant is on loopback: proxy variables
        # and .netrc do not apply (a proxy would not even reach it).
        client.session.trust_env = False

    def observe(exchange: Exchange) -> None:
        if exchange.operation.startswith("authentication/") and isinstance(exchange.data, dict):
            crm_harness.scrubber.add_token(exchange.data.get("token"))
        if settings.is_live and exchange.operation.endswith("/create") and exchange.succeeded:
            record_id = exchange.data.get("id") if isinstance(exchange.data, dict) else None
            crm_harness.created.append((exchange.operation, str(record_id or "(no id returned)"), request.node.nodeid))
        request.node.stash[LAST_OPERATION] = exchange.operation
        check_response(exchange, crm_harness.catalogue)

    client.observers.append(observe)
    return client


@pytest.fixture(scope="session")
def crm_observations(crm_harness: Harness) -> Observations:
    """Where scenarios note how the tenant answered an open point of the documentation."""
    return crm_harness.observations


@pytest.fixture
def crm_exchanges() -> list[Exchange]:
    """The exchanges a scenario's request steps made, in order."""
    return []


# -- reports ----------------------------------------------------------------------------------


def pytest_bdd_step_error(request: pytest.FixtureRequest, feature: Any, scenario: Any, step: Any, **_: Any) -> None:
    location = f"{feature.rel_filename}:{step.line_number}"
    request.node.stash[FAILED_STEP] = f"{step.keyword} {step.name}  ({location})"
    request.node.stash.setdefault(STEPS, []).append(StepResult(step.keyword, step.name, "failed"))


def pytest_bdd_after_step(request: pytest.FixtureRequest, step: Any, **_: Any) -> None:
    request.node.stash.setdefault(STEPS, []).append(StepResult(step.keyword, step.name, "passed"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    report = yield
    item.stash.setdefault(OUTCOMES, {})[report.when] = report
    harness = item.config.stash.get(HARNESS, None)
    if harness is None:
        return report
    if report.failed:
        _scrub_report(item, call, report, harness)
    if harness.report is not None and (report.when == "call" or (report.when == "setup" and not report.passed)):
        result = _scenario_result(item, call, report, harness)
        if result is not None:
            harness.report.scenarios.append(result)
    return report


def _scrub_report(item: pytest.Item, call: pytest.CallInfo, report: pytest.TestReport, harness: Harness) -> None:
    scrub = harness.scrubber.text
    error = call.excinfo.value if call.excinfo is not None else None
    if isinstance(error, CLEAR_FAILURES):
        text = error.render(harness.scrubber) if isinstance(error, ConformanceFailure) else str(error)
        step = item.stash.get(FAILED_STEP, None)
        if step:
            text = f"Step: {step}\n{text}"
        report.longrepr = scrub(text)
    elif report.longrepr is not None:
        report.longrepr = scrub(str(report.longrepr))
    report.sections = [(title, scrub(content)) for title, content in report.sections]


def _scenario_result(
    item: pytest.Item, call: pytest.CallInfo, report: pytest.TestReport, harness: Harness
) -> ScenarioResult | None:
    """The report's view of one scenario, with steps, outcome and, scrubbed, its failure."""
    scenario = scenario_of(item)
    if scenario is None:
        return None
    steps = list(item.stash.get(STEPS, []))
    steps += [StepResult(s.keyword, s.name, "notrun") for s in scenario.steps[len(steps) :]]
    result = ScenarioResult(
        feature=scenario.feature.name,
        feature_file=scenario.feature.rel_filename,
        name=scenario.name,
        test_id=item.nodeid,
        outcome=report.outcome,
        duration=report.duration,
        operation=item.stash.get(LAST_OPERATION, ""),
        steps=steps,
    )
    if report.skipped and isinstance(report.longrepr, tuple):
        result.reason = str(report.longrepr[2]).removeprefix("Skipped: ")
    if report.failed:
        result.failure = _failure_detail(call, str(report.longrepr), harness)
    return result


def _failure_detail(call: pytest.CallInfo, message: str, harness: Harness) -> FailureDetail:
    error = call.excinfo.value if call.excinfo is not None else None
    if not isinstance(error, ConformanceFailure):
        return FailureDetail(rule=type(error).__name__ if error else "error", message=message)
    scrubber = harness.scrubber
    exchange = error.exchange
    return FailureDetail(
        rule=str(error.rule),
        message=message,
        mismatches=[
            (m.pointer, scrubber.text(m.expected), scrubber.text(m.received), m.schema_path or "")
            for m in error.mismatches
        ],
        request=scrubber.sent(error.request).curl() if error.request else "",
        response=(
            f"HTTP {exchange.http_status} {exchange.content_type}\n{cut(scrubber.body(exchange.text) or '', 4000)}"
            if exchange else ""
        ),
    )


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    harness = config.stash.get(HARNESS, None)
    if harness is None:
        return
    table = console_table(harness.report) if harness.report else []
    if table:
        terminalreporter.section("operations and behaviours")
        for line in table:
            terminalreporter.write_line(line)
    if harness.observations:
        terminalreporter.section("where the documentation is open, this tenant")
        for line in harness.observations.lines():
            terminalreporter.write_line(harness.scrubber.text(line))
    if harness.created:
        terminalreporter.section(f"records this run created (their notes name {harness.run_marker})")
        for operation, record_id, scenario in harness.created:
            terminalreporter.write_line(f"{operation} id={record_id}  ({scenario})")
    unused = harness.recorder.unused if harness.recorder else {}
    if unused:
        terminalreporter.section("recorded requests no scenario used (record these cassettes again)")
        for path, requests in sorted(unused.items()):
            terminalreporter.write_line(f"{path}:")
            for request in requests:
                terminalreporter.write_line(f"  {request}")


WORKER_OUTPUT = "crmconf"


def pytest_sessionfinish(session: pytest.Session) -> None:
    harness = session.config.stash.get(HARNESS, None)
    if harness is None:
        return
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: hand what it saw to the controller
        workeroutput[WORKER_OUTPUT] = json.dumps(
            {
                "observations": harness.observations.as_data(),
                "created": harness.created,
                "unused": {str(path): lines for path, lines in (harness.recorder.unused if harness.recorder else {}).items()},
                "scenarios": [asdict(result) for result in (harness.report.scenarios if harness.report else [])],
            }
        )
        return
    path = session.config.getoption("--crm-report", None)
    if harness.report is None or not path:
        return
    report = harness.report
    report.duration = time.time() - report.started.timestamp()
    report.open_points = [harness.scrubber.text(line) for line in harness.observations.lines()]
    report.created = [f"{operation} id={record_id} ({scenario})" for operation, record_id, scenario in harness.created]
    write_html(report, Path(path))


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: Any) -> None:
    """pytest-xdist: merge a worker's observations, created records and scenario results."""
    harness = node.config.stash.get(HARNESS, None)
    output = getattr(node, "workeroutput", {}).get(WORKER_OUTPUT)
    if harness is None or not output:
        return
    data = json.loads(output)
    harness.observations.merge(data["observations"])
    harness.created.extend(tuple(entry) for entry in data["created"])
    if harness.recorder is not None:
        harness.recorder.unused.update({Path(path): lines for path, lines in data["unused"].items()})
    if harness.report is not None:
        harness.report.scenarios.extend(scenario_from_dict(result) for result in data["scenarios"])
