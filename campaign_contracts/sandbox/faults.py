"""Faults injected through the control plane into the next N calls of one operation."""

from __future__ import annotations

import asyncio
from collections import deque
from dataclasses import dataclass
from typing import Any, Protocol, cast

from starlette.responses import Response
from starlette.types import Receive, Scope, Send


@dataclass
class Fault:
    """One of: answer `status`, add `latency_ms` before answering, or `drop` the connection."""

    api: str
    operation_id: str
    remaining: int
    status: int | None = None
    latency_ms: int | None = None
    drop: bool = False

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
        return described


class FaultRegistry:
    """Pending faults, first in first out per operation."""

    def __init__(self) -> None:
        self._queues: dict[tuple[str, str], deque[Fault]] = {}

    def add(self, fault: Fault) -> None:
        self._queues.setdefault((fault.api, fault.operation_id), deque()).append(fault)

    def take(self, api: str, operation_id: str) -> Fault | None:
        """The fault for this call of the operation, if one is pending; counts it as used."""
        if not self._queues:  # the usual case, kept cheap: no fault anywhere
            return None
        queue = self._queues.get((api, operation_id))
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining == 0:
            queue.popleft()
            if not queue:
                del self._queues[api, operation_id]
        return fault

    def pending(self) -> list[Fault]:
        return [fault for queue in self._queues.values() for fault in queue]

    def clear(self, api: str | None = None) -> None:
        """Forget the pending faults of `api`, or of every API."""
        for key in [key for key in self._queues if api in (None, key[0])]:
            del self._queues[key]


class Connection(Protocol):
    def close(self) -> None: ...


def _connection_of_current_request() -> Connection:
    """The transport uvicorn serves the current request on.

    ASGI gives an application no way to close its connection without answering, so this reads
    it from uvicorn's request cycle, whose `run_asgi` coroutine is the task running the app
    (true for both of uvicorn's HTTP/1.1 implementations, on asyncio's loop or uvloop's, whose
    transports are not asyncio classes).
    """
    task = asyncio.current_task()
    frame = getattr(task.get_coro() if task else None, "cr_frame", None)
    cycle = frame.f_locals.get("self") if frame is not None else None
    transport = getattr(cycle, "transport", None)
    if not callable(getattr(transport, "close", None)):
        raise RuntimeError("the drop fault needs the sandbox to be served by uvicorn")
    return cast(Connection, transport)


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
        _connection_of_current_request().close()
        # One turn of the loop lets the server see the connection lost, so it does not try
        # to answer on it.
        await asyncio.sleep(0)
