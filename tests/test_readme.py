"""The README's quick start is exactly two commands, and CI runs exactly those."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the Quick start section has no sh code block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_quick_start_is_two_command_lines():
    commands = quick_start_commands()
    assert len(commands) == 2
    assert "crmconf run" in commands[0] and commands[0].startswith("pip install")
    assert commands[1].startswith("pytest")


def test_ci_runs_the_quick_start_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in quick_start_commands():
        assert command in ci, f"{command!r} is not a line of .ci/run"
