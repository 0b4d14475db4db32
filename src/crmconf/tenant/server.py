"""Serving the tenant over HTTP with waitress: embedded in a thread, or in the foreground."""

from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import Any

from waitress import wasyncore
from waitress.server import create_server

from crmconf.tenant.app import API_PREFIX, make_app
from crmconf.tenant.authentication import accepted_credentials
from crmconf.tenant.options import TenantOptions

SERVER_IDENT = "crmconf-reference-tenant"
STOP_TIMEOUT_SECONDS = 5.0


def _quiet_waitress() -> None:
    # Waitress logs a line per queued task and on shutdown; tests and recordings need none of it.
    logging.getLogger("waitress").setLevel(logging.ERROR)


class EmbeddedTenant:
    """A tenant served by waitress in a daemon thread on a free loopback port.

    ``app`` serves a WSGI application built elsewhere (``make_app`` with a test clock, say)
    instead of a fresh one for ``options``.
    """

    def __init__(
        self,
        options: TenantOptions | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        app: Any = None,
    ) -> None:
        self.app = app if app is not None else make_app(options)
        # An application built elsewhere knows its own options; a bare WSGI callable does not.
        self.options = options or getattr(self.app, "options", None) or TenantOptions()
        self.host = host
        self.requested_port = port
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._map: dict[int, Any] = {}
        self._stopping = threading.Event()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("the tenant is not running: call start() first")
        return int(self._server.effective_port)

    @property
    def url(self) -> str:
        """``http://host:port``, without the API path."""
        return f"http://{self.host}:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.url}{API_PREFIX}"

    def start(self) -> EmbeddedTenant:
        if self._server is not None:
            raise RuntimeError("the tenant is already running")
        _quiet_waitress()
        self._stopping.clear()
        self._map = {}
        self._server = create_server(
            self.app, map=self._map, host=self.host, port=self.requested_port, ident=SERVER_IDENT
        )
        self._thread = threading.Thread(target=self._serve, name=f"{SERVER_IDENT}:{self.port}", daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        # One loop pass at a time so a stop request is noticed; stop() pulls the trigger to wake it.
        server = self._server
        while not self._stopping.is_set():
            wasyncore.loop(
                timeout=server.adj.asyncore_loop_timeout,
                use_poll=server.adj.asyncore_use_poll,
                map=self._map,
                count=1,
            )

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()
        self._server.pull_trigger()
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_SECONDS)
        # Closed here, after the wake-up call: were the serving thread to close its own sockets, it
        # could do so between set() and pull_trigger(), and the pull would write to a closed (or
        # since reused) file descriptor.
        self._server.task_dispatcher.shutdown()
        wasyncore.close_all(self._map)
        self._server = None
        self._thread = None

    def wait(self) -> None:
        """Block until the tenant stops (Ctrl-C arrives in the calling thread meanwhile)."""
        while self._thread is not None and self._thread.is_alive():
            self._thread.join(0.5)

    def __enter__(self) -> EmbeddedTenant:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


def _login_hint(tenant: EmbeddedTenant) -> str:
    """One line: where the tenant is and who logs in (the password is named, not printed)."""
    credentials = accepted_credentials(tenant.options)
    unit = f", unit {credentials['unit']!r}" if credentials["unit"] else ""
    password_source = "crmconf.tenant.CREDENTIALS" if tenant.options.credentials is None else "the options"
    return (
        f"crmconf reference tenant at {tenant.api_url} (release {tenant.options.release}); "
        f"log in with username {credentials['username']!r}, "
        f"organisation {credentials['organisation']!r}{unit} and the password in {password_source}; "
        "Ctrl-C stops it"
    )


def serve(host: str = "127.0.0.1", port: int = 8080, options: TenantOptions | None = None) -> None:
    """Serve a reference tenant in the foreground until Ctrl-C."""
    tenant = EmbeddedTenant(options, host=host, port=port).start()
    print(_login_hint(tenant), flush=True)
    try:
        tenant.wait()
    except KeyboardInterrupt:
        pass
    finally:
        tenant.stop()
