"""The benchmarks still work: ``python bench/run.py --quick`` writes a report with every section.

Quick mode runs every benchmark at tiny sizes, once or twice; its timings mean nothing, and this
test never looks at them, only that each section is there and holds numbers.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SECTIONS = (
    "## Machine",
    "## Summary",
    "## Schema validation throughput",
    "## Replay cost",
    "## Parallel replay and recording",
    "## Live cost",
    "## Where the time goes",
    "## Commands",
)
SUMMARY_ROWS = (
    "validation, contact",
    "validation, 50-item page",
    "replay / stubbed",
    "replay cost linear in scenarios",
    "`-n 2` speed-up",
    "recording under `-n 2`",
    "live / plain loop: scenarios against the request loop",
    "live: lowest scenario ratio pytest-bdd leaves",
    "live / plain loop: whole commands, start-up included",
)
NUMBER = re.compile(r"\d[\d,]*(\.\d+)?")


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> str:
    pytest.importorskip("xdist", reason="the benchmarks compare -n 2 with serial runs")
    output = tmp_path_factory.mktemp("bench") / "RESULTS.md"
    environment = {name: value for name, value in os.environ.items() if not name.startswith("CRM_")}
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--output", str(output)],
        check=False,
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"bench/run.py --quick exited {done.returncode}:\n{done.stderr[-4000:]}"
    return output.read_text(encoding="utf-8")


def section(report: str, title: str) -> str:
    start = report.index(title)
    end = report.find("\n## ", start + len(title))
    return report[start:] if end < 0 else report[start:end]


def test_the_report_says_it_is_quick_mode_and_names_the_machine(report):
    assert "quick mode" in report
    assert re.search(r"\d+ cores", section(report, "## Machine"))
    for package in ("Python", "pytest", "pytest-bdd", "vcrpy", "jsonschema", "jsonschema-rs"):
        assert f"{package} " in section(report, "## Machine")


@pytest.mark.parametrize("title", SECTIONS)
def test_every_section_is_there_with_numbers(report, title):
    assert NUMBER.search(section(report, title).removeprefix(title)), f"{title} holds no number"


@pytest.mark.parametrize("measure", SUMMARY_ROWS)
def test_the_summary_has_a_row_with_a_result_and_a_verdict(report, measure):
    rows = [line for line in section(report, "## Summary").splitlines() if line.startswith(f"| {measure}")]
    assert rows, f"no summary row for {measure}"
    cells = [cell.strip() for cell in rows[0].strip("|").split("|")]
    assert NUMBER.search(cells[1]) or cells[1] in ("safe", "NOT safe"), rows[0]
    assert cells[3] in ("holds", "**does not hold**", "(information)"), rows[0]


def test_the_commands_are_shown(report):
    commands = section(report, "## Commands")
    assert "python bench/run.py --quick" in commands
    assert "crmconf run --mode live --server embedded" in commands
    assert "-p crmconf_bench_stub" in commands and "-n 2" in commands
    assert "python -m pytest" in commands  # the start-up every pytest suite pays, for comparison
    assert "$FLOOR_SUITE" in commands  # the suite's shape with steps that do nothing


def test_recording_under_xdist_wrote_each_cassette_once(report):
    assert "(0 written twice)" in section(report, "## Parallel replay and recording")
