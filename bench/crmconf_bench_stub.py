"""pytest plugin for the benchmarks' baseline: the same scenarios with HTTP and validation stubbed.

Loaded with ``-p crmconf_bench_stub`` (``bench/`` on ``PYTHONPATH``) on a replay run. Each
scenario's cassette is still read and parsed (the baseline must get its answers from somewhere),
but vcrpy is never entered: the client hands back the next recorded response as an ``Exchange``
without ``requests``, urllib3 or matching, and ``check_response`` (schema validation) is skipped.
What is left is pytest, pytest-bdd, the steps and the harness's fixtures: the floor a replay
cannot go below.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from vcr.errors import MissingMetadataError

from crmconf.client import CrmClient, Exchange, SentRequest
from crmconf.recording import ReadableYamlSerializer


class RecordedExchanges:
    """One scenario's cassette, played back in recorded order; what ``ScenarioValues`` reads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        cassette = ReadableYamlSerializer.deserialize(path.read_text(encoding="utf-8"))
        self._responses = [interaction["response"] for interaction in cassette["interactions"]]
        self._metadata = cassette.get("metadata") or {}
        self._next = 0

    def get_metadata(self, key: str, default: Any) -> Any:
        if key not in self._metadata:
            raise MissingMetadataError(cassette=self, key=key)
        return self._metadata[key]

    def answer(self, request: SentRequest) -> Exchange:
        response = self._responses[self._next]
        self._next += 1
        headers = {name: values[0] for name, values in response.get("headers", {}).items()}
        return Exchange(
            request=request,
            http_status=response["status"]["code"],
            content_type=headers.get("Content-Type", ""),
            text=response["body"]["string"] or "",
            elapsed=0.0,
            headers=headers,
        )


class StubRecorder:
    """Stands in for ``crmconf.recording.Recorder`` in replay mode."""

    mode = "replay"

    def __init__(self) -> None:
        self.unused: dict[Path, list[str]] = {}
        self.current: RecordedExchanges | None = None

    @contextlib.contextmanager
    def cassette(self, path: Path, keep: Callable[[], bool]) -> Iterator[RecordedExchanges]:
        self.current = RecordedExchanges(Path(path))
        try:
            yield self.current
        finally:
            self.current = None


def _no_validation(exchange: Exchange, catalogue: Any) -> None:
    return None


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    import crmconf.plugin as harness_plugin  # imported here: the suite's conftest loads it, rewritten

    harness = config.stash.get(harness_plugin.HARNESS, None)
    if harness is None or harness.settings.mode != "replay":
        raise pytest.UsageError("crmconf_bench_stub works on a replay run of the crmconf suite only")
    recorder = StubRecorder()
    harness.recorder = recorder

    def send(client: CrmClient, request: SentRequest) -> Exchange:
        exchange = recorder.current.answer(request)
        client.exchanges.append(exchange)
        for observe in client.observers:
            observe(exchange)
        return exchange

    patch = pytest.MonkeyPatch()
    patch.setattr(CrmClient, "_send", send)
    patch.setattr(harness_plugin, "check_response", _no_validation)
    config.add_cleanup(patch.undo)
