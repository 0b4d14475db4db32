"""The live baseline: the requests a live crmconf run sent, sent again by a plain ``requests.Session``.

    python bench/plain_loop.py REQUESTS.json

``REQUESTS.json`` is what ``crmconf_bench_probe`` captured from ``crmconf run --mode live --server
embedded``. Like that command, this process starts an embedded reference tenant (fresh seed, same
options), then sends every request in order through one session and reads each body; tokens
issued by the captured run are swapped for the ones this tenant issues. Nothing is validated or
reported: it is the floor a live run cannot go below. Prints one JSON line with the number of
requests, the seconds the request loop took, and the HTTP statuses that differed from the capture.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import requests

from crmconf.client import API_PATH
from crmconf.tenant import EmbeddedTenant


def send_all(base: str, captured: list[dict]) -> tuple[int, float, int]:
    session = requests.Session()
    tokens: dict[str, str] = {}
    differed = 0

    def swap(text: str) -> str:
        for old, new in tokens.items():
            text = text.replace(old, new)
        return text

    started = time.perf_counter()
    for entry in captured:
        url = base + API_PATH + entry["operation"]
        if entry["method"] == "GET":
            params = {name: swap(str(value)) for name, value in entry["params"].items()}
            response = session.get(url, params=params, timeout=(5, 30))
        else:
            body = entry["raw_body"] if entry["raw_body"] is not None else json.dumps(entry["json_body"])
            response = session.post(
                url,
                data=swap(body).encode("utf-8"),
                headers={"Content-Type": "application/json"},
                timeout=(5, 30),
            )
        _ = response.content  # read the whole body, as the harness does
        differed += response.status_code != entry["http_status"]
        if entry["issued_token"]:
            issued = (response.json().get("data") or {}).get("token")
            if issued:
                tokens[entry["issued_token"]] = issued
    return len(captured), time.perf_counter() - started, differed


def main() -> int:
    captured = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    with EmbeddedTenant() as tenant:
        count, seconds, differed = send_all(tenant.url, captured)
    print(json.dumps({"requests": count, "loop_seconds": seconds, "statuses_differing": differed}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
