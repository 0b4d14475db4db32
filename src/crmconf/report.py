"""The conformance verdict as data, a console table and one self-contained HTML file.

The plugin fills a ``RunReport`` as scenarios run; everything in it is already scrubbed. The
HTML needs no network to view: styles are inline and there is no script.
"""

from __future__ import annotations

import datetime
import html
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

OUTCOMES = ("passed", "failed", "skipped")


@dataclass
class StepResult:
    keyword: str
    text: str
    outcome: str  # passed, failed


@dataclass
class FailureDetail:
    rule: str
    message: str
    mismatches: list[tuple[str, str, str, str]] = field(default_factory=list)
    """(JSON pointer, expected, received, schema path)"""
    request: str = ""
    response: str = ""


@dataclass
class ScenarioResult:
    feature: str
    feature_file: str
    name: str
    test_id: str
    outcome: str = "passed"
    reason: str = ""
    duration: float = 0.0
    operation: str = ""
    steps: list[StepResult] = field(default_factory=list)
    failure: FailureDetail | None = None


def scenario_from_dict(data: dict) -> ScenarioResult:
    """Rebuild a result sent by a pytest-xdist worker as plain data."""
    failure = data.get("failure")
    return ScenarioResult(
        **{**data, "steps": [StepResult(**step) for step in data.get("steps", [])],
           "failure": FailureDetail(**{**failure, "mismatches": [tuple(m) for m in failure["mismatches"]]})
           if failure else None}
    )


@dataclass
class RunReport:
    mode: str
    server: str
    release: str
    started: datetime.datetime = field(default_factory=lambda: datetime.datetime.now(datetime.timezone.utc))
    duration: float = 0.0
    scenarios: list[ScenarioResult] = field(default_factory=list)
    open_points: list[str] = field(default_factory=list)
    created: list[str] = field(default_factory=list)

    def totals(self) -> Counter:
        return Counter(scenario.outcome for scenario in self.scenarios)

    def matrix(self) -> tuple[list[str], list[str], dict[tuple[str, str], Counter]]:
        """Operations (rows) by behaviour areas, named by feature file (columns), counting outcomes."""
        cells: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for scenario in self.scenarios:
            cells[(scenario.operation or "(no request)", Path(scenario.feature_file).stem)][scenario.outcome] += 1
        rows = sorted({row for row, _ in cells})
        columns = sorted({column for _, column in cells})
        return rows, columns, cells


def cell_text(counts: Counter) -> str:
    return " ".join(f"{counts[o]} {o}" for o in OUTCOMES if counts[o]) or "-"


def cell_outcome(counts: Counter) -> str:
    return "failed" if counts["failed"] else "passed" if counts["passed"] else "skipped" if counts else "none"


def console_table(report: RunReport) -> list[str]:
    """The matrix as fixed-width text lines."""
    rows, columns, cells = report.matrix()
    if not rows:
        return []
    texts = {(r, c): cell_text(cells.get((r, c), Counter())) for r in rows for c in columns}
    first = max(len("operation"), *(len(r) for r in rows))
    widths = [max(len(c), *(len(texts[(r, c)]) for r in rows)) for c in columns]
    line = lambda cells_: "  ".join(text.ljust(width) for text, width in zip(cells_, [first, *widths]))  # noqa: E731
    return [line(["operation", *columns]), line(["-" * first, *("-" * w for w in widths)])] + [
        line([r, *(texts[(r, c)] for c in columns)]) for r in rows
    ]


# -- HTML -----------------------------------------------------------------------------------------

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1d1d1f}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.6em 0}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#f4f4f6}.passed{background:#d9f5dc}.failed{background:#fbd5d5}.skipped{background:#fff2c6}.none{background:#fafafa}
.badge{display:inline-block;padding:0 .5em;border-radius:.6em;font-weight:600}
pre{background:#f6f8fa;padding:.6em;overflow-x:auto;white-space:pre-wrap;word-break:break-all}
details{margin:.3em 0}summary{cursor:pointer}.step-failed{color:#b00020;font-weight:600}.step-notrun{color:#888}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_html(report: RunReport) -> str:
    totals = report.totals()
    rows, columns, cells = report.matrix()
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>crmconf conformance report</title>',
        f"<style>{STYLE}</style></head><body>",
        "<h1>CRM.COM REST API v2 conformance</h1>",
        '<table id="tenant">',
        f"<tr><th>server</th><td>{_e(report.server)}</td></tr>",
        f"<tr><th>release</th><td>{_e(report.release)}</td></tr>",
        f"<tr><th>mode</th><td>{_e(report.mode)}</td></tr>",
        f"<tr><th>date</th><td>{_e(report.started.strftime('%Y-%m-%d %H:%M:%S UTC'))}</td></tr>",
        f"<tr><th>duration</th><td>{report.duration:.2f} s</td></tr>",
        "<tr><th>scenarios</th><td>"
        + " ".join(f'<span class="badge {o}">{totals[o]} {o}</span>' for o in OUTCOMES)
        + "</td></tr></table>",
        "<h2>Operations and behaviours</h2>",
        '<table id="matrix"><tr><th>operation</th>' + "".join(f"<th>{_e(c)}</th>" for c in columns) + "</tr>",
    ]
    for row in rows:
        parts.append(f"<tr><th>{_e(row)}</th>")
        for column in columns:
            counts = cells.get((row, column), Counter())
            parts.append(f'<td class="{cell_outcome(counts)}">{_e(cell_text(counts))}</td>')
        parts.append("</tr>")
    parts.append("</table>")
    if report.open_points:
        parts.append('<h2>Where the documentation is open, this tenant</h2><ul id="open-points">')
        parts += [f"<li>{_e(point)}</li>" for point in report.open_points]
        parts.append("</ul>")
    failures = [s for s in report.scenarios if s.failure]
    parts.append(f'<h2>Failures ({len(failures)})</h2><div id="failures">')
    for scenario in failures:
        parts.append(_failure_html(scenario))
    parts.append("</div><h2>Scenarios</h2><div id=\"scenarios\">")
    for scenario in report.scenarios:
        parts.append(_scenario_html(scenario))
    parts.append("</div>")
    if report.created:
        parts.append('<h2>Records this run created</h2><ul id="created">')
        parts += [f"<li>{_e(line)}</li>" for line in report.created]
        parts.append("</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def _failure_html(scenario: ScenarioResult) -> str:
    failure = scenario.failure
    assert failure is not None
    parts = [
        f'<div class="failure" id="failure-{_e(scenario.test_id)}">',
        f"<h3>{_e(scenario.feature)}: {_e(scenario.name)}</h3>",
        f'<p>Rule broken: <strong class="rule">{_e(failure.rule)}</strong></p>',
    ]
    if failure.mismatches:
        parts.append('<table class="mismatches"><tr><th>where (JSON pointer)</th><th>expected</th>'
                     "<th>received</th><th>schema path</th></tr>")
        for pointer, expected, received, schema_path in failure.mismatches:
            parts.append(
                f"<tr><td><code>{_e(pointer or '(whole body)')}</code></td><td>{_e(expected)}</td>"
                f"<td>{_e(received)}</td><td><code>{_e(schema_path)}</code></td></tr>"
            )
        parts.append("</table>")
    if failure.request:
        parts.append(f'<p>Request</p><pre class="request">{_e(failure.request)}</pre>')
    if failure.response:
        parts.append(f'<p>Response</p><pre class="response">{_e(failure.response)}</pre>')
    parts.append(f"<details><summary>full message</summary><pre>{_e(failure.message)}</pre></details></div>")
    return "\n".join(parts)


def _scenario_html(scenario: ScenarioResult) -> str:
    reason = f" — {_e(scenario.reason)}" if scenario.reason else ""
    parts = [
        f'<details class="scenario {scenario.outcome}"><summary><span class="badge {scenario.outcome}">'
        f"{scenario.outcome}</span> {_e(scenario.feature)}: {_e(scenario.name)}{reason} "
        f"({scenario.duration * 1000:.0f} ms)</summary><ol>",
    ]
    for step in scenario.steps:
        parts.append(f'<li class="step-{step.outcome}">{_e(step.keyword)} {_e(step.text)}</li>')
    parts.append("</ol></details>")
    return "".join(parts)


def write_html(report: RunReport, path: Path) -> None:
    from crmconf.recording import write_atomically

    write_atomically(Path(path), render_html(report))
