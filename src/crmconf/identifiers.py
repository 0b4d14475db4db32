"""Record identifiers: ``<thing>_identifier`` parameters that name exactly one field.

The vendor documentation writes the same identifier two ways: inside a GET query string the
parameter's value is ``field=value`` (``contact_information_identifier=number=CI000111``), and
inside a POST body it is a one-member object (``{"number": "CI000111"}``). An ``Identifier`` is
written in the settings and in feature files as ``field=value`` and serialises to either form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FIELD = re.compile(r"^[a-z][a-z0-9_]*$")


class IdentifierError(ValueError):
    """An identifier written as something other than ``field=value``."""


@dataclass(frozen=True)
class Identifier:
    field: str
    value: str

    @classmethod
    def parse(cls, text: str) -> Identifier:
        field, sep, value = text.strip().partition("=")
        field, value = field.strip(), value.strip()
        if not sep or not _FIELD.match(field) or not value:
            raise IdentifierError(
                f"{text!r} is not an identifier: write field=value, for example number=CI000111"
            )
        return cls(field, value)

    def as_query(self) -> str:
        """The GET form: the value of a ``<thing>_identifier`` query parameter."""
        return f"{self.field}={self.value}"

    def as_body(self) -> dict[str, str]:
        """The POST form: a one-member object whose value is a string."""
        return {self.field: self.value}

    def __str__(self) -> str:
        return self.as_query()
