"""Each lint category finds a problem planted in a copy of the suite, and names where it is.

Every test copies the suite into ``tmp_path``, lints one category, plants one problem and lints
again: the problems that appeared are the planted one's. Comparing before and after keeps these
tests true while the shipped suite itself is being extended.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from crmconf.lint import CATEGORIES, Suite, lint, secret_findings

ROOT = Path(__file__).resolve().parents[2]
SUITE_PARTS = ("features", "schemas", "cassettes", "steps", "pytest.ini", "conftest.py")
SOURCE_LINE = '  Source: vendor wiki, "Introduction".'


@pytest.fixture
def suite_copy(tmp_path: Path) -> Path:
    for part in SUITE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, tmp_path / part)
    return tmp_path


def planted(root: Path, category: str, plant: Callable[[], None]) -> list[str]:
    """The problems of ``category`` that ``plant()`` made appear in the suite at ``root``."""
    before = {str(problem) for problem in lint(root, [category])}
    plant()
    return [str(problem) for problem in lint(root, [category]) if str(problem) not in before]


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if text in line)


def write(path: Path, text: str) -> Callable[[], None]:
    def plant() -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    return plant


def replace(path: Path, old: str, new: str) -> Callable[[], None]:
    def plant() -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{path} no longer holds {old!r}: update this test"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return plant


def feature(*scenarios: str, source: str = SOURCE_LINE, header: str = "") -> str:
    """A feature file named "planted" holding the given scenario blocks."""
    return (
        f"{header}Feature: planted\n  A feature planted by a test.\n{source}\n\n"
        + "\n\n".join(scenarios)
        + "\n"
    )


def matching(problems: list[str], *patterns: str) -> list[str]:
    return [problem for problem in problems if all(re.search(pattern, problem) for pattern in patterns)]


def test_a_copy_of_the_suite_lints_like_the_suite(suite_copy):
    assert [str(p) for p in lint(suite_copy)] == [str(p) for p in lint(ROOT)]


def test_an_unknown_category_is_refused(suite_copy):
    with pytest.raises(ValueError, match="unknown lint categories"):
        Suite(suite_copy).problems(["spelling"])


# -- features -----------------------------------------------------------------------------------


def test_features_finds_a_file_that_is_not_gherkin(suite_copy):
    path = suite_copy / "features" / "planted.feature"
    found = planted(
        suite_copy,
        "features",
        write(path, "Feature: planted\n  Scenario: one\n    Given a valid token\n  Scenario two\n"),
    )
    assert matching(found, r"^features/planted\.feature:4: not a valid feature file: Misplaced")


def test_features_finds_an_empty_file(suite_copy):
    found = planted(suite_copy, "features", write(suite_copy / "features" / "empty.feature", ""))
    assert found == ["features/empty.feature: not a valid feature file: it has no 'Feature:' section"]


# -- schemas ------------------------------------------------------------------------------------


def test_schemas_finds_a_reference_that_does_not_resolve(suite_copy):
    path = suite_copy / "schemas" / "operations" / "contact_information" / "show.json"
    found = planted(
        suite_copy, "schemas", replace(path, '"../../contact.json"', '"../../no-such-schema.json"')
    )
    assert matching(
        found,
        r"^schemas/operations/contact_information/show\.json#/properties/data: "
        r"\$ref '\.\./\.\./no-such-schema\.json' does not resolve",
    )


def test_schemas_finds_a_schema_the_metaschema_refuses(suite_copy):
    path = suite_copy / "schemas" / "planted.json"
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://crmconf.invalid/schemas/planted.json",
        "type": 12,
    }
    found = planted(suite_copy, "schemas", write(path, json.dumps(schema)))
    assert matching(found, r"^schemas/planted\.json: not a valid JSON Schema at \$\.type")


# -- steps --------------------------------------------------------------------------------------


def test_steps_finds_a_phrase_no_step_definition_matches(suite_copy):
    text = feature(
        "  Scenario: the moon\n    Given a valid token\n    Then the moon is made of cheese and honey"
    )
    found = planted(suite_copy, "steps", write(suite_copy / "features" / "planted.feature", text))
    assert found == [
        (
            "features/planted.feature:7: no step definition matches "
            "Then 'the moon is made of cheese and honey' "
            f"(looked in {', '.join(_plugin_modules())})"
        )
    ]


def test_steps_fills_in_each_examples_row_before_matching(suite_copy):
    outline = (
        "  Scenario Outline: outlined\n    When I GET <operation>\n    Then the request is refused\n\n"
        "    Examples:\n      | operation |\n      | contact_information/show |\n"
        "      | Contact Information/show |"
    )
    found = planted(suite_copy, "steps", write(suite_copy / "features" / "planted.feature", feature(outline)))
    assert matching(
        found,
        r"^features/planted\.feature:6: no step definition matches When 'I GET Contact Information/show'",
    )
    assert len(found) == 1, found


def test_steps_judges_a_copy_by_its_own_step_definitions(suite_copy):
    """Deleting a definition from the copy's steps/ shows, though the real one is already imported."""
    steps = suite_copy / "steps" / "request.py"
    definition = re.search(
        r'@when\("I send the same request again".*?(?=\n\n\n|\Z)', steps.read_text(), re.DOTALL
    )
    assert definition, "steps/request.py no longer defines 'I send the same request again': update this test"
    found = planted(suite_copy, "steps", replace(steps, definition.group(0), ""))
    shows = suite_copy / "features" / "contact_information_show.feature"
    line = line_of(shows, "And I send the same request again")
    assert (
        f"features/contact_information_show.feature:{line}: no step definition matches And "
        f"'I send the same request again' (looked in {', '.join(_plugin_modules())})" in found
    )


def test_steps_finds_a_plugin_module_that_cannot_be_imported(suite_copy):
    conftest = suite_copy / "conftest.py"
    found = planted(
        suite_copy, "steps", replace(conftest, '"steps.auth",', '"steps.auth",\n    "steps.no_such_module",')
    )
    assert matching(
        found,
        r"^conftest\.py: pytest_plugins module 'steps\.no_such_module' cannot be imported: "
        r"ModuleNotFoundError",
    )


def test_steps_finds_the_steps_of_a_module_conftest_no_longer_loads(suite_copy):
    conftest = suite_copy / "conftest.py"
    found = planted(suite_copy, "steps", replace(conftest, '"steps.auth",', ""))
    line = line_of(suite_copy / "features" / "errors.feature", "Given a valid token")
    assert matching(
        found, rf"^features/errors\.feature:{line}: no step definition matches Given 'a valid token'"
    )


def _plugin_modules() -> list[str]:
    from crmconf.lint import plugin_modules

    return plugin_modules(ROOT)[0]


# -- tags ---------------------------------------------------------------------------------------


def test_tags_finds_a_tag_that_is_not_a_registered_marker(suite_copy):
    text = feature("  @nightly\n  Scenario: tagged\n    Given a valid token")
    found = planted(suite_copy, "tags", write(suite_copy / "features" / "planted.feature", text))
    assert found == ["features/planted.feature:5: tag @nightly is not a marker registered in pytest.ini"]


def test_tags_finds_a_since_tag_that_names_no_release(suite_copy):
    text = feature("  @since_Rnext\n  Scenario: tagged\n    Given a valid token")
    found = planted(suite_copy, "tags", write(suite_copy / "features" / "planted.feature", text))
    assert found == [
        "features/planted.feature:5: tag @since_Rnext names no release: write it as @since_R12_1_0"
    ]


def test_tags_holds_an_examples_tag_to_its_literal_name(suite_copy):
    outline = (
        "  Scenario Outline: outlined\n    When I GET <operation>\n\n"
        "    @since_R12_1_0\n    Examples:\n      | operation |\n      | contact_information/show |"
    )
    found = planted(suite_copy, "tags", write(suite_copy / "features" / "planted.feature", feature(outline)))
    assert matching(
        found,
        r"^features/planted\.feature:8: tag @since_R12_1_0 is not a marker registered in "
        r"pytest\.ini \(an Examples tag",
    )


def test_tags_finds_a_marker_list_that_is_gone(suite_copy):
    ini = suite_copy / "pytest.ini"
    found = planted(suite_copy, "tags", write(ini, "[pytest]\naddopts = --strict-markers\n"))
    assert found == ["pytest.ini: has no [pytest] markers: no tag can be registered"]


# -- names --------------------------------------------------------------------------------------


def test_names_finds_a_repeated_scenario_name(suite_copy):
    text = feature("  Scenario: twice\n    Given a valid token", "  Scenario: twice\n    Given a valid token")
    found = planted(suite_copy, "names", write(suite_copy / "features" / "planted.feature", text))
    assert matching(found, r"^features/planted\.feature:8: scenario name 'twice' is already used on line 5")


def test_names_finds_a_long_name_and_a_should(suite_copy):
    long_name = "the tenant answers " + "and answers " * 6 + "at length"
    text = feature(
        f"  Scenario: {long_name}\n    Given a valid token",
        "  Scenario: the tenant should answer\n    Given a valid token",
    )
    found = planted(suite_copy, "names", write(suite_copy / "features" / "planted.feature", text))
    assert matching(
        found, rf"^features/planted\.feature:5: scenario name is {len(long_name)} characters, at most 80"
    )
    assert matching(
        found, r"^features/planted\.feature:8: say what the tenant does, in the present tense, not 'should'"
    )


def test_names_finds_examples_rows_that_make_the_same_test_id(suite_copy):
    outline = (
        "  Scenario Outline: outlined\n    When I GET <a>\n\n    Examples:\n      | a | b |\n"
        "      | x-y | z |\n      | x | y-z |"
    )
    found = planted(suite_copy, "names", write(suite_copy / "features" / "planted.feature", feature(outline)))
    assert matching(
        found, r"^features/planted\.feature:5: two Examples rows of 'outlined' make the same test id 'x-y-z'"
    )


# -- sources ------------------------------------------------------------------------------------


def test_sources_finds_a_feature_that_names_no_vendor_page(suite_copy):
    text = feature("  Scenario: unsourced\n    Given a valid token", source="  From memory.")
    found = planted(suite_copy, "sources", write(suite_copy / "features" / "planted.feature", text))
    assert matching(found, r"^features/planted\.feature:1: the feature's description names no vendor page")


# -- cassettes ----------------------------------------------------------------------------------


def test_cassettes_finds_a_scenario_without_a_cassette(suite_copy):
    text = feature("  Scenario: never recorded\n    Given a valid token")
    found = planted(suite_copy, "cassettes", write(suite_copy / "features" / "planted.feature", text))
    assert found == [
        (
            "features/planted.feature:5: scenario 'never recorded' has no cassette "
            "cassettes/planted/never-recorded.yaml: record it with crmconf run --mode record"
        )
    ]


def test_cassettes_finds_an_examples_row_without_a_cassette(suite_copy):
    outline = (
        "  Scenario Outline: outlined\n    When I GET <operation>\n\n"
        "    Examples:\n      | operation |\n      | contact_information/show |"
    )
    found = planted(
        suite_copy, "cassettes", write(suite_copy / "features" / "planted.feature", feature(outline))
    )
    assert found == [
        (
            "features/planted.feature:5: scenario 'outlined' (Examples row 'contact_information/show') has "
            "no cassette cassettes/planted/outlined--contact-information-show.yaml: record it with crmconf "
            "run --mode record"
        )
    ]


def test_cassettes_finds_an_orphaned_cassette(suite_copy):
    orphan = suite_copy / "cassettes" / "errors" / "a-scenario-nobody-wrote.yaml"
    recorded = suite_copy / "cassettes" / "errors" / "a-get-without-a-token-is-refused.yaml"
    found = planted(suite_copy, "cassettes", lambda: shutil.copy2(recorded, orphan))
    assert found == [
        (
            "cassettes/errors/a-scenario-nobody-wrote.yaml: no scenario uses this cassette: delete it or "
            "rename it after its scenario"
        )
    ]


def test_cassettes_finds_a_cassette_that_does_not_load(suite_copy):
    broken = suite_copy / "cassettes" / "errors" / "a-get-without-a-token-is-refused.yaml"
    found = planted(suite_copy, "cassettes", write(broken, "interactions: [\n"))
    assert matching(
        found, r"^cassettes/errors/a-get-without-a-token-is-refused\.yaml: is broken: not valid YAML"
    )


def test_cassettes_finds_an_interaction_vcrpy_cannot_read(suite_copy):
    broken = suite_copy / "cassettes" / "errors" / "a-get-without-a-token-is-refused.yaml"
    found = planted(
        suite_copy,
        "cassettes",
        write(broken, "interactions:\n- request: {}\n  response: {body: {string: ''}}\n"),
    )
    assert matching(found, r"^cassettes/errors/a-get-without-a-token-is-refused\.yaml: is broken: .*body")


# -- secrets ------------------------------------------------------------------------------------

CASSETTE = "cassettes/errors/a-get-without-a-token-is-refused.yaml"


def test_secrets_finds_a_jwt_anywhere(suite_copy):
    path = suite_copy / CASSETTE
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxYSJ9.c2lnbmF0dXJl"
    found = planted(
        suite_copy,
        "secrets",
        replace(path, "          status:\n", f"          echo: {jwt}\n          status:\n"),
    )
    line = line_of(path, "echo: eyJ")
    assert matching(
        found,
        rf"^{CASSETTE}:{line}: interactions\[\d+\]\.response\.body\.string\.json\.echo: holds a "
        r"JWT-shaped token",
    )


def test_secrets_finds_a_hex_token_in_the_query(suite_copy):
    path = (
        suite_copy
        / "cassettes"
        / "contact_information_show"
        / "a-missing-identifier-is-refused-with-an-error-envelope.yaml"
    )
    found = planted(
        suite_copy, "secrets", replace(path, "token=<TOKEN%3AJWT>", "token=0f3c9a7e5b2d4c6a8e1f0b3d5c7a9e2f")
    )
    line = line_of(path, "token=0f3c9a7e")
    assert matching(
        found,
        rf":{line}: interactions\[\d+\]\.request\.uri: query parameter token holds a 32-character "
        r"hex token, not a placeholder such as <TOKEN>",
    )


def test_secrets_finds_a_credential_in_clear(suite_copy):
    path = (
        suite_copy
        / "cassettes"
        / "authentication"
        / "a-wrong-password-is-refused-with-an-error-envelope.yaml"
    )
    found = planted(
        suite_copy, "secrets", replace(path, "organisation: <ORGANISATION>", "organisation: Example Ltd")
    )
    line = line_of(path, "organisation: Example Ltd")
    assert found == [
        (
            f"cassettes/authentication/a-wrong-password-is-refused-with-an-error-envelope.yaml:{line}: "
            "interactions[0].request.body.json.organisation: organisation holds a value, "
            "not a placeholder such as <ORGANISATION>"
        )
    ]


def test_secret_findings_of_single_members():
    assert secret_findings("token", "<TOKEN:JWT>") == []
    assert secret_findings("token", "crmconf-invalid-token") == []
    assert secret_findings("password", None) == []
    assert secret_findings("token", "abc") == ["token holds a token, not a placeholder such as <TOKEN>"]
    assert secret_findings("Authorization", ["Basic <API_KEY>"]) == []
    assert secret_findings("Authorization", ["Basic cWE6c2VjcmV0"]) == [
        "the Authorization header holds credentials, not 'Basic <API_KEY>'"
    ]
    assert secret_findings("uri", "http://x/crmapi/rest/v2/a?username=qa&token=<TOKEN>") == [
        "query parameter username holds a value, not a placeholder such as <USERNAME>"
    ]


# -- index --------------------------------------------------------------------------------------


def test_index_finds_a_phrase_missing_from_the_readme(suite_copy):
    readme = suite_copy / "features" / "README.md"
    row = next(
        line
        for line in readme.read_text().splitlines()
        if line.startswith("| `When I send the same request again`")
    )
    found = planted(suite_copy, "index", replace(readme, row + "\n", ""))
    line = line_of(
        suite_copy / "features" / "contact_information_show.feature", "And I send the same request again"
    )
    assert (
        f"features/contact_information_show.feature:{line}: "
        "And 'I send the same request again' is not a phrase of features/README.md"
    ) in found


def test_index_finds_a_readme_without_phrases(suite_copy):
    found = planted(suite_copy, "index", write(suite_copy / "features" / "README.md", "# The suite\n"))
    assert found == ["features/README.md: lists no step phrase (rows like | `When I GET <operation>` |)"]


# -- behaviours ---------------------------------------------------------------------------------


def test_behaviours_finds_a_renamed_scenario(suite_copy):
    feature_file = suite_copy / "features" / "authentication.feature"
    old_name = "a wrong password is refused with an error envelope"
    found = planted(
        suite_copy,
        "behaviours",
        replace(feature_file, f"Scenario: {old_name}", "Scenario: a wrong password fails"),
    )
    references = (suite_copy / "features" / "behaviours.yaml").read_text(encoding="utf-8").splitlines()
    # each reference starts at its "feature:" line, the one before its "scenario:" line
    lines = [
        number - 1 for number, text in enumerate(references, 1) if text.strip() == f"scenario: {old_name}"
    ]
    assert lines, "no behaviour names the renamed scenario: update this test"
    assert [problem.split(": behaviour ")[0] for problem in found] == [
        f"features/behaviours.yaml:{n}" for n in lines
    ]
    assert all(
        problem.endswith(
            f"names scenario '{old_name}', which features/authentication.feature does not "
            "have (renamed or removed?)"
        )
        for problem in found
    )


def test_behaviours_finds_an_entry_that_is_wrong(suite_copy):
    behaviours = suite_copy / "features" / "behaviours.yaml"
    entry = (
        "behaviours:\n\n  - id: planted.entry\n    statement: a planted entry\n    source: nowhere\n"
        "    evidence: HUNCH\n    scenarios: []\n\n"
    )
    found = planted(suite_copy, "behaviours", replace(behaviours, "behaviours:\n\n", entry))
    assert found == [
        (
            "features/behaviours.yaml:16: behaviour 'planted.entry': evidence must be one of DOC, EX, "
            "FIELD, OPEN, found 'HUNCH'"
        )
    ]


def test_every_category_has_a_planted_problem_here():
    tested = set(re.findall(r'planted\(\s*suite_copy,\s*"(\w+)"', Path(__file__).read_text(encoding="utf-8")))
    assert tested == set(CATEGORIES)
