"""Secrets never reach anything a run writes or prints, and a killed recording loses nothing.

The runs here write everything crmconf can write: cassettes, the HTML report, JUnit (with the
captured log of every scenario), Cucumber JSON, a log file, and their live log on the terminal,
all at debug level, where urllib3 and vcrpy log every URL (the token rides in the query of each
GET) and vcrpy every response it records (a login's holds a token). One helper scans all of it.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit

import pytest
from plugin_support import write_plugin
from test_run_modes import JWT, SENTINELS, live_env, sentinel_tenant  # noqa: F401 (a fixture)

from crmconf.lint import Suite, lint
from crmconf.recording import CASSETTE_SUFFIX, ReadableYamlSerializer, ReplayPersister, unfinished_writes
from crmconf.suite import copy_suite
from crmconf.tenant import EmbeddedTenant, TenantOptions

SUITE = Path(__file__).resolve().parents[2]
SENTINEL_CREDENTIALS = {name.removeprefix("CRM_").lower(): value for name, value in SENTINELS.items()}
# Breaks the schema of every contact shown, so scenarios fail after logging in, with the token in
# the query of the request their failure reproduces and a response body to show.
FAULT = "organizational-unit-as-string"


# -- secrets: one scan of everything a run leaves behind -------------------------------------------


def issued_tokens(tenant: EmbeddedTenant, monkeypatch) -> list[str]:
    """Every token ``tenant`` issues from now on, in order: the list fills as the run logs in."""
    issued: list[str] = []
    book = tenant.app.state.tokens
    issue = book.issue

    def recorded(subject: str) -> str:
        issued.append(issue(subject))
        return issued[-1]

    monkeypatch.setattr(book, "issue", recorded)
    return issued


def run_writing_everything(crmconf_run, output: Path, *args: str, env: dict[str, str]) -> Any:
    """``crmconf run ARGS`` writing every report into ``output``, and its log at debug level to the
    terminal, to ``output/run.log`` and into the JUnit report."""
    return crmconf_run(
        *args,
        "--report", str(output / "report.html"),
        "--junitxml", str(output / "junit.xml"),
        "--cucumberjson", str(output / "cucumber.json"),
        "--",
        "-o", "log_cli=true", "-o", "log_cli_level=DEBUG",
        "--log-file", str(output / "run.log"), "--log-file-level=DEBUG",
        "-o", "junit_logging=all",
        env=env,
    )


def assert_no_secret(output: Path, run: Any, tokens: Sequence[str]) -> list[Path]:
    """No file under ``output`` and neither stdout nor stderr of ``run`` holds a sentinel credential
    (as written or URL-encoded), JWT-shaped text, or any token the tenant issued (a JWT or a
    32-character hex string); returns the files it read, so that a caller can see they were there."""
    secrets = {
        shown: name for name, value in SENTINELS.items() for shown in (value, quote(value), quote_plus(value))
    }
    secrets.update({token: "a token the tenant issued" for token in tokens})
    files = sorted(path for path in output.rglob("*") if path.is_file())
    texts = {"stdout": run.out, "stderr": run.err}
    for path in files:
        texts[path.relative_to(output).as_posix()] = path.read_bytes().decode("utf-8", "replace")
    leaks = []
    for where, text in texts.items():
        for value, what in secrets.items():
            at = text.find(value)
            if at >= 0:
                leaks.append(f"{where}: {what}: ...{text[max(at - 100, 0) : at + len(value) + 20]!r}")
        shaped = JWT.search(text)
        if shaped:
            leaks.append(f"{where}: a JWT: ...{text[max(shaped.start() - 100, 0) : shaped.end()]!r}")
    assert not leaks, "secrets were written or printed:\n" + "\n".join(leaks)
    return files


def assert_logged_at_debug(output: Path, run: Any) -> None:
    """The log went to the terminal, the log file and JUnit, with the URLs that carry a token."""
    log = (output / "run.log").read_text()
    assert "urllib3.connectionpool" in run.out and "urllib3.connectionpool" in log, run
    assert re.search(r"[?&]token=<TOKEN", log), "no request with a token was logged: the scan proves little"
    assert "urllib3.connectionpool" in (output / "junit.xml").read_text()


def test_a_recording_writes_and_prints_no_secret(
    crmconf_run, sentinel_tenant, monkeypatch, tmp_path  # noqa: F811 (the fixture imported above)
):
    """A record run that logs in with the sentinel credentials (username, password, organisation,
    unit) and writes cassettes, every report and a debug log leaves no secret anywhere."""
    tokens = issued_tokens(sentinel_tenant, monkeypatch)
    run = run_writing_everything(
        crmconf_run, tmp_path, "--mode", "record", "--cassettes", str(tmp_path / "cassettes"),
        env=live_env(sentinel_tenant),
    )

    assert run.code == 0, run  # the tenant takes only the sentinel credentials: they were sent
    assert tokens, "the tenant issued no token"
    scanned = assert_no_secret(tmp_path, run, tokens)
    written = {path.relative_to(tmp_path).as_posix() for path in scanned}
    assert {"report.html", "junit.xml", "cucumber.json", "run.log"} <= written
    assert any(name.startswith("cassettes/") and name.endswith(CASSETTE_SUFFIX) for name in written)
    assert_logged_at_debug(tmp_path, run)


@pytest.mark.parametrize("with_token", [False, True], ids=["logging-in", "with-CRM_TOKEN"])
def test_failures_and_their_reproductions_print_no_secret(crmconf_run, monkeypatch, tmp_path, with_token):
    """A live run against a faulty tenant prints failures, each with the rule, the response and a
    ``curl`` line, into the terminal and every report; none holds a secret.

    The tenant issues 32-character hex tokens while claiming a release whose tokens are JWTs, so
    that the scan looks for hex tokens too, and the fault fails the scenarios that show a contact,
    after logging in. The run logs in with the four sentinel credentials, and then the login
    scenario fails showing the login's answer, token included; or it sends CRM_TOKEN, a token the
    tenant issued before the run: the one secret setting left (the harness has no API key setting)."""
    options = TenantOptions(credentials=SENTINEL_CREDENTIALS, token_format="hex", fault=FAULT)
    with EmbeddedTenant(options) as tenant:
        tokens = issued_tokens(tenant, monkeypatch)
        env = live_env(tenant)
        if with_token:
            env["CRM_TOKEN"] = tenant.app.state.tokens.issue(SENTINELS["CRM_USERNAME"])
        run = run_writing_everything(crmconf_run, tmp_path, "--mode", "live", env=env)

    assert run.code == 1, run
    failed = re.findall(r"^FAILED features/\S+", run.out, re.MULTILINE)
    assert failed, run
    reproductions = re.findall(r"^Request: curl .*$", run.out, re.MULTILINE)
    assert reproductions and "Rule broken: " in run.out, run
    assert any(re.search(r"[?&]token=<TOKEN", line) for line in reproductions), "no request shown had a token"
    assert tokens and all(re.fullmatch(r"[0-9a-f]{32}", token) for token in tokens)
    assert_no_secret(tmp_path, run, tokens)
    assert_logged_at_debug(tmp_path, run)

    report = (tmp_path / "report.html").read_text()
    assert f"<h2>Failures ({len(failed)})</h2>" in report
    bodies = re.findall(r'<pre class="response">(.*?)</pre>', report, re.DOTALL)
    assert bodies and all(body.startswith("HTTP ") for body in bodies), "the report shows no failing response"
    assert any("&quot;status&quot;" in body for body in bodies), "no failing response body in the report"
    if not with_token:
        assert any("&quot;token&quot;: &quot;&lt;TOKEN:HEX32&gt;&quot;" in body for body in bodies), (
            "the report shows no login answer: the scan of a token in a failing response proves nothing"
        )
    assert re.search(r'<pre class="request">curl ', report)
    junit = (tmp_path / "junit.xml").read_text()
    assert junit.count("<failure ") == len(failed) and "Request: curl " in junit
    cucumber = json.loads((tmp_path / "cucumber.json").read_text())
    errors = [
        step["result"].get("error_message", "")
        for feature in cucumber for element in feature["elements"] for step in element["steps"]
        if step["result"]["status"] == "failed"
    ]
    assert any("Rule broken: " in error for error in errors), "the Cucumber report holds no failure message"


# -- a killed recording ---------------------------------------------------------------------------

OLD = 1_000_000_000
"""The modification time the copied cassettes get, so that a rewritten one shows."""

# Loaded into the recording the test kills (``-p``). ``write_atomically`` writes a cassette to a
# temporary file, syncs it to disk and moves it into place: from the second cassette on, the sync
# takes a second, so the run spends most of its time inside a write, between the two steps.
SLOW_WRITES = '''
import os
import time

sync = os.fsync
synced = []


def slow_sync(descriptor):
    sync(descriptor)
    synced.append(descriptor)
    if len(synced) > 1:
        time.sleep(1)


os.fsync = slow_sync
'''


def suite_copy(root: Path) -> Path:
    """The suite with a copy of the shipped cassettes, all dated ``OLD``."""
    copy_suite(SUITE, root)
    for path in (root / "cassettes").rglob("*" + CASSETTE_SUFFIX):
        os.utime(path, (OLD, OLD))
    return root / "cassettes"


def recorded_requests(path: Path) -> list[tuple[str, str]]:
    """The (method, operation path) of each interaction, read by the loader a replay uses."""
    requests, responses, *_metadata = ReplayPersister.load_cassette(str(path), ReadableYamlSerializer)
    assert len(requests) == len(responses) > 0, f"{path} holds no interaction"
    return [(request.method, urlsplit(request.uri).path) for request in requests]


def rewritten(cassettes: Path) -> list[Path]:
    return [path for path in cassettes.rglob("*" + CASSETTE_SUFFIX) if path.stat().st_mtime != OLD]


def test_a_killed_recording_leaves_every_cassette_whole(crmconf_run, tmp_path):
    """``crmconf run --mode record`` killed with SIGKILL in the middle of writing a cassette leaves
    each cassette either as it was or as a complete new recording, and the folder still replays;
    the temporary file of the interrupted write is not taken for a cassette.

    Timing: the recording runs against the embedded tenant with a small plugin that makes every
    cassette write after the first wait a second between writing the temporary file and moving it
    into place. The test kills the run's process group once a cassette has been rewritten and a
    temporary file is there, so the kill lands inside a write whatever the machine's load: the
    run cannot finish first (each later write takes a second) and the temporary file stays for a
    second, ample for a poll every 10 ms."""
    cassettes = suite_copy(tmp_path / "suite")
    before = {path: path.read_bytes() for path in cassettes.rglob("*" + CASSETTE_SUFFIX)}
    requests_before = {path: recorded_requests(path) for path in before}
    problems_before = {str(problem) for problem in lint(tmp_path / "suite", ["cassettes", "secrets"])}
    env = write_plugin(tmp_path / "plugins", "crmconf_slow_writes", SLOW_WRITES)
    command = [
        sys.executable, "-m", "crmconf", "run", "--mode", "record", "--server", "embedded",
        "--cassettes", str(cassettes), "--", "-p", "crmconf_slow_writes",
    ]
    with open(tmp_path / "record.out", "w") as output:
        recording = subprocess.Popen(
            command, cwd=SUITE, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 120
            while recording.poll() is None and time.monotonic() < deadline:
                if rewritten(cassettes) and unfinished_writes(cassettes):
                    break
                time.sleep(0.01)
            still_running = recording.poll() is None
        finally:
            if recording.poll() is None:
                os.killpg(recording.pid, signal.SIGKILL)
            recording.wait(timeout=60)
    log = (tmp_path / "record.out").read_text()
    assert still_running, (
        f"the recording ended (exit {recording.returncode}) before a write was seen under way, a "
        f"temporary file beside a rewritten cassette:\n{log[-3000:]}"
    )
    assert recording.returncode == -signal.SIGKILL

    after = sorted(cassettes.rglob("*" + CASSETTE_SUFFIX))
    assert set(after) == set(before), "the killed run added or removed cassettes"
    new = rewritten(cassettes)
    assert 0 < len(new) < len(before), f"{len(new)} of {len(before)} cassettes rewritten: not killed mid-run"
    for path in after:
        if path in new:  # a whole new recording of the same scenario against the same tenant
            assert recorded_requests(path) == requests_before[path], f"{path} is cut short"
        else:
            assert path.read_bytes() == before[path], f"{path} changed but kept its old date"

    leftovers = unfinished_writes(cassettes)
    assert leftovers, "the kill left no temporary file: it did not land inside a write"
    for leftover in leftovers:
        cassette = leftover.parent / leftover.name[1:].rsplit(".", 2)[0]
        assert cassette.read_bytes() == before[cassette], f"{cassette} changed by a write that never finished"
    taken = set(leftovers) & set(Suite(tmp_path / "suite").cassette_files)
    assert not taken, f"lint takes a temporary file for a cassette: {taken}"
    problems_after = {str(problem) for problem in lint(tmp_path / "suite", ["cassettes", "secrets"])}
    new_problems = problems_after - problems_before
    for leftover in leftovers:  # crmconf check names each leftover, and nothing else is new
        assert any(leftover.name in problem and "never finished" in problem for problem in new_problems), new_problems
    assert len(new_problems) == len(leftovers), new_problems

    replayed = crmconf_run("--cassettes", str(cassettes), env={"CRM_SERVER": "http://127.0.0.1:9"})
    assert replayed.code == 0, replayed
    summary = replayed.out.strip().splitlines()[-1]
    assert " passed" in summary and " failed" not in summary and " error" not in summary, replayed
