"""A process that runs the suite ends without the interpreter's final garbage collections: the
``crmconf`` command and each pytest-xdist worker freeze what is left at exit
(``crmconf.process``), after every other exit callback and after pytest's last collection."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from plugin_support import write_plugin

SUITE = Path(__file__).resolve().parents[2]

AT_EXIT = """
import atexit, gc, json, os

def _frozen_at_exit():
    # registered before crmconf's, so it runs after it (exit callbacks run last-in, first-out)
    name = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(os.path.join(os.environ["CRMCONF_TEST_PROBE"], name + ".json"), "w") as file:
        json.dump({"frozen": gc.get_freeze_count()}, file)

atexit.register(_frozen_at_exit)
"""


def probed(tmp_path: Path) -> dict[str, str]:
    (tmp_path / "seen").mkdir()
    return write_plugin(tmp_path, "crmconf_at_exit", AT_EXIT, CRMCONF_TEST_PROBE=str(tmp_path / "seen"))


def frozen(tmp_path: Path) -> dict[str, int]:
    return {p.stem: json.loads(p.read_text())["frozen"] for p in (tmp_path / "seen").glob("*.json")}


def test_the_exit_callback_freezes_every_object_left(tmp_path):
    code = "import crmconf_at_exit\nfrom crmconf.process import exit_without_collecting\nexit_without_collecting()\n"
    done = subprocess.run([sys.executable, "-c", code], env=probed(tmp_path), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert frozen(tmp_path)["main"] > 1000  # every module, function and class still alive


def test_without_it_nothing_is_frozen(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", "import crmconf_at_exit"], env=probed(tmp_path), capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert frozen(tmp_path) == {"main": 0}


def test_the_command_and_its_workers_end_frozen(tmp_path):
    command = [sys.executable, "-c", "import crmconf_at_exit, runpy; runpy.run_module('crmconf', run_name='__main__')"]
    done = subprocess.run(
        [*command, "run", "--", "-n", "2", "-p", "crmconf_at_exit", "-k", "show_returns_the_contact"],
        env=probed(tmp_path), capture_output=True, text=True, cwd=SUITE, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    seen = frozen(tmp_path)
    assert set(seen) == {"main", "gw0", "gw1"}, seen
    assert all(count > 1000 for count in seen.values()), seen
