"""Loading a test's own pytest plugin into a ``crmconf run`` process of its own (``-- -p NAME``)."""

from __future__ import annotations

import os
from pathlib import Path


def plugin_env(folder: Path, **variables: str) -> dict[str, str]:
    """The environment of a crmconf process that can load plugin modules from ``folder``: this
    process's, without ``CRM_*`` settings, with ``folder`` first on ``PYTHONPATH``, plus ``variables``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CRM_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), env.get("PYTHONPATH")]))
    env.update(variables)
    return env


def write_plugin(folder: Path, name: str, source: str, **variables: str) -> dict[str, str]:
    """Plugin module ``name`` written into ``folder``; returns :func:`plugin_env` for it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(source, encoding="utf-8")
    return plugin_env(folder, **variables)
