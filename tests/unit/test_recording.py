"""Recording and replay through vcrpy, against a tiny real HTTP server on 127.0.0.1.

Each test records into ``tmp_path`` from a server started for it, then (where it replays) stops the
server first, so a replay that reached the network would fail.
"""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import yaml
from check_support import envelope
from vcr.errors import CannotOverwriteExistingCassetteException

from crmconf.client import CrmClient, TransportError
from crmconf.identifiers import Identifier
from crmconf.recording import (
    CASSETTE_SUFFIX,
    CassetteError,
    NetworkBlocked,
    ReadableYamlSerializer,
    Recorder,
    ReplayMiss,
    cassette_path,
    json_body,
    load_yaml,
    slug,
)
from crmconf.scrub import SERVER_PLACEHOLDER, Scrubber

USERNAME = "sentinel-user-7731"
PASSWORD = "sentinel-pass-7731"
ORGANISATION = "Sentinel Org 7731"
ISSUED_TOKEN = "0f3c9a7e5b2d4c6a8e1f0b3d5c7a9e2f"
SECRETS = (USERNAME, PASSWORD, ORGANISATION, ISSUED_TOKEN)
API = "/crmapi/rest/v2/"


class TenantHandler(BaseHTTPRequestHandler):
    """Answers a few operations with JSON envelopes, echoing what a careless tenant echoes."""

    def do_GET(self):
        parts = urlsplit(self.path)
        query = {name: values[0] for name, values in parse_qs(parts.query).items()}
        if parts.path == API + "contact_information/show":
            token = query.get("token", "")
            self.answer(
                200,
                envelope(
                    {"id": "C1", "identifier": query.get("contact_information_identifier")},
                    message=f"token {token} accepted",
                ),
            )
        else:
            self.answer(404, envelope(None, "COM.CRM.EXCEPTION.NOTFOUNDEXCEPTION", f"no {parts.path}"))

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        body = json.loads(self.rfile.read(length) or b"{}")
        path = urlsplit(self.path).path
        if path == API + "authentication/token":
            self.answer(200, envelope({"token": ISSUED_TOKEN}, message=f"welcome {body.get('username')}"))
        elif path == API + "contact_information/create":
            self.answer(200, envelope({"id": "N1", "received": sorted(body)}))
        else:
            self.answer(404, envelope(None, "COM.CRM.EXCEPTION.NOTFOUNDEXCEPTION", "no such operation"))

    def answer(self, status, document):
        payload = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("Set-Cookie", f"session={ISSUED_TOKEN}")
        self.send_header("X-Tenant-Host", self.headers.get("Host", ""))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


class Tenant:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), TenantHandler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()
        self.running = True

    def stop(self):
        if self.running:
            self.server.shutdown()
            self.server.server_close()
            self.thread.join()
            self.running = False


@pytest.fixture
def tenant():
    running = Tenant()
    yield running
    running.stop()


def client_for(server, scrubber):
    """A client wired as the harness wires it: tokens the tenant issues become known secrets."""
    session = requests.Session()
    session.trust_env = False  # no proxy between the client and 127.0.0.1
    client = CrmClient(server, session=session, timeout=(2.0, 5.0))

    def learn_token(exchange):
        if exchange.operation.startswith("authentication/") and isinstance(exchange.data, dict):
            scrubber.add_token(exchange.data.get("token"))

    client.observers.append(learn_token)
    return client


def conversation(client):
    """Login, a GET with the token in the query, a POST with tokens at several depths."""
    login = client.login(USERNAME, PASSWORD, ORGANISATION)
    show = client.get(
        "contact_information/show", {"contact_information_identifier": Identifier("number", "CI000111")}
    )
    create = client.post(
        "contact_information/create",
        {"type": "PERSON", "nested": {"token": client.token}, "list": [{"deeper": {"token": client.token}}]},
    )
    return login, show, create


def record(tenant, path, keep=True):
    scrubber = Scrubber((USERNAME, PASSWORD, ORGANISATION), server=tenant.url)
    recorder = Recorder("record", scrubber)
    with recorder.cassette(path, keep=lambda: keep) as cassette:
        exchanges = conversation(client_for(tenant.url, scrubber))
    return cassette, exchanges


def replayer():
    scrubber = Scrubber(())
    return Recorder("replay", scrubber), client_for(SERVER_PLACEHOLDER, scrubber)


def interactions(path):
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))["interactions"]


# -- record -------------------------------------------------------------------------------------------


def test_record_writes_readable_yaml_with_decoded_json_bodies(tenant, tmp_path):
    path = tmp_path / "auth" / "login.yaml"
    record(tenant, path)
    login, show, create = interactions(path)
    assert login["request"]["method"] == "POST"
    assert login["request"]["body"] == {
        "json": {"username": "<USERNAME>", "password": "<PASSWORD>", "organisation": "<ORGANISATION>"}
    }
    assert login["response"]["body"]["string"]["json"]["data"] == {"token": "<TOKEN:HEX32>"}
    assert login["response"]["status"]["code"] == 200
    assert show["request"]["body"] is None
    assert show["response"]["body"]["string"]["json"]["data"]["id"] == "C1"
    assert create["request"]["body"]["json"]["type"] == "PERSON"


def test_record_replaces_server_by_placeholder(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    record(tenant, path)
    text = path.read_text(encoding="utf-8")
    assert tenant.url not in text
    assert f"127.0.0.1:{tenant.port}" not in text
    assert all(i["request"]["uri"].startswith(SERVER_PLACEHOLDER + API) for i in interactions(path))


def test_recording_holds_no_secret(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    record(tenant, path)
    text = path.read_text(encoding="utf-8")
    for secret in SECRETS:
        assert secret not in text


def test_record_scrubs_token_in_query_and_body_at_any_depth(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    record(tenant, path)
    _, show, create = interactions(path)
    query = parse_qs(urlsplit(show["request"]["uri"]).query)
    assert query == {"token": ["<TOKEN:HEX32>"], "contact_information_identifier": ["number=CI000111"]}
    assert create["request"]["body"]["json"] == {
        "token": "<TOKEN:HEX32>",
        "type": "PERSON",
        "nested": {"token": "<TOKEN:HEX32>"},
        "list": [{"deeper": {"token": "<TOKEN:HEX32>"}}],
    }
    assert show["response"]["body"]["string"]["json"]["status"]["message"] == "token <TOKEN:HEX32> accepted"


def test_record_keeps_only_safe_headers(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    record(tenant, path)
    for interaction in interactions(path):
        assert {name.lower() for name in interaction["response"]["headers"]} <= {
            "content-type",
            "retry-after",
        }
        assert {name.lower() for name in interaction["request"]["headers"]} <= {
            "content-type",
            "accept",
            "authorization",
        }


def test_record_returns_real_answers_to_the_client(tenant, tmp_path):
    _, (login, show, create) = record(tenant, tmp_path / "c.yaml")
    assert login.data == {"token": ISSUED_TOKEN}
    assert show.data == {"id": "C1", "identifier": "number=CI000111"}
    assert create.data == {"id": "N1", "received": ["list", "nested", "token", "type"]}


def test_record_writes_nothing_unless_keep(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    record(tenant, path, keep=False)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_record_leaves_previous_file_intact_unless_keep(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("previous recording\n", encoding="utf-8")
    record(tenant, path, keep=False)
    assert path.read_text(encoding="utf-8") == "previous recording\n"
    assert [p.name for p in tmp_path.iterdir()] == ["c.yaml"]


def test_record_leaves_previous_file_intact_when_scenario_raises(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("previous recording\n", encoding="utf-8")
    scrubber = Scrubber((), server=tenant.url)
    with pytest.raises(RuntimeError, match="step failed"):
        with Recorder("record", scrubber).cassette(path, keep=lambda: True):
            client_for(tenant.url, scrubber).login(USERNAME, PASSWORD, ORGANISATION)
            raise RuntimeError("step failed")
    assert path.read_text(encoding="utf-8") == "previous recording\n"


def test_record_rewrites_file_whole(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    record(tenant, path)
    scrubber = Scrubber((), server=tenant.url)
    with Recorder("record", scrubber).cassette(path, keep=lambda: True):
        client_for(tenant.url, scrubber).get("contact_information/show")
    assert [i["request"]["method"] for i in interactions(path)] == ["GET"]


def test_record_does_not_read_a_broken_previous_file(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("{{{ not yaml", encoding="utf-8")
    record(tenant, path)
    assert len(interactions(path)) == 3


def test_record_stores_metadata(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    scrubber = Scrubber((), server=tenant.url)
    with Recorder("record", scrubber).cassette(path, keep=lambda: True) as cassette:
        assert cassette.get_metadata("contact", "number=CI000111") == "number=CI000111"
        client_for(tenant.url, scrubber).get("contact_information/show")
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["metadata"] == {"contact": "number=CI000111"}


# -- replay -------------------------------------------------------------------------------------------


def test_replay_serves_recording_with_server_stopped(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    _, recorded = record(tenant, path)
    tenant.stop()
    recorder, client = replayer()
    with recorder.cassette(path, keep=lambda: True):
        replayed = conversation(client)
    assert [e.http_status for e in replayed] == [e.http_status for e in recorded]
    assert [e.status_code for e in replayed] == ["OK", "OK", "OK"]
    assert replayed[1].data == recorded[1].data
    assert replayed[2].data == recorded[2].data
    assert replayed[0].data == {"token": "<TOKEN:HEX32>"}
    assert replayed[0].content_type == "application/json"


def test_replay_never_writes_the_cassette(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    record(tenant, path)
    tenant.stop()
    before = path.read_bytes()
    recorder, client = replayer()
    with recorder.cassette(path, keep=lambda: True):
        conversation(client)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]


def test_replay_reads_metadata(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    scrubber = Scrubber((), server=tenant.url)
    with Recorder("record", scrubber).cassette(path, keep=lambda: True) as cassette:
        cassette.get_metadata("contact", "id=7")
        client_for(tenant.url, scrubber).get("contact_information/show")
    tenant.stop()
    recorder, _ = replayer()
    with recorder.cassette(path, keep=lambda: True) as cassette:
        assert cassette.get_metadata("contact", "id=other") == "id=7"


def test_replay_of_unrecorded_request_names_the_cassette(tenant, tmp_path):
    path = tmp_path / "auth" / "login.yaml"
    record(tenant, path)
    tenant.stop()
    recorder, client = replayer()
    with pytest.raises(CannotOverwriteExistingCassetteException) as caught:
        with recorder.cassette(path, keep=lambda: True):
            client.get("contact_information/list")
    assert str(path) in str(caught.value)
    assert ReplayMiss is CannotOverwriteExistingCassetteException


def test_replay_without_cassette_names_the_cassette(tmp_path):
    path = tmp_path / "never" / "recorded.yaml"
    recorder, client = replayer()
    with pytest.raises(CannotOverwriteExistingCassetteException, match=str(path)):
        with recorder.cassette(path, keep=lambda: True):
            client.get("contact_information/show")
    assert not path.exists()


def test_replay_plays_each_recording_once(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    scrubber = Scrubber((), server=tenant.url)
    with Recorder("record", scrubber).cassette(path, keep=lambda: True):
        client_for(tenant.url, scrubber).get("contact_information/show")
    tenant.stop()
    recorder, client = replayer()
    with pytest.raises(CannotOverwriteExistingCassetteException):
        with recorder.cassette(path, keep=lambda: True):
            client.get("contact_information/show")
            client.get("contact_information/show")


def test_replay_blocks_real_sockets(tenant, tmp_path):
    recorder, _ = replayer()
    with recorder.cassette(tmp_path / "none.yaml", keep=lambda: True):
        with socket.socket() as sock, pytest.raises(NetworkBlocked, match=str(tenant.port)):
            sock.connect(("127.0.0.1", tenant.port))
    with socket.create_connection(("127.0.0.1", tenant.port), timeout=2):
        pass  # the network is back after the cassette


def test_replay_blocked_network_is_a_connection_error():
    assert issubclass(NetworkBlocked, ConnectionError)


def test_replay_matches_json_body_in_any_key_order(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    scrubber = Scrubber((), server=tenant.url)
    with Recorder("record", scrubber).cassette(path, keep=lambda: True):
        client_for(tenant.url, scrubber).post(
            "contact_information/create",
            {"type": "PERSON", "names": {"first": "Ann", "last": "Example"}},
            token=None,
        )
    tenant.stop()
    recorder, client = replayer()
    with recorder.cassette(path, keep=lambda: True):
        replayed = client.post(
            "contact_information/create",
            {"names": {"last": "Example", "first": "Ann"}, "type": "PERSON"},
            token=None,
        )
    assert replayed.data["id"] == "N1"


def test_replay_refuses_json_body_with_another_value(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    scrubber = Scrubber((), server=tenant.url)
    with Recorder("record", scrubber).cassette(path, keep=lambda: True):
        client_for(tenant.url, scrubber).post("contact_information/create", {"type": "PERSON"}, token=None)
    tenant.stop()
    recorder, client = replayer()
    with pytest.raises(CannotOverwriteExistingCassetteException, match="json_body"):
        with recorder.cassette(path, keep=lambda: True):
            client.post("contact_information/create", {"type": "COMPANY"}, token=None)


def test_replay_does_not_match_on_secret_values(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    record(tenant, path)
    tenant.stop()
    recorder, client = replayer()
    client.token = "a-different-token-from-the-settings"
    with recorder.cassette(path, keep=lambda: True):
        client.login(USERNAME + "-other", PASSWORD, ORGANISATION)
        client.get(
            "contact_information/show", {"contact_information_identifier": Identifier("number", "CI000111")}
        )


# -- broken cassettes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "interactions: [unclosed\n",
        "{{{ not yaml",
        "- just\n- a list\n",
        "interactions: nothing\n",
        "version: 1\n",
        "interactions:\n- request: {method: GET}\n",
        "interactions:\n- 42\n",
        "interactions:\n- request: {method: GET}\n  response: {status: {code: 200}}\n",
        "",
    ],
)
def test_corrupt_cassette_raises_cassette_error_naming_file(tmp_path, text):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    recorder, _ = replayer()
    with pytest.raises(CassetteError) as caught:
        with recorder.cassette(path, keep=lambda: True):
            pass
    assert str(path) in str(caught.value)


def test_undecodable_cassette_raises_cassette_error_naming_file(tmp_path):
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"\xff\xfe\x00")
    recorder, _ = replayer()
    with pytest.raises(CassetteError, match=str(path)):
        with recorder.cassette(path, keep=lambda: True):
            pass


def test_corrupt_cassette_leaves_the_network_unblocked(tmp_path, tenant):
    path = tmp_path / "broken.yaml"
    path.write_text("{{{", encoding="utf-8")
    recorder, _ = replayer()
    with pytest.raises(CassetteError):
        with recorder.cassette(path, keep=lambda: True):
            pass
    with socket.create_connection(("127.0.0.1", tenant.port), timeout=2):
        pass


# -- pieces ------------------------------------------------------------------------------------------


def test_recorder_refuses_live_mode():
    with pytest.raises(ValueError, match="live"):
        Recorder("live", Scrubber())


def test_serializer_round_trips_json_and_text_bodies():
    cassette = {
        "version": 1,
        "interactions": [
            {
                "request": {
                    "method": "POST",
                    "uri": "u",
                    "body": '{"b": 1, "a": [true, null]}',
                    "headers": {},
                },
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {},
                    "body": {"string": "<html>"},
                },
            }
        ],
    }
    text = ReadableYamlSerializer.serialize(json.loads(json.dumps(cassette)))
    stored = yaml.safe_load(text)["interactions"][0]
    assert stored["request"]["body"] == {"json": {"b": 1, "a": [True, None]}}
    assert stored["response"]["body"]["string"] == "<html>"
    back = ReadableYamlSerializer.deserialize(text)["interactions"][0]
    assert json.loads(back["request"]["body"]) == {"b": 1, "a": [True, None]}
    assert back["response"]["body"]["string"] == "<html>"


def test_serializer_keeps_non_ascii_readable():
    cassette = {
        "interactions": [
            {"request": {"body": '{"city": "Λευκωσία"}'}, "response": {"body": {"string": None}}}
        ]
    }
    assert "Λευκωσία" in ReadableYamlSerializer.serialize(cassette)


def test_json_body_matcher_ignores_key_order():
    json_body(
        SimpleNamespace(body=b'{"a": 1, "b": {"c": 2, "d": 3}}'),
        SimpleNamespace(body='{"b": {"d": 3, "c": 2}, "a": 1}'),
    )


def test_json_body_matcher_refuses_other_values():
    with pytest.raises(AssertionError):
        json_body(SimpleNamespace(body=b'{"a": 1}'), SimpleNamespace(body=b'{"a": 2}'))
    with pytest.raises(AssertionError):
        json_body(SimpleNamespace(body=b"[1, 2]"), SimpleNamespace(body=b"[2, 1]"))


def test_json_body_matcher_compares_text_and_empty_bodies():
    json_body(SimpleNamespace(body=None), SimpleNamespace(body=b""))
    json_body(SimpleNamespace(body=b"not json"), SimpleNamespace(body="not json"))
    with pytest.raises(AssertionError):
        json_body(SimpleNamespace(body=None), SimpleNamespace(body=b"{}"))


def test_cassette_path_is_feature_stem_and_scenario_slug(tmp_path):
    path = cassette_path(
        tmp_path, "features/contact_information/show.feature", "Show returns ONLY the fields_set!"
    )
    assert path == tmp_path / "show" / ("show-returns-only-the-fields-set" + CASSETTE_SUFFIX)


def test_cassette_path_adds_example_slug(tmp_path):
    path = cassette_path(tmp_path, "auth.feature", "Bad login", "wrong password-1")
    assert path.name == "bad-login--wrong-password-1.yaml"


def test_slug_of_nothing_is_unnamed():
    assert slug("!!!") == "unnamed"


def test_transport_error_is_still_raised_while_recording(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    scrubber = Scrubber(())
    with pytest.raises(TransportError):
        with Recorder("record", scrubber).cassette(tmp_path / "c.yaml", keep=lambda: True):
            client_for(f"http://127.0.0.1:{port}", scrubber).get("a")
    assert not (tmp_path / "c.yaml").exists()


def test_replay_reports_recorded_requests_left_unused(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    record(tenant, path)
    tenant.stop()
    recorder, client = replayer()
    with recorder.cassette(path, keep=lambda: True):
        client.login(USERNAME, PASSWORD, ORGANISATION)  # the show and the create are not replayed
    [(reported, unused)] = recorder.unused.items()
    assert reported == path
    assert [line.split(" ", 1)[0] for line in unused] == ["GET", "POST"]
    assert "contact_information/show" in unused[0]


def test_a_replay_that_uses_every_request_reports_nothing(tenant, tmp_path):
    path = tmp_path / "c.yaml"
    record(tenant, path)
    tenant.stop()
    recorder, client = replayer()
    with recorder.cassette(path, keep=lambda: True):
        conversation(client)
    assert recorder.unused == {}


# -- replay at the transport adapter ------------------------------------------------------------------


def write_cassette(path, *answers, method="GET", operation="contact_information/show"):
    """A cassette in which the same request was answered ``answers`` (HTTP statuses) in turn."""
    interactions = [
        {
            "request": {
                "method": method,
                "uri": SERVER_PLACEHOLDER + API + operation,
                "body": "{}" if method == "POST" else None,
                "headers": {},
            },
            "response": {
                "status": {"code": status, "message": "recorded"},
                "headers": {"Content-Type": ["application/json; charset=utf-8"]},
                "body": {"string": json.dumps(envelope({"attempt": index}))},
            },
        }
        for index, status in enumerate(answers)
    ]
    text = ReadableYamlSerializer.serialize({"version": 1, "interactions": interactions})
    path.write_text(text, encoding="utf-8")
    return path


def test_replay_hands_back_the_recorded_response_as_requests_would(tmp_path):
    path = write_cassette(tmp_path / "c.yaml", 200)
    recorder, client = replayer()
    with recorder.cassette(path, keep=lambda: True):
        exchange = client.get("contact_information/show")
    assert exchange.http_status == 200
    assert exchange.content_type == "application/json; charset=utf-8"
    assert exchange.data == {"attempt": 0}


def test_replay_plays_recorded_retries_of_a_get_without_sleeping(tmp_path):
    path = write_cassette(tmp_path / "c.yaml", 503, 502, 200)
    recorder = Recorder("replay", Scrubber(()))
    client = CrmClient(SERVER_PLACEHOLDER, retries=2)
    with recorder.cassette(path, keep=lambda: True) as cassette:
        exchange = client.get("contact_information/show")
    assert exchange.http_status == 200 and exchange.data == {"attempt": 2}
    assert sum(cassette.play_counts.values()) == 3
    assert exchange.elapsed < 0.25  # urllib3 would back off 0.25 s and more between the attempts


def test_replay_gives_the_last_recorded_answer_when_retries_run_out(tmp_path):
    path = write_cassette(tmp_path / "c.yaml", 503, 503)
    recorder = Recorder("replay", Scrubber(()))
    with recorder.cassette(path, keep=lambda: True):
        exchange = CrmClient(SERVER_PLACEHOLDER, retries=1).get("contact_information/show")
    assert exchange.http_status == 503 and exchange.data == {"attempt": 1}


def test_replay_never_retries_a_post(tmp_path):
    operation = "contact_information/create"
    path = write_cassette(tmp_path / "c.yaml", 503, 200, method="POST", operation=operation)
    recorder = Recorder("replay", Scrubber(()))
    with recorder.cassette(path, keep=lambda: True):
        exchange = CrmClient(SERVER_PLACEHOLDER, retries=2).post(operation, None, token=None)
    assert exchange.http_status == 503


def test_replay_leaves_the_transport_adapter_as_it_found_it(tmp_path):
    path = write_cassette(tmp_path / "c.yaml", 200)
    original = requests.adapters.HTTPAdapter.send
    recorder, client = replayer()
    with pytest.raises(CannotOverwriteExistingCassetteException):
        with recorder.cassette(path, keep=lambda: True):
            assert requests.adapters.HTTPAdapter.send is not original
            client.get("contact_information/list")
    assert requests.adapters.HTTPAdapter.send is original


# -- loading YAML fast ------------------------------------------------------------------------------

SHIPPED_CASSETTES = sorted((Path(__file__).parents[2] / "cassettes").rglob("*.yaml"))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a: 1\nb: [true, null, 1.5, '8', 2001-12-14]\n",
        "a: &shared {x: 1}\nb: *shared\n",
        "base: &base {x: 1}\nchild:\n  <<: *base\n  y: 2\n",
        "- yes\n- No\n- 0o17\n- 012\n- 1_000\n- .inf\n- ~\n- !!binary aGVsbG8=\n",
    ],
)
def test_load_yaml_is_pyyaml_safe_load(text):
    assert load_yaml(text) == yaml.load(text, Loader=yaml.CSafeLoader)


def test_load_yaml_refuses_what_pyyaml_refuses():
    for text in ("? [1, 2]\n: x\n", "x: !!python/object:os.system x\n", "{{{"):
        with pytest.raises(yaml.YAMLError):
            load_yaml(text)


@pytest.mark.parametrize(
    "path", SHIPPED_CASSETTES[:: max(1, len(SHIPPED_CASSETTES) // 12)], ids=lambda path: path.stem
)
def test_load_yaml_reads_shipped_cassettes_as_pyyaml_does(path):
    text = path.read_text(encoding="utf-8")
    assert load_yaml(text) == yaml.load(text, Loader=yaml.CSafeLoader)
