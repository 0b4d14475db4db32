"""The tenant as a WSGI application: a route table from operation to handler.

Every response, errors included, is a JSON envelope (``application/json; charset=utf-8``):

- an unknown operation is a 404 envelope;
- a known operation called with the other verb is a 405 envelope, with ``Allow``;
- a POST body that is not a JSON object is a 400 envelope (an empty body is accepted only by
  ``authentication/web_api_key/token``, whose key travels in the Authorization header);
- any unexpected failure inside the tenant is a 500 envelope: never HTML, never a traceback
  (that goes to the log).

Order of checks for an operation: route and verb, then the request's syntax (query string or JSON
body), then the token (every operation except ``authentication/*``), then the handler, which
validates its parameters before it looks records up.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any
from urllib.parse import parse_qs

from crmconf.tenant import authentication, contacts, provisioning
from crmconf.tenant.envelope import Reply, failure, success
from crmconf.tenant.errors import (
    DUPLICATE_PARAMETER,
    INTERNAL_ERROR,
    MALFORMED_REQUEST,
    METHOD_NOT_ALLOWED,
    UNKNOWN_OPERATION,
    ApiError,
)
from crmconf.tenant.faults import is_on
from crmconf.tenant.options import TenantOptions
from crmconf.tenant.releases import available
from crmconf.tenant.state import Call, TenantState

API_PREFIX = "/crmapi/rest/v2/"
MAX_BODY_BYTES = 1024 * 1024

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Route:
    method: str
    handler: Callable[[Call], Any]
    authenticated: bool = True
    body_optional: bool = False
    """An empty POST body counts as ``{}`` (the operation's only input travels in a header)."""
    feature: str | None = None
    """The release feature the operation arrived with (a key of ``releases.FEATURE_SINCE``)."""


ROUTES: Mapping[str, Route] = MappingProxyType(
    {
        "authentication/token": Route("POST", authentication.login, authenticated=False),
        "authentication/token/release": Route(
            "POST", authentication.release_token, authenticated=False, feature="token_release"
        ),
        "authentication/web_api_key/token": Route(
            "POST",
            authentication.web_api_key_login,
            authenticated=False,
            body_optional=True,
            feature="web_api_key",
        ),
        "contact_information/show": Route("GET", contacts.show),
        "contact_information/create": Route("POST", contacts.create),
        "contact_information/update": Route("POST", contacts.update),
        "provisioning/generic_provisioning_requests/get_pending": Route(
            "GET", provisioning.get_pending, feature="get_pending"
        ),
    }
)


class WrongMethod(ApiError):
    def __init__(self, operation: str, route: Route, method: str) -> None:
        super().__init__(METHOD_NOT_ALLOWED, f"{operation} is called with {route.method}, not {method}")
        self.allowed = route.method


class TenantApp:
    """A WSGI callable with its own fresh tenant state."""

    def __init__(
        self,
        options: TenantOptions | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        routes: Mapping[str, Route] = ROUTES,
    ) -> None:
        self.options = options or TenantOptions()
        self.state = TenantState(self.options, clock)
        self.routes = MappingProxyType(dict(routes))

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        reply = self.respond(environ)
        start_response(reply.status_line, reply.headers)
        return [reply.body]

    def respond(self, environ: dict[str, Any]) -> Reply:
        try:
            return self._answer(environ)
        except Exception:
            logger.exception(
                "tenant failed on %s %s", environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
            )
            error = ApiError(INTERNAL_ERROR, "the tenant failed while answering this request")
            return failure(error, self.options)

    def _answer(self, environ: dict[str, Any]) -> Reply:
        try:
            route = self._route(environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET"))
            params = read_query(environ) if route.method == "GET" else read_body(environ, route.body_optional)
            call = Call(self.state, params, environ.get("HTTP_AUTHORIZATION"))
            with self.state.lock:
                if route.authenticated and not token_check_skipped(route, self.options):
                    authentication.require_token(call)
                data = route.handler(call)
            return success(data, self.options)
        except WrongMethod as error:
            return failure(error, self.options, (("Allow", error.allowed),))
        except ApiError as error:
            return failure(error, self.options)

    def _route(self, path: str, method: str) -> Route:
        operation = path[len(API_PREFIX) :] if path.startswith(API_PREFIX) else None
        route = self.routes.get(operation) if operation else None
        if route is None or (route.feature and not available(route.feature, self.options.release)):
            raise ApiError(
                UNKNOWN_OPERATION, f"there is no operation {path!r} in release {self.options.release}"
            )
        if method != route.method:
            raise WrongMethod(operation, route, method)
        return route


def token_check_skipped(route: Route, options: TenantOptions) -> bool:
    """Only a faulty tenant answers an operation without checking its token."""
    unchecked_verb = {"token-unchecked-on-get": "GET", "token-unchecked-on-post": "POST"}
    return any(is_on(options, fault) and route.method == verb for fault, verb in unchecked_verb.items())


def make_app(
    options: TenantOptions | None = None, *, clock: Callable[[], float] = time.monotonic
) -> TenantApp:
    """A WSGI application serving a fresh tenant; ``clock`` measures token lifetimes."""
    return TenantApp(options, clock=clock)


def read_query(environ: dict[str, Any]) -> dict[str, str]:
    # WSGI hands the query string over as latin-1; re-read its bytes as the UTF-8 they are.
    query = environ.get("QUERY_STRING", "").encode("latin-1").decode("utf-8", errors="replace")
    params = {}
    for name, values in parse_qs(query, keep_blank_values=True).items():
        if len(values) > 1:
            raise ApiError(DUPLICATE_PARAMETER, f"query parameter {name} is given {len(values)} times")
        params[name] = values[0]
    return params


def read_body(environ: dict[str, Any], optional: bool = False) -> dict[str, Any]:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiError(MALFORMED_REQUEST, "Content-Length is not a number") from None
    if length > MAX_BODY_BYTES:
        raise ApiError(MALFORMED_REQUEST, f"the body is larger than {MAX_BODY_BYTES} bytes")
    raw = environ["wsgi.input"].read(length) if length > 0 else b""
    if not raw.strip():
        if optional:
            return {}
        raise ApiError(MALFORMED_REQUEST, "the body is empty: send the parameters as a JSON object")
    try:
        body = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise ApiError(MALFORMED_REQUEST, f"the body is not valid JSON: {error}") from None
    if not isinstance(body, dict):
        raise ApiError(MALFORMED_REQUEST, f"the body must be a JSON object, not a JSON {type(body).__name__}")
    return body


def _refuse_constant(name: str) -> Any:
    # Python's json accepts NaN and Infinity; JSON does not.
    raise ValueError(f"{name} is not JSON")
