"""The shipped suite replayed with every step's definitions searched both ways: pytest-bdd's own
search and crmconf's indexed one (``crmconf.step_lookup``) must agree on each step."""

from __future__ import annotations

import re
from pathlib import Path

from plugin_support import plugin_env

COMPARING_PLUGIN = Path(__file__).resolve().parents[1] / "compare_step_lookup.py"


def test_every_step_of_the_shipped_suite_finds_what_pytest_bdd_finds(crmconf_run):
    run = crmconf_run("--", "-p", COMPARING_PLUGIN.stem, "-q", env=plugin_env(COMPARING_PLUGIN.parent))
    assert run.code == 0, run
    assert re.search(r"^\d+ passed in ", run.out, re.M), run  # nothing failed, skipped or errored
