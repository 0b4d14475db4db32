"""The schema catalogue: one offline registry of the schema files, clear errors naming the file."""

import json
from pathlib import Path

import pytest

from crmconf.schemas import BASE_URI, SchemaCatalogue, SchemaCatalogueError, jsonschema_rs, operation_schema

SCHEMAS = Path(__file__).parents[2] / "schemas"


def write(root, name, schema):
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(schema) if not isinstance(schema, str) else schema, encoding="utf-8")
    return path


def schema(name, **members):
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": BASE_URI + name, **members}


def test_operation_schema_follows_operation_path():
    assert operation_schema("/contact_information/show/") == "operations/contact_information/show.json"


def test_suite_schemas_load_and_know_the_envelope():
    catalogue = SchemaCatalogue(SCHEMAS)
    assert catalogue.has("envelope.json") and catalogue.has("error.json")
    assert catalogue.mismatches({"status": {"code": "OK"}, "data": None}, "envelope.json") == []


def test_validator_is_built_once(tmp_path):
    write(tmp_path, "a.json", schema("a.json", type="object"))
    catalogue = SchemaCatalogue(tmp_path)
    assert catalogue.validator("a.json") is catalogue.validator("a.json")


def test_references_resolve_offline_between_files(tmp_path):
    write(tmp_path, "shared/id.json", schema("shared/id.json", type="string", minLength=1))
    write(
        tmp_path,
        "operations/x.json",
        schema("operations/x.json", properties={"id": {"$ref": "../shared/id.json"}}),
    )
    [mismatch] = SchemaCatalogue(tmp_path).mismatches({"id": ""}, "operations/x.json")
    assert mismatch.pointer == "/id"
    assert mismatch.expected == "minLength 1"
    assert mismatch.received == '""'
    assert mismatch.schema_path.startswith("operations/x.json#/properties/id/")
    assert mismatch.schema_path.endswith("/minLength")


def test_mismatches_list_all_errors_sorted_by_pointer(tmp_path):
    write(
        tmp_path, "s.json", schema("s.json", properties={"b": {"type": "string"}, "a": {"type": "integer"}})
    )
    found = SchemaCatalogue(tmp_path).mismatches({"b": 1, "a": "x"}, "s.json")
    assert [m.pointer for m in found] == ["/a", "/b"]


def test_mismatch_pointer_escapes_slash_and_tilde(tmp_path):
    write(tmp_path, "s.json", schema("s.json", additionalProperties={"type": "string"}))
    [mismatch] = SchemaCatalogue(tmp_path).mismatches({"a/b~c": 1}, "s.json")
    assert mismatch.pointer == "/a~1b~0c"


def test_missing_folder_is_named(tmp_path):
    with pytest.raises(SchemaCatalogueError, match="does not exist"):
        SchemaCatalogue(tmp_path / "nowhere").validator("a.json")


def test_file_that_is_not_json_is_named(tmp_path):
    path = write(tmp_path, "bad.json", "{not json")
    with pytest.raises(SchemaCatalogueError, match="not valid JSON") as caught:
        SchemaCatalogue(tmp_path).validator("bad.json")
    assert str(path) in str(caught.value)


def test_id_that_does_not_mirror_the_path_is_named(tmp_path):
    path = write(tmp_path, "dir/a.json", schema("a.json"))
    with pytest.raises(
        SchemaCatalogueError, match=r"\$id must be 'https://crmconf.invalid/schemas/dir/a.json'"
    ) as caught:
        SchemaCatalogue(tmp_path).validator("dir/a.json")
    assert str(path) in str(caught.value)


def test_unknown_schema_is_named(tmp_path):
    write(tmp_path, "a.json", schema("a.json"))
    with pytest.raises(SchemaCatalogueError, match=f"no schema operations/none.json under {tmp_path}"):
        SchemaCatalogue(tmp_path).validator("operations/none.json")


def test_invalid_schema_is_named(tmp_path):
    write(tmp_path, "a.json", schema("a.json", type="nothing"))
    with pytest.raises(SchemaCatalogueError, match="not a valid JSON Schema") as caught:
        SchemaCatalogue(tmp_path).validator("a.json")
    assert str(tmp_path / "a.json") in str(caught.value)


def _write_schema(root, name, body):
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"$id": BASE_URI + name, **body}))
    return path


def test_a_sound_schema_folder_has_no_problems(tmp_path):
    _write_schema(tmp_path, "a.json", {"type": "object", "properties": {"b": {"$ref": "sub/b.json"}}})
    _write_schema(tmp_path, "sub/b.json", {"type": "string"})
    assert SchemaCatalogue(tmp_path).problems() == []


def test_problems_name_an_unresolved_ref_with_its_place(tmp_path):
    path = _write_schema(tmp_path, "a.json", {"properties": {"b": {"$ref": "missing.json"}}})
    [problem] = SchemaCatalogue(tmp_path).problems()
    assert str(path) in problem and "#/properties/b" in problem and "missing.json" in problem


def test_problems_name_an_invalid_schema(tmp_path):
    path = _write_schema(tmp_path, "a.json", {"type": 12})
    [problem] = SchemaCatalogue(tmp_path).problems()
    assert str(path) in problem and "not a valid JSON Schema" in problem


def test_problems_name_a_file_that_is_not_json(tmp_path):
    (tmp_path / "a.json").write_text("{not json")
    [problem] = SchemaCatalogue(tmp_path).problems()
    assert "a.json" in problem and "not valid JSON" in problem


def test_problems_name_a_wrong_id(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"$id": BASE_URI + "elsewhere.json"}))
    [problem] = SchemaCatalogue(tmp_path).problems()
    assert "$id must be" in problem


# -- the fast path: jsonschema-rs says "valid", jsonschema explains a failure ----------------------

EXAMPLES = Path(__file__).parents[1] / "schemas" / "examples"


def _example_cases():
    for path in sorted(EXAMPLES.rglob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        for index, case in enumerate(document["tests"]):
            yield pytest.param(document["schema"], case, id=f"{document['schema']} #{index}")


@pytest.fixture(scope="module")
def suite_catalogue():
    return SchemaCatalogue(SCHEMAS)


@pytest.mark.skipif(jsonschema_rs is None, reason="jsonschema-rs is not installed")
def test_suite_schemas_compile_for_the_fast_path(suite_catalogue):
    for path in sorted(SCHEMAS.rglob("*.json")):
        name = path.relative_to(SCHEMAS).as_posix()
        assert suite_catalogue.fast_validator(name) is not None, name


@pytest.mark.parametrize(("name", "case"), list(_example_cases()))
def test_fast_path_and_jsonschema_agree_on_every_example_body(suite_catalogue, name, case):
    assert suite_catalogue.is_valid(case["data"], name) is case["valid"]
    assert suite_catalogue.validator(name).is_valid(case["data"]) is case["valid"]
    assert (suite_catalogue.mismatches(case["data"], name) == []) is case["valid"]


def test_mismatches_are_the_same_without_the_fast_path(tmp_path):
    write(tmp_path, "s.json", schema("s.json", properties={"b": {"type": "string"}, "a": {"minimum": 3}}))
    fast = SchemaCatalogue(tmp_path)
    slow = SchemaCatalogue(tmp_path)
    slow._fast_validators["s.json"] = None  # as on a platform without jsonschema-rs
    for instance in ({"b": 1, "a": 1}, {"b": "x", "a": 5}, {"a": 2}):
        assert fast.mismatches(instance, "s.json") == slow.mismatches(instance, "s.json")


def test_fast_path_never_fetches_a_reference(tmp_path):
    write(tmp_path, "a.json", schema("a.json", properties={"b": {"$ref": "https://example.com/remote.json"}}))
    catalogue = SchemaCatalogue(tmp_path)
    assert catalogue.fast_validator("a.json") is None  # cannot compile offline: jsonschema judges alone
