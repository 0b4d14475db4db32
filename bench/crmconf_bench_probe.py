"""pytest plugin for the benchmarks' checks (never loaded in a timed run).

Loaded with ``-p crmconf_bench_probe`` (``bench/`` on ``PYTHONPATH``); ``CRMCONF_BENCH_PROBE``
names a folder where each process (the controller and every pytest-xdist worker) writes one JSON
file at the end of its session:

* ``requests``: every request the client sent, in order, with the token each login returned, so
  that a plain client loop can send the same requests to a fresh tenant;
* ``reads``: per test, the cassette files it read (replay);
* ``writes``: every cassette file written (record), by path.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

PROBE = "CRMCONF_BENCH_PROBE"


class Probe:
    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.reads: dict[str, list[str]] = {}
        self.writes: list[str] = []
        self.current_test = ""


def _patch(probe: Probe, patch: pytest.MonkeyPatch) -> None:
    from crmconf import recording
    from crmconf.client import CrmClient

    send = CrmClient._send

    def sending(client: CrmClient, request: Any) -> Any:
        exchange = send(client, request)
        data = exchange.data if isinstance(exchange.data, dict) else {}
        probe.requests.append(
            {
                "method": request.method,
                "operation": request.operation,
                "params": dict(request.params),
                "json_body": request.json_body,
                "raw_body": request.raw_body,
                "http_status": exchange.http_status,
                "issued_token": data.get("token") if request.operation == "authentication/token" else None,
            }
        )
        return exchange

    load = recording.ReplayPersister.load_cassette

    def loading(cassette_path: str, serializer: Any) -> Any:
        probe.reads.setdefault(probe.current_test, []).append(str(cassette_path))
        return load(cassette_path, serializer)

    write = recording.write_atomically

    def writing(path: Path, text: str) -> None:
        write(path, text)
        probe.writes.append(str(path))

    patch.setattr(CrmClient, "_send", sending)
    patch.setattr(recording.ReplayPersister, "load_cassette", staticmethod(loading))
    patch.setattr(recording, "write_atomically", writing)


PROBE_KEY = pytest.StashKey[Probe]()


def pytest_configure(config: pytest.Config) -> None:
    if not os.environ.get(PROBE):
        raise pytest.UsageError(f"crmconf_bench_probe needs {PROBE}=<folder>")
    probe = Probe()
    patch = pytest.MonkeyPatch()
    _patch(probe, patch)
    config.add_cleanup(patch.undo)
    config.stash[PROBE_KEY] = probe


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: Any) -> Any:
    probe = item.config.stash[PROBE_KEY]
    probe.current_test = item.nodeid
    try:
        return (yield)
    finally:
        probe.current_test = ""


def pytest_sessionfinish(session: pytest.Session) -> None:
    probe = session.config.stash.get(PROBE_KEY, None)
    if probe is None:
        return
    folder = Path(os.environ[PROBE])
    folder.mkdir(parents=True, exist_ok=True)
    worker = getattr(session.config, "workerinput", {}).get("workerid", "controller")
    (folder / f"{worker}-{os.getpid()}.json").write_text(
        json.dumps({"requests": probe.requests, "reads": probe.reads, "writes": probe.writes}),
        encoding="utf-8",
    )


def collected(folder: Path) -> dict[str, Any]:
    """Everything the processes of one probed run wrote, merged."""
    merged: dict[str, Any] = {"requests": [], "reads": {}, "writes": []}
    for path in sorted(Path(folder).glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        merged["requests"] += data["requests"]
        merged["reads"].update(data["reads"])
        merged["writes"] += data["writes"]
    return merged
