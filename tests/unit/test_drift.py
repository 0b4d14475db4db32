"""``crmconf diff``: two small cassette folders made here, each differing from the other in one way."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from check_support import envelope

from crmconf import drift
from crmconf.cli import main
from crmconf.recording import ReadableYamlSerializer

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "schemas"
SERVER = "http://tenant.crmconf.invalid/crmapi/rest/v2/"
SHOW = "contact_information/show?token=<TOKEN>&contact_information_identifier=number=CI000111"
UNKNOWN = "contact_information/show?token=<TOKEN>&contact_information_identifier=id=NOBODY"

CONTACT = {
    "id": "C1",
    "type": "PERSON",
    "life_cycle_state": "MARKETING",
    "name": "Eleni Georgiou",
    "notes": "calls after 17:00",
    "organizational_unit": 1,
    "phones_set": [{"id": "P1", "type": "MOBILE", "number": "99123456", "area_code": "+357"}],
}


def interaction(method: str, target: str, body, http_status: int = 200) -> dict:
    return {
        "request": {"method": method, "uri": SERVER + target, "body": None, "headers": {}},
        "response": {
            "status": {"code": http_status, "message": "OK"},
            "headers": {"Content-Type": ["application/json"]},
            "body": {"string": json.dumps(body)},
        },
    }


def recording(
    contact: dict, error_http: int = 404, error_code: str = "COM.CRM.EXCEPTION.CONTACT.NOTFOUNDEXCEPTION"
):
    """A folder's worth of cassettes: a show that succeeds and one that is refused."""
    return {
        "contact_information_show/show.yaml": [interaction("GET", SHOW, envelope(contact))],
        "contact_information_show/unknown.yaml": [
            interaction("GET", UNKNOWN, envelope(None, error_code, "no such contact"), error_http)
        ],
    }


def write_folder(folder: Path, cassettes: dict[str, list[dict]]) -> Path:
    for name, interactions in cassettes.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        cassette = {"version": 1, "interactions": copy.deepcopy(interactions)}
        path.write_text(ReadableYamlSerializer.serialize(cassette), encoding="utf-8")
    return folder


REMOVED = object()


def changed_contact(**changes) -> dict:
    """The contact with members changed, added, or removed (``name=REMOVED``)."""
    contact = copy.deepcopy(CONTACT)
    for name, value in changes.items():
        if value is REMOVED:
            del contact[name]
        else:
            contact[name] = value
    return contact


def compare(tmp_path: Path, old: dict, new: dict) -> drift.Drift:
    return drift.compare(write_folder(tmp_path / "old", old), write_folder(tmp_path / "new", new), SCHEMAS)


def kinds(result: drift.Drift) -> list[tuple[str, str, str]]:
    return [(change.operation, change.kind, change.where) for change in result.changes]


SHOW_GROUP = "GET contact_information/show"


def test_identical_folders_change_nothing(tmp_path):
    result = compare(tmp_path, recording(CONTACT), recording(CONTACT))
    assert result.changes == [] and result.exit_status == drift.NOTHING_CHANGED
    assert (
        drift.summary(result) == "crmconf diff: nothing changed (1 operations, 2 and 2 interactions compared)"
    )


def test_a_field_added(tmp_path):
    result = compare(tmp_path, recording(CONTACT), recording(changed_contact(nickname="Leni")))
    assert kinds(result) == [(SHOW_GROUP, drift.FIELD_ADDED, "/data/nickname")]
    assert result.changes[0].new == ["string"]
    assert result.exit_status == drift.CHANGED and result.breaks == []


def test_a_field_removed(tmp_path):
    result = compare(tmp_path, recording(CONTACT), recording(changed_contact(notes=REMOVED)))
    assert kinds(result) == [(SHOW_GROUP, drift.FIELD_REMOVED, "/data/notes")]
    assert result.exit_status == drift.CHANGED


def test_a_type_change(tmp_path):
    result = compare(tmp_path, recording(CONTACT), recording(changed_contact(notes=None)))
    assert kinds(result) == [(SHOW_GROUP, drift.TYPE_CHANGED, "/data/notes")]
    assert (result.changes[0].old, result.changes[0].new) == (["string"], ["null"])
    assert result.exit_status == drift.CHANGED


def test_a_new_enum_value(tmp_path):
    new = changed_contact(life_cycle_state="FINANCIAL")
    new["phones_set"].append({"id": "P2", "type": "FAX", "number": "22445566", "area_code": "+357"})
    result = compare(tmp_path, recording(CONTACT), recording(new))
    assert kinds(result) == [
        (SHOW_GROUP, drift.NEW_VALUE, "/data/life_cycle_state"),
        (SHOW_GROUP, drift.NEW_VALUE, "/data/phones_set/*/type"),
    ]
    assert [change.new for change in result.changes] == [["FINANCIAL"], ["FAX"]]
    assert result.exit_status == drift.CHANGED


def test_array_indices_are_generalised(tmp_path):
    new = changed_contact()
    new["phones_set"].append(copy.deepcopy(new["phones_set"][0]))
    assert compare(tmp_path, recording(CONTACT), recording(new)).changes == []


def test_an_http_status_change_of_the_same_request(tmp_path):
    result = compare(tmp_path, recording(CONTACT), recording(CONTACT, error_http=400))
    assert [(c.kind, c.old, c.new) for c in result.changes] == [(drift.HTTP_STATUS_CHANGED, 404, 400)]
    assert result.changes[0].where.startswith(
        "contact_information_show/unknown.yaml #1 GET contact_information/show?"
    )
    assert result.exit_status == drift.CHANGED


def test_an_envelope_status_code_change(tmp_path):
    result = compare(
        tmp_path, recording(CONTACT), recording(CONTACT, error_code="COM.CRM.EXCEPTION.CONTACT.INVALID")
    )
    assert (
        drift.STATUS_CODE_CHANGED,
        "COM.CRM.EXCEPTION.CONTACT.NOTFOUNDEXCEPTION",
        "COM.CRM.EXCEPTION.CONTACT.INVALID",
    ) in [(c.kind, c.old, c.new) for c in result.changes]
    assert (SHOW_GROUP, drift.NEW_VALUE, "/status/code") in kinds(result)


def test_a_change_that_breaks_the_schemas_is_named(tmp_path):
    result = compare(tmp_path, recording(CONTACT), recording(changed_contact(organizational_unit="1")))
    assert kinds(result) == [(SHOW_GROUP, drift.TYPE_CHANGED, "/data/organizational_unit")]
    assert result.exit_status == drift.BREAKS_SCHEMAS
    [schema_break] = result.breaks
    assert schema_break.place == "contact_information_show/show.yaml #1"
    assert schema_break.rule == "response.schema"
    assert "at /data/organizational_unit" in schema_break.mismatches[0]
    assert "NEW responses that break the schemas:" in drift.render_text(result)


def test_an_operation_only_one_folder_has(tmp_path):
    new = recording(CONTACT)
    new["authentication/login.yaml"] = [
        interaction("POST", "authentication/token", envelope({"token": "<TOKEN:JWT>"}))
    ]
    result = compare(tmp_path, recording(CONTACT), new)
    assert kinds(result) == [
        ("POST authentication/token", drift.OPERATION_ADDED, "POST authentication/token")
    ]
    reverse = drift.compare(tmp_path / "new", tmp_path / "old", SCHEMAS)
    assert [change.kind for change in reverse.changes] == [drift.OPERATION_REMOVED]


def test_text_and_json_reports(tmp_path):
    result = compare(tmp_path, recording(CONTACT), recording(changed_contact(nickname="Leni", notes=REMOVED)))
    text = drift.render_text(result)
    assert (
        f"{SHOW_GROUP}\n  field added          /data/nickname (string)\n"
        "  field removed        /data/notes (was string)" in text
    )
    assert text.endswith(
        "crmconf diff: 2 changes in 1 operations, and every NEW response still validates against the schemas"
    )
    report = drift.as_json(result)
    assert report["exit_status"] == 1
    assert report["changes"][0] == {
        "operation": SHOW_GROUP,
        "kind": "field added",
        "where": "/data/nickname",
        "old": None,
        "new": ["string"],
    }
    json.dumps(report)


@pytest.mark.parametrize(
    ("pointer", "value", "enum_like"),
    [
        ("/data/type", "PERSON", True),
        ("/status/code", "COM.CRM.EXCEPTION.X", True),
        ("/data/life_cycle_state", "MARKETING", True),
        ("/data/demographics/gender", "FEMALE", True),
        ("/data/addresses_set/*/postal_code", "EC1A", False),
        ("/data/type", "a person", False),
        ("/data/name", "ELENI", False),
        ("/data/type", 3, False),
    ],
)
def test_the_enum_like_rule(pointer, value, enum_like):
    assert (drift.is_code_member(pointer) and drift.looks_like_a_code(value)) is enum_like


# -- folders that are not cassette folders ------------------------------------------------------


def test_a_missing_folder(tmp_path):
    with pytest.raises(drift.DriftInputError, match=r"/nowhere does not exist$"):
        drift.read_folder(tmp_path / "nowhere")


def test_a_folder_without_cassettes(tmp_path):
    with pytest.raises(drift.DriftInputError, match=r"is not a cassette folder: it holds no \*\.yaml file"):
        drift.read_folder(tmp_path)


def test_a_file_instead_of_a_folder(tmp_path):
    (tmp_path / "cassette.yaml").write_text("interactions: []\n")
    with pytest.raises(drift.DriftInputError, match="is a file, not a folder of cassettes"):
        drift.read_folder(tmp_path / "cassette.yaml")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("behaviours: []\n", "not a cassette: no list of interactions"),
        ("interactions: [\n", "not valid YAML"),
        ("interactions:\n- request: {}\n  response: {}\n", "an interaction lacks"),
    ],
)
def test_a_yaml_file_that_is_not_a_cassette(tmp_path, text, reason):
    (tmp_path / "notes.yaml").write_text(text)
    with pytest.raises(drift.DriftInputError) as raised:
        drift.read_folder(tmp_path)
    assert str(raised.value).startswith(f"{tmp_path} is not a cassette folder: {tmp_path / 'notes.yaml'}: ")
    assert reason in str(raised.value)


# -- the command ----------------------------------------------------------------------------------


def test_the_diff_command_exit_statuses(tmp_path, capsys):
    old = write_folder(tmp_path / "old", recording(CONTACT))
    same = write_folder(tmp_path / "same", recording(CONTACT))
    added = write_folder(tmp_path / "added", recording(changed_contact(nickname="Leni")))
    broken = write_folder(tmp_path / "broken", recording(changed_contact(type="ROBOT")))
    schemas = ["--schemas", str(SCHEMAS)]
    assert main(["diff", str(old), str(same), *schemas]) == 0
    assert main(["diff", str(old), str(added), *schemas]) == 1
    assert main(["diff", str(old), str(broken), *schemas]) == 2
    assert "response.schema" in capsys.readouterr().out
    assert main(["diff", str(old), str(tmp_path / "nowhere"), *schemas]) == 3
    assert capsys.readouterr().err == f"crmconf diff: {tmp_path / 'nowhere'} does not exist\n"
    assert main(["diff", str(old), str(added), "--json", *schemas]) == 1
    assert json.loads(capsys.readouterr().out)["changes"][0]["where"] == "/data/nickname"
