"""The JSON envelope every response travels in: ``{"status": {...}, "data": ...}``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from crmconf.tenant.errors import ApiError
from crmconf.tenant.options import TenantOptions

CONTENT_TYPE = "application/json; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    http_status: int
    body: bytes
    extra_headers: tuple[tuple[str, str], ...] = field(default=())

    @property
    def status_line(self) -> str:
        return f"{self.http_status} {HTTPStatus(self.http_status).phrase}"

    @property
    def headers(self) -> list[tuple[str, str]]:
        return [
            ("Content-Type", CONTENT_TYPE),
            ("Content-Length", str(len(self.body))),
            *self.extra_headers,
        ]


def success(data: Any, options: TenantOptions) -> Reply:
    return Reply(200, encode(success_body(data, options), options))


def failure(
    error: ApiError, options: TenantOptions, extra_headers: tuple[tuple[str, str], ...] = ()
) -> Reply:
    body = {
        "status": {"code": error.kind.code, "message": error.message, "description": error.kind.description},
        "data": None,
    }
    return Reply(http_status(error, options), encode(body, options), extra_headers)


def success_body(data: Any, options: TenantOptions) -> dict[str, Any]:
    blank = None if options.success_message == "null" else ""
    return {"status": {"code": "OK", "message": blank, "description": blank}, "data": data}


def http_status(error: ApiError, options: TenantOptions) -> int:
    # A tenant that answers errors with HTTP 200 still fails loudly on its own faults.
    natural = error.kind.http_status
    if options.error_http_status == "200" and natural < 500:
        return 200
    return natural


def order_members(body: dict[str, Any], options: TenantOptions) -> dict[str, Any]:
    first, second = ("data", "status") if options.data_first else ("status", "data")
    return {first: body[first], second: body[second]}


def encode(body: dict[str, Any], options: TenantOptions) -> bytes:
    return json.dumps(order_members(body, options), ensure_ascii=False).encode("utf-8")
