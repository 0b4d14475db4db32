"""The console progress counts failures as a run goes: ``[12/63, 2 failed]``.

First on a few plain tests run by pytester (``crmconf.progress`` alone: the styles, pytest-xdist, a
run without a terminal reporter), then as a user sees it: ``crmconf run --mode live`` against a
reference tenant with a fault.
"""

from __future__ import annotations

import re

import pytest

from crmconf.progress import failures_so_far
from crmconf.selftest import suite_settings
from crmconf.tenant import EmbeddedTenant, TenantOptions
from crmconf.tenant.faults import FAULTS

pytest_plugins = ["pytester"]

REGISTER_PROGRESS = """
from crmconf.progress import FailureProgress

def pytest_configure(config):
    config.pluginmanager.register(FailureProgress(config), "crmconf-progress")
"""
PASSING = """
def test_one(): pass
def test_two(): pass
def test_three(): pass
"""
FAILING = """
import pytest

@pytest.fixture
def broken():
    raise RuntimeError("the fixture breaks")

def test_four(): pass
def test_five(): assert False
def test_six(broken): pass
def test_seven(): assert False
def test_eight(): pass
"""
# One line of results, as pytest writes it without -v: the file (absent on a continued line or
# under pytest-xdist), the outcome letters, then the progress.
RESULT_LINE = re.compile(
    r"^(?:\S+ )?(?P<letters>[.FEsxX]+)\s+"
    r"\[\s*(?P<done>\d+)(?:/(?P<total>\d+)|%), (?P<failed>\d+) failed(?:, (?P<errors>\d+) errors?)?\]$"
)


def ending(start: str, progress: str) -> str:
    """A line starting with ``start`` and ending with the progress ``progress``, as a regex."""
    return rf"^{re.escape(start)} +{re.escape(progress)}$"


def progress_lines(output: str) -> list[re.Match]:
    return [match for line in output.splitlines() if (match := RESULT_LINE.match(line.rstrip()))]


@pytest.fixture
def two_test_files(pytester):
    pytester.makeconftest(REGISTER_PROGRESS)
    pytester.makepyfile(test_first=PASSING, test_second=FAILING)
    return pytester


# -- crmconf.progress on its own -----------------------------------------------------------------


def test_failures_so_far_names_errors_only_when_there_are_some():
    assert failures_so_far({}) == "0 failed"
    assert failures_so_far({"failed": [object(), object()], "passed": [object()]}) == "2 failed"
    assert failures_so_far({"failed": [object()], "error": [object()]}) == "1 failed, 1 error"
    assert failures_so_far({"error": [object(), object()]}) == "0 failed, 2 errors"


def test_count_style_shows_failures_and_errors_so_far(two_test_files):
    result = two_test_files.runpytest("-o", "console_output_style=count")
    result.assert_outcomes(passed=5, failed=2, errors=1)
    result.stdout.re_match_lines([
        ending("test_first.py ...", "[3/8, 0 failed]"),
        ending("test_second.py .FEF.", "[8/8, 2 failed, 1 error]"),
    ])


def test_quiet_runs_show_the_count_after_the_letters(two_test_files):
    result = two_test_files.runpytest("-q", "-o", "console_output_style=count")
    result.stdout.re_match_lines([ending("....FEF.", "[8/8, 2 failed, 1 error]")])


def test_progress_style_shows_failures_after_the_percentage(two_test_files):
    result = two_test_files.runpytest("-o", "console_output_style=progress")
    result.stdout.re_match_lines([
        ending("test_first.py ...", "[ 37%, 0 failed]"),
        ending("test_second.py .FEF.", "[100%, 2 failed, 1 error]"),
    ])


def test_verbose_lines_carry_the_count_too(two_test_files):
    result = two_test_files.runpytest("-v", "-o", "console_output_style=count")
    result.stdout.re_match_lines([
        ending("test_second.py::test_five FAILED", "[5/8, 1 failed]"),
        ending("test_second.py::test_six ERROR", "[6/8, 1 failed, 1 error]"),
    ])


def test_under_xdist_the_controller_counts_every_workers_failures(two_test_files):
    result = two_test_files.runpytest_subprocess("-n", "2", "-o", "console_output_style=count")
    result.assert_outcomes(passed=5, failed=2, errors=1)
    lines = progress_lines(result.stdout.str())
    assert lines, result.stdout.str()
    final = lines[-1]
    assert (final["done"], final["total"], final["failed"], final["errors"]) == ("8", "8", "2", "1")
    assert sum(line["letters"].count("F") for line in lines) == 2


@pytest.mark.parametrize("style", ["times", "classic"])
def test_other_styles_are_left_alone(two_test_files, style):
    result = two_test_files.runpytest("-o", f"console_output_style={style}")
    result.assert_outcomes(passed=5, failed=2, errors=1)
    assert " failed]" not in result.stdout.str()


def test_a_run_without_a_terminal_reporter_still_runs(two_test_files):
    result = two_test_files.runpytest("-p", "no:terminal", "-o", "console_output_style=count")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "INTERNALERROR" not in result.stdout.str() + result.stderr.str()


def test_another_plugins_reporter_is_left_alone(two_test_files):
    # pytest-bdd's Gherkin reporter replaces pytest's with a subclass of its own.
    result = two_test_files.runpytest("--gherkin-terminal-reporter", "-o", "console_output_style=count")
    result.assert_outcomes(passed=5, failed=2, errors=1)
    assert " failed]" not in result.stdout.str()


# -- crmconf run, live against a faulty tenant ---------------------------------------------------

FAULT = "fields-set-drops-one"
"""Passes every scenario before features/fields_set.feature, fails several there and one after."""


@pytest.fixture(scope="module")
def faulty_tenant():
    assert FAULT in FAULTS
    with EmbeddedTenant(TenantOptions(fault=FAULT)) as tenant:
        yield tenant


def test_a_live_run_counts_failures_as_they_come(crmconf_run, faulty_tenant):
    run = crmconf_run("--mode", "live", "--server", faulty_tenant.url, env=suite_settings(faulty_tenant.url))
    assert run.code == 1, run
    lines = progress_lines(run.out)
    assert lines, run
    failed_lines = re.findall(r"^FAILED ", run.out, re.MULTILINE)
    summary = re.search(r"(\d+) failed, (\d+) passed", run.out)
    assert summary and int(summary[1]) == len(failed_lines) > 0, run

    seen = 0
    for line in lines:
        seen += line["letters"].count("F")
        assert int(line["failed"]) == seen, f"{line[0]!r} after {seen} F\n{run!r}"
    assert int(lines[0]["failed"]) == 0, "the first line of results already counts a failure"
    assert int(lines[-1]["failed"]) == len(failed_lines)
    assert lines[-1]["done"] == lines[-1]["total"] == str(int(summary[1]) + int(summary[2]))
