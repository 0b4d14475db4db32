"""``crmconf tenant`` serves the reference tenant over real HTTP until it is stopped."""

import signal
import socket
import subprocess
import sys
import time

import requests

from crmconf.tenant import CREDENTIALS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_tenant_command_serves_the_documented_api():
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "crmconf", "tenant", "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/crmapi/rest/v2/authentication/token"
        deadline = time.monotonic() + 20
        while True:
            try:
                response = requests.post(url, json=CREDENTIALS, timeout=2)
                break
            except requests.ConnectionError:
                assert process.poll() is None, process.communicate()
                assert time.monotonic() < deadline, "the tenant did not start listening"
                time.sleep(0.1)
        assert response.status_code == 200
        assert response.json()["status"]["code"] == "OK"
        assert response.json()["data"]["token"]
    finally:
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert f"127.0.0.1:{port}" in out
    assert "Traceback" not in err
