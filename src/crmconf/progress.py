"""The console progress of a run counts failures too: ``[12/63, 2 failed]``, not only ``[12/63]``.

pytest's terminal reporter writes the progress (``console_output_style`` ``count`` or ``progress``)
at the end of each line of results. ``FailureProgress``, a plugin registered at configure time,
makes that reporter a ``FailureCountingReporter`` when the session starts: a subclass that appends
the failures and errors so far to pytest's own progress text. The counts come from the reporter's
``stats``, the same lists its final summary line counts, so they agree with ``2 failed`` at the end
and with the ``FAILED`` lines of ``-ra``. Under pytest-xdist the controller's reporter receives
every worker's reports, so the counts cover the whole run.

The reporter keeps its identity (its class changes, not the object), so plugins that hold it
(pytest-xdist, pytest's terminal progress) keep working. Without a terminal reporter
(``-p no:terminal``), with another plugin's reporter (a subclass of pytest's), with the ``times``
or ``classic`` style, or on a pytest whose reporter lacks the methods overridden here, nothing
changes.
"""

from __future__ import annotations

from typing import Any

import pytest
from pytest import TerminalReporter

COUNTED_STYLES = ("count", "progress")
RELIED_ON = (  # what this module overrides or reads of pytest's reporter, none of it public API
    "_get_progress_information_message", "_write_progress_information_if_past_edge",
    "_show_progress_info", "_session", "_screen_width", "_width_of_current_line", "_get_main_color", "_tw",
)


class FailureCountingReporter(TerminalReporter):
    """pytest's terminal reporter, whose progress also says how many scenarios failed so far."""

    def _get_progress_information_message(self) -> str:
        message = super()._get_progress_information_message()
        counted = self._show_progress_info in COUNTED_STYLES and self._session and self._session.testscollected
        if not counted or not message.endswith("]"):
            return message
        return f"{message[:-1]}, {failures_so_far(self.stats)}]"

    def _write_progress_information_if_past_edge(self) -> None:
        # pytest keeps room for " [63/63]" at the end of a line; the failure count needs more.
        if self._show_progress_info not in COUNTED_STYLES:
            super()._write_progress_information_if_past_edge()
            return
        message = self._get_progress_information_message()
        if self._width_of_current_line + len(message) + 1 >= self._screen_width:
            main_color, _ = self._get_main_color()
            self._tw.write(message + "\n", **{main_color: True})


def failures_so_far(stats: dict[str, list[Any]]) -> str:
    """``2 failed``, with ``, 1 error`` when a scenario broke outside its test (setup or teardown)."""
    failed, errors = (
        sum(1 for report in stats.get(key, []) if getattr(report, "count_towards_summary", True))
        for key in ("failed", "error")
    )
    text = f"{failed} failed"
    if errors:
        text += f", {errors} error{'' if errors == 1 else 's'}"
    return text


class FailureProgress:
    """The plugin: when the session starts, pytest's terminal reporter becomes a counting one."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        if hasattr(self.config, "workerinput"):  # a pytest-xdist worker: its console is not shown
            return
        reporter = self.config.pluginmanager.get_plugin("terminalreporter")
        if type(reporter) is not TerminalReporter or not all(hasattr(reporter, name) for name in RELIED_ON):
            return
        reporter.__class__ = FailureCountingReporter
