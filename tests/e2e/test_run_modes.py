"""The three run modes end to end: ``crmconf run`` in its own process, real HTTP on loopback."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
import requests
import yaml
from pytest_bdd.scenario import make_python_name

from crmconf.client import API_PATH
from crmconf.lint import Suite
from crmconf.tenant import SEED, EmbeddedTenant, TenantOptions

SUITE = Path(__file__).resolve().parents[2]

SHIPPED = SUITE / "cassettes"
SENTINELS = {
    "CRM_USERNAME": "sentinel-user-7f3a",
    "CRM_PASSWORD": "sentinel-password-91c2",
    "CRM_ORGANISATION": "Sentinel Organisation 55e1",
    "CRM_UNIT": "sentinel-unit-0b9d",
}
JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.")


def failed_cassettes(output: str, cassettes: Path) -> set[Path]:
    """The cassettes under ``cassettes`` of the scenarios a run reports as FAILED."""
    failed = set(re.findall(r"^FAILED (features/\S+\.feature)::(\w+)(?:\[(.*?)\])?", output, re.M))
    return {
        path
        for path, (source, scenario, example) in Suite(SUITE).expected_cassettes(cassettes).items()
        if (source.shown, f"test_{make_python_name(scenario.name)}", example or "") in failed
    }


def scenario_count() -> int:
    """Tests the suite holds: one per scenario, one per Examples row of an outline."""
    return sum(1 for _ in Suite(SUITE).tests())


SENTINEL_OPTIONS = TenantOptions(
    credentials={
        "username": SENTINELS["CRM_USERNAME"],
        "password": SENTINELS["CRM_PASSWORD"],
        "organisation": SENTINELS["CRM_ORGANISATION"],
        "unit": SENTINELS["CRM_UNIT"],
    }
)


@pytest.fixture
def sentinel_tenant():
    """A reference tenant that accepts only the sentinel credentials."""
    with EmbeddedTenant(SENTINEL_OPTIONS) as tenant:
        yield tenant



def live_env(tenant: EmbeddedTenant) -> dict[str, str]:
    return {
        "CRM_SERVER": tenant.url,
        **SENTINELS,
        "CRM_CONTACT_IDENTIFIER": f"number={SEED.person_number}",
        "CRM_PROVISIONING_PROVIDER": f"alternative_code={SEED.provider_alternative_code}",
        "CRM_OTHER_CONTACT_IDENTIFIER": f"number={SEED.company_number}",
        "CRM_OTHER_PROVISIONING_PROVIDER": f"alternative_code={SEED.second_provider_alternative_code}",
        "CRM_ALLOW_WRITES": "1",
        "CRM_NON_PENDING_REQUESTS": ",".join(SEED.unlisted_request_numbers),
    }


def test_replay_of_the_shipped_cassettes_passes(crmconf_run):
    run = crmconf_run()
    assert run.code == 0, run
    assert f"{scenario_count()} passed" in run.out, run


def test_live_against_the_embedded_tenant_passes(crmconf_run):
    run = crmconf_run("--mode", "live", "--server", "embedded")
    assert run.code == 0, run
    assert f"{scenario_count()} passed" in run.out, run


def test_a_recording_holds_no_secret_and_replays_offline(crmconf_run, sentinel_tenant, tmp_path):
    cassettes = tmp_path / "cassettes"
    junit = tmp_path / "junit.xml"
    recorded = crmconf_run(
        "--mode", "record", "--cassettes", str(cassettes), "--junitxml", str(junit), env=live_env(sentinel_tenant)
    )
    assert recorded.code == 0, recorded
    assert junit.is_file()

    files = sorted(cassettes.rglob("*.yaml"))
    assert len(files) == scenario_count()
    address = sentinel_tenant.url.split("://", 1)[1]
    for path in files:
        text = path.read_text()
        for value in [*SENTINELS.values(), address]:
            assert value not in text, f"{value!r} leaked into {path}"
        assert not JWT.search(text), f"a token leaked into {path}"
        assert yaml.safe_load(text)["interactions"], path
    for value in SENTINELS.values():
        assert value not in recorded.text
        assert value not in junit.read_text()

    replayed = crmconf_run("--cassettes", str(cassettes), env={"CRM_SERVER": "http://127.0.0.1:9"})
    assert replayed.code == 0, replayed
    assert f"{scenario_count()} passed" in replayed.out, replayed


def test_record_rewrites_only_the_scenarios_that_passed(crmconf_run, sentinel_tenant, tmp_path):
    cassettes = tmp_path / "cassettes"
    shutil.copytree(SHIPPED, cassettes)
    before = {path: path.read_bytes() for path in cassettes.rglob("*.yaml")}
    for path in before:
        os.utime(path, (1_000_000_000, 1_000_000_000))
    env = {**live_env(sentinel_tenant), "CRM_CONTACT_IDENTIFIER": "number=CI999999"}  # no such contact

    junit = tmp_path / "junit.xml"
    run = crmconf_run("--mode", "record", "--cassettes", str(cassettes), "--junitxml", str(junit), env=env)

    assert run.code == 1, run
    for value in SENTINELS.values():
        assert value not in run.text, f"{value!r} reached the output of a failing run"
        assert value not in junit.read_text(), f"{value!r} reached the JUnit report"
    assert not JWT.search(run.text) and not JWT.search(junit.read_text())
    failed = failed_cassettes(run.out, cassettes)
    assert failed and failed < set(before), "expected some scenarios to fail and some to pass"
    for path in failed:
        assert path.read_bytes() == before[path], f"{path} was overwritten by a failing scenario"
        assert path.stat().st_mtime == 1_000_000_000
    for path in set(before) - failed:
        assert path.stat().st_mtime > 1_000_000_000, f"{path} passed but was not rewritten"
    assert not list(cassettes.rglob("*.tmp")), "a temporary file was left behind"


def test_a_missing_setting_stops_the_run_before_any_scenario(crmconf_run):
    run = crmconf_run("--mode", "live", env={"CRM_SERVER": "http://127.0.0.1:9"})
    assert run.code == 4, run
    assert "CRM_CONTACT_IDENTIFIER" in run.err
    assert "CRM_USERNAME" in run.err
    assert "Traceback" not in run.text
    assert "passed" not in run.out and "failed" not in run.out


def test_a_request_with_no_recording_names_the_cassette(crmconf_run, tmp_path):
    cassettes = tmp_path / "cassettes"
    shutil.copytree(SHIPPED, cassettes)
    target = next(cassettes.rglob("an-unknown-identifier*.yaml"))
    target.write_text(target.read_text().replace("CRMCONF-NO-SUCH-CONTACT", "SOMETHING-ELSE"))

    run = crmconf_run("--cassettes", str(cassettes))

    assert run.code == 1, run
    assert str(target) in run.out, run
    assert "SOMETHING-ELSE" in run.out  # the nearest recorded request is shown
    assert "1 failed" in run.out
    assert "Traceback" not in run.text


def test_a_live_run_reuses_its_connections_and_no_cookie_crosses_scenarios(crmconf_run, tmp_path):
    """One connection pool for the run: the tenant sees far fewer connections than scenarios.
    Each scenario has its own session: a cookie the tenant sets is never sent back by another."""
    connections: set[str] = set()
    cookies_sent: list[str] = []
    tenant_app = EmbeddedTenant(SENTINEL_OPTIONS).app

    def watching(environ, start_response):
        connections.add(environ.get("REMOTE_PORT", ""))
        cookies_sent.append(environ.get("HTTP_COOKIE", ""))

        def setting_a_cookie(status, headers, exc_info=None):
            return start_response(status, [*headers, ("Set-Cookie", "crmconf-probe=1; Path=/")], exc_info)

        return tenant_app(environ, setting_a_cookie)

    with EmbeddedTenant(app=watching) as tenant:
        run = crmconf_run("--mode", "live", "--", "-k", "show", env=live_env(tenant))
    assert run.code == 0, run
    scenarios = int(re.findall(r"^=* ?(\d+) passed", run.out, re.M)[-1])
    assert scenarios >= 5, run
    assert 0 < len(connections) < scenarios, f"{len(connections)} connections for {scenarios} scenarios"
    # Within a scenario the session sends the cookie back; the first request of each scenario
    # (its log-in) must not carry one set in an earlier scenario.
    assert cookies_sent.count("") >= scenarios, "a cookie set in one scenario reached another"


def test_a_token_run_still_sends_the_unit_when_scenarios_log_in_themselves(crmconf_run, sentinel_tenant):
    """With CRM_TOKEN set, the scenarios that log in themselves (@login) use the credentials, the
    unit included: the sentinel tenant refuses a log-in without its unit."""
    login = requests.post(
        sentinel_tenant.url + API_PATH + "authentication/token",
        json={
            "username": SENTINELS["CRM_USERNAME"],
            "password": SENTINELS["CRM_PASSWORD"],
            "organisation": SENTINELS["CRM_ORGANISATION"],
            "unit": SENTINELS["CRM_UNIT"],
        },
        timeout=10,
    )
    token = login.json()["data"]["token"]
    env = {**live_env(sentinel_tenant), "CRM_TOKEN": token}
    run = crmconf_run("--mode", "live", "--", "-k", "authentication", env=env)
    assert run.code == 0, run
    assert re.search(r"^=* ?\d+ passed", run.out, re.M) and "skipped" not in run.out.splitlines()[-1], run
