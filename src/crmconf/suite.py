"""The suite as files: the parts that make a folder a crmconf suite, and copying them elsewhere.

A copy is how the harness's own tests and the benchmarks get a suite they may change (plant a
problem in, fill with generated scenarios) without touching the shipped one.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

FEATURES = "features"
SCHEMAS = "schemas"
CASSETTES = "cassettes"
STEPS = "steps"
PYTEST_INI = "pytest.ini"
CONFTEST = "conftest.py"
PARTS = (CONFTEST, PYTEST_INI, STEPS, SCHEMAS, FEATURES, CASSETTES)
"""Everything a suite run or ``crmconf check`` reads, relative to the suite folder."""


def copy_suite(source: Path, target: Path, parts: Iterable[str] = PARTS) -> Path:
    """Copy ``parts`` (all of them by default) of the suite at ``source`` into ``target``; returns
    ``target``. Bytecode caches stay behind, so the copy's step modules are imported from its own
    sources."""
    source, target = Path(source), Path(target)
    target.mkdir(parents=True, exist_ok=True)
    for part in parts:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source / part, target / part)
    return target
