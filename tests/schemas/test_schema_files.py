"""The schemas under schemas/ lint clean, resolve offline, and judge example bodies as intended.

Example bodies live in tests/schemas/examples/, one JSON file per schema at the same relative path:
``{"schema": "<path under schemas/>", "tests": [{"description", "data", "valid", "fails_at"?, "keyword"?}]}``.
An invalid case names the instance location (JSON pointer) and the keyword that must reject it, so a
case cannot pass by failing for an unintended reason.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError
from referencing import Registry, Resource
from referencing.exceptions import Unresolvable

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMAS_DIR = REPO_ROOT / "schemas"
EXAMPLES_DIR = Path(__file__).resolve().parent / "examples"
BASE_URI = "https://crmconf.invalid/schemas/"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# Keywords whose value is a schema, a list of schemas, or a map of name -> schema (draft 2020-12 applicators).
SCHEMA_KEYWORDS = {
    "items", "not", "if", "then", "else", "contains", "additionalProperties", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "contentSchema",
}
SCHEMA_LIST_KEYWORDS = {"allOf", "anyOf", "oneOf", "prefixItems"}
SCHEMA_MAP_KEYWORDS = {"$defs", "properties", "patternProperties", "dependentSchemas"}


def _relative(path: Path, root: Path) -> str:
    return path.relative_to(root).as_posix()


SCHEMA_FILES = sorted(_relative(p, SCHEMAS_DIR) for p in SCHEMAS_DIR.rglob("*") if p.is_file())
EXAMPLE_FILES = sorted(_relative(p, EXAMPLES_DIR) for p in EXAMPLES_DIR.rglob("*.json"))


def _load_json(path: Path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        problem = str(exc)
    pytest.fail(f"{path.relative_to(REPO_ROOT)}: not valid JSON: {problem}")


@functools.cache
def load_schema(rel: str) -> dict:
    return _load_json(SCHEMAS_DIR / rel)


@functools.cache
def registry() -> Registry:
    """Every schema file as a resource under its `$id`; no retrieval, so nothing is ever fetched."""
    resources = [
        (load_schema(rel)["$id"], Resource.from_contents(load_schema(rel)))
        for rel in SCHEMA_FILES
    ]
    return Registry().with_resources(resources).crawl()


@functools.cache
def validator(rel: str) -> Draft202012Validator:
    return Draft202012Validator(load_schema(rel), registry=registry())


def _pointer(parts) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def iter_refs(node, pointer: str, base: str) -> Iterator[tuple[str, str, str]]:
    """Yield (pointer, base URI, $ref) for every `$ref` in schema positions, honouring nested `$id`."""
    if not isinstance(node, dict):
        return
    if "$id" in node and pointer:
        base = urljoin(base, node["$id"])
    if isinstance(node.get("$ref"), str):
        yield pointer, base, node["$ref"]
    for key, value in node.items():
        here = f"{pointer}/{_pointer([key])[1:]}"
        if key in SCHEMA_KEYWORDS:
            yield from iter_refs(value, here, base)
        elif key in SCHEMA_LIST_KEYWORDS and isinstance(value, list):
            for i, sub in enumerate(value):
                yield from iter_refs(sub, f"{here}/{i}", base)
        elif key in SCHEMA_MAP_KEYWORDS and isinstance(value, dict):
            for name, sub in value.items():
                yield from iter_refs(sub, f"{here}{_pointer([name])}", base)


# --- the files themselves -------------------------------------------------------------------------


def test_schemas_directory_is_not_empty():
    assert SCHEMA_FILES, f"no files under {SCHEMAS_DIR}"


@pytest.mark.parametrize("rel", SCHEMA_FILES)
def test_file_is_json_with_two_space_indent(rel):
    assert rel.endswith(".json"), f"schemas/{rel}: every file under schemas/ is a .json schema"
    text = (SCHEMAS_DIR / rel).read_text(encoding="utf-8")
    schema = load_schema(rel)
    assert text == json.dumps(schema, indent=2, ensure_ascii=False) + "\n", (
        f"schemas/{rel}: not formatted as 2-space indented JSON with a final newline"
    )


@pytest.mark.parametrize("rel", SCHEMA_FILES)
def test_file_is_a_valid_2020_12_schema(rel):
    schema = load_schema(rel)
    assert schema.get("$schema") == DIALECT, f"schemas/{rel}: $schema must be {DIALECT}"
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        problem = f"at {exc.json_path}: {exc.message}"
    else:
        problem = None
    assert problem is None, f"schemas/{rel}: invalid against the 2020-12 metaschema {problem}"


@pytest.mark.parametrize("rel", SCHEMA_FILES)
def test_id_mirrors_the_file_path(rel):
    assert load_schema(rel).get("$id") == BASE_URI + rel, f"schemas/{rel}: $id must be {BASE_URI + rel}"


@pytest.mark.parametrize("rel", SCHEMA_FILES)
def test_schema_has_title_and_description(rel):
    schema = load_schema(rel)
    for keyword in ("title", "description"):
        value = schema.get(keyword)
        assert isinstance(value, str) and value.strip(), f"schemas/{rel}: missing a non-empty {keyword}"


@pytest.mark.parametrize("rel", SCHEMA_FILES)
def test_every_ref_is_relative_and_resolves_offline(rel):
    schema = load_schema(rel)
    problems = []
    for pointer, base, ref in iter_refs(schema, "", schema["$id"]):
        where = f"schemas/{rel}#{pointer or '/'}/$ref = {ref!r}"
        if urlsplit(ref).scheme:
            problems.append(f"{where}: must be relative to the file, not an absolute URI")
            continue
        target = urljoin(base, ref)
        if not target.startswith(BASE_URI):
            problems.append(f"{where}: points outside {BASE_URI} ({target})")
            continue
        try:
            registry().resolver(base_uri=base).lookup(ref)
        except Unresolvable as exc:
            problems.append(f"{where}: does not resolve to {target} ({type(exc).__name__})")
    assert not problems, "\n".join(problems)


# --- example bodies -------------------------------------------------------------------------------


def _example_cases():
    for rel in EXAMPLE_FILES:
        doc = _load_json(EXAMPLES_DIR / rel)
        for index, case in enumerate(doc["tests"]):
            yield pytest.param(doc["schema"], case, id=f"{doc['schema']} #{index} {case['description']}")


def _flatten(errors) -> Iterator[ValidationError]:
    for error in errors:
        yield error
        yield from _flatten(error.context or ())


@pytest.mark.parametrize("rel", EXAMPLE_FILES)
def test_examples_file_names_its_schema(rel):
    doc = _load_json(EXAMPLES_DIR / rel)
    assert doc.get("schema") == rel, f"tests/schemas/examples/{rel}: 'schema' must be {rel!r} (same path)"
    assert rel in SCHEMA_FILES, f"tests/schemas/examples/{rel}: no schemas/{rel}"


@pytest.mark.parametrize("rel", [r for r in SCHEMA_FILES if r.endswith(".json")])
def test_every_schema_has_passing_and_failing_examples(rel):
    path = EXAMPLES_DIR / rel
    assert path.is_file(), f"schemas/{rel}: no examples at tests/schemas/examples/{rel}"
    verdicts = {case["valid"] for case in _load_json(path)["tests"]}
    assert verdicts == {True, False}, f"tests/schemas/examples/{rel}: needs both valid and invalid cases"


@pytest.mark.parametrize(("rel", "case"), list(_example_cases()))
def test_example_is_judged_as_intended(rel, case):
    try:
        errors = list(validator(rel).iter_errors(case["data"]))
    except Unresolvable as exc:
        broken = type(exc).__name__
    else:
        broken = None
    # Failing outside the except block keeps the chained error (it dumps the whole schema) out of the report.
    if broken:
        pytest.fail(f"schemas/{rel}: a $ref does not resolve ({broken}); see the $ref lint test")
    if case["valid"]:
        assert not errors, f"schemas/{rel} rejects {case['description']!r}:\n" + "\n".join(
            f"  {_pointer(e.absolute_path) or '/'}: {e.message} (schema {_pointer(e.absolute_schema_path)})"
            for e in errors
        )
        return
    assert errors, f"schemas/{rel} accepts {case['description']!r}"
    expected = (case["fails_at"], case["keyword"])
    seen = {(_pointer(e.absolute_path), e.validator) for e in _flatten(errors)}
    assert expected in seen, (
        f"schemas/{rel} rejects {case['description']!r}, but not by {case['keyword']!r} at "
        f"{case['fails_at'] or '/'}; errors seen: {sorted(seen)}"
    )
