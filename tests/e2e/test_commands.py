"""``crmconf check``, ``diff`` and ``coverage`` as a user runs them: a process of their own, on the shipped
suite."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crmconf.suite import copy_suite

SUITE = Path(__file__).resolve().parents[2]


def crmconf(*args: str, cwd: Path = SUITE) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "crmconf", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def test_check_finds_the_shipped_suite_clean():
    result = crmconf("check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("crmconf check: the suite is clean (")
    assert len(result.stdout.splitlines()) == 1


def test_check_lists_problems_one_per_line_of_a_suite_that_has_some(tmp_path):
    suite = copy_suite(SUITE, tmp_path / "suite")
    (suite / "cassettes" / "errors" / "an-orphan.yaml").write_text("interactions: []\n")
    result = crmconf("check", "--suite", str(suite))
    assert result.returncode == 1
    assert "cassettes/errors/an-orphan.yaml: no scenario uses this cassette" in result.stdout
    assert result.stderr.startswith("crmconf check: ") and "Traceback" not in result.stderr


def test_diff_of_the_cassettes_against_themselves_changes_nothing():
    result = crmconf("diff", "cassettes", "cassettes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith("crmconf diff: nothing changed (")
    machine = crmconf("diff", "cassettes", "cassettes", "--json")
    assert machine.returncode == 0
    assert json.loads(machine.stdout)["changes"] == []


def test_diff_of_a_folder_that_is_not_a_cassette_folder():
    result = crmconf("diff", "cassettes", "features")
    assert result.returncode == 3
    assert result.stderr.startswith(
        "crmconf diff: features is not a cassette folder: features/behaviours.yaml: "
    )
    assert "Traceback" not in result.stderr


def test_coverage_lists_known_behaviours():
    result = crmconf("coverage")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("crmconf coverage: ")
    assert "get.idempotent: the same GET sent twice returns the same result" in result.stdout
    assert "Not covered:" in result.stdout
    report = json.loads(crmconf("coverage", "--json").stdout)
    assert "auth.token-format" in {behaviour["id"] for behaviour in report["behaviours"]}


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("check", "Lint the suite without running a scenario"),
        ("diff", "Compare two cassette folders"),
        ("coverage", "List each documented behaviour"),
    ],
)
def test_each_command_says_what_it_does(command, says):
    result = crmconf(command, "--help")
    assert result.returncode == 0
    assert says in " ".join(result.stdout.split())
