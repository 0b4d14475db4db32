"""The errors the tenant answers with.

The vendor publishes no error table; codes follow the shape seen in the field,
``COM.CRM.EXCEPTION.<AREA>.<NAME>EXCEPTION``. Each kind carries its natural HTTP status: 401 for
token and credential problems, 404 for records that do not exist (and unknown operations), 400
for everything the caller sent wrong, 405 for a known operation called with the other verb, 500
for the tenant's own failures.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ErrorKind:
    code: str
    http_status: int
    description: str


def _code(area: str, name: str) -> str:
    return f"COM.CRM.EXCEPTION.{area}.{name}EXCEPTION"


MALFORMED_REQUEST = ErrorKind(
    _code("REQUEST", "MALFORMEDREQUEST"), 400, "The request body must be a JSON object."
)
DUPLICATE_PARAMETER = ErrorKind(
    _code("REQUEST", "DUPLICATEPARAMETER"), 400, "Each query parameter may be given once."
)
UNKNOWN_OPERATION = ErrorKind(
    _code("REQUEST", "UNKNOWNOPERATION"), 404, "There is no such operation under /crmapi/rest/v2/."
)
METHOD_NOT_ALLOWED = ErrorKind(
    _code("REQUEST", "METHODNOTALLOWED"), 405, "GET operations read, POST operations write."
)
INTERNAL_ERROR = ErrorKind(
    _code("SYSTEM", "INTERNALERROR"), 500, "The tenant failed while answering the request."
)

INVALID_CREDENTIALS = ErrorKind(
    _code("AUTHENTICATION", "INVALIDCREDENTIALS"),
    401,
    "The username, password, organisation and unit do not log in.",
)
INVALID_WEB_API_KEY = ErrorKind(
    _code("AUTHENTICATION", "INVALIDWEBAPIKEY"),
    401,
    "The web API key travels as the HTTP Basic username with an empty password.",
)
TOKEN_REQUIRED = ErrorKind(
    _code("AUTHENTICATION", "TOKENREQUIRED"),
    401,
    "Send the token from authentication/token: as query parameter token on GET, "
    "as body member token on POST.",
)
INVALID_TOKEN = ErrorKind(
    _code("AUTHENTICATION", "INVALIDTOKEN"), 401, "The token is unknown or has been released."
)
EXPIRED_TOKEN = ErrorKind(
    _code("AUTHENTICATION", "EXPIREDTOKEN"), 401, "A token is valid for two hours from its issue."
)

MANDATORY_PARAMETER = ErrorKind(
    _code("VALIDATION", "MANDATORYPARAMETER"), 400, "A mandatory parameter is missing."
)
INVALID_PARAMETER = ErrorKind(
    _code("VALIDATION", "INVALIDPARAMETER"), 400, "A parameter has a value the operation does not accept."
)
INVALID_IDENTIFIER = ErrorKind(
    _code("IDENTIFIER", "INVALIDIDENTIFIER"),
    400,
    "An identifier names exactly one of its allowed fields.",
)
AMBIGUOUS_IDENTIFIER = ErrorKind(
    _code("IDENTIFIER", "AMBIGUOUSIDENTIFIER"),
    400,
    "The identifier matches more than one record; use a field that is unique.",
)


def not_found(area: str, thing: str) -> ErrorKind:
    """The 404 kind for one kind of record, e.g. ``not_found("PROVISIONING", "PROVIDER")``."""
    return ErrorKind(_code(area, f"{thing}NOTFOUND"), 404, "No record matches the identifier.")


class ApiError(Exception):
    """Raised by handlers; the application turns it into an error envelope."""

    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
