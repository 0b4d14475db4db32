"""The one place where secrets are removed from everything crmconf writes or prints.

Two mechanisms, both deterministic so that scrubbed requests still match on replay:

* by name: members called ``token``, ``password``, ``username``, ``organisation`` or ``unit``,
  at any depth of a JSON body or in a query string, get a fixed placeholder; so does the
  ``Authorization`` header that carries a web API key;
* by value: every secret the run knows (the configured credentials and every token the tenant
  issued) is replaced wherever it appears as text: an error message that echoes the username,
  a token inside a URL, a failure message.

Log records are scrubbed as they are made, whoever writes them (``scrub_log_records``).

The server's base URL is replaced by ``SERVER_PLACEHOLDER`` in recordings: a tenant's host name
often names the organisation, and the port of an embedded tenant changes on every run.

Tokens the suite invents on purpose (an invalid token, to check that it is refused) start with
``FAKE_TOKEN_PREFIX`` and stay readable.
"""

from __future__ import annotations

import json
import logging
import re
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

PLACEHOLDERS: Mapping[str, str] = {
    "token": "<TOKEN>",
    "password": "<PASSWORD>",
    "username": "<USERNAME>",
    "organisation": "<ORGANISATION>",
    "unit": "<UNIT>",
}
API_KEY_PLACEHOLDER = "<API_KEY>"
SECRET_PLACEHOLDER = "<SECRET>"
SERVER_PLACEHOLDER = "http://tenant.crmconf.invalid"
RUN_MARKER_PLACEHOLDER = "<RUN_MARKER>"
# The marker a run writes into the records it creates changes every run; recordings keep a fixed
# placeholder so that they stay the same from one recording to the next and replays match.
RUN_MARKER = re.compile(r"crmconf-run-\d{8}T\d{6}-[0-9a-f]{8}")
RUN_ID_PLACEHOLDER = "<RUN_ID>"
FAKE_TOKEN_PREFIX = "crmconf-invalid-"

# Headers worth keeping in a recording; everything else (cookies, dates, server banners,
# authorisation) is dropped rather than filtered, so an unknown secret header cannot slip through.
KEPT_REQUEST_HEADERS = frozenset({"content-type", "accept", "authorization"})
KEPT_RESPONSE_HEADERS = frozenset({"content-type", "retry-after"})

# A secret shorter than this is scrubbed by name only: replacing "qa" everywhere would mangle text.
MIN_VALUE_LENGTH = 4

_JWT = re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*")
_HEX32 = re.compile(r"[0-9a-fA-F]{32}")
_NAMES = "|".join(PLACEHOLDERS)
# Secrets by name in text whose structure is unknown (a log line showing a URL or a raw body).
_MEMBER_IN_TEXT = re.compile(  # a JSON member, or a Python dict's item
    rf"""(?P<lead>(?P<q>["'])(?P<name>{_NAMES})(?P=q)\s*:\s*(?P<v>["']))"""
    r"""(?P<value>(?:(?!(?P=v))[^\\\n])*)(?=(?P=v))"""
)
_PARAMETER_IN_TEXT = re.compile(rf"(?P<lead>[?&](?P<name>{_NAMES})=)(?P<value>[^&#\s'\"<>]+)")


def token_placeholder(token: str) -> str:
    """The placeholder of a token keeps its shape (JWT, 32-character hex), which the suite checks
    against the tenant's release, and nothing else."""
    if token.startswith(PLACEHOLDERS["token"][:-1]):
        return token  # already a placeholder: scrubbing twice changes nothing
    if _JWT.fullmatch(token):
        return "<TOKEN:JWT>"
    if _HEX32.fullmatch(token):
        return "<TOKEN:HEX32>"
    return PLACEHOLDERS["token"]


def _placeholder_for(key: str, value: Any) -> Any:
    if value is None or value == "":
        return value
    if key == "token" and isinstance(value, str):
        return value if value.startswith(FAKE_TOKEN_PREFIX) else token_placeholder(value)
    return PLACEHOLDERS[key]


def _authorization_placeholder(value: str) -> str:
    """``Basic <API_KEY>``: the scheme stays readable, the credentials never do."""
    scheme, space, _ = value.partition(" ")
    return f"{scheme} {API_KEY_PLACEHOLDER}" if space else API_KEY_PLACEHOLDER


class Scrubber:
    """Replaces secrets by placeholders; one instance serves a whole run."""

    def __init__(self, secrets: Iterable[str | None] = (), server: str | None = None) -> None:
        self._values: dict[str, str] = {}
        self.set_server(server)
        for value in secrets:
            self.add(value)

    def add(self, value: str | None, placeholder: str = SECRET_PLACEHOLDER) -> None:
        """Remember a secret value (a password, an issued token) to replace wherever it appears."""
        if value and len(value) >= MIN_VALUE_LENGTH and not value.startswith(FAKE_TOKEN_PREFIX):
            self._values[value] = placeholder

    def add_token(self, token: str | None) -> None:
        if token:
            self.add(token, token_placeholder(token))

    # -- text -------------------------------------------------------------------------------

    def text(self, text: str) -> str:
        """Any text: log lines, failure messages, reproduction commands, raw bodies."""
        text = RUN_MARKER.sub(RUN_MARKER_PLACEHOLDER, text)
        for value in sorted(self._values, key=len, reverse=True):
            if value in text:
                text = text.replace(value, self._values[value])
        return _JWT.sub("<TOKEN:JWT>", text)

    def log_text(self, text: str) -> str:
        """A log line: secret members and query parameters by name, then ``text``."""
        def by_name(match: re.Match[str]) -> str:
            return match["lead"] + str(_placeholder_for(match["name"], match["value"]))

        return self.text(_PARAMETER_IN_TEXT.sub(by_name, _MEMBER_IN_TEXT.sub(by_name, text)))

    def set_server(self, server: str | None) -> None:
        """The tenant's base URL, replaced by ``SERVER_PLACEHOLDER`` in recorded URLs."""
        self._server = server.rstrip("/") if server else None

    def server(self, url: str) -> str:
        """Replace the tenant's base URL by the fixed placeholder."""
        server = self._server
        if server and url.startswith(server) and url[len(server) : len(server) + 1] in ("", "/", "?", "#"):
            return SERVER_PLACEHOLDER + url[len(server) :]
        return url

    # -- structured data --------------------------------------------------------------------

    def data(self, value: Any) -> Any:
        """A decoded JSON value: secret members by name at any depth, then secret values."""
        if isinstance(value, Mapping):
            return {
                key: _placeholder_for(key, item) if key in PLACEHOLDERS else self.data(item)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self.data(item) for item in value]
        if isinstance(value, str):
            return self.text(value)
        return value

    def body(self, body: str | bytes | None) -> str | bytes | None:
        """A raw body: scrubbed as JSON when it parses as JSON, else as text."""
        if body is None or body == b"" or body == "":
            return body
        raw = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
        try:
            decoded = json.loads(raw)
        except ValueError:
            scrubbed = self.text(raw)
        else:
            scrubbed = json.dumps(self.data(decoded), ensure_ascii=False)
        return scrubbed.encode("utf-8") if isinstance(body, bytes) else scrubbed

    def url(self, url: str, keep_server: bool = False) -> str:
        """A URL: secret query parameters by name, secret values anywhere, and (for recordings)
        the server base; a reproduction line keeps the server so that it can be run."""
        parts = urlsplit(url if keep_server else self.server(url))
        pairs = [
            (self.text(key), _placeholder_for(key, value) if key in PLACEHOLDERS else self.text(value))
            for key, value in parse_qsl(parts.query, keep_blank_values=True)
        ]
        query = urlencode(pairs, safe="=,<>")
        return urlunsplit(parts._replace(path=self.text(parts.path), query=query))

    def sent(self, request: Any) -> Any:
        """A ``client.SentRequest`` with its URL, query and body scrubbed, for a reproduction line."""
        return replace(
            request,
            url=self.url(request.url, keep_server=True),
            params={key: _placeholder_for(key, value) if key in PLACEHOLDERS else self.text(str(value))
                    for key, value in request.params.items()},
            json_body=self.data(request.json_body),
            raw_body=self.text(request.raw_body) if request.raw_body is not None else None,
        )

    def headers(self, headers: Mapping[str, Any], kept: frozenset[str]) -> dict[str, Any]:
        """Keep only the named headers; an Authorization header keeps its scheme only."""
        result: dict[str, Any] = {}
        for name, value in headers.items():
            if name.lower() not in kept:
                continue
            if name.lower() == "authorization":
                values = value if isinstance(value, list) else [value]
                value = [_authorization_placeholder(str(v)) for v in values]
                value = value if isinstance(headers[name], list) else value[0]
            result[name] = value
        return result


# -- log records ------------------------------------------------------------------------------------
# pytest writes log records to the terminal (log_cli), a log file (--log-file) and the captured-log
# sections of every report; scrubbing each record once, as it is made, covers every handler.

_LOG_SCRUBBERS: weakref.WeakSet[Scrubber] = weakref.WeakSet()
_make_log_record: Callable[..., logging.LogRecord] | None = None
"""The record factory that ``_scrubbed_log_record`` wraps, once it is installed."""


def scrub_log_records(scrubber: Scrubber) -> Callable[[], None]:
    """From now on, every log record made in the process is scrubbed by ``scrubber`` as it is made,
    until the returned function is called. urllib3 and vcrpy log request URLs, whose query carries
    the token, and vcrpy the responses it records, before the client has seen the token they hold;
    scrubbing the record itself covers every handler (terminal, log file, captured logs)."""
    global _make_log_record
    if _make_log_record is None:
        _make_log_record = logging.getLogRecordFactory()
        logging.setLogRecordFactory(_scrubbed_log_record)
    _LOG_SCRUBBERS.add(scrubber)
    return lambda: _LOG_SCRUBBERS.discard(scrubber)


def _scrubbed_log_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
    assert _make_log_record is not None
    record = _make_log_record(*args, **kwargs)
    scrubbers = list(_LOG_SCRUBBERS)
    if not scrubbers:
        return record
    try:
        message = record.getMessage()
    except Exception:  # noqa: BLE001 - arguments that do not fit the format: shown raw, scrubbed
        message = f"{record.msg} % {record.args!r}"
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    for scrubber in scrubbers:
        message = scrubber.log_text(message)
        record.exc_text = scrubber.log_text(record.exc_text) if record.exc_text else record.exc_text
        record.stack_info = scrubber.log_text(record.stack_info) if record.stack_info else record.stack_info
    record.msg, record.args = message, None
    return record
