"""Contacts as the suite sends them: the input shapes of create and update.

The Introduction's create example never closes its ``demographics`` object, so whether
``address_set``, ``phone_set`` and ``email_set`` sit at the top level of the body or inside
``demographics`` is open. Feature files write them at the top level; the profile setting
``input_collections`` (``top`` by default, or ``demographics``) says where they are sent.
"""

from __future__ import annotations

from typing import Any

INPUT_COLLECTIONS = ("address_set", "phone_set", "email_set")


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
