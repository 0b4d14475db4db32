"""The documented rules the suite checks, each with a stable id used in every failure message."""

from crmconf.failures import Rule

INTRODUCTION = "vendor wiki: Introduction"

JSON_RESPONSE = Rule(
    "envelope.json", "every response, errors included, is a JSON body served as application/json", INTRODUCTION
)
ENVELOPE = Rule("envelope.shape", 'every response is an envelope {"status": {...}, "data": ...}', INTRODUCTION)
RESPONSE_SCHEMA = Rule(
    "response.schema", "a successful response carries the documented output of its operation", "the operation's page"
)
ERROR_SCHEMA = Rule(
    "error.envelope",
    "an error is a JSON envelope whose status.code is not OK, with a message and no data",
    INTRODUCTION,
)
SUCCESS = Rule("request.succeeds", "a valid request succeeds: status.code is OK", INTRODUCTION)
REFUSED = Rule("request.refused", "an invalid request is refused with an error envelope", INTRODUCTION)
NO_SERVER_ERROR = Rule(
    "error.not-5xx", "a client mistake is answered as a client error, never with HTTP 5xx", INTRODUCTION
)
ERROR_HTTP_STATUS = Rule(
    "error.http-status", "an error comes with HTTP 200 or 4xx (the documentation does not say which)", INTRODUCTION
)
GET_IDEMPOTENT = Rule("get.idempotent", "the same GET sent twice returns the same result", INTRODUCTION)
IDENTIFIER = Rule(
    "identifier.one-record",
    "a <thing>_identifier names exactly one record, and show returns that record",
    "vendor wiki: GET contact_information/show",
)
VALUE = Rule("response.value", "the response holds the value the scenario expects", "the scenario")
SHOW = "vendor wiki: GET contact_information/show"
FIELDS_SET = Rule(
    "fields_set.exact", "with fields_set, only the fields asked for come back, all of them", SHOW
)
FIELDS_SET_OPEN = Rule(
    "fields_set.open-point",
    "an open point of fields_set is answered as the profile allows (an error, or exactly the valid fields)",
    SHOW,
)
COMPLETE_CONTACT = Rule(
    "contact.complete", "without fields_set, every documented field of a contact is present (null allowed)", SHOW
)
TOKEN_FORMAT = Rule(
    "token.format",
    "the token is a JWT from release R12.0.0, a 32-character hex string before",
    "vendor wiki: POST authentication/token",
)
DIFFERENT = Rule("response.differs", "the value differs from the earlier one", "the scenario")
