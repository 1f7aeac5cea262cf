"""Stand-ins for a vendor: the sandbox app behind ASGI middlewares that record or tamper.

`Tamper` turns the sandbox into a deliberately broken variant by rewriting one kind of
exchange; `Recorder` remembers every request that reached the server, for the safety tests.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import build_config
from campaign_contracts.sandbox.faults import DroppedConnection
from tests.support.credentials import SECRETS


def stand_in_app() -> Starlette:
    """The sandbox as a live vendor: it accepts only the stand-in's credentials."""
    return create_app(
        build_config(
            engage_tokens=[SECRETS["ENGAGE_TOKEN"]],
            intelsend_sessions=[
                f"{SECRETS['INTELSEND_SESSION_TOKEN']}={SECRETS['INTELSEND_USER_ID']}"
            ],
            default_credentials=False,
        )
    )


@dataclass
class Exchange:
    """One request and its answer, as the middleware sees them; rewrites mutate it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    request_body: bytes
    status: int = 0
    content_type: str = "application/json"
    body: bytes = b""
    # Answer headers other than Content-Type and Content-Length (Allow, ...), kept as they are.
    other_headers: list[tuple[bytes, bytes]] = field(default_factory=list)

    def json(self) -> Any:
        return json.loads(self.body)

    def answer(self, status: int, payload: object) -> None:
        self.status = status
        self.content_type = "application/json"
        self.body = json.dumps(payload).encode()

    def request_json(self) -> Any:
        try:
            return json.loads(self.request_body)
        except ValueError:
            return None


async def read_body(receive: Receive) -> bytes:
    chunks = []
    more = True
    while more:
        message = await receive()
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def replaying(body: bytes, receive: Receive) -> Receive:
    """A `receive` that hands over the already-read body once, then defers to the real one."""
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


def exchange_of(scope: Scope, body: bytes) -> Exchange:
    return Exchange(
        method=scope["method"],
        path=scope["path"],
        query=scope["query_string"].decode(),
        headers={name.decode().lower(): value.decode() for name, value in scope["headers"]},
        request_body=body,
    )


Rewrite = Callable[[Exchange], None]
RequestRewrite = Callable[[Exchange], dict[str, str] | None]


@dataclass
class Tamper:
    """Call the app, then let `rewrite` change the answer before it is sent.

    `rewrite_request` may return replacement headers for the request (to fake ignored auth).
    """

    app: ASGIApp
    rewrite: Rewrite = lambda exchange: None
    rewrite_request: RequestRewrite = lambda exchange: None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        exchange = exchange_of(scope, body)
        headers = self.rewrite_request(exchange)
        if headers is not None:
            scope = {**scope, "headers": [(k.encode(), v.encode()) for k, v in headers.items()]}
        parts: list[bytes] = []

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                exchange.status = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"content-type":
                        exchange.content_type = value.decode()
                    elif name.lower() != b"content-length":
                        exchange.other_headers.append((name, value))
            elif message["type"] == "http.response.body":
                parts.append(message.get("body", b""))

        await self.app(scope, replaying(body, receive), capture)
        exchange.body = b"".join(parts)
        self.rewrite(exchange)
        await send(
            {
                "type": "http.response.start",
                "status": exchange.status,
                "headers": [
                    *exchange.other_headers,
                    (b"content-type", exchange.content_type.encode()),
                    (b"content-length", str(len(exchange.body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": exchange.body})


@dataclass
class Seen:
    method: str
    path: str
    body: bytes
    at: float


@dataclass
class Recorder:
    """Remember every request that reaches `app`, with the time it arrived."""

    app: ASGIApp
    requests: list[Seen] = field(default_factory=list)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body = await read_body(receive)
        if not scope["path"].startswith("/_sandbox/"):
            self.requests.append(Seen(scope["method"], scope["path"], body, time.monotonic()))
        await self.app(scope, replaying(body, receive), send)


@dataclass
class Weather:
    """A vendor's weather in front of `app`: above `rate` requests in any second it answers 429
    with `Retry-After: <retry_after>`; each answer takes `latency_ms`, one GET in `slow_every`
    `slow_ms` more; one GET in `drop_every` is dropped without an answer. Counts what it did.
    Requests to the control plane (`/_sandbox/`) are let through untouched."""

    app: ASGIApp
    rate: int
    retry_after: str = "1"
    latency_ms: int = 0
    drop_every: int = 0
    slow_every: int = 0
    slow_ms: int = 0
    throttled: int = 0
    dropped: int = 0
    slowed: int = 0
    _recent: deque[float] = field(default_factory=deque)
    _gets: int = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/_sandbox/"):
            await self.app(scope, receive, send)
            return
        now = time.monotonic()
        while self._recent and self._recent[0] <= now - 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.rate:
            self.throttled += 1
            body = json.dumps({"message": "Too Many Requests", "status": 429}).encode()
            await read_body(receive)
            await send(
                {
                    "type": "http.response.start",
                    "status": 429,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"retry-after", self.retry_after.encode()),
                        (b"content-length", str(len(body)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        self._recent.append(now)
        delay = self.latency_ms
        if scope["method"] == "GET":
            self._gets += 1
            if self.drop_every and self._gets % self.drop_every == 0:
                self.dropped += 1
                await DroppedConnection()(scope, receive, send)
                return
            if self.slow_every and self._gets % self.slow_every == 0:
                self.slowed += 1
                delay += self.slow_ms
        await asyncio.sleep(delay / 1000)
        await self.app(scope, receive, send)
