"""Retries and timeouts over real HTTP on loopback: GETs retry, POSTs never, a hang fails in time."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crmconf.client import BoundedRetry, CrmClient, TransportError

OK = json.dumps({"status": {"code": "OK", "message": None, "description": None}, "data": {}}).encode()


class ScriptedTenant:
    """Answers each request with the next status of a script (the last one repeats)."""

    def __init__(self, statuses: list[int], retry_after: str = "0") -> None:
        self.statuses = statuses
        self.requests: list[str] = []
        tenant = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                tenant.requests.append(self.command)
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                status = tenant.statuses[min(len(tenant.requests), len(tenant.statuses)) - 1]
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Retry-After", retry_after)
                self.send_header("Content-Length", str(len(OK)))
                self.end_headers()
                self.wfile.write(OK)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> ScriptedTenant:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_get_is_retried_on_503_until_it_succeeds():
    with ScriptedTenant([503, 502, 200]) as tenant:
        exchange = CrmClient(tenant.url, retries=2).get("contact_information/show")
    assert exchange.http_status == 200
    assert tenant.requests == ["GET", "GET", "GET"]


def test_get_retries_are_bounded():
    with ScriptedTenant([504]) as tenant:
        exchange = CrmClient(tenant.url, retries=2).get("contact_information/show")
    assert exchange.http_status == 504  # the last answer is kept for the checks to judge
    assert len(tenant.requests) == 3


def test_post_is_never_retried():
    with ScriptedTenant([503, 200]) as tenant:
        exchange = CrmClient(tenant.url, retries=3).post("contact_information/create", {"type": "PERSON"})
    assert exchange.http_status == 503
    assert tenant.requests == ["POST"]


def test_no_retries_when_set_to_zero():
    with ScriptedTenant([503, 200]) as tenant:
        exchange = CrmClient(tenant.url, retries=0).get("contact_information/show")
    assert exchange.http_status == 503
    assert tenant.requests == ["GET"]


def test_a_refused_connection_becomes_a_transport_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        with pytest.raises(TransportError, match="could not reach the tenant"):
            CrmClient(f"http://127.0.0.1:{port}", retries=1).get("contact_information/show")


def test_a_tenant_that_never_answers_fails_within_the_read_timeout():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        port = listener.getsockname()[1]
        client = CrmClient(f"http://127.0.0.1:{port}", timeout=(1.0, 0.3), retries=2)
        with pytest.raises(TransportError, match="no answer within the timeout") as caught:
            client.get("contact_information/show")
    assert caught.value.request.operation == "contact_information/show"


class FakeResponse:
    def __init__(self, retry_after: str) -> None:
        self.headers = {"Retry-After": retry_after}


def test_retry_after_is_honoured_up_to_the_backoff_cap():
    policy = BoundedRetry(total=2, backoff_max=4.0, respect_retry_after_header=True)
    assert policy.get_retry_after(FakeResponse("1")) == 1.0
    assert policy.get_retry_after(FakeResponse("3600")) == 4.0
