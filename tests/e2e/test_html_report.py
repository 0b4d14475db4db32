"""The HTML report, opened in a real headless browser: the matrix and a failure render."""

from __future__ import annotations

import os
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from crmconf.tenant import CREDENTIALS

BROWSERS = ("chromium", "chromium-browser", "google-chrome")


def browser() -> str:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    if os.environ.get("CRMCONF_REQUIRE_BROWSER"):
        pytest.fail("no Chromium on this machine, and CRMCONF_REQUIRE_BROWSER is set (.ci/run installs it)")
    pytest.skip("no Chromium on this machine: install Debian's chromium to run the browser test")


def rendered_dom(path) -> str:
    """The DOM after Chromium loaded the file, with the network switched off."""
    result = subprocess.run(
        [
            browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={path.parent / 'profile'}", "--dump-dom", path.as_uri(),
        ],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


class Cells(HTMLParser):
    """Collects text and classes under every element that has an id (nested ids included)."""

    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str | None] = []
        self.text: dict[str, list[str]] = {}
        self.classes: dict[str, list[str]] = {}

    def open_ids(self) -> list[str]:
        return [section for section in self.stack if section]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in self.VOID:
            self.stack.append(attributes.get("id"))
        for section in self.open_ids():
            if attributes.get("class"):
                self.classes.setdefault(section, []).append(attributes["class"])

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        for section in self.open_ids():
            if data.strip():
                self.text.setdefault(section, []).append(data.strip())


@pytest.fixture(scope="module")
def failing_report(tmp_path_factory, crmconf_run):
    path = tmp_path_factory.mktemp("report") / "report.html"
    run = crmconf_run(
        "--mode", "live", "--server", "embedded", "--report", str(path),
        env={"CRM_CONTACT_IDENTIFIER": "number=CI404404"},
    )
    assert run.code == 1, run
    return path


def test_the_matrix_renders_operations_by_behaviours_coloured_by_outcome(failing_report):
    dom = Cells()
    dom.feed(rendered_dom(failing_report))
    matrix = " ".join(dom.text["matrix"])
    assert "contact_information/show" in matrix and "contact_information_show" in matrix
    assert "failed" in dom.classes["matrix"] and "passed" in dom.classes["matrix"]


def test_a_failure_renders_its_rule_pointer_and_request(failing_report):
    dom = Cells()
    dom.feed(rendered_dom(failing_report))
    failures = " ".join(dom.text["failures"])
    assert "Rule broken" in failures and "request.succeeds" in failures
    assert "/status/code" in failures
    assert "curl" in failures and "contact_information_identifier" in failures
    assert "CI404404" in failures


def test_the_report_holds_no_secret_and_needs_no_network(failing_report):
    text = failing_report.read_text()
    for secret in (CREDENTIALS["password"], CREDENTIALS["username"], CREDENTIALS["organisation"]):
        assert secret not in text
    assert "http://" not in text.replace("http://127.0.0.1", "").replace("http://tenant.crmconf.invalid", "")
    assert "<script" not in text and "<link" not in text
