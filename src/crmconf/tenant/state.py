"""One tenant's state: its records, its tokens and the lock that serialises access to them."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crmconf.tenant.faults import is_on
from crmconf.tenant.identifiers import REFERENCE_KINDS, find_one, from_body, member_of
from crmconf.tenant.ids import IdSequence
from crmconf.tenant.options import TenantOptions
from crmconf.tenant.seed import FIRST_NEW_CONTACT_NUMBER, build_seed
from crmconf.tenant.tokens import TokenBook


class TenantState:
    def __init__(self, options: TenantOptions, clock: Callable[[], float]) -> None:
        self.options = options
        self.lock = threading.Lock()
        self.data = build_seed(options)
        self.ids = IdSequence()
        self.tokens = TokenBook(options.token_format, clock)
        self._next_contact_number = FIRST_NEW_CONTACT_NUMBER

    def take_contact_number(self) -> str:
        number = f"CI{self._next_contact_number:06d}"
        self._next_contact_number += 1
        return number

    def resolve_reference(self, kind_name: str, parameter: str, raw: Any) -> dict[str, Any] | None:
        """The record a ``<thing>_identifier`` object names, as shown in output; ``None`` for null."""
        if raw is None:
            return None
        kind = REFERENCE_KINDS[kind_name]
        if is_on(self.options, "reference-naming-two-fields-accepted") and isinstance(raw, dict) and raw:
            raw = dict([next(iter(raw.items()))])  # a reader that takes the first field and looks no further
        named = from_body(parameter, raw, kind, self.options.release)
        return dict(find_one(self.data.references[kind_name], named, kind, member_of))


@dataclass(frozen=True)
class Call:
    """What an operation handler gets: the tenant's state and the request's parameters.

    ``params`` is the query string (names to strings) for GET and the JSON body for POST.
    """

    state: TenantState
    params: dict[str, Any]
    authorization: str | None = None

    @property
    def options(self) -> TenantOptions:
        return self.state.options
