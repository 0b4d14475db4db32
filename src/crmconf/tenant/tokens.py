"""Session tokens: issue, check, release.

A token is valid for two hours from its issue, whatever its use (R12.0.0 onwards). The validity
is kept by the tenant, measured on the real clock; the token text itself carries no time, so the
same requests give the same token text on every run.

Formats: a JWT (``header.payload.signature``, base64url, HS256 over a tenant secret), or, as
before R12.0.0, a 32-character lowercase hex string.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
from collections.abc import Callable

from crmconf.tenant.errors import EXPIRED_TOKEN, INVALID_TOKEN, ApiError
from crmconf.tenant.ids import NAMESPACE
from crmconf.tenant.options import TokenFormat

TOKEN_LIFETIME_SECONDS = 2 * 60 * 60
ISSUER = "crmconf-reference-tenant"
# Signs the JWTs of a local test tenant; it protects nothing and need not be secret.
SIGNING_KEY = b"crmconf reference tenant token signing key"


def _base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _json_part(value: dict[str, str]) -> str:
    return _base64url(json.dumps(value, separators=(",", ":"), sort_keys=True).encode("utf-8"))


def jwt(subject: str, token_id: str) -> str:
    header = _json_part({"alg": "HS256", "typ": "JWT"})
    payload = _json_part({"iss": ISSUER, "sub": subject, "jti": token_id})
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = hmac.new(SIGNING_KEY, signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_base64url(signature)}"


class TokenBook:
    """The tokens a tenant has issued and not yet released."""

    def __init__(self, token_format: TokenFormat, clock: Callable[[], float]) -> None:
        self._format = token_format
        self._clock = clock
        self._issued_at: dict[str, float] = {}
        self._count = 0

    def issue(self, subject: str) -> str:
        self._count += 1
        token_id = uuid.uuid5(NAMESPACE, f"token/{self._count}").hex
        token = jwt(subject, token_id) if self._format == "jwt" else token_id
        self._issued_at[token] = self._clock()
        return token

    def check(self, token: str) -> None:
        issued_at = self._issued_at.get(token)
        if issued_at is None:
            raise ApiError(INVALID_TOKEN, "token is not valid: it is unknown or has been released")
        if self._clock() - issued_at >= TOKEN_LIFETIME_SECONDS:
            del self._issued_at[token]
            raise ApiError(EXPIRED_TOKEN, "token has expired: a token is valid for two hours from its issue")

    def release(self, token: str) -> None:
        self.check(token)
        del self._issued_at[token]
