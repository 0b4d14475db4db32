"""The suite lints itself: the shipped suite has no problem of any lint category.

The checks live in ``crmconf.lint`` (also run by ``crmconf check``); each category is one test
here, and ``tests/unit/test_lint.py`` proves that each one finds a problem planted in a copy.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from crmconf.lint import CATEGORIES, Suite

ROOT = Path(__file__).resolve().parents[1]

WHAT_EACH_CATEGORY_SAYS = {
    "features": "every feature file parses",
    "schemas": "every schema is a valid 2020-12 schema and every $ref resolves offline",
    "steps": "every step of every scenario matches a step definition of the pytest_plugins modules",
    "tags": "every tag is a marker registered in pytest.ini",
    "names": "scenario names are unique per feature, short, and say what the tenant does",
    "sources": "every feature names its vendor source",
    "cassettes": "every scenario and Examples row has a cassette that loads, and no cassette is orphaned",
    "secrets": "no cassette holds a token or a credential",
    "index": "every step phrase used is indexed in features/README.md",
    "behaviours": "features/behaviours.yaml is sound and names only scenarios that exist",
}


@pytest.fixture(scope="module")
def suite() -> Suite:
    return Suite(ROOT)


def test_every_lint_category_is_checked_here():
    assert set(WHAT_EACH_CATEGORY_SAYS) == set(CATEGORIES)


def test_the_lint_sees_the_whole_suite(suite):
    """A lint that found no feature, cassette or step definition would pass vacuously."""
    inventory = suite.inventory()
    assert all(inventory[what] > 0 for what in inventory), inventory
    assert inventory["features"] == len(list((ROOT / "features").rglob("*.feature")))


@pytest.mark.parametrize("category", CATEGORIES)
def test_the_shipped_suite_has_no_problem(suite, category):
    problems = [str(problem) for problem in suite.problems([category])]
    assert problems == [], f"{WHAT_EACH_CATEGORY_SAYS[category]}:\n" + "\n".join(problems)
