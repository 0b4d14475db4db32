"""The ``crmconf`` command: ``run`` the conformance suite, serve the reference ``tenant``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from crmconf.process import exit_without_collecting
from crmconf.settings import EMBEDDED, MODES
from crmconf.suite import CONFTEST, FEATURES, PYTEST_INI, SCHEMAS, STEPS

if TYPE_CHECKING:
    from crmconf.selftest import RunResult

SUITE_MARKERS = (FEATURES, STEPS, SCHEMAS, CONFTEST, PYTEST_INI)
NO_TESTS_RAN = 5
PASSED_TO_PYTEST = (
    ("mode", "--crm-mode"),
    ("server", "--crm-server"),
    ("profile", "--crm-profile"),
    ("cassettes", "--crm-cassettes"),
    ("junitxml", "--junitxml"),
    ("cucumberjson", "--cucumberjson"),
    ("report", "--crm-report"),
)
"""Options of ``crmconf run`` and the pytest option each becomes when it is given."""


class CommandError(Exception):
    """A wrong command line or setup; printed as one line, exit status 2."""


def find_suite(explicit: str | None) -> Path:
    """The suite folder: ``--suite``, else the current folder, else the checkout crmconf runs from."""
    candidates = [Path(explicit)] if explicit else [Path.cwd(), Path(__file__).resolve().parents[2]]
    for candidate in candidates:
        if all((candidate / marker).exists() for marker in SUITE_MARKERS):
            return candidate.resolve()
    if explicit:
        missing = [m for m in SUITE_MARKERS if not (Path(explicit) / m).exists()]
        raise CommandError(f"{explicit} is not a crmconf suite folder: it lacks {', '.join(missing)}")
    raise CommandError(
        "no crmconf suite here: run from a crmconf checkout (the folder with features/, steps/ and "
        "schemas/) or pass --suite PATH"
    )


def run(args: argparse.Namespace) -> int:
    import pytest

    suite = find_suite(args.suite)
    pytest_args = [
        str(suite / "features"),
        "-c", str(suite / "pytest.ini"),
        "--rootdir", str(suite),
        "-p", "no:cacheprovider",
        "-o", "console_output_style=count",
    ]
    given = [(option, getattr(args, name)) for name, option in PASSED_TO_PYTEST]
    pytest_args += [f"{option}={value}" for option, value in given if value]
    extra = list(args.pytest_args)
    if extra[:1] == ["--"]:
        extra = extra[1:]
    code = int(pytest.main(pytest_args + extra))
    if code == NO_TESTS_RAN:
        print("crmconf: no scenario ran (check the -k/-m selection)", file=sys.stderr)
    return code


def tenant(args: argparse.Namespace) -> int:
    from crmconf.tenant import TenantOptions, serve

    if args.list_faults or args.fault == LIST_FAULTS:
        print_fault_catalogue()
        return 0
    if args.fault:
        announce_fault(args.fault)
    serve(host=args.host, port=args.port, options=TenantOptions(fault=args.fault))
    return 0


# -- the suite's power: faults and the kill matrix ---------------------------------------------------

LIST_FAULTS = "list"


def check_fault_names(names: Sequence[str]) -> None:
    from crmconf.tenant.faults import FAULTS, unknown_fault_message

    for name in names:
        if name not in FAULTS:
            raise CommandError(unknown_fault_message(name))


def announce_fault(name: str) -> None:
    """Say which rule the tenant about to be served breaks; an unknown fault is a command error."""
    from crmconf.tenant.faults import FAULTS

    check_fault_names([name])
    print(f"with fault {name}, breaking {FAULTS[name].rule}: {FAULTS[name].description}", flush=True)


def print_fault_catalogue() -> None:
    from crmconf.tenant.faults import FAULTS

    width = max(len(name) for name in FAULTS)
    rule_width = max(len(fault.rule) for fault in FAULTS.values())
    category = None
    for fault in FAULTS.values():
        if fault.category != category:
            category = fault.category
            print(f"{category}:")
        print(f"  {fault.name:<{width}}  {fault.rule:<{rule_width}}  {fault.description}")


def selftest(args: argparse.Namespace) -> int:
    from crmconf import selftest as power
    from crmconf.tenant.faults import FAULTS

    check_fault_names(args.fault)
    targets = [power.clean_target(), *power.fault_targets(args.fault or FAULTS)]
    suite = find_suite(args.suite)
    print(f"crmconf selftest: the suite against {len(targets)} tenants, {args.jobs} at a time",
          file=sys.stderr)
    matrix = power.run_matrix(targets, suite, jobs=args.jobs, progress=_print_progress)
    for line in power.render(matrix):
        print(line)
    return 1 if matrix.problems() else 0


def _print_progress(result: RunResult) -> None:
    verdict = f"{len(result.failures)} tests failed" if result.exit_code is not None else "no verdict"
    print(f"  {result.target.name}: {verdict} ({result.seconds:.1f}s)", file=sys.stderr, flush=True)


def add_selftest_command(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "selftest",
        help="prove the suite catches every catalogued fault of the reference tenant",
        description=(
            "Run the suite live against the reference tenant and against a copy of it with each fault of "
            "the catalogue (crmconf tenant --list-faults), each served here on its own port. Prints the "
            "kill matrix: faults as rows, features as columns, each cell the number of scenarios that "
            "caught the fault, their names below, then the kill rate. Exit status 1 when a fault survives, "
            "a scenario the catalogue names for a fault does not catch it or does not name its rule, or "
            "the clean tenant fails a scenario."
        ),
    )
    parser.add_argument("--fault", metavar="NAME", nargs="+", action="extend", default=[],
                        help="only these faults (repeatable; default: the whole catalogue)")
    parser.add_argument("--jobs", metavar="N", type=int, default=os.cpu_count() or 2,
                        help="suite runs at a time (default: the number of CPUs)")
    parser.add_argument("--suite", metavar="DIR", help="the suite folder (default: this checkout)")
    parser.set_defaults(handler=selftest)


# -- tools over the suite's data: check, diff, coverage ----------------------------------------------


def check(args: argparse.Namespace) -> int:
    from crmconf.lint import Suite

    suite = Suite(find_suite(args.suite))
    problems = suite.problems()
    for problem in problems:
        print(problem)
    if problems:
        print(f"crmconf check: {len(problems)} problems", file=sys.stderr)
        return 1
    counts = ", ".join(f"{number} {what}" for what, number in suite.inventory().items())
    print(f"crmconf check: the suite is clean ({counts})")
    return 0


def diff(args: argparse.Namespace) -> int:
    from crmconf import drift

    try:
        schemas = Path(args.schemas) if args.schemas else find_suite(None) / "schemas"
        result = drift.compare(Path(args.old), Path(args.new), schemas)
    except (drift.DriftInputError, CommandError) as error:
        print(f"crmconf diff: {error}", file=sys.stderr)
        return drift.BAD_INPUT
    _print_result(result, drift, as_json=args.json)
    return result.exit_status


def coverage(args: argparse.Namespace) -> int:
    from crmconf import coverage as behaviours

    try:
        result = behaviours.measure(find_suite(args.suite))
    except behaviours.BehavioursError as error:
        raise CommandError(str(error)) from None
    _print_result(result, behaviours, as_json=args.json)
    return 0


def _print_result(result: Any, tool: ModuleType, as_json: bool) -> None:
    """A tool's result as its module renders it: text for people, or JSON (``--json``) for machines."""
    import json

    if as_json:
        print(json.dumps(tool.as_json(result), indent=2, ensure_ascii=False))
    else:
        print(tool.render_text(result))


def add_tool_commands(commands: argparse._SubParsersAction) -> None:
    check_parser = commands.add_parser(
        "check",
        help="lint the suite without running it",
        description=(
            "Lint the suite without running a scenario: schemas valid and resolvable, every step defined "
            "and indexed, tags registered, scenario names unique and short, vendor sources named, one "
            "cassette per scenario and none orphaned, no secret in a cassette, features/behaviours.yaml "
            "naming scenarios that exist. Prints one problem per line and exits 1, or a one-line summary "
            "and exits 0 when the suite is clean."
        ),
    )
    check_parser.add_argument("--suite", metavar="DIR", help="the suite folder (default: this checkout)")
    check_parser.set_defaults(handler=check)

    diff_parser = commands.add_parser(
        "diff",
        help="compare two recordings (cassette folders) operation by operation",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description=(
            "Compare two cassette folders, e.g. recorded before and after a tenant upgrade, operation by\n"
            "operation: response fields added or removed (JSON pointers, array indices as *), type changes,\n"
            "new enum-like values (members named type, code, gender, state, status or ending in _type,\n"
            "_state, _status, holding codes such as PERSON), and changed HTTP statuses and status codes of\n"
            "the same request.\n\n"
            "exit status:\n"
            "  0  nothing changed\n"
            "  1  something changed; every NEW response still validates against the schemas\n"
            "  2  something changed and NEW responses break the schemas (listed)\n"
            "  3  OLD or NEW is not a cassette folder, or the schemas cannot be read"
        ),
    )
    diff_parser.add_argument("old", metavar="OLD", help="the earlier cassette folder")
    diff_parser.add_argument("new", metavar="NEW", help="the later cassette folder")
    diff_parser.add_argument("--json", action="store_true", help="print the changes as JSON, for machines")
    diff_parser.add_argument("--schemas", metavar="DIR", help="schema folder judging NEW (default: the suite's schemas/)")
    diff_parser.set_defaults(handler=diff)

    coverage_parser = commands.add_parser(
        "coverage",
        help="list the documented behaviours and the scenarios that check them",
        description=(
            "List each documented behaviour of features/behaviours.yaml with the scenarios that check it, "
            "then the behaviours no scenario checks yet and the scenarios no behaviour names. Exit status 0."
        ),
    )
    coverage_parser.add_argument("--json", action="store_true", help="print the coverage as JSON, for machines")
    coverage_parser.add_argument("--suite", metavar="DIR", help="the suite folder (default: this checkout)")
    coverage_parser.set_defaults(handler=coverage)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crmconf",
        description="Conformance suite and harness for the CRM.COM REST API v2.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run_parser = commands.add_parser(
        "run",
        help="run the conformance suite",
        description=(
            "Run the conformance suite (not the harness's own tests). Exit status 0 only when every "
            "scenario that ran passed. Settings not given here come from CRM_* variables and the profile."
        ),
    )
    run_parser.add_argument("--mode", choices=MODES, help="replay recorded cassettes (default), record them, or run live")
    run_parser.add_argument("--server", metavar="URL", help=f"tenant base URL without /crmapi/rest/v2, or '{EMBEDDED}'")
    run_parser.add_argument("--profile", metavar="PATH", help="tenant profile file (TOML)")
    run_parser.add_argument("--cassettes", metavar="DIR", help="cassette folder (default: the suite's cassettes/)")
    run_parser.add_argument("--junitxml", metavar="PATH", help="write a JUnit XML report")
    run_parser.add_argument("--cucumberjson", metavar="PATH", help="write a Cucumber JSON report")
    run_parser.add_argument("--report", metavar="PATH", help="write a self-contained HTML conformance report")
    run_parser.add_argument("--suite", metavar="DIR", help="the suite folder (default: this checkout)")
    run_parser.add_argument("pytest_args", nargs=argparse.REMAINDER, help="-- then arguments passed to pytest")
    run_parser.set_defaults(handler=run)

    tenant_parser = commands.add_parser(
        "tenant",
        help="serve the reference tenant on loopback",
        description="Serve the local reference tenant: the documented API with deterministic test data.",
    )
    tenant_parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    tenant_parser.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    tenant_parser.add_argument("--fault", metavar="NAME",
                               help="serve a tenant with this fault of the catalogue ('list' prints the catalogue)")
    tenant_parser.add_argument("--list-faults", action="store_true", help="print the fault catalogue and exit")
    tenant_parser.set_defaults(handler=tenant)
    add_selftest_command(commands)
    add_tool_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except CommandError as error:
        print(f"crmconf: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def script() -> None:
    """The ``crmconf`` command as a process (the console script, ``python -m crmconf``)."""
    exit_without_collecting()
    sys.exit(main())


if __name__ == "__main__":
    script()
