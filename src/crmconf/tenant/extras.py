"""Undocumented members some tenants add to records (option ``extra_fields``).

A client must tolerate members it does not know; with the option on, contacts, subscriptions
and provisioning requests carry these two.
"""

from __future__ import annotations

import datetime
from typing import Any

from crmconf.tenant.options import TenantOptions


def with_extra_fields(
    record: dict[str, Any], options: TenantOptions, created_at: datetime.datetime, internal_ref: str
) -> dict[str, Any]:
    if not options.extra_fields:
        return record
    return {
        **record,
        "created_date": created_at.isoformat(timespec="seconds"),
        "x_internal_ref": internal_ref,
    }
