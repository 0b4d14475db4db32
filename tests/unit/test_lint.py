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

from crmconf.lint import CATEGORIES, Suite, lint, plugin_modules, secret_findings
from crmconf.suite import copy_suite

ROOT = Path(__file__).resolve().parents[2]
SOURCE_LINE = '  Source: vendor wiki, "Introduction".'
PLANTED_FEATURE = "features/planted.feature"


class PlantedSuite:
    """A copy of the suite to plant one problem in; each way of planting returns the problems of
    one category that the planting made appear (paths relative to the copy)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def problems_after(self, category: str, plant: Callable[[Path], object]) -> list[str]:
        """The problems of ``category`` that ``plant(root)`` made appear."""
        before = {str(problem) for problem in lint(self.root, [category])}
        plant(self.root)
        return [str(problem) for problem in lint(self.root, [category]) if str(problem) not in before]

    def write(self, category: str, relative: str, text: str) -> list[str]:
        """Plant ``text`` as the file ``relative``, new or in place of the copy's."""

        def plant(root: Path) -> None:
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_text(text, encoding="utf-8")

        return self.problems_after(category, plant)

    def replace(self, category: str, relative: str, old: str, new: str) -> list[str]:
        """Plant a change to the copy's ``relative``: its first ``old`` becomes ``new``."""

        def plant(root: Path) -> None:
            text = (root / relative).read_text(encoding="utf-8")
            assert old in text, f"{relative} no longer holds {old!r}: update this test"
            (root / relative).write_text(text.replace(old, new, 1), encoding="utf-8")

        return self.problems_after(category, plant)

    def feature(self, category: str, *scenarios: str, source: str = SOURCE_LINE) -> list[str]:
        """Plant a feature file named "planted" holding the given scenario blocks."""
        text = (
            f"Feature: planted\n  A feature planted by a test.\n{source}\n\n" + "\n\n".join(scenarios) + "\n"
        )
        return self.write(category, PLANTED_FEATURE, text)

    def line_of(self, relative: str, text: str) -> int:
        """The number of the copy's first line of ``relative`` that holds ``text``."""
        lines = (self.root / relative).read_text(encoding="utf-8").splitlines()
        return next(number for number, line in enumerate(lines, 1) if text in line)


@pytest.fixture
def planted(tmp_path: Path) -> PlantedSuite:
    return PlantedSuite(copy_suite(ROOT, tmp_path))


def matching(problems: list[str], *patterns: str) -> list[str]:
    return [problem for problem in problems if all(re.search(pattern, problem) for pattern in patterns)]


def test_a_copy_of_the_suite_lints_like_the_suite(planted):
    assert [str(p) for p in lint(planted.root)] == [str(p) for p in lint(ROOT)]


def test_an_unknown_category_is_refused(planted):
    with pytest.raises(ValueError, match="unknown lint categories"):
        Suite(planted.root).problems(["spelling"])


# -- features -----------------------------------------------------------------------------------


def test_features_finds_a_file_that_is_not_gherkin(planted):
    found = planted.write(
        "features",
        PLANTED_FEATURE,
        "Feature: planted\n  Scenario: one\n    Given a valid token\n  Scenario two\n",
    )
    assert matching(found, r"^features/planted\.feature:4: not a valid feature file: Misplaced")


def test_features_finds_an_empty_file(planted):
    found = planted.write("features", "features/empty.feature", "")
    assert found == ["features/empty.feature: not a valid feature file: it has no 'Feature:' section"]


# -- schemas ------------------------------------------------------------------------------------


def test_schemas_finds_a_reference_that_does_not_resolve(planted):
    found = planted.replace(
        "schemas",
        "schemas/operations/contact_information/show.json",
        '"../../contact.json"',
        '"../../no-such-schema.json"',
    )
    assert matching(
        found,
        r"^schemas/operations/contact_information/show\.json#/properties/data: "
        r"\$ref '\.\./\.\./no-such-schema\.json' does not resolve",
    )


def test_schemas_finds_a_schema_the_metaschema_refuses(planted):
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://crmconf.invalid/schemas/planted.json",
        "type": 12,
    }
    found = planted.write("schemas", "schemas/planted.json", json.dumps(schema))
    assert matching(found, r"^schemas/planted\.json: not a valid JSON Schema at \$\.type")


# -- steps --------------------------------------------------------------------------------------


def test_steps_finds_a_phrase_no_step_definition_matches(planted):
    found = planted.feature(
        "steps",
        "  Scenario: the moon\n    Given a valid token\n    Then the moon is made of cheese and honey",
    )
    assert found == [
        (
            "features/planted.feature:7: no step definition matches "
            "Then 'the moon is made of cheese and honey' "
            f"(looked in {', '.join(plugin_modules(ROOT)[0])})"
        )
    ]


def test_steps_fills_in_each_examples_row_before_matching(planted):
    outline = (
        "  Scenario Outline: outlined\n    When I GET <operation>\n    Then the request is refused\n\n"
        "    Examples:\n      | operation |\n      | contact_information/show |\n"
        "      | Contact Information/show |"
    )
    found = planted.feature("steps", outline)
    assert matching(
        found,
        r"^features/planted\.feature:6: no step definition matches When 'I GET Contact Information/show'",
    )
    assert len(found) == 1, found


def test_steps_judges_a_copy_by_its_own_step_definitions(planted):
    """Deleting a definition from the copy's steps/ shows, though the real one is already imported."""
    steps = "steps/request.py"
    definition = re.search(
        r'@when\("I send the same request again".*?(?=\n\n\n|\Z)', (ROOT / steps).read_text(), re.DOTALL
    )
    assert definition, "steps/request.py no longer defines 'I send the same request again': update this test"
    found = planted.replace("steps", steps, definition.group(0), "")
    line = planted.line_of("features/contact_information_show.feature", "And I send the same request again")
    assert (
        f"features/contact_information_show.feature:{line}: no step definition matches And "
        f"'I send the same request again' (looked in {', '.join(plugin_modules(ROOT)[0])})" in found
    )


def test_steps_finds_a_plugin_module_that_cannot_be_imported(planted):
    found = planted.replace(
        "steps", "conftest.py", '"steps.auth",', '"steps.auth",\n    "steps.no_such_module",'
    )
    assert matching(
        found,
        r"^conftest\.py: pytest_plugins module 'steps\.no_such_module' cannot be imported: "
        r"ModuleNotFoundError",
    )


def test_steps_finds_the_steps_of_a_module_conftest_no_longer_loads(planted):
    found = planted.replace("steps", "conftest.py", '"steps.auth",', "")
    line = planted.line_of("features/errors.feature", "Given a valid token")
    assert matching(
        found, rf"^features/errors\.feature:{line}: no step definition matches Given 'a valid token'"
    )


# -- tags ---------------------------------------------------------------------------------------


def test_tags_finds_a_tag_that_is_not_a_registered_marker(planted):
    found = planted.feature("tags", "  @nightly\n  Scenario: tagged\n    Given a valid token")
    assert found == ["features/planted.feature:5: tag @nightly is not a marker registered in pytest.ini"]


def test_tags_finds_a_since_tag_that_names_no_release(planted):
    found = planted.feature("tags", "  @since_Rnext\n  Scenario: tagged\n    Given a valid token")
    assert found == [
        "features/planted.feature:5: tag @since_Rnext names no release: write it as @since_R12_1_0"
    ]


def test_tags_holds_an_examples_tag_to_its_literal_name(planted):
    outline = (
        "  Scenario Outline: outlined\n    When I GET <operation>\n\n"
        "    @since_R12_1_0\n    Examples:\n      | operation |\n      | contact_information/show |"
    )
    found = planted.feature("tags", outline)
    assert matching(
        found,
        r"^features/planted\.feature:8: tag @since_R12_1_0 is not a marker registered in "
        r"pytest\.ini \(an Examples tag",
    )


def test_tags_finds_a_marker_list_that_is_gone(planted):
    found = planted.write("tags", "pytest.ini", "[pytest]\naddopts = --strict-markers\n")
    assert found == ["pytest.ini: has no [pytest] markers: no tag can be registered"]


# -- names --------------------------------------------------------------------------------------


def test_names_finds_a_repeated_scenario_name(planted):
    twice = "  Scenario: twice\n    Given a valid token"
    found = planted.feature("names", twice, twice)
    assert matching(found, r"^features/planted\.feature:8: scenario name 'twice' is already used on line 5")


def test_names_finds_a_long_name_and_a_should(planted):
    long_name = "the tenant answers " + "and answers " * 6 + "at length"
    found = planted.feature(
        "names",
        f"  Scenario: {long_name}\n    Given a valid token",
        "  Scenario: the tenant should answer\n    Given a valid token",
    )
    assert matching(
        found, rf"^features/planted\.feature:5: scenario name is {len(long_name)} characters, at most 80"
    )
    assert matching(
        found, r"^features/planted\.feature:8: say what the tenant does, in the present tense, not 'should'"
    )


def test_names_finds_examples_rows_that_make_the_same_test_id(planted):
    outline = (
        "  Scenario Outline: outlined\n    When I GET <a>\n\n    Examples:\n      | a | b |\n"
        "      | x-y | z |\n      | x | y-z |"
    )
    found = planted.feature("names", outline)
    assert matching(
        found, r"^features/planted\.feature:5: two Examples rows of 'outlined' make the same test id 'x-y-z'"
    )


# -- sources ------------------------------------------------------------------------------------


def test_sources_finds_a_feature_that_names_no_vendor_page(planted):
    found = planted.feature(
        "sources", "  Scenario: unsourced\n    Given a valid token", source="  From memory."
    )
    assert matching(found, r"^features/planted\.feature:1: the feature's description names no vendor page")


# -- cassettes ----------------------------------------------------------------------------------

CASSETTE = "cassettes/errors/a-get-without-a-token-is-refused.yaml"


def test_cassettes_finds_a_scenario_without_a_cassette(planted):
    found = planted.feature("cassettes", "  Scenario: never recorded\n    Given a valid token")
    assert found == [
        (
            "features/planted.feature:5: scenario 'never recorded' has no cassette "
            "cassettes/planted/never-recorded.yaml: record it with crmconf run --mode record"
        )
    ]


def test_cassettes_finds_an_examples_row_without_a_cassette(planted):
    outline = (
        "  Scenario Outline: outlined\n    When I GET <operation>\n\n"
        "    Examples:\n      | operation |\n      | contact_information/show |"
    )
    found = planted.feature("cassettes", outline)
    assert found == [
        (
            "features/planted.feature:5: scenario 'outlined' (Examples row 'contact_information/show') has "
            "no cassette cassettes/planted/outlined--contact-information-show.yaml: record it with crmconf "
            "run --mode record"
        )
    ]


def test_cassettes_finds_an_orphaned_cassette(planted):
    orphan = "cassettes/errors/a-scenario-nobody-wrote.yaml"
    found = planted.problems_after("cassettes", lambda root: shutil.copy2(root / CASSETTE, root / orphan))
    assert found == [
        (
            "cassettes/errors/a-scenario-nobody-wrote.yaml: no scenario uses this cassette: delete it or "
            "rename it after its scenario"
        )
    ]


def test_cassettes_finds_the_leftover_of_an_interrupted_write(planted):
    leftover = "cassettes/errors/.a-get-without-a-token-is-refused.yaml.k3j9x2.tmp"
    found = planted.problems_after("cassettes", lambda root: shutil.copy2(root / CASSETTE, root / leftover))
    assert found == [
        (
            f"{leftover}: temporary file of a cassette write that never finished (the recording was "
            "interrupted); the cassette beside it is the previous one, whole: delete this file"
        )
    ]


def test_cassettes_finds_a_cassette_that_does_not_load(planted):
    found = planted.write("cassettes", CASSETTE, "interactions: [\n")
    assert matching(
        found, r"^cassettes/errors/a-get-without-a-token-is-refused\.yaml: is broken: not valid YAML"
    )


def test_cassettes_finds_an_interaction_vcrpy_cannot_read(planted):
    found = planted.write(
        "cassettes", CASSETTE, "interactions:\n- request: {}\n  response: {body: {string: ''}}\n"
    )
    assert matching(found, r"^cassettes/errors/a-get-without-a-token-is-refused\.yaml: is broken: .*body")


# -- secrets ------------------------------------------------------------------------------------


def test_secrets_finds_a_jwt_anywhere(planted):
    jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJxYSJ9.c2lnbmF0dXJl"
    found = planted.replace(
        "secrets", CASSETTE, "          status:\n", f"          echo: {jwt}\n          status:\n"
    )
    line = planted.line_of(CASSETTE, "echo: eyJ")
    assert matching(
        found,
        rf"^{CASSETTE}:{line}: interactions\[\d+\]\.response\.body\.string\.json\.echo: holds a "
        r"JWT-shaped token",
    )


def test_secrets_finds_a_hex_token_in_the_query(planted):
    path = "cassettes/contact_information_show/a-missing-identifier-is-refused-with-an-error-envelope.yaml"
    found = planted.replace("secrets", path, "token=<TOKEN%3AJWT>", "token=0f3c9a7e5b2d4c6a8e1f0b3d5c7a9e2f")
    line = planted.line_of(path, "token=0f3c9a7e")
    assert matching(
        found,
        rf":{line}: interactions\[\d+\]\.request\.uri: query parameter token holds a 32-character "
        r"hex token, not a placeholder such as <TOKEN>",
    )


def test_secrets_finds_a_credential_in_clear(planted):
    path = "cassettes/authentication/a-wrong-password-is-refused-with-an-error-envelope.yaml"
    found = planted.replace("secrets", path, "organisation: <ORGANISATION>", "organisation: Example Ltd")
    line = planted.line_of(path, "organisation: Example Ltd")
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


def test_index_finds_a_phrase_missing_from_the_readme(planted):
    readme = "features/README.md"
    row = next(
        line
        for line in (ROOT / readme).read_text().splitlines()
        if line.startswith("| `When I send the same request again`")
    )
    found = planted.replace("index", readme, row + "\n", "")
    line = planted.line_of("features/contact_information_show.feature", "And I send the same request again")
    assert (
        f"features/contact_information_show.feature:{line}: "
        "And 'I send the same request again' is not a phrase of features/README.md"
    ) in found


def test_index_finds_a_readme_without_phrases(planted):
    found = planted.write("index", "features/README.md", "# The suite\n")
    assert found == ["features/README.md: lists no step phrase (rows like | `When I GET <operation>` |)"]


# -- behaviours ---------------------------------------------------------------------------------


def test_behaviours_finds_a_renamed_scenario(planted):
    old_name = "a wrong password is refused with an error envelope"
    found = planted.replace(
        "behaviours",
        "features/authentication.feature",
        f"Scenario: {old_name}",
        "Scenario: a wrong password fails",
    )
    references = (planted.root / "features" / "behaviours.yaml").read_text(encoding="utf-8").splitlines()
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


def test_behaviours_finds_an_entry_that_is_wrong(planted):
    entry = (
        "behaviours:\n\n  - id: planted.entry\n    statement: a planted entry\n    source: nowhere\n"
        "    evidence: HUNCH\n    scenarios: []\n\n"
    )
    found = planted.replace("behaviours", "features/behaviours.yaml", "behaviours:\n\n", entry)
    assert found == [
        (
            "features/behaviours.yaml:16: behaviour 'planted.entry': evidence must be one of DOC, EX, "
            "FIELD, OPEN, found 'HUNCH'"
        )
    ]


def test_every_category_has_a_planted_problem_here():
    source = Path(__file__).read_text(encoding="utf-8")
    tested = set(re.findall(r'planted\.(?:write|replace|feature|problems_after)\(\s*"(\w+)"', source))
    assert tested == set(CATEGORIES)
