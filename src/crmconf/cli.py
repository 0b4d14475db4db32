"""The ``crmconf`` command: ``run`` the conformance suite, serve the reference ``tenant``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from crmconf.settings import EMBEDDED, MODES

SUITE_MARKERS = ("features", "steps", "schemas", "conftest.py", "pytest.ini")
NO_TESTS_RAN = 5


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
    if args.mode:
        pytest_args.append(f"--crm-mode={args.mode}")
    if args.server:
        pytest_args.append(f"--crm-server={args.server}")
    if args.profile:
        pytest_args.append(f"--crm-profile={args.profile}")
    if args.cassettes:
        pytest_args.append(f"--crm-cassettes={args.cassettes}")
    if args.junitxml:
        pytest_args.append(f"--junitxml={args.junitxml}")
    if args.cucumberjson:
        pytest_args.append(f"--cucumberjson={args.cucumberjson}")
    if args.report:
        pytest_args.append(f"--crm-report={args.report}")
    extra = list(args.pytest_args)
    if extra[:1] == ["--"]:
        extra = extra[1:]
    code = int(pytest.main(pytest_args + extra))
    if code == NO_TESTS_RAN:
        print("crmconf: no scenario ran (check the -k/-m selection)", file=sys.stderr)
    return code


def tenant(args: argparse.Namespace) -> int:
    from crmconf.tenant import serve

    serve(host=args.host, port=args.port)
    return 0


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
    tenant_parser.set_defaults(handler=tenant)
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


if __name__ == "__main__":
    sys.exit(main())
