"""Scenario values: the ``{name}`` placeholders of feature files.

A placeholder is either a *run value*, taken from the settings (``{contact}``: the contact to
show), or a value the scenario *kept* from an earlier response (``{contact_id}``). Run values
are stored in the scenario's cassette when recording and read back from it when replaying, so a
replay sends exactly the requests that were recorded, with no settings at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from vcr.errors import MissingMetadataError

PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")

# Run values and the setting each comes from. A live run without a required setting refuses to
# start; without an optional one, the scenarios that use the placeholder are skipped.
RUN_VALUE_SETTINGS: Mapping[str, str] = {
    "contact": "contact_identifier",
    "provider": "provisioning_provider",
    "non_pending": "non_pending_requests",
    "other_contact": "other_contact_identifier",
    "other_provider": "other_provisioning_provider",
}
OPTIONAL_RUN_VALUES = frozenset({"non_pending", "other_contact", "other_provider"})


def auth_mode(token: bool, unit: bool) -> str:
    """How a run authenticates, recorded in each cassette (``auth``): ``token`` (``CRM_TOKEN``) or
    ``login`` (credentials), with ``+unit`` when a unit is configured. Scenarios that log in
    themselves send the unit whenever there is one, a token run too."""
    return ("token" if token else "login") + ("+unit" if unit else "")


def uses_token(mode: str) -> bool:
    return mode.split("+", 1)[0] == "token"


def sends_unit(mode: str) -> bool:
    return mode.endswith("+unit")


class UnknownValue(LookupError):
    """A placeholder that is neither a run value nor kept by an earlier step."""


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


class ScenarioValues:
    def __init__(
        self,
        sources: Mapping[str, Callable[[], Any]],
        cassette: Any = None,
        replay: bool = False,
        constants: Mapping[str, str] | None = None,
    ) -> None:
        self._sources = sources
        self._cassette = cassette
        self._replay = replay
        self._kept: dict[str, str] = dict(constants or {})
        """Values known without the cassette: constants of the run, then values kept by steps."""

    def __getitem__(self, name: str) -> str:
        if name in self._kept:
            return self._kept[name]
        if name not in self._sources:
            known = ", ".join(sorted({*self._sources, *self._kept})) or "none"
            raise UnknownValue(f"{{{name}}} is not a known value (known here: {known}); keep it first with a step")
        if self._cassette is None:
            return _as_text(self._sources[name]())
        if self._replay:
            try:
                return self._cassette.get_metadata(name, None)
            except MissingMetadataError:
                raise UnknownValue(
                    f"cassette {self._cassette.path} has no recorded value for {{{name}}}; record it again "
                    "with --crm-mode record"
                ) from None
        return self._cassette.get_metadata(name, _as_text(self._sources[name]()))

    def keep(self, name: str, value: Any) -> None:
        self._kept[name] = _as_text(value)

    def expand(self, text: str) -> str:
        """Replace every ``{name}`` in ``text`` by its value."""
        return PLACEHOLDER.sub(lambda match: self[match.group(1)], text)

    def query(self, query: str) -> dict[str, str]:
        """A feature file's unencoded query, ``a=1&b=x=y``, as parameters with placeholders
        expanded: the first ``=`` of each pair separates the name from the value."""
        params = {}
        for pair in filter(None, query.split("&")):
            name, _, value = pair.partition("=")
            params[name.strip()] = self.expand(value.strip())
        return params


def _as_text(value: Any) -> str:
    if value is None:
        raise UnknownValue("a value this scenario needs is not set")
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)
