"""Conformance checks: plain functions over exchanges that raise ``ConformanceFailure``.

``check_response`` runs on every response the suite receives (the harness calls it, not a
step); the others are what scenarios assert.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from crmconf import rules
from crmconf.client import Exchange
from crmconf.failures import ConformanceFailure, Mismatch, shown
from crmconf.schemas import ENVELOPE_SCHEMA, ERROR_SCHEMA, SchemaCatalogue, operation_schema
from crmconf.settings import release_key

JSON_MEDIA_TYPES = ("application/json",)
MAX_DIFFERENCES = 20
_MISSING = object()


def check_response(exchange: Exchange, catalogue: SchemaCatalogue) -> None:
    """Every response is JSON, is an envelope, and matches its schema: the operation's output
    schema on success, the error schema otherwise."""
    problems = []
    media_type = exchange.content_type.split(";", 1)[0].strip().lower()
    if media_type not in JSON_MEDIA_TYPES:
        problems.append(Mismatch("", "Content-Type application/json", shown(exchange.content_type or "(none)")))
    if not exchange.is_json:
        problems.append(Mismatch("", "a JSON body", f"{exchange.json_error}; body starts {shown(exchange.text[:80])}"))
    if problems:
        raise ConformanceFailure(rules.JSON_RESPONSE, problems, exchange)

    envelope = catalogue.mismatches(exchange.body, ENVELOPE_SCHEMA)
    if envelope:
        raise ConformanceFailure(rules.ENVELOPE, envelope, exchange)

    if exchange.succeeded:
        name = operation_schema(exchange.operation)
        if not catalogue.has(name):
            raise ConformanceFailure(
                rules.RESPONSE_SCHEMA,
                [Mismatch("/status/code", "an error: crmconf knows no such operation", '"OK"')],
                exchange,
                note=f"the suite has no schema {name}",
            )
        mismatches, rule = catalogue.mismatches(exchange.body, name), rules.RESPONSE_SCHEMA
    else:
        mismatches, rule = catalogue.mismatches(exchange.body, ERROR_SCHEMA), rules.ERROR_SCHEMA
    if mismatches:
        raise ConformanceFailure(rule, mismatches, exchange)


def expect_success(exchange: Exchange) -> None:
    if not exchange.succeeded:
        message = exchange.body["status"].get("message") if exchange.status_code else None
        raise ConformanceFailure(
            rules.SUCCESS,
            [Mismatch("/status/code", '"OK"', shown(exchange.status_code))],
            exchange,
            note=f"the tenant said: {message}" if message else None,
        )


def expect_error(exchange: Exchange, allowed_http: Iterable[str] = ("200", "4xx")) -> None:
    """The request was refused: an error envelope, never a 5xx, with an allowed HTTP status."""
    if exchange.succeeded:
        raise ConformanceFailure(rules.REFUSED, [Mismatch("/status/code", "an error code (not OK)", '"OK"')], exchange)
    status = exchange.http_status
    if status >= 500:
        raise ConformanceFailure(
            rules.NO_SERVER_ERROR, [Mismatch("", "HTTP 200 or 4xx", f"HTTP {status}")], exchange
        )
    allowed = set(allowed_http)
    if not (("200" in allowed and status == 200) or ("4xx" in allowed and 400 <= status < 500)):
        raise ConformanceFailure(
            rules.ERROR_HTTP_STATUS,
            [Mismatch("", "HTTP " + " or ".join(sorted(allowed)), f"HTTP {status}")],
            exchange,
        )


def expect_same_body(first: Exchange, second: Exchange, rule=rules.GET_IDEMPOTENT) -> None:
    differences = list(differences_between(first.body, second.body))
    if differences:
        raise ConformanceFailure(
            rule,
            differences[:MAX_DIFFERENCES],
            second,
            note=f"compared with the earlier answer to {first.request.method} {first.operation}"
            + (f"; {len(differences) - MAX_DIFFERENCES} more differences" if len(differences) > MAX_DIFFERENCES else ""),
        )


def expect_value(exchange: Exchange, path: str, expected: Any, rule=rules.VALUE) -> None:
    received = value_at(exchange.body, path)
    if received is _MISSING or received != expected:
        shown_received = "nothing (the member is absent)" if received is _MISSING else shown(received)
        raise ConformanceFailure(rule, [Mismatch(pointer(path), shown(expected), shown_received)], exchange)


def expect_present(exchange: Exchange, path: str, rule=rules.VALUE) -> Any:
    """The value at ``path``, which must be there and not null."""
    received = value_at(exchange.body, path)
    if received is _MISSING or received is None:
        shown_received = "nothing (the member is absent)" if received is _MISSING else "null"
        raise ConformanceFailure(rule, [Mismatch(pointer(path), "a value", shown_received)], exchange)
    return received


def value_at(document: Any, path: str) -> Any:
    """The value at a dotted path such as ``data.addresses_set.0.town_city``; ``_MISSING`` if absent."""
    current = document
    for part in path.split(".") if path else []:
        if isinstance(current, Mapping) and part in current:
            current = current[part]
        elif isinstance(current, list) and part.isdigit() and int(part) < len(current):
            current = current[int(part)]
        else:
            return _MISSING
    return current


def pointer(path: str) -> str:
    """A dotted path as a JSON pointer: ``data.id`` is ``/data/id``."""
    return "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in path.split(".")) if path else ""


def differences_between(first: Any, second: Any, at: str = "") -> Iterable[Mismatch]:
    """Every place where two JSON documents differ, by JSON pointer (member order ignored)."""
    if isinstance(first, Mapping) and isinstance(second, Mapping):
        for key in list(first) + [k for k in second if k not in first]:
            where = f"{at}/{str(key).replace('~', '~0').replace('/', '~1')}"
            if key not in second:
                yield Mismatch(where, shown(first[key]), "nothing (the member is absent)")
            elif key not in first:
                yield Mismatch(where, "nothing (the member was absent)", shown(second[key]))
            else:
                yield from differences_between(first[key], second[key], where)
    elif isinstance(first, list) and isinstance(second, list) and len(first) == len(second):
        for index, (a, b) in enumerate(zip(first, second)):
            yield from differences_between(a, b, f"{at}/{index}")
    elif type(first) is not type(second) or first != second:
        yield Mismatch(at, shown(first), shown(second))


def expect_fields_exactly(exchange: Exchange, path: str, fields: Iterable[str], rule) -> None:
    """The object at ``path`` has exactly ``fields`` as members: none missing, none extra."""
    wanted = list(fields)
    received = value_at(exchange.body, path)
    if not isinstance(received, Mapping):
        raise ConformanceFailure(rule, [Mismatch(pointer(path), "an object", shown(received))], exchange)
    missing = [name for name in wanted if name not in received]
    extra = [name for name in received if name not in wanted]
    if missing or extra:
        raise ConformanceFailure(
            rule,
            [Mismatch(pointer(path), f"exactly the members {', '.join(wanted)}",
                      "; ".join(filter(None, [missing and f"missing {', '.join(missing)}",
                                              extra and f"extra {', '.join(extra)}"])))],
            exchange,
        )


JWT_TOKEN = re.compile(r"(eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*|<TOKEN:JWT>)")
HEX32_TOKEN = re.compile(r"([0-9a-fA-F]{32}|<TOKEN:HEX32>)")
JWT_SINCE = "R12.0.0"


def expect_token_format(exchange: Exchange, path: str, release: str) -> None:
    """A recorded token is a placeholder that keeps the token's shape, so replays check it too."""
    token = value_at(exchange.body, path)
    jwt = release_key(release) >= release_key(JWT_SINCE)
    pattern, expected = (JWT_TOKEN, "a JWT") if jwt else (HEX32_TOKEN, "a 32-character hex string")
    if not isinstance(token, str) or not pattern.fullmatch(token):
        received = "a JWT" if isinstance(token, str) and JWT_TOKEN.fullmatch(token) else (
            f"a string of {len(token)} characters" if isinstance(token, str) else shown(token)
        )
        raise ConformanceFailure(
            rules.TOKEN_FORMAT, [Mismatch(pointer(path), f"{expected} (release {release})", received)], exchange
        )


def expect_different(exchange: Exchange, path: str, earlier: Any) -> None:
    received = value_at(exchange.body, path)
    if received is _MISSING or received == earlier:
        raise ConformanceFailure(
            rules.DIFFERENT, [Mismatch(pointer(path), f"a value other than {shown(earlier)}", shown(received))],
            exchange,
        )


# Documented contact fields that a release below the one named does not have.
RELEASE_GATED_CONTACT_FIELDS = {"preferred_language": "R12.0.0"}


def expect_complete_contact(exchange: Exchange, path: str, catalogue: SchemaCatalogue, release: str) -> None:
    """Every field ``contact-complete.json`` requires is present, but for those the release lacks."""
    contact = value_at(exchange.body, path)
    required = catalogue.registry.contents(catalogue.uri("contact-complete.json")).get("required", [])
    expected = [
        name for name in required
        if release_key(release) >= release_key(RELEASE_GATED_CONTACT_FIELDS.get(name, "R0"))
    ]
    if not isinstance(contact, Mapping):
        raise ConformanceFailure(rules.COMPLETE_CONTACT, [Mismatch(pointer(path), "a contact", shown(contact))], exchange)
    missing = [name for name in expected if name not in contact]
    if missing:
        raise ConformanceFailure(
            rules.COMPLETE_CONTACT,
            [Mismatch(f"{pointer(path)}/{name}", "the member (null when unset)", "nothing") for name in missing],
            exchange,
        )
