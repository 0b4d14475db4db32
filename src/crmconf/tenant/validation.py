"""Checks on input values; each raises a 400 ``ApiError`` whose message names the member.

``where`` is the member's path as the caller wrote it (``demographics.gender``,
``address_set[0].type``), so a message says exactly what to fix.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from crmconf.tenant.errors import INVALID_PARAMETER, MANDATORY_PARAMETER, ApiError


def invalid(message: str) -> ApiError:
    return ApiError(INVALID_PARAMETER, message)


def missing(where: str) -> ApiError:
    return ApiError(MANDATORY_PARAMETER, f"{where} is mandatory")


def optional_string(value: Any, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise invalid(f"{where} must be a string or null")
    return value


def required_string(value: Any, where: str) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise missing(where)
    if not isinstance(value, str):
        raise invalid(f"{where} must be a string")
    return value


def optional_integer(value: Any, where: str) -> int | None:
    # JSON true/false decode to bool, which Python counts as int; they are not integers here.
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise invalid(f"{where} must be an integer or null")
    return value


def optional_number(value: Any, where: str) -> int | float | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise invalid(f"{where} must be a number or null")
    return value


def optional_boolean(value: Any, where: str) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise invalid(f"{where} must be true, false or null")
    return value


def one_of(value: Any, allowed: Sequence[str], where: str) -> str:
    if value not in allowed:
        raise invalid(f"{where} must be one of {', '.join(allowed)}, not {value!r}")
    return value


def optional_one_of(value: Any, allowed: Sequence[str], where: str) -> str | None:
    return None if value is None else one_of(value, allowed, where)


def optional_object(value: Any, where: str) -> dict[str, Any] | None:
    if value is not None and not isinstance(value, dict):
        raise invalid(f"{where} must be an object or null")
    return value


def list_of_objects(value: Any, where: str) -> list[dict[str, Any]]:
    """A JSON array of objects; ``null`` counts as the empty set."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise invalid(f"{where} must be an array of objects")
    for position, item in enumerate(value):
        if not isinstance(item, dict):
            raise invalid(f"{where}[{position}] must be an object")
    return value


def _integer_members(value: Any, members: Sequence[str], where: str) -> dict[str, int]:
    if not isinstance(value, dict):
        raise invalid(f"{where} must be an object {{{', '.join(members)}}} of integers")
    result = {}
    for member in members:
        number = value.get(member)
        if number is None:
            raise missing(f"{where}.{member}")
        result[member] = optional_integer(number, f"{where}.{member}")
    return result


def optional_date_of_birth(value: Any, where: str) -> dict[str, int] | None:
    """``{day, month, year}`` integers forming a real date."""
    if value is None:
        return None
    parts = _integer_members(value, ("day", "month", "year"), where)
    try:
        datetime.date(parts["year"], parts["month"], parts["day"])
    except ValueError:
        raise invalid(f"{where} is not a calendar date: {parts}") from None
    return parts


def optional_day_and_month(value: Any, where: str) -> dict[str, int] | None:
    """``{day, month}`` integers forming a day of some year (29 February included)."""
    if value is None:
        return None
    parts = _integer_members(value, ("day", "month"), where)
    try:
        datetime.date(2000, parts["month"], parts["day"])  # 2000 is a leap year
    except ValueError:
        raise invalid(f"{where} is not a day of the year: {parts}") from None
    return parts


def email_address(value: Any, where: str) -> str:
    address = required_string(value, where)
    local, at, domain = address.partition("@")
    if not at or not local or not domain or "@" in domain or " " in address:
        raise invalid(f"{where} is not an email address: {address!r}")
    return address
