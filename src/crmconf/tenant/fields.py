"""``fields_set``: which members of a record come back.

The documentation says only that it is an optional, comma-separated list of field names and
that all fields come back without it. Where it is silent, this tenant chooses:

- spaces around names are trimmed; empty names are dropped, so an empty ``fields_set`` (or one
  of commas and spaces only) counts as absent and all fields come back;
- names match exactly (case-sensitive) the top-level members of the record; there is no nested
  selection (``demographics.gender`` is simply an unknown name);
- unknown names are ignored, not refused;
- only the named members come back: ``id`` is not added implicitly;
- members come back in the record's own order, not in the order they were named;
- in a POST body it is a string, as in a query string.

On ``get_pending`` the names select members of each provisioning request; the subscription
members around them always come.
"""

from __future__ import annotations

from typing import Any

from crmconf.tenant.faults import is_on
from crmconf.tenant.options import TenantOptions
from crmconf.tenant.validation import invalid

FieldsSet = frozenset[str] | None


def parse_fields_set(raw: Any, options: TenantOptions) -> FieldsSet:
    """``None`` means all fields."""
    if raw is None or is_on(options, "fields-set-ignored"):
        return None
    if not isinstance(raw, str):
        raise invalid("fields_set must be a string of comma-separated field names")
    names = [name.strip() for name in raw.split(",") if name.strip()]
    if is_on(options, "fields-set-drops-one") and len(names) > 1:
        names.pop()  # a parser that loses the last name of the list
    return frozenset(names) or None


def select(record: dict[str, Any], fields_set: FieldsSet) -> dict[str, Any]:
    if fields_set is None:
        return record
    return {member: value for member, value in record.items() if member in fields_set}
