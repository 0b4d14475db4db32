"""``crmconf coverage``: documented behaviours against the scenarios that check them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crmconf import coverage
from crmconf.cli import main

ROOT = Path(__file__).resolve().parents[2]

FEATURE = """Feature: planted
  Source: vendor wiki, "Introduction".

  Scenario: the same GET sent twice returns identical bodies
    Given a valid token

  Scenario: a scenario no behaviour names
    Given a valid token
"""

BEHAVIOURS = """behaviours:
  - id: get.idempotent
    statement: the same GET sent twice returns the same result
    source: vendor wiki, "Introduction"
    evidence: DOC
    scenarios:
      - feature: planted.feature
        scenario: the same GET sent twice returns identical bodies

  - id: post.not-idempotent
    statement: two identical creates make two records
    source: vendor wiki, "Introduction"
    evidence: DOC
    scenarios: []
"""


def suite(tmp_path: Path, behaviours: str = BEHAVIOURS, feature: str = FEATURE) -> Path:
    (tmp_path / "features").mkdir()
    (tmp_path / "features" / "planted.feature").write_text(feature, encoding="utf-8")
    (tmp_path / "features" / "behaviours.yaml").write_text(behaviours, encoding="utf-8")
    return tmp_path


def test_the_shipped_behaviours_are_sound():
    assert coverage.problems(ROOT) == []


def test_the_shipped_coverage_lists_known_behaviours():
    measured = coverage.measure(ROOT)
    by_id = {behaviour.id: behaviour for behaviour in measured.behaviours}
    assert {"get.idempotent", "auth.token-format", "page.cap", "update.null-clears"} <= set(by_id)
    assert coverage.ScenarioRef(
        "contact_information_show.feature", "the same GET sent twice returns identical bodies"
    ) in (measured.checking(by_id["get.idempotent"]))
    assert all(behaviour.statement and behaviour.source for behaviour in measured.behaviours)


def test_covered_uncovered_and_unlinked(tmp_path):
    measured = coverage.measure(suite(tmp_path))
    assert [b.id for b in measured.covered] == ["get.idempotent"]
    assert [b.id for b in measured.uncovered] == ["post.not-idempotent"]
    assert measured.unlinked_scenarios == [
        coverage.ScenarioRef("planted.feature", "a scenario no behaviour names")
    ]
    assert coverage.summary(measured) == "2 documented behaviours: 1 covered, 1 not covered"


def test_a_renamed_scenario_covers_nothing_and_is_a_problem(tmp_path):
    root = suite(tmp_path, feature=FEATURE.replace("returns identical bodies", "answers alike"))
    measured = coverage.measure(root)
    assert [b.id for b in measured.uncovered] == ["get.idempotent", "post.not-idempotent"]
    assert "(no such scenario: covers nothing)" in coverage.render_text(measured)
    assert coverage.problems(root) == [
        (
            "features/behaviours.yaml:7: behaviour 'get.idempotent' names scenario 'the same GET sent "
            "twice returns identical bodies', which features/planted.feature does not have "
            "(renamed or removed?)"
        )
    ]


def test_an_unknown_feature_file_is_a_problem(tmp_path):
    root = suite(tmp_path, BEHAVIOURS.replace("feature: planted.feature", "feature: gone.feature"))
    assert coverage.problems(root) == [
        (
            "features/behaviours.yaml:7: behaviour 'get.idempotent' names features/gone.feature, "
            "which is not a readable feature file"
        )
    ]


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (
            "  - id: a.b\n    statement: x\n    source: y\n    evidence: DOC\n",
            "behaviour 'a.b': scenarios must be a list ([] when no scenario checks it yet)",
        ),
        (
            "  - id: a.b\n    statement: x\n    source: y\n    evidence: MAYBE\n    scenarios: []\n",
            "behaviour 'a.b': evidence must be one of DOC, EX, FIELD, OPEN, found 'MAYBE'",
        ),
        (
            "  - id: A B\n    statement: x\n    source: y\n    evidence: DOC\n    scenarios: []\n",
            "behaviour 'A B': an id is lower case words joined by dots or hyphens, such as get.idempotent",
        ),
        (
            "  - id: a.b\n    statement: x\n    evidence: DOC\n    scenarios: []\n",
            "behaviour 'a.b' needs a non-empty source",
        ),
        (
            (
                "  - id: a.b\n    statement: x\n    source: y\n    evidence: DOC\n    scenarios: []\n"
                "    owner: me\n"
            ),
            "behaviour 'a.b' has an unknown key 'owner'",
        ),
        (
            (
                "  - id: a.b\n    statement: x\n    source: y\n    evidence: DOC\n"
                "    scenarios: [planted.feature]\n"
            ),
            "behaviour 'a.b': each scenario is a mapping with exactly 'feature' and 'scenario' (text)",
        ),
        (
            "  - just a line\n",
            "behaviour #3 must be a mapping with id, statement, source, evidence, scenarios",
        ),
        (
            "  - id: get.idempotent\n    statement: x\n    source: y\n    evidence: DOC\n    scenarios: []\n",
            "id 'get.idempotent' is already used on line 2",
        ),
    ],
)
def test_a_wrong_entry_is_named_with_its_line(tmp_path, entry, problem):
    root = suite(tmp_path, BEHAVIOURS + "\n" + entry)
    assert coverage.problems(root) == [f"features/behaviours.yaml:16: {problem}"]


def test_a_multi_line_statement_is_refused(tmp_path):
    entry = (
        "  - id: a.b\n    statement: |\n      one\n      two\n    source: y\n    evidence: DOC\n"
        "    scenarios: []\n"
    )
    assert coverage.problems(suite(tmp_path, BEHAVIOURS + "\n" + entry)) == [
        "features/behaviours.yaml:16: behaviour 'a.b': the statement must be one line"
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (None, "features/behaviours.yaml: no such file (it lists the documented behaviours)"),
        ("behaviours: [\n", "features/behaviours.yaml: not valid YAML: "),
        ("- a list\n", "features/behaviours.yaml: expected a mapping with a list 'behaviours'"),
    ],
)
def test_a_file_that_cannot_be_used(tmp_path, text, message):
    root = suite(tmp_path)
    if text is None:
        (root / "features" / "behaviours.yaml").unlink()
    else:
        (root / "features" / "behaviours.yaml").write_text(text)
    with pytest.raises(coverage.BehavioursError) as raised:
        coverage.measure(root)
    assert str(raised.value).startswith(message)
    assert coverage.problems(root) == [str(raised.value)]


def test_text_and_json_reports(tmp_path):
    measured = coverage.measure(suite(tmp_path))
    text = coverage.render_text(measured)
    assert text.splitlines()[0] == "crmconf coverage: 2 documented behaviours: 1 covered, 1 not covered"
    assert (
        "Covered:\n  get.idempotent: the same GET sent twice returns the same result\n"
        '      [DOC] vendor wiki, "Introduction"\n'
        "      - planted.feature: the same GET sent twice returns identical bodies"
    ) in text
    assert "Not covered:\n  post.not-idempotent: two identical creates make two records" in text
    report = coverage.as_json(measured)
    assert report["summary"] == {"behaviours": 2, "covered": 1, "not_covered": 1}
    assert report["behaviours"][1] == {
        "id": "post.not-idempotent",
        "statement": "two identical creates make two records",
        "source": 'vendor wiki, "Introduction"',
        "evidence": "DOC",
        "covered": False,
        "scenarios": [],
        "missing_scenarios": [],
    }


def test_the_coverage_command(tmp_path, capsys, monkeypatch):
    assert main(["coverage", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["behaviours"] == len(report["behaviours"]) > 0
