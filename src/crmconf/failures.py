"""Conformance failures: which documented rule a response broke, where, and how to see it again.

A failure lists every mismatch of one response together (not only the first), each with the JSON
pointer where it is, what the rule expects and what was received, and the schema path when a
schema found it. It ends with the request as a ``curl`` line and the start of the response.
Secrets are removed by the caller's scrubber when the failure is rendered for a report.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crmconf.client import cut

if TYPE_CHECKING:
    from crmconf.client import Exchange, SentRequest
    from crmconf.scrub import Scrubber

DOCS_BASE = "https://crmdevelopment.atlassian.net/wiki/spaces/V4Development/pages/"


@dataclass(frozen=True)
class Rule:
    """A documented behaviour the suite checks. ``id`` is stable and appears in every message."""

    id: str
    statement: str
    source: str

    def __str__(self) -> str:
        return f"{self.id}: {self.statement} ({self.source})"


@dataclass(frozen=True)
class Mismatch:
    pointer: str
    expected: str
    received: str
    schema_path: str | None = None

    def __str__(self) -> str:
        where = self.pointer or "(the whole body)"
        text = f"at {where}: expected {self.expected}, received {self.received}"
        return text + (f"  [schema: {self.schema_path}]" if self.schema_path else "")


def shown(value: Any, limit: int = 120) -> str:
    """A short JSON rendering of a received value for a message."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True) if not isinstance(value, str) else json.dumps(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ConformanceFailure(AssertionError):
    """A tenant's answer broke a documented rule."""

    def __init__(
        self,
        rule: Rule,
        mismatches: list[Mismatch],
        exchange: Exchange | None = None,
        *,
        request: SentRequest | None = None,
        note: str | None = None,
    ) -> None:
        self.rule = rule
        self.mismatches = mismatches
        self.exchange = exchange
        self.request = request or (exchange.request if exchange else None)
        self.note = note
        super().__init__(self.render())

    def render(self, scrubber: Scrubber | None = None) -> str:
        """The message; with a scrubber, the request and response shown carry no secret."""
        lines = [f"Rule broken: {self.rule}"]
        if self.note:
            lines.append(f"  {self.note}")
        lines += [f"  {mismatch}" for mismatch in self.mismatches]
        if self.request is not None:
            request = scrubber.sent(self.request) if scrubber else self.request
            lines.append(f"Request: {request.curl()}")
        if self.exchange is not None:
            ex = self.exchange
            lines.append(f"Response: HTTP {ex.http_status}, Content-Type {ex.content_type or '(none)'}, {len(ex.text)} characters")
            body = scrubber.body(ex.text) if scrubber else ex.text
            lines.append(f"  {cut(body)}" if ex.text else "  (empty body)")
        text = "\n".join(lines)
        return scrubber.text(text) if scrubber else text
