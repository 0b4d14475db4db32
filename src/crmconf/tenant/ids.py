"""Deterministic record ids: the same requests give the same ids on every run.

An id is the uppercase hex of a UUID5 over a fixed namespace and a key naming the record, in the
32-character style CRM.COM ids have. Seed records use meaningful keys (``contact/CI000111``);
records created through the API use a per-kind counter.
"""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from collections.abc import Iterator

NAMESPACE = uuid.UUID("6f1c7c4e-2b1a-5d8e-9a51-0c7e3b2d4a10")


def record_id(kind: str, key: str) -> str:
    return uuid.uuid5(NAMESPACE, f"{kind}/{key}").hex.upper()


class IdSequence:
    """Fresh ids for records created at run time, one counter per kind of record."""

    def __init__(self) -> None:
        self._counters: defaultdict[str, Iterator[int]] = defaultdict(lambda: itertools.count(1))

    def next_number(self, kind: str) -> int:
        return next(self._counters[kind])

    def new_id(self, kind: str) -> str:
        return record_id(kind, f"created-{self.next_number(kind)}")
