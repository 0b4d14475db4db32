"""The schema catalogue: every JSON Schema under ``schemas/`` in one offline registry.

Schemas are data files; their ``$id`` mirrors the file path under ``BASE_URI``. All of them are
loaded once into a ``referencing.Registry`` (nothing is ever fetched from the network) and a
validator is built once per schema and reused.

Every response is validated, so the common case (the body conforms) must be cheap: when
jsonschema-rs is installed it answers "valid or not" (a few microseconds for a contact, against
about 1.6 ms with jsonschema). Only a body it rejects goes through jsonschema, which builds the
mismatch list (JSON pointer, schema path, keyword): jsonschema stays the judge of what is wrong,
jsonschema-rs is only trusted to say that nothing is.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urljoin
from functools import cached_property
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from referencing.exceptions import NoSuchResource, Unresolvable

from crmconf.failures import Mismatch, shown

try:  # optional at import time, so a platform without its wheel still validates (slowly)
    import jsonschema_rs
except ImportError:  # pragma: no cover
    jsonschema_rs = None

BASE_URI = "https://crmconf.invalid/schemas/"
ERROR_SCHEMA = "error.json"
ENVELOPE_SCHEMA = "envelope.json"


class SchemaCatalogueError(Exception):
    """A schema file is missing, is not JSON, or is not a valid JSON Schema."""


def operation_schema(operation: str) -> str:
    """The schema of an operation's success envelope, by convention ``operations/<operation>.json``."""
    return f"operations/{operation.strip('/')}.json"


class SchemaCatalogue:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._validators: dict[str, Draft202012Validator] = {}
        self._fast_validators: dict[str, Any] = {}
        self._sound: set[str] = set()
        """Schemas already found valid against the metaschema (``_metaschema_problem``)."""

    def files(self) -> Iterator[Path]:
        return iter(sorted(self.root.rglob("*.json")))

    def uri(self, name: str) -> str:
        return BASE_URI + name

    def has(self, name: str) -> bool:
        return name in self._known

    @cached_property
    def _known(self) -> frozenset[str]:
        """The schema names, read from the folder once: ``has`` runs for every response."""
        return frozenset(self._names()) if self.root.is_dir() else frozenset()

    @cached_property
    def registry(self) -> Registry:
        if not self.root.is_dir():
            raise SchemaCatalogueError(f"schema folder {self.root} does not exist")
        resources = []
        for path in self.files():
            relative = path.relative_to(self.root).as_posix()
            try:
                contents = json.loads(path.read_text(encoding="utf-8"))
            except ValueError as error:
                raise SchemaCatalogueError(f"{path}: not valid JSON: {error}") from None
            if not isinstance(contents, dict) or contents.get("$id") != self.uri(relative):
                found = contents.get("$id") if isinstance(contents, dict) else None
                raise SchemaCatalogueError(f"{path}: $id must be {self.uri(relative)!r}, found {found!r}")
            resources.append((self.uri(relative), Resource.from_contents(contents, default_specification=DRAFT202012)))
        return Registry().with_resources(resources).crawl()

    def problems(self) -> list[str]:
        """Everything wrong with the schema folder, each naming the file and place; empty when sound.

        Every file must be JSON with the ``$id`` of its path, a valid 2020-12 schema, and every
        ``$ref`` in it must resolve inside the folder, offline.
        """
        try:
            registry = self.registry
        except SchemaCatalogueError as error:
            return [str(error)]
        found = []
        for path in self.files():
            name = path.relative_to(self.root).as_posix()
            schema = registry.contents(self.uri(name))
            problem = self._metaschema_problem(name, schema)
            if problem:
                found.append(problem)
                continue
            for pointer, base, ref in _references(schema, "", self.uri(name)):
                try:
                    registry.resolver(base_uri=base).lookup(ref)
                except Unresolvable:
                    found.append(f"{path}#{pointer}: $ref {ref!r} does not resolve under {self.root}")
        return found

    def _metaschema_problem(self, name: str, schema: Any) -> str | None:
        """Why schema ``name`` is not a valid 2020-12 schema, or None; each schema is checked once."""
        if name in self._sound:
            return None
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as error:
            return f"{self.root / name}: not a valid JSON Schema at {error.json_path}: {error.message}"
        self._sound.add(name)
        return None

    def validator(self, name: str) -> Draft202012Validator:
        validator = self._validators.get(name)
        if validator is None:
            try:
                schema = self.registry.contents(self.uri(name))
            except NoSuchResource:
                raise SchemaCatalogueError(f"no schema {name} under {self.root}") from None
            problem = self._metaschema_problem(name, schema)
            if problem:
                raise SchemaCatalogueError(problem)
            validator = Draft202012Validator(schema, registry=self.registry)
            self._validators[name] = validator
        return validator

    @cached_property
    def _fast_registry(self) -> Any:
        """The same schemas for jsonschema-rs, offline: a ``$ref`` outside the folder is an error."""
        registry = self.registry  # the folder checks (JSON, ``$id``) run first, with their messages
        resources = [(self.uri(name), registry.contents(self.uri(name))) for name in self._names()]
        return jsonschema_rs.Registry(resources, draft=jsonschema_rs.Draft202012, retriever=_refuse_retrieval)

    def _names(self) -> list[str]:
        return [path.relative_to(self.root).as_posix() for path in self.files()]

    def fast_validator(self, name: str) -> Any:
        """The jsonschema-rs validator of ``name``, built once; None without jsonschema-rs or when it
        cannot compile the schema (then jsonschema alone validates)."""
        if name in self._fast_validators:
            return self._fast_validators[name]
        schema = self.validator(name).schema  # the same checks and errors as the jsonschema path
        fast = None
        if jsonschema_rs is not None:
            try:
                fast = jsonschema_rs.Draft202012Validator(
                    schema,
                    registry=self._fast_registry,
                    validate_formats=False,  # as jsonschema without a format checker: annotations only
                    offline=True,  # never fetch a $ref; the registry holds every schema
                )
            except (ValueError, TypeError, jsonschema_rs.ReferencingError):  # jsonschema judges alone
                fast = None
        self._fast_validators[name] = fast
        return fast

    def is_valid(self, instance: Any, name: str) -> bool:
        fast = self.fast_validator(name)
        if fast is not None:
            try:
                return bool(fast.is_valid(instance))
            except (ValueError, TypeError, OverflowError):  # a value jsonschema-rs cannot convert
                pass
        return self.validator(name).is_valid(instance)

    def mismatches(self, instance: Any, name: str) -> list[Mismatch]:
        """Every place where ``instance`` breaks schema ``name``; empty when it conforms."""
        if self.is_valid(instance, name):
            return []
        errors = list(self.validator(name).iter_errors(instance))
        result = []
        for error in sorted(errors, key=lambda e: (list(e.absolute_path), e.validator)):
            leaf = best_match([error])  # the most specific of an anyOf/oneOf
            result.append(
                Mismatch(
                    pointer=_pointer(leaf.absolute_path),
                    expected=f"{leaf.validator} {shown(leaf.validator_value, 80)}",
                    received=shown(leaf.instance),
                    schema_path=f"{name}#{_pointer(leaf.absolute_schema_path)}",
                )
            )
        return result


def _refuse_retrieval(uri: str) -> Any:
    raise ValueError(f"{uri}: schemas resolve offline, inside the schema folder only")


def _references(node: Any, pointer: str, base: str) -> Iterator[tuple[str, str, str]]:
    """Every ``$ref`` below ``node`` as (JSON pointer, base URI, reference), honouring nested ``$id``."""
    if isinstance(node, dict):
        if pointer and isinstance(node.get("$id"), str):
            base = urljoin(base, node["$id"])
        if isinstance(node.get("$ref"), str):
            yield pointer, base, node["$ref"]
        for key, value in node.items():
            if key not in ("const", "enum", "examples", "default"):  # data, not subschemas
                yield from _references(value, f"{pointer}{_pointer([key])}", base)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _references(item, f"{pointer}/{index}", base)


def _pointer(parts: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)
