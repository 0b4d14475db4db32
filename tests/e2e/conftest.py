"""Runs ``crmconf run`` as a user would: a separate process, from the suite folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SUITE = Path(__file__).resolve().parents[2]


class CrmconfRun:
    def __init__(self, result: subprocess.CompletedProcess) -> None:
        self.code = result.returncode
        self.out = result.stdout
        self.err = result.stderr

    @property
    def text(self) -> str:
        return self.out + self.err

    def __repr__(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.out[-4000:]}\n--- stderr\n{self.err[-2000:]}"


@pytest.fixture(scope="session")
def crmconf_run():
    """``crmconf run ARGS`` in a fresh process with only the given CRM_* variables."""

    def run(*args: str, env: dict[str, str] | None = None, cwd: Path = SUITE) -> CrmconfRun:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("CRM_")}
        environment.update(env or {})
        result = subprocess.run(
            [sys.executable, "-m", "crmconf", "run", *args],
            capture_output=True, text=True, env=environment, cwd=cwd, timeout=600,
        )
        return CrmconfRun(result)

    return run
