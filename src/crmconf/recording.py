"""Recording and replaying exchanges with vcrpy: one readable YAML cassette per scenario.

* ``replay``: record mode ``none`` and the network blocked; a request with no recording fails
  with vcrpy's message naming the cassette and the nearest recorded request. vcrpy loads the
  cassette and matches requests, but the answer is handed over at the level of ``requests``'
  transport adapter, not through vcrpy's patched sockets and urllib3: the stack below the adapter
  cost more than the rest of a replayed request together, and a replay never opens a connection.
* ``record``: every request goes to the tenant; the scenario's cassette is rewritten whole, and
  only when the scenario passed. The file is written to a temporary name and moved into place,
  so an interrupted or failed run leaves the previous recording intact.
* ``live``: no cassette at all.

Requests are matched by method, operation path, query and JSON body, compared by meaning (key
order ignored); the scrubber runs on recorded and replayed requests alike, so tokens and the
server's address never decide a match. Values a scenario takes from the settings (the contact to
show, the provider to page) are stored as cassette metadata when recording and read back when
replaying, so a replay needs no settings at all.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import socket
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import requests
import vcr
import yaml
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from urllib3.exceptions import MaxRetryError
from vcr.cassette import Cassette, CassetteContextDecorator
from vcr.errors import CannotOverwriteExistingCassetteException, UnhandledHTTPRequestError
from vcr.persisters.filesystem import CassetteDecodeError, CassetteNotFoundError
from vcr.request import Request as RecordedRequest

from crmconf.scrub import KEPT_REQUEST_HEADERS, KEPT_RESPONSE_HEADERS, Scrubber

try:
    from vcr.patch import PATCHER_NAMES
except ImportError:  # pragma: no cover - a vcrpy without skip_patchers patches everything
    PATCHER_NAMES = ()

SERIALIZER = "crmconf-yaml"
CASSETTE_SUFFIX = ".yaml"
MATCH_ON = ("method", "path", "query", "json_body")

ReplayMiss = CannotOverwriteExistingCassetteException

# HTTP libraries crmconf never sends through (its client is requests, over urllib3). vcrpy would
# patch each of them on entering and leaving every cassette, and try to import the ones that are
# not installed each time: a few milliseconds per scenario for nothing.
UNUSED_PATCHERS = tuple(
    name for name in ("boto3", "httplib2", "tornado", "aiohttp", "httpx", "httpx2") if name in PATCHER_NAMES
)


class CassetteError(Exception):
    """A cassette that cannot be read; the message names the file."""


class NetworkBlocked(ConnectionError):
    """A replay tried to open a real connection."""


# -- cassette names -----------------------------------------------------------------------------


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unnamed"


def cassette_path(root: Path, feature_file: str, scenario: str, example: str | None = None) -> Path:
    """``<root>/<feature file stem>/<scenario slug>[--<example slug>].yaml``."""
    name = slug(scenario) + (f"--{slug(example)}" if example else "")
    return Path(root) / Path(feature_file).stem / (name + CASSETTE_SUFFIX)


# -- serializer: YAML whose JSON bodies are written as YAML data, so a cassette reads easily -----


class ReadableYamlSerializer:
    """vcrpy serializer: bodies that are JSON are stored decoded under ``json:``."""

    @staticmethod
    def serialize(cassette: dict) -> str:
        for interaction in cassette.get("interactions", []):
            _decode_body(interaction["request"], "body")
            _decode_body(interaction["response"]["body"], "string")
        return yaml.dump(cassette, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)

    @staticmethod
    def deserialize(text: str) -> dict:
        try:
            cassette = load_yaml(text)
        except yaml.YAMLError as error:
            raise CassetteDecodeError(f"not valid YAML: {error}") from None
        if not isinstance(cassette, dict) or not isinstance(cassette.get("interactions"), list):
            raise CassetteDecodeError("not a cassette: no list of interactions")
        try:
            for interaction in cassette["interactions"]:
                _encode_body(interaction["request"], "body")
                _encode_body(interaction["response"]["body"], "string")
        except (KeyError, TypeError) as error:
            raise CassetteDecodeError(f"an interaction lacks {error}") from None
        return cassette


_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_STR, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"
_MAP, _SEQ, _MERGE = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:merge"


class _NotPlain(Exception):
    """A document this fast path leaves to PyYAML's constructor (merge keys, unhashable keys)."""


def load_yaml(text: str) -> Any:
    """``yaml.load(text, Loader=CSafeLoader)``, 1.4 to 1.8 times as fast on a cassette.

    libyaml parses and composes the node tree in C either way; PyYAML's generic constructor then
    spends more than half of the time on bookkeeping. Cassettes are plain mappings, sequences and
    strings, so those are built here directly; every other scalar (numbers, booleans,
    timestamps, tagged values) still goes through the safe constructor, and a document with merge
    keys or unhashable keys is loaded by PyYAML itself, so the result is always the same.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        try:
            return _plain(node, loader, {})
        except _NotPlain:
            pass
    finally:
        loader.dispose()
    return yaml.load(text, Loader=_Loader)


def _plain(node: Any, constructor: Any, built: dict[int, Any]) -> Any:
    kind = type(node)
    if kind is yaml.ScalarNode:
        if node.tag == _STR:
            return node.value
        if node.tag == _NULL:
            return None
        return constructor.construct_object(node, deep=True)
    if id(node) in built:  # an alias: the same object, as PyYAML makes it
        return built[id(node)]
    if kind is yaml.MappingNode and node.tag == _MAP:
        mapping: dict[Any, Any] = {}
        built[id(node)] = mapping
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                raise _NotPlain
            key = _plain(key_node, constructor, built)
            try:
                mapping[key] = _plain(value_node, constructor, built)
            except TypeError:  # an unhashable key: PyYAML names it in its error
                raise _NotPlain from None
        return mapping
    if kind is yaml.SequenceNode and node.tag == _SEQ:
        sequence: list[Any] = []
        built[id(node)] = sequence
        sequence.extend(_plain(item, constructor, built) for item in node.value)
        return sequence
    return constructor.construct_object(node, deep=True)


def _decode_body(holder: dict, key: str) -> None:
    body = holder.get(key)
    if isinstance(body, str) and body[:1] in "{[":
        try:
            holder[key] = {"json": json.loads(body)}
        except ValueError:
            pass


def _encode_body(holder: dict, key: str) -> None:
    body = holder.get(key)
    if isinstance(body, dict) and set(body) == {"json"}:
        holder[key] = json.dumps(body["json"], ensure_ascii=False)


# -- persisters: replay reads; record never reads and writes atomically ----------------------


class ReplayPersister:
    @staticmethod
    def load_cassette(cassette_path: str, serializer: Any) -> Any:
        path = Path(cassette_path)
        if not path.is_file():
            raise CassetteNotFoundError()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CassetteError(f"cassette {path} cannot be read: {error}") from None
        from vcr.serialize import deserialize

        try:
            return deserialize(text, serializer)
        except (CassetteDecodeError, ValueError, KeyError, TypeError) as error:
            raise CassetteError(f"cassette {path} is broken: {error}; record it again with --crm-mode record") from None

    @staticmethod
    def save_cassette(cassette_path: str, cassette_dict: dict, serializer: Any) -> None:
        raise AssertionError("replay never writes a cassette")


class RecordPersister:
    @staticmethod
    def load_cassette(cassette_path: str, serializer: Any) -> Any:
        raise CassetteNotFoundError()  # a recording starts from nothing: rewritten whole

    @staticmethod
    def save_cassette(cassette_path: str, cassette_dict: dict, serializer: Any) -> None:
        from vcr.serialize import serialize

        write_atomically(Path(cassette_path), serialize(cassette_dict, serializer))


TEMPORARY_SUFFIX = ".tmp"


def write_atomically(path: Path, text: str) -> None:
    """Write to a temporary file beside ``path`` (``.<name>.<random>.tmp``) and move it into place
    in one step."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX, dir=path.parent)
    try:
        os.chmod(temporary, 0o666 & ~_umask())  # mkstemp makes it private; the result is an ordinary file
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def unfinished_writes(folder: Path) -> list[Path]:
    """The temporary files of cassette writes that never finished (a recording killed while
    writing): the cassette beside each is the one from before."""
    return sorted(Path(folder).rglob(f".*{CASSETTE_SUFFIX}.*{TEMPORARY_SUFFIX}"))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# -- matching ---------------------------------------------------------------------------------


def json_body(r1: Any, r2: Any) -> None:
    """vcrpy matcher: bodies equal as JSON (key order ignored), or as bytes when not JSON."""
    first, second = _parsed_body(r1.body), _parsed_body(r2.body)
    if first != second:
        raise AssertionError(f"body {_short(first)} != {_short(second)}")


def _parsed_body(body: Any) -> Any:
    if body in (None, b"", ""):
        return None
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else str(body)
    try:
        return json.loads(text)
    except ValueError:
        return text


def _short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True) if not isinstance(value, str) else value
    return text if len(text) < 200 else text[:199] + "…"


# -- the recorder -----------------------------------------------------------------------------


def unused_interactions(cassette: Cassette) -> list[str]:
    """The recorded requests a replay did not use, as ``METHOD uri`` lines."""
    return [
        f"{request.method} {request.uri}"
        for index, (request, _response) in enumerate(cassette.data)
        if not cassette.play_counts[index]
    ]


class Recorder:
    """Opens one scenario's cassette in replay or record mode, with the run's scrubber."""

    def __init__(self, mode: str, scrubber: Scrubber) -> None:
        if mode not in ("replay", "record"):
            raise ValueError(f"no cassettes in {mode} mode")
        self.mode = mode
        self.scrubber = scrubber
        self.unused: dict[Path, list[str]] = {}
        """Per cassette, the recorded requests a passing replay left unused: a stale recording."""
        self.vcr = vcr.VCR(
            record_mode="none" if mode == "replay" else "all",
            match_on=MATCH_ON,
            before_record_request=self._scrub_request,
            # A response is scrubbed once, when it is recorded; vcrpy would also run this hook on
            # every response it loads, and a replayed cassette holds scrubbed responses already.
            before_record_response=self._scrub_response if mode == "record" else None,
            decode_compressed_response=True,
            record_on_exception=False,
            **({"skip_patchers": UNUSED_PATCHERS} if UNUSED_PATCHERS else {}),
        )
        self.vcr.register_serializer(SERIALIZER, ReadableYamlSerializer)
        self.vcr.register_matcher("json_body", json_body)
        self.vcr.register_persister(ReplayPersister if mode == "replay" else RecordPersister)

    def _scrub_request(self, request: Any) -> Any:
        request.uri = self.scrubber.url(request.uri)
        request.body = self.scrubber.body(request.body)
        request.headers = self.scrubber.headers(dict(request.headers), KEPT_REQUEST_HEADERS)
        return request

    def _scrub_response(self, response: dict) -> dict:
        response["headers"] = self.scrubber.headers(response.get("headers", {}), KEPT_RESPONSE_HEADERS)
        body = response.get("body", {}).get("string")
        if body is not None:
            response["body"]["string"] = self.scrubber.body(body)
        return response

    @contextlib.contextmanager
    def cassette(self, path: Path, keep: Callable[[], bool]) -> Iterator[Cassette]:
        """Use the cassette at ``path`` for the duration; in record mode save it only if ``keep()``."""
        if self.mode == "replay":
            with self._replay(path, keep) as cassette:
                yield cassette
            return
        manager = self.vcr.use_cassette(str(path), serializer=SERIALIZER)
        cassette = manager.__enter__()
        failed = True
        try:
            yield cassette
            failed = not keep()
        finally:
            if failed:
                manager.__exit__(RuntimeError, RuntimeError("scenario failed"), None)
            else:
                manager.__exit__(None, None, None)

    @contextlib.contextmanager
    def _replay(self, path: Path, keep: Callable[[], bool]) -> Iterator[Cassette]:
        """vcrpy's cassette, answering ``requests`` at its transport adapter; never written back."""
        config = self.vcr.get_merged_config(path=str(path), serializer=SERIALIZER)
        transform = config.get("path_transformer")
        not_for_the_cassette = CassetteContextDecorator._non_cassette_arguments
        arguments = {name: value for name, value in config.items() if name not in not_for_the_cassette}
        if transform:
            arguments["path"] = transform(arguments["path"])
        # vcrpy deep-copies a request before its filters run, so that they cannot change the caller's
        # request; here every request filtered is one vcrpy loaded or one ``_play`` made for it, so
        # the scrubber works on it in place (the copy cost as much as the scrubbing).
        arguments["before_record_request"] = self._scrub_request
        cassette = Cassette.load(**arguments)
        with _blocked_network(), _answered_from(cassette):
            yield cassette
        if keep() and unused_interactions(cassette):
            self.unused[Path(path)] = unused_interactions(cassette)


@contextlib.contextmanager
def _answered_from(cassette: Cassette) -> Iterator[None]:
    """Every ``requests`` transport adapter answers from ``cassette`` for the duration."""
    original = HTTPAdapter.send

    def send(adapter: HTTPAdapter, request: requests.PreparedRequest, **_: Any) -> requests.Response:
        return _play(cassette, adapter, request)

    HTTPAdapter.send = send  # type: ignore[method-assign]
    try:
        yield
    finally:
        HTTPAdapter.send = original  # type: ignore[method-assign]


def _play(cassette: Cassette, adapter: HTTPAdapter, prepared: requests.PreparedRequest) -> requests.Response:
    """The recorded response to ``prepared``, replaying recorded retries as urllib3 would make them
    (the adapter's retry policy decides; a replay does not sleep between attempts)."""
    retries = adapter.max_retries
    method = str(prepared.method)
    while True:
        request = RecordedRequest(method, str(prepared.url), prepared.body, dict(prepared.headers))
        try:
            recorded = cassette.play_response(request)
        except UnhandledHTTPRequestError:
            raise ReplayMiss(cassette=cassette, failed_request=request) from None
        status = recorded["status"]["code"]
        has_retry_after = any(name.lower() == "retry-after" for name in recorded["headers"])
        if not retries.is_retry(method, status, has_retry_after):
            break
        try:
            retries = retries.increment(method, str(prepared.url), response=_RecordedStatus(status))
        except MaxRetryError as error:
            if retries.raise_on_status:
                raise requests.exceptions.RetryError(error, request=prepared) from None
            break
    return _response(adapter, prepared, recorded)


class _RecordedStatus:
    """What urllib3's ``Retry.increment`` reads of a response."""

    def __init__(self, status: int) -> None:
        self.status = status

    def get_redirect_location(self) -> bool:
        return False


def _response(adapter: HTTPAdapter, prepared: requests.PreparedRequest, recorded: dict) -> requests.Response:
    """A ``requests.Response`` as ``HTTPAdapter.build_response`` makes it, from a recorded one."""
    response = requests.Response()
    response.status_code = recorded["status"]["code"]
    response.reason = recorded["status"].get("message")
    response.headers = CaseInsensitiveDict(
        {
            name: ", ".join(values) if isinstance(values, list) else values
            for name, values in recorded["headers"].items()
        }
    )
    body = recorded["body"].get("string") or b""
    response._content = body if isinstance(body, bytes) else str(body).encode("utf-8")
    response._content_consumed = True
    response.raw = io.BytesIO(response._content)
    response.encoding = get_encoding_from_headers(response.headers)
    response.url = str(prepared.url)
    response.request = prepared
    response.connection = adapter
    return response


@contextlib.contextmanager
def _blocked_network() -> Iterator[None]:
    """Refuse any real connection while replaying: a replay must never reach a tenant."""
    original = socket.socket.connect

    def refuse(sock: socket.socket, address: Any) -> None:
        if sock.family == getattr(socket, "AF_UNIX", None):
            return original(sock, address)
        raise NetworkBlocked(f"replay mode blocks the network: a connection to {address!r} was refused")

    socket.socket.connect = refuse  # type: ignore[method-assign]
    try:
        yield
    finally:
        socket.socket.connect = original  # type: ignore[method-assign]
