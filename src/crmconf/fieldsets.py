"""``fields_set`` where the documentation is open: an unknown name, spaces after the commas.

The documentation says only that ``fields_set`` is a comma-separated list of field names and that
only those fields come back. A tenant may refuse a list it cannot read, or read it leniently (drop
the unknown name, trim the spaces) and return exactly the fields it understood. Either is
acceptable unless the profile pins one; answering OK with anything else never is, since the
caller would get fields it did not ask for, or miss some it did.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from crmconf import checks, rules
from crmconf.client import Exchange
from crmconf.failures import ConformanceFailure, Mismatch, shown
from crmconf.settings import SETTING_BY_NAME

REFUSED = "refused"


@dataclass(frozen=True)
class OpenPoint:
    topic: str
    """How the run's closing section names the point."""
    setting: str
    """The profile setting that pins the answer (``any`` accepts either)."""
    lenient: str
    """The setting's name for an OK answer holding exactly the fields understood."""

    @property
    def variable(self) -> str:
        return SETTING_BY_NAME[self.setting].env


OPEN_POINTS = {
    "an unknown name": OpenPoint("fields_set with an unknown name", "fields_set_unknown", "ignored"),
    "spaces after commas": OpenPoint("fields_set with spaces after commas", "fields_set_spaces", "trimmed"),
}


def field_names(text: str) -> list[str]:
    """``"a,b"`` as ``["a", "b"]``."""
    return [name.strip() for name in text.split(",") if name.strip()]


def expect_open_point_answer(
    exchange: Exchange, point: OpenPoint, pinned: str, fields: Iterable[str], allowed_http: Iterable[str]
) -> str:
    """The tenant refused (an error envelope, as ``checks.expect_error`` requires) or answered OK
    with exactly ``fields``, as ``pinned`` allows; returns which way it went."""
    if exchange.succeeded:
        if pinned == REFUSED:
            raise ConformanceFailure(
                rules.FIELDS_SET_OPEN,
                [Mismatch("/status/code", f"an error code ({point.variable} is {REFUSED})", shown("OK"))],
                exchange,
            )
        checks.expect_fields_exactly(exchange, "data", fields, rules.FIELDS_SET_OPEN)
        return point.lenient
    if pinned == point.lenient:
        expected = f'"OK" ({point.variable} is {point.lenient})'
        raise ConformanceFailure(
            rules.FIELDS_SET_OPEN, [Mismatch("/status/code", expected, shown(exchange.status_code))], exchange
        )
    checks.expect_error(exchange, allowed_http)
    return REFUSED
