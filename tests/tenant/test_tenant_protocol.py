"""Routing, request syntax, failures, determinism, concurrency and serving, over real HTTP."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest
import requests
from tenant_api import NO_TOKEN, Answer, Api, person_body

from crmconf.tenant import API_KEY, CREDENTIALS, SEED, EmbeddedTenant, TenantOptions
from crmconf.tenant.app import ROUTES, Route, TenantApp

PERSON = f"number={SEED.person_number}"


@pytest.fixture(scope="module")
def api():
    with EmbeddedTenant() as tenant:
        yield Api(tenant.url)


# ---------------------------------------------------------------- routing and syntax


@pytest.mark.parametrize(
    "path",
    [
        "contact_information/delete",
        "contact_information",
        "contact_information/show/",
        "",
        "CONTACT_INFORMATION/show",
    ],
)
def test_unknown_operation_is_a_404_envelope(api, path):
    api.request("GET", path).assert_error(404, "UNKNOWNOPERATION")


def test_paths_outside_the_api_root_are_404_envelopes(api):
    for url in (
        api.base.replace("/v2/", "/v1/") + "contact_information/show",
        api.base.split("/crmapi")[0] + "/",
    ):
        Answer.of(requests.get(url, timeout=10)).assert_error(404, "UNKNOWNOPERATION")


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("GET", "contact_information/create", "POST"),
        ("GET", "authentication/token", "POST"),
        ("POST", "contact_information/show", "GET"),
        ("PUT", "contact_information/update", "POST"),
        ("DELETE", "provisioning/generic_provisioning_requests/get_pending", "GET"),
    ],
)
def test_wrong_verb_for_a_known_operation_is_a_405_envelope(api, method, path, allowed):
    answer = api.request(method, path)
    answer.assert_error(405, "METHODNOTALLOWED")
    assert answer.headers["Allow"] == allowed


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"username=qa", id="form-encoded"),
        pytest.param(b'{"type": "PERSON",', id="truncated-json"),
        pytest.param(b'{"day": 01}', id="leading-zero-as-in-the-vendor-example"),
        pytest.param(b'["type", "PERSON"]', id="array"),
        pytest.param(b'"PERSON"', id="string"),
        pytest.param(b"", id="empty"),
        pytest.param(b'{"udf_float_1": NaN}', id="nan"),
        pytest.param(b'{"notes": "\xff"}', id="not-utf-8"),
    ],
)
def test_post_body_that_is_not_a_json_object_is_a_400_envelope(api, data):
    answer = api.post_raw("contact_information/create", data, headers={"Content-Type": "application/json"})
    answer.assert_error(400, "MALFORMEDREQUEST")


def test_login_body_that_is_not_json_is_a_400_envelope(api):
    api.post_raw("authentication/token", b"not json").assert_error(400, "MALFORMEDREQUEST")


def test_a_query_parameter_given_twice_is_refused(api):
    url = (
        f"{api.base}contact_information/show?token={api.token}&contact_information_identifier=number=CI000111"
    )
    Answer.of(requests.get(url + "&contact_information_identifier=id=X", timeout=10)).assert_error(
        400, "DUPLICATE"
    )


def test_non_ascii_values_travel_intact(api):
    created = api.create({"type": "COMPANY", "company_name": "Κυπριακή Εταιρεία Λτδ"})
    assert created.assert_ok()["name"] == "Κυπριακή Εταιρεία Λτδ"
    assert "Κυπριακή" in created.content.decode("utf-8")
    assert api.show(f"id={created.data['id']}", fields_set="company_name").data == {
        "company_name": "Κυπριακή Εταιρεία Λτδ"
    }


# ---------------------------------------------------------------- failures inside the tenant


def _failing_handler(call):
    raise RuntimeError("secret internal detail")


@pytest.mark.parametrize("error_http_status", ["4xx", "200"])
def test_an_unexpected_failure_is_a_500_json_envelope_without_details(error_http_status, caplog):
    routes = {**ROUTES, "diagnostics/fail": Route("GET", _failing_handler, authenticated=False)}
    app = TenantApp(TenantOptions(error_http_status=error_http_status), routes=routes)
    with EmbeddedTenant(app=app) as tenant:
        answer = Answer.of(requests.get(f"{tenant.url}/crmapi/rest/v2/diagnostics/fail", timeout=10))
        answer.assert_error(500, "INTERNALERROR")
        assert "secret internal detail" not in answer.text and "Traceback" not in answer.text
        # The tenant keeps working afterwards.
        Api(tenant.url).show(PERSON).assert_ok()
    assert "secret internal detail" in caplog.text


# ---------------------------------------------------------------- determinism


def _script(api: Api) -> list[bytes]:
    """A fixed series of requests touching every operation, successes and errors alike."""
    token = api.login().assert_ok()["token"]
    created = api.create(person_body(fields_set=None))
    answers = [
        api.login(),
        api.show(PERSON),
        api.show(f"id={SEED.company_id}", fields_set="name,demographics"),
        created,
        api.create(person_body()),
        api.update(
            {"id": created.data["id"]}, {"notes": None, "phone_set": [{"type": "FAX", "number": "1"}]}
        ),
        api.pending(50, 0),
        api.pending(50, 50),
        api.pending(13, 94, fields_set="number,type"),
        api.pending(51, 0),
        api.show("number=CI999999"),
        api.create({"type": "PERSON"}),
        api.request("GET", "nowhere"),
        api.post_raw("authentication/web_api_key/token", b"{}", auth=(API_KEY, "")),
        api.post("authentication/token/release", {"token": token}, token=NO_TOKEN),
        api.show(PERSON, token=token),
    ]
    return [answer.content for answer in answers]


@pytest.mark.parametrize(
    "options",
    [
        TenantOptions(),
        TenantOptions(token_format="hex", extra_fields=True, data_first=True, fractional_floats=True),
    ],
    ids=["reference", "variants"],
)
def test_two_fresh_tenants_answer_the_same_requests_with_identical_bytes(options):
    with EmbeddedTenant(options) as first, EmbeddedTenant(options) as second:
        assert _script(Api(first.url)) == _script(Api(second.url))


def test_each_tenant_has_its_own_state():
    with EmbeddedTenant() as first, EmbeddedTenant() as second:
        created = Api(first.url).create({"type": "COMPANY", "company_name": "Only Here Ltd"}).assert_ok()
        Api(second.url).show(f"id={created['id']}").assert_error(404, "NOTFOUND")
        assert Api(first.url).show(f"id={created['id']}").assert_ok() == created


# ---------------------------------------------------------------- concurrency


def test_concurrent_creates_all_get_distinct_contacts():
    with EmbeddedTenant() as tenant:
        ids: list[str] = []
        failures: list[BaseException] = []

        def create_five(worker: int) -> None:
            try:
                api = Api(tenant.url)
                for n in range(5):
                    body = {"type": "COMPANY", "company_name": f"Worker {worker} Company {n}"}
                    ids.append(api.create(body).assert_ok()["id"])
            except BaseException as error:  # collected and re-raised in the test's thread
                failures.append(error)

        workers = [threading.Thread(target=create_five, args=(worker,)) for worker in range(8)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(30)
        assert not failures
        assert len(ids) == len(set(ids)) == 40
        api = Api(tenant.url)
        numbered = {api.show(f"number=CI{number:06d}").assert_ok()["id"] for number in range(113, 153)}
        assert numbered == set(ids)


def test_operations_run_while_holding_the_state_lock():
    def report_lock(call):
        return {"locked": call.state.lock.locked()}

    app = TenantApp(routes={**ROUTES, "diagnostics/lock": Route("GET", report_lock, authenticated=False)})
    with EmbeddedTenant(app=app) as tenant:
        answer = Answer.of(requests.get(f"{tenant.url}/crmapi/rest/v2/diagnostics/lock", timeout=10))
        assert answer.assert_ok() == {"locked": True}
        assert not app.state.lock.locked()


# ---------------------------------------------------------------- serving


def _refuses_connections(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) != 0


def test_embedded_tenant_serves_on_a_free_port_and_stops_promptly():
    tenant = EmbeddedTenant()
    with pytest.raises(RuntimeError):
        _ = tenant.url
    tenant.start()
    port = tenant.port
    assert tenant.url == f"http://127.0.0.1:{port}" and port > 0
    api = Api(tenant.url)
    api.show(PERSON).assert_ok()  # leaves a keep-alive connection open
    started = time.monotonic()
    tenant.stop()
    assert time.monotonic() - started < 3
    assert _refuses_connections(port)


def test_serve_prints_how_to_log_in_and_stops_on_ctrl_c():
    code = "from crmconf.tenant import serve; serve(port=0)"
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        line = process.stdout.readline()
        match = re.search(r"(http://127\.0\.0\.1:\d+)/crmapi/rest/v2/", line)
        assert match, line
        assert CREDENTIALS["username"] in line and CREDENTIALS["organisation"] in line
        assert CREDENTIALS["password"] not in line
        Api(match.group(1)).login().assert_ok()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0, process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
