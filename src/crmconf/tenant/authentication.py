"""``authentication/*`` operations and the token check every other operation passes first."""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Mapping
from typing import Any

from crmconf.tenant.errors import (
    INVALID_CREDENTIALS,
    INVALID_TOKEN,
    INVALID_WEB_API_KEY,
    TOKEN_REQUIRED,
    ApiError,
)
from crmconf.tenant.faults import is_on
from crmconf.tenant.options import TenantOptions
from crmconf.tenant.seed import API_KEY, CREDENTIALS
from crmconf.tenant.state import Call
from crmconf.tenant.validation import optional_string, required_string

WEB_API_KEY_SUBJECT = "web_api_key"


def _same(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def accepted_credentials(options: TenantOptions) -> Mapping[str, str | None]:
    """The one set of credentials that logs in to this tenant."""
    return options.credentials if options.credentials is not None else CREDENTIALS


def login(call: Call) -> dict[str, str]:
    """POST authentication/token {username, password, organisation, unit?}.

    The unit must be the one the credentials name: absent (or null) when they name none.
    """
    body = call.params
    expected = accepted_credentials(call.options)
    given = {name: required_string(body.get(name), name) for name in ("username", "password", "organisation")}
    unit = optional_string(body.get("unit"), "unit") or None
    unchecked = {"password"} if is_on(call.options, "password-unchecked") else set()
    if not all(_same(given[name], expected[name]) for name in given if name not in unchecked):
        raise ApiError(INVALID_CREDENTIALS, "username, password and organisation do not match a user")
    if unit != expected["unit"]:
        raise ApiError(
            INVALID_CREDENTIALS, f"unit {unit!r} is not a unit of organisation {given['organisation']!r}"
        )
    return {"token": call.state.tokens.issue(given["username"])}


def release_token(call: Call) -> None:
    """POST authentication/token/release {token}: the token stops working at once."""
    token = token_of(call.params)
    if is_on(call.options, "released-token-accepted"):
        call.state.tokens.check(token)  # answers as a release would, but keeps the token
        return None
    call.state.tokens.release(token)
    return None


def web_api_key_login(call: Call) -> dict[str, str]:
    """POST authentication/web_api_key/token with the key as HTTP Basic username."""
    key = _basic_username(call.authorization)
    if not _same(key, API_KEY):
        raise ApiError(INVALID_WEB_API_KEY, "the web API key is not valid")
    return {"token": call.state.tokens.issue(WEB_API_KEY_SUBJECT)}


def _basic_username(authorization: str | None) -> str:
    scheme, _, encoded = (authorization or "").partition(" ")
    if scheme.lower() != "basic" or not encoded.strip():
        raise ApiError(
            INVALID_WEB_API_KEY, "send the web API key as the HTTP Basic username (Authorization: Basic)"
        )
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise ApiError(INVALID_WEB_API_KEY, "the Authorization header is not valid HTTP Basic") from None
    username, colon, password = decoded.partition(":")
    if not colon or password:
        raise ApiError(
            INVALID_WEB_API_KEY, "the web API key travels as the Basic username with an empty password"
        )
    return username


def token_of(params: dict[str, Any]) -> str:
    """The ``token`` parameter (query parameter on GET, body member on POST)."""
    token = params.get("token")
    if token is None or token == "":
        raise ApiError(TOKEN_REQUIRED, "token is mandatory: log in with authentication/token first")
    if not isinstance(token, str):
        raise ApiError(INVALID_TOKEN, "token must be a string")
    return token


def require_token(call: Call) -> None:
    call.state.tokens.check(token_of(call.params))
