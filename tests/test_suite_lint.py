"""The suite lints itself: every feature names its source, every tag is registered, every scenario
has a cassette and every cassette a scenario, every step phrase is indexed, no secret is recorded."""

from __future__ import annotations

import configparser
import re
from pathlib import Path

import pytest
import yaml
from pytest_bdd.feature import get_feature

from crmconf.recording import cassette_path

ROOT = Path(__file__).resolve().parents[1]
FEATURES = sorted((ROOT / "features").glob("*.feature"))
CASSETTES = ROOT / "cassettes"
TOKEN_SHAPES = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.|\b[0-9a-f]{32}\b")


def registered_markers() -> set[str]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "pytest.ini")
    lines = parser["pytest"]["markers"].strip().splitlines()
    return {re.split(r"[(:]", line.strip(), maxsplit=1)[0] for line in lines if line.strip()}


def scenarios():
    for path in FEATURES:
        feature = get_feature(str(path.parent), path.name)
        for scenario in feature.scenarios.values():
            yield path, feature, scenario


def expected_cassettes() -> set[Path]:
    expected = set()
    for path, _feature, scenario in scenarios():
        examples = [context for table in scenario.examples for context in table.as_contexts()]
        if not examples:
            expected.add(cassette_path(CASSETTES, str(path), scenario.name))
        for context in examples:
            expected.add(cassette_path(CASSETTES, str(path), scenario.name, "-".join(context.values())))
    return expected


@pytest.mark.parametrize("path", FEATURES, ids=lambda p: p.name)
def test_every_feature_names_its_vendor_source(path):
    feature = get_feature(str(path.parent), path.name)
    assert "Source: vendor wiki" in feature.description, f"{path.name} names no vendor page"


def test_every_tag_is_a_registered_marker():
    markers = registered_markers()
    for path, feature, scenario in scenarios():
        for tag in feature.tags | scenario.tags:
            name = "since" if tag.startswith("since_R") else tag
            assert name in markers, f"{path.name}: tag @{tag} is not a marker in pytest.ini"


def test_scenario_names_are_unique_and_short():
    for path, feature, _scenario in scenarios():
        names = list(feature.scenarios)
        assert len(names) == len(set(names)), f"{path.name} repeats a scenario name"
        for name in names:
            assert len(name) <= 80, f"{path.name}: scenario name too long: {name!r}"
            assert "should" not in name.split(), f"{path.name}: say what the tenant does, not should: {name!r}"


def test_every_scenario_has_a_cassette_and_none_is_orphaned():
    expected = expected_cassettes()
    shipped = set(CASSETTES.rglob("*.yaml"))
    assert sorted(map(str, expected - shipped)) == [], "scenarios without a cassette: record them"
    assert sorted(map(str, shipped - expected)) == [], "cassettes no scenario uses: delete them"


def test_shipped_cassettes_hold_no_token():
    for path in CASSETTES.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert not TOKEN_SHAPES.search(text), f"{path} holds something shaped like a token"
        yaml.safe_load(text)


def test_every_step_phrase_used_is_indexed_in_the_features_readme():
    index = (ROOT / "features" / "README.md").read_text(encoding="utf-8")
    phrases = set(re.findall(r"^\| `(?:Given|When|Then|And) ([^`]+)`", index, re.M))
    assert phrases, "features/README.md lists no step phrase"
    templates = [".+".join(map(re.escape, re.split(r"<[^>]+>|\{[a-z_]+\}", phrase))) for phrase in phrases]
    for path, _feature, scenario in scenarios():
        for step in scenario.steps:
            assert any(re.fullmatch(template, step.name) for template in templates), (
                f"{path.name}:{step.line_number}: {step.keyword} {step.name!r} is not in the index"
            )
