"""The behaviours a CRM.COM tenant may legitimately vary in, as one frozen value.

The defaults are the reference behaviour. Every other value of a field is a variant the vendor
documentation allows (or is silent about), so the conformance suite must accept it; the one
exception is ``fault``, which breaks a documented rule so that the suite must fail. Each field
changes one behaviour, and is read in one place of the tenant:

=====================  ==========================================================================
field                  read by
=====================  ==========================================================================
error_http_status      ``envelope.http_status`` (HTTP status of an error envelope)
success_message        ``envelope.success_body`` (``status.message``/``description`` on OK)
data_first             ``envelope.order_members`` (``data`` before ``status`` in the text)
extra_fields           ``extras.with_extra_fields`` (undocumented members in records)
token_format           ``tokens.TokenBook`` (JWT or 32-character hex)
fractional_floats      ``seed.udf_floats`` (seed ``udf_float_N`` values)
input_collections      ``contacts.collection_inputs`` (where address/phone/email sets are read)
data_date              the data clock: ``seed.build_seed`` (seed dates), ``provisioning.listing_window``
                       (the 7-day window) and ``contacts.creation_time`` (extra ``created_date``)
release                ``releases.available`` (release-gated operations and fields)
credentials            ``authentication.accepted_credentials`` (who may log in)
fault                  no variant: a deliberate departure from the docs, read at the one hook
                       ``faults.is_on(options, NAME)`` of that fault (``faults.FAULTS``)
=====================  ==========================================================================

New fields need only a default and a reader; ``__post_init__`` checks ``Literal`` and ``bool``
fields generically.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Literal, get_args, get_origin, get_type_hints

from crmconf.tenant.faults import FAULTS, unknown_fault_message
from crmconf.tenant.releases import parse_release

ErrorHttpStatus = Literal["4xx", "200"]
SuccessMessage = Literal["null", "empty"]
TokenFormat = Literal["jwt", "hex"]
InputCollections = Literal["both", "top", "demographics"]

CREDENTIAL_MEMBERS = ("username", "password", "organisation", "unit")
DEFAULT_DATA_DATE = datetime.date(2026, 1, 15)
DEFAULT_RELEASE = "R16.1.0"


@dataclass(frozen=True)
class TenantOptions:
    """How this tenant answers where the documentation allows more than one answer."""

    error_http_status: ErrorHttpStatus = "4xx"
    """``4xx``: each error gets its natural client-error status; ``200``: errors come with HTTP 200."""

    success_message: SuccessMessage = "null"
    """On success ``status.message`` and ``status.description`` are ``null`` or ``""``."""

    data_first: bool = False
    """Serialise ``data`` before ``status`` in the response text."""

    extra_fields: bool = False
    """Contacts, subscriptions and provisioning requests carry undocumented members."""

    token_format: TokenFormat = "jwt"
    """A JWT (R12.0.0 onwards) or a 32-character lowercase hex string (before R12.0.0)."""

    fractional_floats: bool = False
    """Seed ``udf_float_N`` values are fractional (12.75) instead of integer-valued (12)."""

    input_collections: InputCollections = "both"
    """Where create/update read ``address_set``/``phone_set``/``email_set``: top level,
    inside ``demographics``, or either (the Introduction's example is ambiguous)."""

    data_date: datetime.date = DEFAULT_DATA_DATE
    """The tenant's "today" for seed data and the 7-day pending window."""

    release: str = DEFAULT_RELEASE
    """The CRM.COM release the tenant claims; release-gated features follow it."""

    credentials: Mapping[str, str | None] | None = field(default=None, repr=False, hash=False)
    """``{username, password, organisation, unit}`` that log in (unit may be None or left out);
    ``None`` means the published ``crmconf.tenant.CREDENTIALS``. Kept out of ``repr``."""

    fault: str | None = None
    """A fault of ``faults.FAULTS`` (its name), so the tenant breaks one documented rule; ``None``
    for a conforming tenant."""

    def __post_init__(self) -> None:
        hints = get_type_hints(type(self))
        for option in fields(self):
            value = getattr(self, option.name)
            hint = hints[option.name]
            if get_origin(hint) is Literal and value not in get_args(hint):
                allowed = ", ".join(repr(choice) for choice in get_args(hint))
                raise ValueError(f"TenantOptions.{option.name} must be one of {allowed}, not {value!r}")
            if hint is bool and not isinstance(value, bool):
                raise ValueError(f"TenantOptions.{option.name} must be True or False, not {value!r}")
        # datetime.datetime is a date too, but a time of day would make the data clock ambiguous.
        if not isinstance(self.data_date, datetime.date) or isinstance(self.data_date, datetime.datetime):
            raise ValueError(f"TenantOptions.data_date must be a datetime.date, not {self.data_date!r}")
        parse_release(self.release)
        if self.fault is not None and self.fault not in FAULTS:
            raise ValueError(f"TenantOptions.fault: {unknown_fault_message(self.fault)}")
        if self.credentials is not None:
            object.__setattr__(self, "credentials", _checked_credentials(self.credentials))


def _checked_credentials(credentials: object) -> Mapping[str, str | None]:
    if not isinstance(credentials, Mapping):
        raise ValueError(
            "TenantOptions.credentials must be a mapping of username, password, organisation, unit"
        )
    unknown = set(credentials) - set(CREDENTIAL_MEMBERS)
    if unknown:
        raise ValueError(f"TenantOptions.credentials has unknown members {sorted(unknown)}")
    for member in CREDENTIAL_MEMBERS[:3]:
        if not isinstance(credentials.get(member), str) or not credentials[member]:
            raise ValueError(f"TenantOptions.credentials needs a non-empty string {member}")
    unit = credentials.get("unit")
    if unit is not None and (not isinstance(unit, str) or not unit):
        raise ValueError("TenantOptions.credentials unit must be a non-empty string or None")
    # A read-only copy, so that changing the caller's dict later changes nothing here.
    return MappingProxyType({member: credentials.get(member) for member in CREDENTIAL_MEMBERS})
