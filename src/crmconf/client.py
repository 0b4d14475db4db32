"""HTTP client for the CRM.COM REST API v2, with no test framework inside.

Every call returns an ``Exchange``: the request as sent, the response as received and the time
it took. Checks and reports work on exchanges only, so the same checks serve live calls, recorded
calls and unit tests.
"""

from __future__ import annotations

import json
import shlex
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from crmconf.identifiers import Identifier

API_PATH = "/crmapi/rest/v2/"
DEFAULT_TIMEOUT = (5.0, 30.0)  # (connect, read) seconds
DEFAULT_RETRIES = 2
RETRY_STATUSES = frozenset({502, 503, 504})
BODY_PREVIEW = 600


def transport(retries: int = DEFAULT_RETRIES) -> HTTPAdapter:
    """A connection pool with the harness's retry policy, for one client or shared by many."""
    return HTTPAdapter(max_retries=retry_policy(retries))


class _UseSessionToken:
    def __repr__(self) -> str:
        return "the session token"


SESSION_TOKEN: Any = _UseSessionToken()
"""Default for ``token=``: send the token obtained by ``login`` (or given to the client)."""


class BoundedRetry(Retry):
    """urllib3's retry with ``Retry-After`` honoured up to ``backoff_max``: a tenant that asks for
    an hour's pause must not stall a run."""

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, self.backoff_max)


def retry_policy(retries: int) -> Retry:
    """GETs are retried on connection errors and 502/503/504 with backoff; POSTs never, since a
    POST is not idempotent; a read timeout is not retried, so a hanging tenant fails in time."""
    return BoundedRetry(
        total=retries,
        connect=retries,
        read=0,
        status=retries,
        other=0,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        backoff_factor=0.25,
        backoff_max=4.0,
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )


class TransportError(Exception):
    """The tenant could not be reached or did not answer in time."""

    def __init__(self, message: str, request: SentRequest) -> None:
        super().__init__(message)
        self.request = request


@dataclass(frozen=True)
class SentRequest:
    method: str
    operation: str
    url: str
    params: Mapping[str, str] = field(default_factory=dict)
    json_body: Any = None
    raw_body: str | None = None

    def curl(self) -> str:
        """A shell command that sends this request again (secrets are the scrubber's job)."""
        parts = ["curl", "-sS", "-X", self.method]
        if self.method == "GET" and self.params:
            parts.append(f"{self.url}?{urlencode(self.params, safe='=,<>:')}")
        else:
            parts.append(self.url)
        body = self.raw_body if self.raw_body is not None else self.json_body
        if body is not None:
            text = body if isinstance(body, str) else json.dumps(body, ensure_ascii=False)
            parts += ["-H", "Content-Type: application/json", "--data-raw", text]
        return " ".join(shlex.quote(part) for part in parts)


@dataclass(frozen=True)
class Exchange:
    """One request and the response it got."""

    request: SentRequest
    http_status: int
    content_type: str
    text: str
    elapsed: float
    headers: Mapping[str, str] = field(default_factory=dict)

    @property
    def operation(self) -> str:
        return self.request.operation

    @property
    def is_json(self) -> bool:
        return self._decoded()[1] is None

    @property
    def body(self) -> Any:
        """The decoded JSON body; ``None`` when the body is not JSON (see ``json_error``)."""
        return self._decoded()[0]

    @property
    def json_error(self) -> str | None:
        return self._decoded()[1]

    @property
    def status_code(self) -> str | None:
        """The envelope's ``status.code``, when there is one."""
        body = self.body
        if isinstance(body, Mapping) and isinstance(body.get("status"), Mapping):
            code = body["status"].get("code")
            return code if isinstance(code, str) else None
        return None

    @property
    def succeeded(self) -> bool:
        """Success is decided by ``status.code`` alone, as the documentation says."""
        return self.status_code == "OK"

    @property
    def data(self) -> Any:
        body = self.body
        return body.get("data") if isinstance(body, Mapping) else None

    def preview(self, limit: int = BODY_PREVIEW) -> str:
        return cut(self.text, limit)

    def _decoded(self) -> tuple[Any, str | None]:
        cached = self.__dict__.get("_decoded_cache")
        if cached is None:
            try:
                cached = (json.loads(self.text), None)
            except ValueError as error:
                cached = (None, f"not JSON: {error}")
            object.__setattr__(self, "_decoded_cache", cached)
        return cached


Observer = Callable[[Exchange], None]


def cut(text: str, limit: int = BODY_PREVIEW) -> str:
    """The start of a long text, saying how long it was."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters in all)"


class CrmClient:
    """Sends GET and POST calls to ``{server}/crmapi/rest/v2/<operation>``.

    The token travels as the ``token`` query parameter on GET and as the top-level ``token``
    member of the JSON body on POST. ``Identifier`` values become ``field=value`` in a query
    string and ``{"field": "value"}`` in a body.
    """

    def __init__(
        self,
        server: str,
        *,
        token: str | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        session: requests.Session | None = None,
        adapter: HTTPAdapter | None = None,
    ) -> None:
        """``adapter`` is the transport (connection pool and retry policy); clients that share one
        reuse its connections. Without it the client gets its own, retrying ``retries`` times."""
        self.base_url = server.rstrip("/") + API_PATH
        self.token = token
        self.timeout = timeout
        self.session = session or requests.Session()
        adapter = adapter or transport(retries)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.exchanges: list[Exchange] = []
        self.observers: list[Observer] = []

    # -- authentication ---------------------------------------------------------------------

    def login(self, username: str, password: str, organisation: str, unit: str | None = None) -> Exchange:
        """``POST authentication/token``; on success the client keeps the token for later calls."""
        body: dict[str, Any] = {"username": username, "password": password, "organisation": organisation}
        if unit:
            body["unit"] = unit
        exchange = self.post("authentication/token", body, token=None)
        token = exchange.data.get("token") if exchange.succeeded and isinstance(exchange.data, Mapping) else None
        if isinstance(token, str) and token:
            self.token = token
        return exchange

    def release(self, token: Any = SESSION_TOKEN) -> Exchange:
        """``POST authentication/token/release``: ends a token before it expires."""
        return self.post("authentication/token/release", {}, token=token)

    # -- verbs --------------------------------------------------------------------------------

    def get(self, operation: str, params: Mapping[str, Any] | None = None, *, token: Any = SESSION_TOKEN) -> Exchange:
        query = {name: _query_value(value) for name, value in (params or {}).items() if value is not None}
        token = self.token if token is SESSION_TOKEN else token
        if token is not None:
            query = {"token": token, **query}
        request = SentRequest("GET", operation, self.url(operation), params=query)
        return self._send(request)

    def post(self, operation: str, body: Mapping[str, Any] | str | None = None, *, token: Any = SESSION_TOKEN) -> Exchange:
        """POST a JSON object (the token is added as its first member), or a raw string as is."""
        token = self.token if token is SESSION_TOKEN else token
        if isinstance(body, str):
            request = SentRequest("POST", operation, self.url(operation), raw_body=body)
        else:
            payload = {name: _body_value(value) for name, value in (body or {}).items()}
            if token is not None:
                payload = {"token": token, **payload}
            request = SentRequest("POST", operation, self.url(operation), json_body=payload)
        return self._send(request)

    def url(self, operation: str) -> str:
        return self.base_url + operation.strip("/")

    # -- plumbing -----------------------------------------------------------------------------

    def _send(self, request: SentRequest) -> Exchange:
        started = time.perf_counter()
        try:
            if request.method == "GET":
                response = self.session.get(request.url, params=request.params, timeout=self.timeout)
            else:
                data = request.raw_body if request.raw_body is not None else json.dumps(request.json_body)
                response = self.session.post(
                    request.url,
                    data=data.encode("utf-8"),
                    headers={"Content-Type": "application/json"},
                    timeout=self.timeout,
                )
        except requests.RequestException as error:
            raise TransportError(_transport_problem(error, self.timeout), request) from None
        exchange = Exchange(
            request=request,
            http_status=response.status_code,
            content_type=response.headers.get("Content-Type", ""),
            text=response.content.decode("utf-8", errors="replace"),
            elapsed=time.perf_counter() - started,
            headers=dict(response.headers),
        )
        self.exchanges.append(exchange)
        for observe in self.observers:
            observe(exchange)
        return exchange


def _transport_problem(error: requests.RequestException, timeout: tuple[float, float]) -> str:
    """One line saying what went wrong, from the innermost cause urllib3 reports."""
    cause: Any = error.args[0] if error.args else error
    cause = getattr(cause, "reason", cause)  # a MaxRetryError wraps the last attempt's error
    if isinstance(error, requests.Timeout) or isinstance(cause, ReadTimeoutError):
        return f"no answer within the timeout (connect {timeout[0]} s, read {timeout[1]} s)"
    return f"could not reach the tenant: {cause}"


def _query_value(value: Any) -> str:
    if isinstance(value, Identifier):
        return value.as_query()
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)


def _body_value(value: Any) -> Any:
    if isinstance(value, Identifier):
        return value.as_body()
    if isinstance(value, Mapping):
        return {name: _body_value(item) for name, item in value.items()}
    if isinstance(value, list):
        return [_body_value(item) for item in value]
    return value
