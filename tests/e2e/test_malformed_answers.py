"""A tenant that answers badly fails its scenarios with a clear message, never a harness crash."""

from __future__ import annotations

import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SCENARIOS = "same_get_sent_twice or unknown_identifier_is_refused"
ENV = {
    "CRM_USERNAME": "qa",
    "CRM_PASSWORD": "malformed-answers-password",
    "CRM_ORGANISATION": "Org",
    "CRM_CONTACT_IDENTIFIER": "number=CI000111",
    "CRM_PROVISIONING_PROVIDER": "alternative_code=GP1",
    "CRM_READ_TIMEOUT": "0.5",
    "CRM_RETRIES": "0",
}

# name: (HTTP status, Content-Type, body, what the failure must say)
ANSWERS = {
    "html-page": (200, "text/html", b"<html><body>Service unavailable</body></html>", ["envelope.json", "<html><body>"]),
    "empty-body": (200, "application/json", b"", ["envelope.json", "a JSON body"]),
    "truncated-json": (200, "application/json", b'{"status": {"code": "OK", "mess', ["envelope.json", '{\\"status\\"']),
    "wrong-content-type": (
        200, "text/plain", b'{"status": {"code": "OK", "message": null, "description": null}, "data": {"token": "t"}}',
        ["envelope.json", "Content-Type application/json", "text/plain"],
    ),
    "server-error-html": (500, "text/html", b"<h1>Internal Server Error</h1>", ["envelope.json", "HTTP 500", "<h1>"]),
    "not-an-envelope": (200, "application/json", b'{"token": "t"}', ["envelope.shape"]),
}


class BadTenant:
    def __init__(self, behaviour: str) -> None:
        answer = ANSWERS.get(behaviour)

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if behaviour == "reset":
                    # SO_LINGER 0: close with a TCP reset instead of a clean end of stream
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    return
                if behaviour == "hang":
                    threading.Event().wait(3)
                    return
                status, content_type, body, _ = answer
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

            def handle_one_request(self) -> None:
                try:
                    super().handle_one_request()
                except OSError:
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def run_against(behaviour: str, crmconf_run):
    tenant = BadTenant(behaviour)
    try:
        return crmconf_run("--mode", "live", "--", "-k", SCENARIOS, env={**ENV, "CRM_SERVER": tenant.url})
    finally:
        tenant.stop()


def assert_clean_failures(run) -> None:
    assert run.code == 1, run
    assert "2 failed" in run.out, run
    assert "INTERNALERROR" not in run.text and "Traceback" not in run.text, run
    assert ENV["CRM_PASSWORD"] not in run.text


@pytest.mark.parametrize("behaviour", ANSWERS)
def test_a_malformed_answer_fails_naming_the_rule_and_the_first_bytes(behaviour, crmconf_run):
    run = run_against(behaviour, crmconf_run)
    assert_clean_failures(run)
    for words in ANSWERS[behaviour][3]:
        assert words in run.out, (words, run)


def test_a_reset_connection_fails_the_scenario_and_the_run_goes_on(crmconf_run):
    run = run_against("reset", crmconf_run)
    assert_clean_failures(run)
    assert "could not reach the tenant" in run.out


def test_a_tenant_that_never_answers_fails_within_the_timeout(crmconf_run):
    run = run_against("hang", crmconf_run)
    assert_clean_failures(run)
    assert "no answer within the timeout (connect 5.0 s, read 0.5 s)" in run.out
