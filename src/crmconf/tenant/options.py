"""The behaviours a CRM.COM tenant may legitimately vary in, as one frozen value.

The defaults are the reference behaviour. Every other value of a field is a variant the vendor
documentation allows (or is silent about), so the conformance suite must accept it. Each field
changes one behaviour, and is read in one place of the tenant:

=====================  ======================================================================
field                  read by
=====================  ======================================================================
error_http_status      ``envelope.http_status`` (HTTP status of an error envelope)
success_message        ``envelope.success_body`` (``status.message``/``description`` on OK)
data_first             ``envelope.order_members`` (``data`` before ``status`` in the text)
extra_fields           ``extras.with_extra_fields`` (undocumented members in records)
token_format           ``tokens.TokenBook`` (JWT or 32-character hex)
fractional_floats      ``seed.udf_floats`` (seed ``udf_float_N`` values)
input_collections      ``contacts.collection_inputs`` (where address/phone/email sets are read)
data_date              ``seed.build_seed`` and ``provisioning.listing_window`` (the data clock)
release                ``releases.available`` (release-gated operations and fields)
=====================  ======================================================================

New fields need only a default and a reader; ``__post_init__`` checks ``Literal`` and ``bool``
fields generically.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, fields
from typing import Literal, get_args, get_origin, get_type_hints

from crmconf.tenant.releases import parse_release

ErrorHttpStatus = Literal["4xx", "200"]
SuccessMessage = Literal["null", "empty"]
TokenFormat = Literal["jwt", "hex"]
InputCollections = Literal["both", "top", "demographics"]

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
