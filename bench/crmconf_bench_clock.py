"""pytest plugin for the benchmarks: when the first test started and the last one ended.

Loaded with ``-p crmconf_bench_clock``; writes ``{"scenarios_seconds": ...}`` to the file named by
``CRMCONF_BENCH_CLOCK`` at the end of the session. Two clock readings per test, nothing else.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

CLOCK = "CRMCONF_BENCH_CLOCK"
_times: dict[str, float] = {}


def pytest_runtest_logstart(nodeid: str, location: Any) -> None:
    _times.setdefault("first_start", time.perf_counter())


def pytest_runtest_logfinish(nodeid: str, location: Any) -> None:
    _times["last_end"] = time.perf_counter()


def pytest_sessionfinish(session: pytest.Session) -> None:
    target = os.environ.get(CLOCK)
    if target and "first_start" in _times:
        Path(target).write_text(
            json.dumps({"scenarios_seconds": _times["last_end"] - _times["first_start"]}), encoding="utf-8"
        )
