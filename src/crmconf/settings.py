"""Run settings: the mode, the tenant to talk to, its credentials and test data.

Precedence, highest first: command-line options, environment variables (``CRM_*``), the tenant
profile file (TOML, named by ``--crm-profile`` or ``CRM_PROFILE``), the defaults. Every problem
is collected and reported at once, naming the variable or the file and key.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from crmconf.identifiers import Identifier, IdentifierError

MODES = ("replay", "record", "live")
EMBEDDED = "embedded"
DEFAULT_RELEASE = "R16.1.0"


class SettingsError(Exception):
    """One or more settings are missing or wrong; the message lists them all."""


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {type(value).__name__}")
    return value


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"", "0", "false", "no", "off"}:
        return False
    raise ValueError("expected a yes/no value: 1, true, yes, on, 0, false, no or off")


def _seconds(value: Any) -> float:
    seconds = float(value)
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError("expected a number of seconds greater than 0")
    return seconds


def _mode(value: Any) -> str:
    text = _text(value).strip().lower()
    if text not in MODES:
        raise ValueError(f"expected one of {', '.join(MODES)}")
    return text


def _release(value: Any) -> str:
    text = _text(value).strip()
    release_key(text)
    return "R" + text.lstrip("Rr")


def _choice(*choices: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _text(value).strip().lower()
        if text not in choices:
            raise ValueError(f"expected one of {', '.join(choices)}")
        return text

    return parse


def _names(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else _text(value).split(",")
    names = tuple(str(item).strip() for item in items if str(item).strip())
    if not names:
        raise ValueError("expected a comma-separated list of values")
    return names


def _count(value: Any) -> int:
    number = int(value)
    if number < 1:
        raise ValueError("expected a whole number of at least 1")
    return number


def _retries(value: Any) -> int:
    number = int(value)
    if not 0 <= number <= 10:
        raise ValueError("expected a whole number from 0 to 10")
    return number


def _identifier(value: Any) -> Identifier:
    try:
        return Identifier.parse(_text(value))
    except IdentifierError as error:
        raise ValueError(str(error)) from None


def _server(value: Any) -> str:
    text = _text(value).strip().rstrip("/")
    if text == EMBEDDED or text.startswith(("http://", "https://")):
        return text
    raise ValueError(f"expected a base URL such as https://tenant.example.com, or {EMBEDDED!r}")


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    parse: Callable[[Any], Any]
    help: str
    secret: bool = False


SETTINGS: tuple[Setting, ...] = (
    Setting("mode", "CRM_MODE", _mode, "replay (default), record or live"),
    Setting("server", "CRM_SERVER", _server, "tenant base URL without /crmapi/rest/v2, or 'embedded'"),
    Setting("username", "CRM_USERNAME", _text, "login user name", secret=True),
    Setting("password", "CRM_PASSWORD", _text, "login password", secret=True),
    Setting("organisation", "CRM_ORGANISATION", _text, "login organisation", secret=True),
    Setting("unit", "CRM_UNIT", _text, "login unit (optional)", secret=True),
    Setting("token", "CRM_TOKEN", _text, "a ready token, instead of logging in", secret=True),
    Setting("allow_writes", "CRM_ALLOW_WRITES", _flag, "run scenarios that POST (create or change data)"),
    Setting("contact_identifier", "CRM_CONTACT_IDENTIFIER", _identifier, "an existing contact, e.g. number=CI000111"),
    Setting(
        "provisioning_provider", "CRM_PROVISIONING_PROVIDER", _identifier,
        "a generic provisioning provider, e.g. alternative_code=GP1",
    ),
    Setting(
        "other_contact_identifier", "CRM_OTHER_CONTACT_IDENTIFIER", _identifier,
        "another existing contact than CRM_CONTACT_IDENTIFIER names, e.g. number=CI000112",
    ),
    Setting(
        "other_provisioning_provider", "CRM_OTHER_PROVISIONING_PROVIDER", _identifier,
        "another provisioning provider than CRM_PROVISIONING_PROVIDER names, e.g. alternative_code=GP2",
    ),
    Setting("release", "CRM_RELEASE", _release, f"the tenant's CRM.COM release (default {DEFAULT_RELEASE})"),
    Setting(
        "non_pending_requests", "CRM_NON_PENDING_REQUESTS", _names,
        "numbers of provisioning requests of the provider that are not PENDING (comma-separated)",
    ),
    # Where the documentation is open: how this tenant may answer (see OPEN_POINTS).
    Setting("error_http_status", "CRM_ERROR_HTTP_STATUS", _choice("any", "200", "4xx"), "HTTP status of errors"),
    Setting(
        "fields_set_unknown", "CRM_FIELDS_SET_UNKNOWN", _choice("any", "ignored", "refused"),
        "an unknown fields_set name is ignored or refused",
    ),
    Setting(
        "fields_set_spaces", "CRM_FIELDS_SET_SPACES", _choice("any", "trimmed", "refused"),
        "spaces after the commas of fields_set are trimmed or refused",
    ),
    Setting(
        "over_cap", "CRM_OVER_CAP", _choice("any", "refused", "capped"),
        "number_of_results above 50 is refused or capped at 50",
    ),
    Setting(
        "page_unit", "CRM_PAGE_UNIT", _choice("requests", "subscriptions"),
        "what number_of_results and offset count in get_pending",
    ),
    Setting(
        "input_collections", "CRM_INPUT_COLLECTIONS", _choice("top", "demographics"),
        "where create and update send address_set, phone_set and email_set",
    ),
    Setting(
        "pending_requests_set", "CRM_PENDING_REQUESTS_SET", _text,
        "the member of a get_pending subscription that lists its requests",
    ),
    Setting("max_pages", "CRM_MAX_PAGES", _count, "the most pages a scenario reads when paging (default 60)"),
    Setting("retries", "CRM_RETRIES", _retries, "times a GET is retried on a connection error or 502/503/504 (default 2)"),
    Setting("connect_timeout", "CRM_CONNECT_TIMEOUT", _seconds, "seconds to wait for a connection (default 5)"),
    Setting("read_timeout", "CRM_READ_TIMEOUT", _seconds, "seconds to wait for an answer (default 30)"),
)
SETTING_BY_NAME = {setting.name: setting for setting in SETTINGS}
PROFILE_ENV = "CRM_PROFILE"


@dataclass(frozen=True)
class Settings:
    mode: str = "replay"
    server: str | None = None
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)
    organisation: str | None = field(default=None, repr=False)
    unit: str | None = field(default=None, repr=False)
    token: str | None = field(default=None, repr=False)
    allow_writes: bool = False
    contact_identifier: Identifier | None = None
    provisioning_provider: Identifier | None = None
    other_contact_identifier: Identifier | None = None
    other_provisioning_provider: Identifier | None = None
    non_pending_requests: tuple[str, ...] | None = None
    release: str = DEFAULT_RELEASE
    error_http_status: str = "any"
    fields_set_unknown: str = "any"
    fields_set_spaces: str = "any"
    over_cap: str = "any"
    page_unit: str = "requests"
    input_collections: str = "top"
    pending_requests_set: str = "pending_provisioning_requests_set"
    max_pages: int = 60
    retries: int = 2
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    origin: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Where each value came from: an option, a variable or ``profile.toml: key``."""

    @property
    def is_live(self) -> bool:
        """Live and record runs talk to a tenant; replay runs never do."""
        return self.mode != "replay"

    @property
    def is_embedded(self) -> bool:
        return self.server == EMBEDDED

    @property
    def allowed_error_http(self) -> tuple[str, ...]:
        """The HTTP statuses an error may come with: 200, 4xx or (by default) either."""
        return ("200", "4xx") if self.error_http_status == "any" else (self.error_http_status,)

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)

    @property
    def secrets(self) -> tuple[str | None, ...]:
        return tuple(getattr(self, setting.name) for setting in SETTINGS if setting.secret)

    def describe(self, name: str) -> str:
        """How to set a setting, for error messages: its variable and where it came from."""
        setting = SETTING_BY_NAME[name]
        where = self.origin.get(name)
        return f"{setting.env} ({setting.help})" + (f", from {where}" if where else "")

    def missing(self, needed: set[str]) -> list[str]:
        """The settings a live or record run needs and does not have, as messages."""
        if not self.is_live:
            return []
        problems = []
        if not self.server:
            problems.append(f"{self.describe('server')} is not set")
        if not self.token and not (self.username and self.password and self.organisation):
            problems.append(
                "no credentials: set CRM_USERNAME, CRM_PASSWORD and CRM_ORGANISATION (and CRM_UNIT if "
                "your tenant needs one), or CRM_TOKEN"
            )
        for name in sorted(needed):
            if getattr(self, name) is None:
                problems.append(f"{self.describe(name)} is not set; the selected scenarios use it")
        return problems

    def with_embedded_tenant(self, credentials: Mapping[str, str | None], test_data: Mapping[str, Any]) -> Settings:
        """Fill what is not set with the reference tenant's own credentials and test data."""
        filled: dict[str, Any] = {}
        origin = dict(self.origin)
        for name, value in {**credentials, **test_data}.items():
            if getattr(self, name) is None and value is not None:
                filled[name] = value
                origin[name] = "the embedded reference tenant"
        if "allow_writes" not in self.origin:
            filled["allow_writes"] = True
            origin["allow_writes"] = "the embedded reference tenant (disposable data)"
        return replace(self, **filled, origin=origin)


def release_key(release: str) -> tuple[int, ...]:
    """``"R12.1.0"`` as ``(12, 1, 0)``, for comparing releases."""
    numbers = release.strip().lstrip("Rr").split(".")
    try:
        return tuple(int(number) for number in numbers)
    except ValueError:
        raise ValueError(f"{release!r} is not a release such as R16.1.0") from None


def load_settings(
    environ: Mapping[str, str],
    options: Mapping[str, Any] | None = None,
    profile: str | Path | None = None,
) -> Settings:
    """Build the settings from a profile file, the environment and command-line options."""
    problems: list[str] = []
    values: dict[str, Any] = {}
    origin: dict[str, str] = {}

    profile = profile or environ.get(PROFILE_ENV) or None
    if profile:
        for name, raw, where in _read_profile(Path(profile), problems):
            _set(name, raw, where, values, origin, problems)
    for setting in SETTINGS:
        raw = environ.get(setting.env)
        if raw is not None and raw.strip() != "":
            _set(setting.name, raw, setting.env, values, origin, problems)
    for name, raw in (options or {}).items():
        if raw is not None:
            _set(name, raw, f"option --{name.replace('_', '-')}", values, origin, problems)

    if problems:
        raise SettingsError("crmconf settings are wrong:\n" + "\n".join(f"  - {p}" for p in problems))
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in known}, origin=origin)


def _set(name: str, raw: Any, where: str, values: dict, origin: dict, problems: list[str]) -> None:
    setting = SETTING_BY_NAME[name]
    try:
        values[name] = setting.parse(raw)
    except (ValueError, TypeError) as error:
        shown = "(hidden)" if setting.secret else repr(raw)
        problems.append(f"{where}: {shown} is not valid: {error}")
        return
    origin[name] = where


def _read_profile(path: Path, problems: list[str]) -> list[tuple[str, Any, str]]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(f"profile file {path} does not exist (set by --crm-profile or {PROFILE_ENV})")
        return []
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"profile file {path} cannot be read: {error}")
        return []
    except tomllib.TOMLDecodeError as error:
        problems.append(f"profile file {path} is not valid TOML: {error}")
        return []
    entries = []
    for key, raw in document.items():
        if key not in SETTING_BY_NAME or key == "mode":
            allowed = ", ".join(s.name for s in SETTINGS if s.name != "mode")
            problems.append(f"{path}: unknown key {key!r}; a profile may set: {allowed}")
            continue
        entries.append((key, raw, f"{path}: {key}"))
    return entries
