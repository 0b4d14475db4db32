"""The JSON envelope every response travels in: ``{"status": {...}, "data": ...}``."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from crmconf.tenant.errors import ApiError
from crmconf.tenant.faults import html_error_page, is_on, plain_text_error
from crmconf.tenant.options import TenantOptions

CONTENT_TYPE = "application/json; charset=utf-8"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
HTML_CONTENT_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    http_status: int
    body: bytes
    extra_headers: tuple[tuple[str, str], ...] = field(default=())
    content_type: str = CONTENT_TYPE

    @property
    def status_line(self) -> str:
        return f"{self.http_status} {HTTPStatus(self.http_status).phrase}"

    @property
    def headers(self) -> list[tuple[str, str]]:
        return [
            ("Content-Type", self.content_type),
            ("Content-Length", str(len(self.body))),
            *self.extra_headers,
        ]


def success(data: Any, options: TenantOptions) -> Reply:
    body = encode(success_body(data, options), options)
    if is_on(options, "json-served-as-text-plain"):
        return Reply(200, body, content_type=TEXT_CONTENT_TYPE)
    return Reply(200, body)


def failure(
    error: ApiError, options: TenantOptions, extra_headers: tuple[tuple[str, str], ...] = ()
) -> Reply:
    status = http_status(error, options)
    if is_on(options, "html-error-bodies"):
        return Reply(status, html_error_page(error), extra_headers, HTML_CONTENT_TYPE)
    if is_on(options, "plain-text-error-bodies"):
        return Reply(status, plain_text_error(error), extra_headers, TEXT_CONTENT_TYPE)
    return Reply(status, encode(error_body(error, options), options), extra_headers)


def error_body(error: ApiError, options: TenantOptions) -> dict[str, Any]:
    code = "OK" if is_on(options, "errors-with-code-ok") else error.kind.code
    status = {"code": code, "message": error.message, "description": error.kind.description}
    if is_on(options, "error-message-missing"):
        del status["message"]
    return {"status": status, "data": {} if is_on(options, "error-data-not-null") else None}


def success_body(data: Any, options: TenantOptions) -> dict[str, Any]:
    blank = None if options.success_message == "null" else ""
    code = "SUCCESS" if is_on(options, "success-code-not-ok") else "OK"
    status = {"code": code, "message": blank, "description": blank}
    if is_on(options, "status-code-missing"):
        del status["code"]
    return {"status": status, "data": None if is_on(options, "data-null-on-success") else data}


def http_status(error: ApiError, options: TenantOptions) -> int:
    # A tenant that answers errors with HTTP 200 still fails loudly on its own faults.
    natural = error.kind.http_status
    if is_on(options, "server-error-for-client-mistake"):
        return max(natural, 500)
    if options.error_http_status == "200" and natural < 500:
        return 200
    return natural


def order_members(body: dict[str, Any], options: TenantOptions) -> dict[str, Any]:
    first, second = ("data", "status") if options.data_first else ("status", "data")
    return {first: body[first], second: body[second]}


def encode(body: dict[str, Any], options: TenantOptions) -> bytes:
    return json.dumps(order_members(body, options), ensure_ascii=False).encode("utf-8")
