"""What changed between two recordings: ``crmconf diff OLD NEW`` compares two cassette folders.

Record the suite before and after a tenant upgrade, then compare. Interactions are grouped by
operation (HTTP method + operation path, such as ``GET contact_information/show``); within an
operation the response bodies of OLD and NEW are compared as shapes, never as values:

* **field added / removed**: a JSON pointer present in one recording only. Array indices are
  generalised to ``*`` (``/data/addresses_set/*/type``), so a longer list is not a new field.
* **type changed**: the JSON types seen at a pointer differ (``integer`` -> ``string``; ``null``
  counts as a type, so a member that became always-null shows).
* **new value**: an enum-like value seen in NEW and never in OLD at the same pointer. A value is
  enum-like when (1) its member is named ``type``, ``code``, ``gender``, ``state`` or ``status``,
  or its name ends in ``_type``, ``_state`` or ``_status`` (``life_cycle_state``, ``status/code``),
  and (2) it is a string that looks like a code: a capital letter, then capitals, digits, ``_``,
  ``.`` or ``-`` (``PERSON``, ``OK``, ``COM.CRM.EXCEPTION.X``). Values that disappear are not
  reported: a recording shows only the values its data happened to use.
* **HTTP status / envelope status code changed**: for the same request (same cassette, method,
  URL and body, n-th occurrence), the HTTP status or ``status.code`` of the answer differs.
* **operation added / removed**: an operation recorded in one folder only.

Only responses are compared: requests are what the suite sent, not what the tenant does.

Exit status: 0 nothing changed; 1 something changed and every NEW body still validates against
the schemas (``crmconf.checks.check_response``); 2 something changed and a NEW body breaks the
schemas (each named); 3 OLD or NEW is not a cassette folder, or the schemas cannot be read.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from vcr.persisters.filesystem import CassetteDecodeError

from crmconf.checks import check_response
from crmconf.client import API_PATH, Exchange, SentRequest
from crmconf.failures import ConformanceFailure
from crmconf.recording import CASSETTE_SUFFIX, ReadableYamlSerializer
from crmconf.schemas import SchemaCatalogue, SchemaCatalogueError

NOTHING_CHANGED = 0
CHANGED = 1
BREAKS_SCHEMAS = 2
BAD_INPUT = 3

CODE_MEMBERS = frozenset({"type", "code", "gender", "state", "status"})
CODE_MEMBER_SUFFIXES = ("_type", "_state", "_status")
CODE_VALUE = re.compile(r"[A-Z][A-Z0-9_.\-]*")

FIELD_ADDED = "field added"
FIELD_REMOVED = "field removed"
TYPE_CHANGED = "type changed"
NEW_VALUE = "new value"
HTTP_STATUS_CHANGED = "HTTP status changed"
STATUS_CODE_CHANGED = "status code changed"
OPERATION_ADDED = "operation added"
OPERATION_REMOVED = "operation removed"


class DriftInputError(Exception):
    """A folder that is not a cassette folder, or schemas that cannot be read; names the path."""


# -- reading recordings ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Recorded:
    """One recorded interaction: where it is, what was asked, what came back."""

    cassette: str
    number: int
    method: str
    uri: str
    request_body: str | None
    http_status: int
    content_type: str
    text: str

    @property
    def operation(self) -> str:
        path = urlsplit(self.uri).path
        return path.split(API_PATH, 1)[1] if API_PATH in path else path.lstrip("/")

    @property
    def group(self) -> str:
        return f"{self.method} {self.operation}"

    @property
    def place(self) -> str:
        return f"{self.cassette} #{self.number}"

    @cached_property
    def body(self) -> Any:
        try:
            return json.loads(self.text)
        except ValueError:
            return None

    @property
    def status_code(self) -> Any:
        status = self.body.get("status") if isinstance(self.body, Mapping) else None
        return status.get("code") if isinstance(status, Mapping) else None

    def exchange(self) -> Exchange:
        request = SentRequest(self.method, self.operation, self.uri, raw_body=self.request_body)
        return Exchange(request, self.http_status, self.content_type, self.text, elapsed=0.0)


def read_folder(folder: Path) -> list[Recorded]:
    """Every interaction of every cassette under ``folder``; ``DriftInputError`` when it is not one."""
    folder = Path(folder)
    if not folder.exists():
        raise DriftInputError(f"{folder} does not exist")
    if not folder.is_dir():
        raise DriftInputError(f"{folder} is a file, not a folder of cassettes")
    paths = sorted(folder.rglob("*" + CASSETTE_SUFFIX))
    if not paths:
        raise DriftInputError(f"{folder} is not a cassette folder: it holds no *{CASSETTE_SUFFIX} file")
    return [recorded for path in paths for recorded in _read_cassette(folder, path)]


def _read_cassette(folder: Path, path: Path) -> list[Recorded]:
    name = path.relative_to(folder).as_posix()
    try:
        cassette = ReadableYamlSerializer.deserialize(path.read_text(encoding="utf-8"))
        return [_recorded(name, number, item) for number, item in enumerate(cassette["interactions"], 1)]
    except (OSError, UnicodeDecodeError) as error:
        raise DriftInputError(f"{path} cannot be read: {error}") from None
    except (CassetteDecodeError, KeyError, TypeError, ValueError, AttributeError) as error:
        reason = " ".join(str(error).split()) or type(error).__name__
        if isinstance(error, KeyError):
            reason = f"an interaction lacks {reason}"
        raise DriftInputError(f"{folder} is not a cassette folder: {path}: {reason}") from None


def _recorded(name: str, number: int, interaction: Mapping[str, Any]) -> Recorded:
    request, response = interaction["request"], interaction["response"]
    headers = {str(key).lower(): value for key, value in (response.get("headers") or {}).items()}
    content_type = headers.get("content-type", "")
    content_type = content_type[0] if isinstance(content_type, list) and content_type else content_type
    body = response["body"]["string"]
    return Recorded(
        cassette=name,
        number=number,
        method=str(request["method"]).upper(),
        uri=str(request["uri"]),
        request_body=request.get("body") if isinstance(request.get("body"), str) else None,
        http_status=int(response["status"]["code"]),
        content_type=str(content_type or ""),
        text=body.decode("utf-8", errors="replace") if isinstance(body, bytes) else str(body or ""),
    )


# -- shapes ---------------------------------------------------------------------------------------


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def members(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    """Every (generalised JSON pointer, value) below ``value``: array indices become ``*``."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            here = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
            yield here, item
            yield from members(item, here)
    elif isinstance(value, list):
        for item in value:
            yield f"{pointer}/*", item
            yield from members(item, f"{pointer}/*")


def is_code_member(pointer: str) -> bool:
    name = pointer.rsplit("/", 1)[-1]
    return name in CODE_MEMBERS or name.endswith(CODE_MEMBER_SUFFIXES)


def looks_like_a_code(value: Any) -> bool:
    return isinstance(value, str) and CODE_VALUE.fullmatch(value) is not None


@dataclass
class Shape:
    """What one operation's responses looked like: types and code values at each pointer."""

    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    codes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, body: Any) -> None:
        for pointer, value in members(body):
            self.types[pointer].add(json_type(value))
            if is_code_member(pointer) and looks_like_a_code(value):
                self.codes[pointer].add(value)


def shapes(recordings: list[Recorded]) -> dict[str, Shape]:
    by_operation: dict[str, Shape] = defaultdict(Shape)
    for recorded in recordings:
        by_operation[recorded.group].add(recorded.body)
    return dict(by_operation)


# -- comparing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    operation: str
    kind: str
    where: str
    """A JSON pointer, or the request (cassette and interaction number) whose answer changed."""
    old: Any = None
    new: Any = None

    def __str__(self) -> str:
        if self.kind in (OPERATION_ADDED, OPERATION_REMOVED):
            return self.kind
        if self.kind == FIELD_ADDED:
            return f"{self.kind:<20} {self.where} ({_types(self.new)})"
        if self.kind == FIELD_REMOVED:
            return f"{self.kind:<20} {self.where} (was {_types(self.old)})"
        if self.kind == NEW_VALUE:
            return f"{self.kind:<20} {self.where}: {', '.join(json.dumps(v) for v in self.new)}"
        return f"{self.kind:<20} {self.where}: {_shown(self.old)} -> {_shown(self.new)}"

    def as_json(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "kind": self.kind,
            "where": self.where,
            "old": self.old,
            "new": self.new,
        }


def _types(types: Any) -> str:
    return " or ".join(types) if isinstance(types, list) else str(types)


def _shown(value: Any) -> str:
    return _types(value) if isinstance(value, list) else json.dumps(value)


def shape_changes(operation: str, old: Shape, new: Shape) -> Iterator[Change]:
    for pointer in sorted(new.types.keys() - old.types.keys()):
        yield Change(operation, FIELD_ADDED, pointer, None, sorted(new.types[pointer]))
    for pointer in sorted(old.types.keys() - new.types.keys()):
        yield Change(operation, FIELD_REMOVED, pointer, sorted(old.types[pointer]), None)
    for pointer in sorted(old.types.keys() & new.types.keys()):
        if old.types[pointer] != new.types[pointer]:
            yield Change(
                operation, TYPE_CHANGED, pointer, sorted(old.types[pointer]), sorted(new.types[pointer])
            )
    for pointer in sorted(new.codes.keys() & old.types.keys()):
        added = new.codes[pointer] - old.codes.get(pointer, set())
        if added:
            yield Change(operation, NEW_VALUE, pointer, sorted(old.codes.get(pointer, set())), sorted(added))


def _paired(old: list[Recorded], new: list[Recorded]) -> Iterator[tuple[Recorded, Recorded]]:
    """Interactions that are the same request in both folders: same cassette, method, URL, body, n-th."""

    def keyed(recordings: list[Recorded]) -> dict[tuple, Recorded]:
        seen: Counter = Counter()
        result = {}
        for recorded in recordings:
            request = (recorded.cassette, recorded.method, recorded.uri, _canonical(recorded.request_body))
            seen[request] += 1
            result[(*request, seen[request])] = recorded
        return result

    old_keyed, new_keyed = keyed(old), keyed(new)
    for key, recorded in old_keyed.items():
        if key in new_keyed:
            yield recorded, new_keyed[key]


def _canonical(body: str | None) -> str | None:
    try:
        return json.dumps(json.loads(body), sort_keys=True) if body else body
    except ValueError:
        return body


def status_changes(old: list[Recorded], new: list[Recorded]) -> Iterator[Change]:
    for before, after in _paired(old, new):
        where = f"{after.place} {after.method} {_request_line(after)}"
        if before.http_status != after.http_status:
            yield Change(after.group, HTTP_STATUS_CHANGED, where, before.http_status, after.http_status)
        if before.status_code != after.status_code:
            yield Change(after.group, STATUS_CODE_CHANGED, where, before.status_code, after.status_code)


def _request_line(recorded: Recorded) -> str:
    parts = urlsplit(recorded.uri)
    path = recorded.operation
    return f"{path}?{parts.query}" if parts.query else path


@dataclass(frozen=True)
class SchemaBreak:
    """A NEW response that breaks the schemas: where it is, the rule and every mismatch."""

    place: str
    operation: str
    rule: str
    mismatches: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.place} {self.operation}: {self.rule}: " + "; ".join(self.mismatches)

    def as_json(self) -> dict[str, Any]:
        return {
            "where": self.place,
            "operation": self.operation,
            "rule": self.rule,
            "mismatches": list(self.mismatches),
        }


def schema_breaks(recordings: list[Recorded], catalogue: SchemaCatalogue) -> list[SchemaBreak]:
    breaks = []
    for recorded in recordings:
        try:
            check_response(recorded.exchange(), catalogue)
        except SchemaCatalogueError as error:
            raise DriftInputError(f"the schemas cannot judge the NEW bodies: {error}") from None
        except ConformanceFailure as failure:
            breaks.append(
                SchemaBreak(
                    recorded.place,
                    recorded.group,
                    failure.rule.id,
                    tuple(str(mismatch) for mismatch in failure.mismatches),
                )
            )
    return breaks


@dataclass
class Drift:
    old: Path
    new: Path
    changes: list[Change]
    breaks: list[SchemaBreak]
    operations: int
    interactions: tuple[int, int]

    @property
    def exit_status(self) -> int:
        if not self.changes:
            return NOTHING_CHANGED
        return BREAKS_SCHEMAS if self.breaks else CHANGED

    def by_operation(self) -> dict[str, list[Change]]:
        grouped: dict[str, list[Change]] = defaultdict(list)
        for change in self.changes:
            grouped[change.operation].append(change)
        return dict(sorted(grouped.items()))


def compare(old_folder: Path, new_folder: Path, schemas: Path) -> Drift:
    """Compare two cassette folders; NEW is checked against ``schemas`` when something changed."""
    old, new = read_folder(old_folder), read_folder(new_folder)
    old_shapes, new_shapes = shapes(old), shapes(new)
    changes: list[Change] = []
    for operation in sorted(old_shapes.keys() | new_shapes.keys()):
        if operation not in old_shapes:
            changes.append(Change(operation, OPERATION_ADDED, operation))
        elif operation not in new_shapes:
            changes.append(Change(operation, OPERATION_REMOVED, operation))
        else:
            changes.extend(shape_changes(operation, old_shapes[operation], new_shapes[operation]))
    changes.extend(status_changes(old, new))
    breaks = schema_breaks(new, _catalogue(schemas)) if changes else []
    operations = len(old_shapes.keys() | new_shapes.keys())
    return Drift(Path(old_folder), Path(new_folder), changes, breaks, operations, (len(old), len(new)))


def _catalogue(schemas: Path) -> SchemaCatalogue:
    catalogue = SchemaCatalogue(schemas)
    problems = catalogue.problems()
    if problems:
        raise DriftInputError(
            "the schemas cannot judge the NEW bodies:\n" + "\n".join(f"  {p}" for p in problems)
        )
    return catalogue


# -- output ---------------------------------------------------------------------------------------


def summary(drift: Drift) -> str:
    if not drift.changes:
        return (
            f"crmconf diff: nothing changed ({drift.operations} operations, "
            f"{drift.interactions[0]} and {drift.interactions[1]} interactions compared)"
        )
    verdict = (
        f"and {len(drift.breaks)} NEW responses break the schemas"
        if drift.breaks
        else "and every NEW response still validates against the schemas"
    )
    return f"crmconf diff: {len(drift.changes)} changes in {len(drift.by_operation())} operations, {verdict}"


def render_text(drift: Drift) -> str:
    lines = [f"OLD {drift.old}", f"NEW {drift.new}", ""]
    for operation, changes in drift.by_operation().items():
        lines.append(operation)
        lines.extend(f"  {change}" for change in changes)
    if drift.breaks:
        lines += ["", "NEW responses that break the schemas:"]
        lines.extend(f"  {schema_break}" for schema_break in drift.breaks)
    if drift.changes:
        lines.append("")
    lines.append(summary(drift))
    return "\n".join(lines)


def as_json(drift: Drift) -> dict[str, Any]:
    return {
        "old": str(drift.old),
        "new": str(drift.new),
        "exit_status": drift.exit_status,
        "summary": summary(drift),
        "changes": [change.as_json() for change in drift.changes],
        "schema_breaks": [schema_break.as_json() for schema_break in drift.breaks],
    }
