"""The report model: the matrix, the console table and the HTML (escaped, self-contained)."""

from crmconf.report import FailureDetail, RunReport, ScenarioResult, StepResult, console_table, render_html


def scenario(feature_file, operation, outcome, name="s", failure=None):
    return ScenarioResult(
        feature="F", feature_file=feature_file, name=name, test_id=f"{feature_file}::{name}",
        outcome=outcome, operation=operation, steps=[StepResult("When", "I GET x", "passed")], failure=failure,
    )


def report(*scenarios):
    run = RunReport(mode="live", server="https://tenant.example.com", release="R16.1.0")
    run.scenarios.extend(scenarios)
    return run


def test_matrix_counts_outcomes_by_operation_and_feature():
    run = report(
        scenario("features/show.feature", "contact_information/show", "passed"),
        scenario("features/show.feature", "contact_information/show", "failed"),
        scenario("features/errors.feature", "contact_information/show", "skipped"),
    )
    rows, columns, cells = run.matrix()
    assert rows == ["contact_information/show"]
    assert columns == ["errors", "show"]
    assert cells[("contact_information/show", "show")] == {"passed": 1, "failed": 1}


def test_console_table_aligns_columns_and_says_outcomes():
    lines = console_table(report(scenario("features/show.feature", "contact_information/show", "failed")))
    assert lines[0].split() == ["operation", "show"]
    assert lines[2].split() == ["contact_information/show", "1", "failed"]
    assert len({len(line) for line in lines}) == 1


def test_html_colours_cells_and_escapes_what_the_tenant_sent():
    failure = FailureDetail(
        rule="envelope.json: ...", message="m", mismatches=[("/data", "a JSON body", "<html>", "")],
        request="curl x", response="HTTP 200 text/html\n<script>alert(1)</script>",
    )
    html = render_html(report(scenario("features/show.feature", "contact_information/show", "failed", failure=failure)))
    assert '<td class="failed">1 failed</td>' in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "&lt;html&gt;" in html
    assert "http" not in html.replace("https://tenant.example.com", "")  # nothing to fetch


def test_an_empty_run_renders():
    assert console_table(report()) == []
    assert "Failures (0)" in render_html(report())
