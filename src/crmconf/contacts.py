"""Contacts as the suite sends them, and what a tenant must show after a create or an update.

The Introduction's create example never closes its ``demographics`` object, so whether
``address_set``, ``phone_set`` and ``email_set`` sit at the top level of the body or inside
``demographics`` is open. Feature files write them at the top level; the profile setting
``input_collections`` (``top`` by default, or ``demographics``) says where they are sent.

What was posted is compared with the contact shown afterwards member by member:

- input collections are shown under their output names (``address_set`` as ``addresses_set``),
  item by item in the order posted; each posted member of an item equals the shown one (the
  tenant may add members, such as the item's ``id``);
- a ``<thing>_identifier`` object names a record, and the output shows the record itself under
  ``<thing>`` (``privacy_level``), or nothing when the show output documents no such member
  (``category``). The resolved record is not compared with the identifier, except that, if it
  carries the identifying field, that field holds the value posted;
- a member posted as ``null`` must be cleared: ``null``, an empty set, or an object whose members
  are all cleared.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from crmconf.checks import MAX_DIFFERENCES, differences_between
from crmconf.client import Exchange
from crmconf.failures import ConformanceFailure, Mismatch, Rule, shown
from crmconf.rules import INTRODUCTION
from crmconf.schemas import SchemaCatalogue

CREATE = "contact_information/create"
UPDATE = "contact_information/update"
SHOW = "contact_information/show"
CREATE_PAGE = "vendor wiki: POST contact_information/create"
UPDATE_PAGE = "vendor wiki: POST contact_information/update"

POST_PERSISTS = Rule(
    "post.persists",
    "a created contact, shown by its id, holds every member the create request posted",
    f"{CREATE_PAGE}; {INTRODUCTION}",
)
POST_NOT_IDEMPOTENT = Rule(
    "post.not-idempotent", "two identical creates make two contacts, each with its own id", INTRODUCTION
)
UPDATE_APPLIES = Rule(
    "update.applies", "an update stores every member it sends, with the value sent", UPDATE_PAGE
)
UPDATE_PARTIAL = Rule("update.partial", "the members an update does not send stay unchanged", UPDATE_PAGE)
UPDATE_CLEARS_NULL = Rule(
    "update.clears-null", "the members an update sends as null are cleared", UPDATE_PAGE
)

INPUT_COLLECTIONS = ("address_set", "phone_set", "email_set")
OUTPUT_NAMES = {"address_set": "addresses_set", "phone_set": "phones_set", "email_set": "emails_set"}
IDENTIFIER_SUFFIX = "_identifier"
# Members of a create or update body that steer the operation rather than describe the contact.
OPERATION_MEMBERS = ("token", "fields_set", "contact_information_identifier")
# ``name`` is not documented as an input: the tenant composes it from these.
NAME_PARTS = frozenset({"title", "first_name", "middle_name", "last_name", "company_name"})
ABSENT = "nothing (the member is absent)"


def place_input_collections(body: dict[str, Any], where: str) -> dict[str, Any]:
    """Move the input collections of a create or update body to where this tenant reads them."""
    if where == "top" or not any(name in body for name in INPUT_COLLECTIONS):
        return body
    if where != "demographics":
        raise ValueError(f"input_collections is 'top' or 'demographics', not {where!r}")
    moved = {name: value for name, value in body.items() if name not in INPUT_COLLECTIONS}
    demographics = dict(moved.get("demographics") or {})
    demographics.update({name: body[name] for name in INPUT_COLLECTIONS if name in body})
    moved["demographics"] = demographics
    return moved


def posted_contact(body: Mapping[str, Any]) -> dict[str, Any]:
    """The contact members of a create or update body as sent, input collections at the top level
    wherever the profile placed them (the inverse of ``place_input_collections``)."""
    contact = {name: value for name, value in body.items() if name not in OPERATION_MEMBERS}
    demographics = contact.get("demographics")
    if not isinstance(demographics, Mapping) or not any(name in demographics for name in INPUT_COLLECTIONS):
        return contact
    contact.update({name: demographics[name] for name in INPUT_COLLECTIONS if name in demographics})
    rest = {name: value for name, value in demographics.items() if name not in INPUT_COLLECTIONS}
    if rest:
        contact["demographics"] = rest
    else:
        del contact["demographics"]  # it only carried the collections there
    return contact


# -- comparing what was posted with what is shown --------------------------------------------


def _member(at: str, name: str) -> str:
    return f"{at}/{name.replace('~', '~0').replace('/', '~1')}"


def is_cleared(value: Any) -> bool:
    """A member sent as null reads back as null, an empty set, or an object of cleared members."""
    if isinstance(value, Mapping):
        return all(is_cleared(member) for member in value.values())
    return value is None or value == []


def _same_scalar(posted: Any, received: Any) -> bool:
    # true == 1 in Python, but a JSON boolean is not a number; 1 and 1.0 are the same JSON number.
    if isinstance(posted, bool) or isinstance(received, bool):
        return posted is received
    if isinstance(posted, (int, float)) and isinstance(received, (int, float)):
        return posted == received
    return type(posted) is type(received) and posted == received


def not_held(posted: Any, received: Any, at: str) -> Iterator[tuple[Mismatch, bool]]:
    """Where ``received`` does not hold ``posted``; each mismatch says whether null was posted."""
    if posted is None:
        if not is_cleared(received):
            yield Mismatch(at, "cleared (null, or empty)", shown(received)), True
    elif isinstance(posted, Mapping):
        yield from _members_not_held(posted, received, at)
    elif isinstance(posted, list):
        yield from _items_not_held(posted, received, at)
    elif not _same_scalar(posted, received):
        yield Mismatch(at, shown(posted), shown(received)), False


def _members_not_held(posted: Mapping[str, Any], received: Any, at: str) -> Iterator[tuple[Mismatch, bool]]:
    if not isinstance(received, Mapping):
        yield Mismatch(at, f"an object holding {shown(posted)}", shown(received)), False
        return
    for name, value in posted.items():
        if name.endswith(IDENTIFIER_SUFFIX):
            yield from _unresolved(name, value, received, at)
            continue
        output = OUTPUT_NAMES.get(name, name)
        where = _member(at, output)
        if output in received:
            yield from not_held(value, received[output], where)
        else:
            yield Mismatch(where, shown(value), ABSENT), value is None


def _items_not_held(posted: list[Any], received: Any, at: str) -> Iterator[tuple[Mismatch, bool]]:
    if not isinstance(received, list):
        yield Mismatch(at, f"{len(posted)} items", shown(received)), False
        return
    for index, item in enumerate(posted):
        if index < len(received):
            yield from not_held(item, received[index], f"{at}/{index}")
        else:
            yield Mismatch(f"{at}/{index}", shown(item), f"nothing ({len(received)} items shown)"), False
    for index in range(len(posted), len(received)):
        yield Mismatch(f"{at}/{index}", f"no item ({len(posted)} posted)", shown(received[index])), False


def _unresolved(
    name: str, identifier: Any, received: Mapping[str, Any], at: str
) -> Iterator[tuple[Mismatch, bool]]:
    """A posted identifier against the record shown in its place, when the output shows one."""
    output = name[: -len(IDENTIFIER_SUFFIX)]
    if output not in received:
        return  # the show output documents no member for this reference (category, group)
    record, where = received[output], _member(at, output)
    if identifier is None:
        if record is not None:
            yield Mismatch(where, "null (the reference was sent as null)", shown(record)), True
    elif record is None:
        yield Mismatch(where, f"the record named by {shown(identifier)}", "null"), False
    elif isinstance(identifier, Mapping) and len(identifier) == 1 and isinstance(record, Mapping):
        [(field, value)] = identifier.items()
        if field in record and str(record[field]) != str(value):
            yield Mismatch(_member(where, field), shown(value), shown(record[field])), False


# -- the checks the scenarios assert ----------------------------------------------------------


def expect_created_contact_shown(create: Exchange, show: Exchange) -> None:
    """The contact shown holds every member the create request posted."""
    posted = posted_contact(create.request.json_body or {})
    mismatches = [mismatch for mismatch, _ in not_held(posted, show.data, "/data")]
    if mismatches:
        raise ConformanceFailure(
            POST_PERSISTS, mismatches[:MAX_DIFFERENCES], show, note=_compared_with(create, len(mismatches))
        )


def expect_update_applied(
    before: Exchange, update: Exchange, after: Exchange, documented: Callable[[str], bool]
) -> None:
    """The contact shown after an update holds what it sent, null members cleared, and every
    documented member it did not send as shown before the update."""
    posted = posted_contact(update.request.json_body or {})
    found: dict[Rule, list[Mismatch]] = {UPDATE_APPLIES: [], UPDATE_CLEARS_NULL: [], UPDATE_PARTIAL: []}
    for mismatch, sent_null in not_held(posted, after.data, "/data"):
        found[UPDATE_CLEARS_NULL if sent_null else UPDATE_APPLIES].append(mismatch)
    found[UPDATE_PARTIAL] = list(unchanged_differences(before.data, after.data, posted, documented))
    broken = [rule for rule, mismatches in found.items() if mismatches]
    if not broken:
        return
    mismatches = [mismatch for rule in broken for mismatch in found[rule]]
    also = f"; also broken: {', '.join(rule.id for rule in broken[1:])}" if broken[1:] else ""
    raise ConformanceFailure(
        broken[0], mismatches[:MAX_DIFFERENCES], after, note=_compared_with(update, len(mismatches)) + also
    )


def unchanged_differences(
    before: Any, after: Any, posted: Mapping[str, Any], documented: Callable[[str], bool]
) -> Iterator[Mismatch]:
    """Documented members the update did not send that differ from before the update.
    Undocumented members are left out: a tenant may keep, say, a last-modified date there."""
    if not isinstance(before, Mapping) or not isinstance(after, Mapping):
        received = f"{shown(before)} and {shown(after)}"
        yield Mismatch("/data", "a contact before and after the update", received)
        return
    sent = {OUTPUT_NAMES.get(name, name.removesuffix(IDENTIFIER_SUFFIX)) for name in posted}
    if sent & NAME_PARTS:
        sent.add("name")
    for name in before:
        if name in sent or not documented(name):
            continue
        where = _member("/data", name)
        if name not in after:
            yield Mismatch(where, f"unchanged, {shown(before[name])}", ABSENT)
            continue
        for difference in differences_between(before[name], after[name], where):
            yield Mismatch(difference.pointer, f"unchanged, {difference.expected}", difference.received)


def expect_two_contacts(first: Exchange, second: Exchange) -> None:
    """Two successful creates answered with two different contact ids."""
    first_id, second_id = _contact_id(first), _contact_id(second)
    if not first_id:
        raise ConformanceFailure(
            POST_NOT_IDEMPOTENT, [Mismatch("/data/id", "the new contact's id", shown(first_id))], first
        )
    if not second_id or second_id == first_id:
        raise ConformanceFailure(
            POST_NOT_IDEMPOTENT,
            [Mismatch("/data/id", f"a new contact's id, not {shown(first_id)}", shown(second_id))],
            second,
            note=f"the first identical {first.request.method} {first.operation} made contact {first_id}",
        )


def _contact_id(exchange: Exchange) -> str | None:
    contact_id = exchange.data.get("id") if isinstance(exchange.data, Mapping) else None
    return contact_id if isinstance(contact_id, str) and contact_id else None


def _compared_with(post: Exchange, count: int) -> str:
    more = f"; {count - MAX_DIFFERENCES} more differences" if count > MAX_DIFFERENCES else ""
    return f"compared with the body of {post.request.method} {post.operation}{more}"


# -- finding the exchanges a check compares ---------------------------------------------------


def last_post(exchanges: Sequence[Exchange], operation: str) -> Exchange:
    """The scenario's latest successful POST of ``operation``."""
    for exchange in reversed(exchanges):
        if exchange.request.method == "POST" and exchange.operation == operation and exchange.succeeded:
            return exchange
    raise LookupError(f"the scenario made no successful POST {operation} before this step")


def show_before(exchanges: Sequence[Exchange], later: Exchange) -> Exchange:
    """The latest successful show made before ``later``: the contact as it was."""
    earlier = exchanges[: exchanges.index(later)]
    for exchange in reversed(earlier):
        if exchange.operation == SHOW and exchange.succeeded:
            return exchange
    raise LookupError(f"the scenario showed no contact before its POST {later.operation}")


def documented_contact_fields(catalogue: SchemaCatalogue) -> Callable[[str], bool]:
    """Whether a member is a documented contact field, by the ``contact.json`` schema."""
    schema = catalogue.registry.contents(catalogue.uri("contact.json"))
    names = frozenset(schema.get("properties", {}))
    patterns = [re.compile(pattern) for pattern in schema.get("patternProperties", {})]
    return lambda name: name in names or any(pattern.search(name) for pattern in patterns)
