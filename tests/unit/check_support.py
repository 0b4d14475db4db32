"""What the unit tests share: a CRM.COM response envelope, and the failure a check raises.

Imported by plain name (``from check_support import ...``), as pytest puts this folder on the path.
"""

from __future__ import annotations

from typing import Any

import pytest

from crmconf.failures import ConformanceFailure


def envelope(data: Any = None, code: str = "OK", message: str | None = None) -> dict[str, Any]:
    """A response body as the API wraps every answer: ``status`` (code, message, description), ``data``."""
    return {"status": {"code": code, "message": message, "description": None}, "data": data}


def failure_of(check, *args, **kwargs) -> ConformanceFailure:
    """The ``ConformanceFailure`` that ``check(*args, **kwargs)`` raises; the test fails if it raises none."""
    with pytest.raises(ConformanceFailure) as caught:
        check(*args, **kwargs)
    return caught.value
