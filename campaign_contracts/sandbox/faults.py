"""Faults injected through the control plane into the next N calls of one operation."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from campaign_contracts.httpapi.uvicorn_adapter import current_connection
from campaign_contracts.sandbox.config import MAX_PENDING_FAULTS
from campaign_contracts.sandbox.errors import LimitReached
from campaign_contracts.sandbox.storage import Order, Storage

FAULTS = "faults"


@dataclass
class Fault:
    """One of: answer `status`, add `latency_ms` before answering, or `drop` the connection.
    A 429 or 503 may say when to come back: `retry_after` seconds, sent as `Retry-After`."""

    api: str
    operation_id: str
    remaining: int
    status: int | None = None
    latency_ms: int | None = None
    drop: bool = False
    retry_after: int | None = None

    def to_json(self) -> dict[str, Any]:
        described: dict[str, Any] = {
            "api": self.api,
            "operationId": self.operation_id,
            "count": self.remaining,
        }
        if self.status is not None:
            described["status"] = self.status
        if self.latency_ms is not None:
            described["latencyMs"] = self.latency_ms
        if self.drop:
            described["drop"] = True
        if self.retry_after is not None:
            described["retryAfter"] = self.retry_after
        return described

    @classmethod
    def from_json(cls, described: dict[str, Any]) -> Fault:
        return cls(
            api=described["api"],
            operation_id=described["operationId"],
            remaining=described["count"],
            status=described.get("status"),
            latency_ms=described.get("latencyMs"),
            drop=described.get("drop", False),
            retry_after=described.get("retryAfter"),
        )


class FaultRegistry:
    """Pending faults, first in first out per operation, kept in the storage (so that a fault
    posted through one sandbox process applies to the next call whichever process takes it).

    Each is a record of its API (the tenant) tagged with its operationId, carrying its own key.
    """

    def __init__(self, storage: Storage, limit: int = MAX_PENDING_FAULTS) -> None:
        self._storage = storage
        self.limit = limit

    def add(self, fault: Fault) -> None:
        with self._storage.transaction():
            if self._storage.count(FAULTS) >= self.limit:
                raise LimitReached(
                    f"Sandbox limit reached: {self.limit} faults are pending, the most the"
                    " sandbox keeps; clear them with DELETE /_sandbox/faults"
                )
            key = self._storage.add(FAULTS, fault.api, {}, tag=fault.operation_id)
            self._put(key, fault)

    def _put(self, key: str, fault: Fault) -> None:
        record = {"key": key, **fault.to_json()}
        self._storage.put(FAULTS, fault.api, key, record, tag=fault.operation_id)

    def due(self, api: str, operation_id: str) -> bool:
        """Whether a fault of the operation is pending: a read, no transaction (every call
        asks, and the answer is mostly no)."""
        return bool(self._storage.count(FAULTS, api, operation_id))

    def take(self, api: str, operation_id: str) -> Fault | None:
        """The fault for this call of the operation, if one is pending; counts it as used."""
        with self._storage.transaction():
            oldest = self._storage.records(FAULTS, api, tag=operation_id, order=Order(limit=1))
            if not oldest:  # none, or another process took the last one
                return None
            record = oldest[0]
            fault = Fault.from_json(record)
            fault.remaining -= 1
            if fault.remaining == 0:
                self._storage.delete(FAULTS, api, record["key"])
            else:
                self._put(record["key"], fault)
        return fault

    def pending(self) -> list[Fault]:
        return [Fault.from_json(record) for record in self._storage.records(FAULTS)]

    def clear(self, api: str | None = None) -> None:
        """Forget the pending faults of `api`, or of every API."""
        self._storage.clear(FAULTS, api)


class DroppedConnection(Response):
    """Closes the connection without sending a byte of response."""

    def __init__(self) -> None:
        super().__init__(status_code=500)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Read the request to its end first: closing a socket with unread bytes makes the
        # kernel send a reset, which the client sees as an error of its own network instead
        # of a server that hung up.
        more_body = True
        while more_body:
            message = await receive()
            more_body = message.get("type") == "http.request" and message.get("more_body", False)
        current_connection().close()
        # One turn of the loop lets the server see the connection lost, so it does not try
        # to answer on it.
        await asyncio.sleep(0)
