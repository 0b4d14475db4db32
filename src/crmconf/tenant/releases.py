"""CRM.COM releases and the features the documentation says arrived with them.

A tenant claiming an older release behaves as that release did: an operation it does not have
yet is an unknown operation, and a field it does not have yet is absent from its output and
ignored in its input.
"""

from __future__ import annotations

import re

_RELEASE = re.compile(r"^R(\d+)\.(\d+)\.(\d+)$")

FEATURE_SINCE = {
    "token_release": "R10.0.0",
    "web_api_key": "R10.0.0",
    "preferred_language": "R12.0.0",
    "get_pending": "R12.1.0",
    "registration_number": "R14.0.0",
    "email_is_primary": "R16.1.0",
}


def parse_release(release: str) -> tuple[int, int, int]:
    match = _RELEASE.match(release) if isinstance(release, str) else None
    if match is None:
        raise ValueError(f"a release is written like R16.1.0, not {release!r}")
    major, minor, patch = (int(part) for part in match.groups())
    return major, minor, patch


def available(feature: str, release: str) -> bool:
    """Whether ``feature`` (a key of ``FEATURE_SINCE``) exists in ``release``."""
    return parse_release(release) >= parse_release(FEATURE_SINCE[feature])
