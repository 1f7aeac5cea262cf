"""The proxy's ASGI application: route, forward, check, record, answer unchanged."""

from __future__ import annotations

import datetime
import json
import logging
import time
import zlib
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from typing import IO, Any

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport
from starlette.types import Message, Receive, Scope, Send

from campaign_contracts.proxy.contract import (
    MAX_VIOLATIONS,
    ApiContract,
    OperationContract,
    Violation,
    load_contracts,
)
from campaign_contracts.recording.har import HarWriter
from campaign_contracts.recording.sanitize import Exchange, Sanitizer, cookie_values
from campaign_contracts.registry import APIS as REGISTRY

logger = logging.getLogger("campaign-proxy")
# httpx logs every request's URL at INFO, query string and its secrets included.
logging.getLogger("httpx").setLevel(logging.WARNING)

VIOLATIONS_HEADER = b"x-contract-violations"
# Headers of one connection, not of the exchange (RFC 9110, 7.6.1), plus Host: the upstream's.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
# The sandbox's request limit: bodies up to it are checked and recorded, larger ones only
# forwarded (and noted).
DEFAULT_VALIDATION_LIMIT = 1024 * 1024
DEFAULT_RECORD_ROTATE = 1000
# A vendor may be slow to answer; connecting should be quick.
UPSTREAM_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
UPSTREAM_LIMITS = httpx.Limits(max_connections=256, max_keepalive_connections=64)
DECOMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": lambda data: zlib.decompress(data, 16 + zlib.MAX_WBITS),
    "x-gzip": lambda data: zlib.decompress(data, 16 + zlib.MAX_WBITS),
    "deflate": zlib.decompress,
}


def _aiohttp_session() -> aiohttp.ClientSession:
    # Built on the first request, inside the server's event loop, as aiohttp wants.
    connector = aiohttp.TCPConnector(
        limit=UPSTREAM_LIMITS.max_connections or 0,
        keepalive_timeout=UPSTREAM_LIMITS.keepalive_expiry or 0,
        ssl=httpx.create_ssl_context(),  # verification on, httpx's CA bundle
    )
    return aiohttp.ClientSession(
        connector=connector,
        # One pool serves every caller: no cookie of one may reach another.
        cookie_jar=aiohttp.DummyCookieJar(),
        # Forwarded unchanged: no header the caller did not send, no body decoded.
        skip_auto_headers=("Accept", "Accept-Encoding", "Content-Type", "User-Agent"),
        auto_decompress=False,
    )


def upstream_client() -> httpx.AsyncClient:
    """The pooled httpx client the proxy forwards with, over aiohttp's connection pool.

    httpcore's own pool (httpx's default transport) checks every pooled connection on every
    request, with a poll() each: about three times the CPU per request of aiohttp's pool
    through httpx-aiohttp's transport (3,400 against 1,100-1,500 µs, same machine, same
    load), which decides the proxy's throughput (benchmarks/proxy_http.py).
    """
    # A jar that keeps nothing: one client serves every caller, whose cookies are theirs.
    jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    return httpx.AsyncClient(
        transport=AiohttpTransport(client=_aiohttp_session),
        timeout=UPSTREAM_TIMEOUT,
        cookies=jar,
        follow_redirects=False,
    )


@dataclass(frozen=True)
class ProxySettings:
    """What `campaign-proxy`'s options say."""

    upstreams: Mapping[str, str]
    record_dir: Path | None = None
    record_rotate: int = DEFAULT_RECORD_ROTATE
    redact: Sequence[str] = ()
    violations_file: Path | None = None
    validation_limit: int = DEFAULT_VALIDATION_LIMIT


@dataclass
class Body:
    """What was read of a body: all of it, or the first `limit` bytes and the rest to come."""

    head: bytes
    rest: AsyncIterator[bytes] | None = None

    @property
    def whole(self) -> bytes | None:
        return self.head if self.rest is None else None

    async def stream(self) -> AsyncIterator[bytes]:
        yield self.head
        if self.rest is not None:
            async for chunk in self.rest:
                yield chunk


async def _request_chunks(receive: Receive) -> AsyncIterator[bytes]:
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return
        yield message.get("body", b"")
        if not message.get("more_body", False):
            return


async def read_limited(chunks: AsyncIterator[bytes], limit: int) -> Body:
    """Up to `limit` bytes of `chunks`; the rest, if any, left to stream."""
    head = bytearray()
    async for chunk in chunks:
        head += chunk
        if len(head) > limit:
            return Body(bytes(head), chunks)
    return Body(bytes(head))


def decoded(body: bytes, encoding: str | None) -> bytes | None:
    """The body without its Content-Encoding; None for an encoding this cannot undo."""
    codings = [part.strip().lower() for part in (encoding or "").split(",") if part.strip()]
    for coding in reversed(codings):
        if coding == "identity":
            continue
        decompress = DECOMPRESSORS.get(coding)
        if decompress is None:
            return None
        try:
            body = decompress(body)
        except zlib.error:
            return None
    return body


def _latin1(pairs: Sequence[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in pairs]


def without_hop_by_hop(pairs: Sequence[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    named = {
        token.strip().lower()
        for name, value in pairs
        if name.lower() == b"connection"
        for token in value.decode("latin-1").split(",")
    }
    return [
        (name, value)
        for name, value in pairs
        if (lower := name.decode("latin-1").lower()) not in HOP_BY_HOP and lower not in named
    ]


def _cookies(headers: Mapping[str, str]) -> dict[str, str]:
    cookies = {}
    for pair in headers.get("cookie", "").split(";"):
        name, _, value = pair.strip().partition("=")
        if name and any(cookie_values(pair, set_cookie=False)):
            cookies[name] = value
    return cookies


async def _answer(send: Send, status: int, payload: object) -> None:
    body = json.dumps(payload, separators=(",", ":")).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


@dataclass
class Flight:
    """One exchange on its way through the proxy."""

    scope: Scope
    api: ApiContract
    upstream: str
    body: Body
    started: float
    clock: float
    operation: OperationContract | None = field(init=False)
    path_params: dict[str, str] = field(init=False)
    exchange: Exchange = field(init=False)

    def __post_init__(self) -> None:
        found = self.api.match(self.scope["method"], self.scope["path"])
        self.operation, self.path_params = found if found is not None else (None, {})

    @property
    def label(self) -> str:
        if self.operation is not None:
            return self.operation.operation_id
        return f"{self.scope['method']} {self.scope['path']}"

    def request(self) -> httpx.Request:
        """The request to the upstream: the client's, but for hop-by-hop headers and Host."""
        scope = self.scope
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        url = self.upstream.rstrip("/") + raw_path.decode("latin-1")
        if scope["query_string"]:
            url += "?" + scope["query_string"].decode("latin-1")
        headers = [(name, value) for name, value in scope["headers"] if name.lower() != b"host"]
        content = self.body.head if self.body.rest is None else self.body.stream()
        return httpx.Request(
            scope["method"], url, headers=without_hop_by_hop(headers), content=content
        )

    def exchange_of(self, request: httpx.Request, limit: int) -> Exchange:
        """The exchange to record, so far: the request as sent upstream (Host included)."""
        return Exchange(
            started=self.started,
            method=request.method,
            url=str(request.url),
            http_version=f"HTTP/{self.scope.get('http_version', '1.1')}",
            request_headers=_latin1(request.headers.raw),
            request_body=self.body.whole,
            status=0,
            response_headers=(),
            response_body=None,
            elapsed_ms=0.0,
            comment=""
            if self.body.rest is None
            else f"request body over {limit} bytes not recorded",
        )


@dataclass
class Proxy:
    """The ASGI app of `campaign-proxy`."""

    settings: ProxySettings
    contracts: Mapping[str, ApiContract] = field(default_factory=load_contracts)
    client: httpx.AsyncClient = field(init=False)
    sanitizers: dict[str, Sanitizer] = field(init=False)
    writers: dict[str, HarWriter] = field(init=False)
    violations: IO[str] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.client = upstream_client()
        self.sanitizers = {name: Sanitizer(name, self.settings.redact) for name in self.contracts}
        self.writers = {}
        if self.settings.record_dir is not None:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
            self.writers = {
                name: HarWriter(
                    self.settings.record_dir,
                    f"{name}-{stamp}",
                    self.sanitizers[name],
                    rotate_every=self.settings.record_rotate,
                )
                for name in self.settings.upstreams
            }
        if self.settings.violations_file is not None:
            self.violations = self.settings.violations_file.open("a", encoding="utf-8")

    async def aclose(self) -> None:
        await self.client.aclose()
        for writer in self.writers.values():
            writer.close()
        if self.violations is not None:
            self.violations.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message: Message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.aclose()
                await send({"type": "lifespan.shutdown.complete"})
                return

    def route(self, path: str) -> ApiContract | None:
        return next((api for api in self.contracts.values() if api.owns(path)), None)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started, clock = time.time(), time.perf_counter()
        path: str = scope["path"]
        api = self.route(path)
        if api is None:
            # In the first API's shape, as the sandbox answers its unknown paths.
            error_body = next(iter(REGISTRY.values())).error_body
            await _answer(send, 404, error_body(404, f"No API of this proxy has {path}"))
            return
        upstream = self.settings.upstreams.get(api.name)
        if upstream is None:
            message = f"No upstream for {api.name}: start the proxy with --upstream {api.name}=URL"
            await _answer(send, 404, api.error_body(404, message))
            return
        body = await read_limited(_request_chunks(receive), self.settings.validation_limit)
        flight = Flight(scope, api, upstream, body, started, clock)
        request = flight.request()
        flight.exchange = flight.exchange_of(request, self.settings.validation_limit)
        try:
            response = await self.client.send(request, stream=True)
            answer = await read_limited(response.aiter_raw(), self.settings.validation_limit)
        except (httpx.HTTPError, OSError) as error:
            await self._unreachable(flight, error, send)
            return
        try:
            violations, notes = self._check(flight, response, answer)
        except Exception:
            logger.exception("%s %s: the check failed; forwarded unchecked", api.name, flight.label)
            violations, notes = None, []
        self._complete(flight, response, answer)
        if violations or notes:
            # Before the answer goes out: once a client has it, its violations are on file.
            self._report(flight, violations or [], notes)
        headers = without_hop_by_hop(response.headers.raw)
        if violations is not None:
            headers.append((VIOLATIONS_HEADER, str(len(violations)).encode()))
        try:
            start = {"type": "http.response.start", "status": response.status_code}
            await send({**start, "headers": headers})
            async for chunk in answer.stream():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
        finally:
            await response.aclose()
        self._record(flight, flight.exchange)

    async def _unreachable(self, flight: Flight, error: Exception, send: Send) -> None:
        """A 502 in the API's shape, one log line, and the exchange recorded unanswered."""
        api, upstream = flight.api, flight.upstream
        # The transport's httpx error names a kind (it calls a refused connection a timeout);
        # aiohttp's own says what happened.
        cause = error.__cause__ or error
        reason = f"{type(cause).__name__}: {cause}".rstrip(": ")
        sanitizer = self.sanitizers[api.name]
        sanitizer.learn_exchange(flight.exchange)
        line = f"{api.name} {flight.label}: upstream {upstream} unreachable ({reason})"
        logger.error(sanitizer.scrub(line))
        await _answer(send, 502, api.error_body(502, f"The upstream {upstream} is unreachable"))
        self._record(flight, replace(flight.exchange, comment=f"no answer: {reason}"))

    def _check(
        self, flight: Flight, response: httpx.Response, answer: Body
    ) -> tuple[list[Violation], list[str]]:
        """The violations of the exchange, and notes on what could not be checked."""
        method, path, operation = flight.scope["method"], flight.scope["path"], flight.operation
        if operation is None:
            message = f"{method} {path} is not an operation of the document"
            return [Violation("operation", "", message)], []
        limit = self.settings.validation_limit
        notes = []
        headers = {name.lower(): value for name, value in _latin1(flight.scope["headers"])}
        if flight.body.rest is not None:
            notes.append(f"request body over {limit} bytes not validated")
        query = flight.scope["query_string"].decode("latin-1")
        found = operation.check_request(
            flight.path_params, query, headers, _cookies(headers), flight.body.whole
        )
        status = response.status_code
        found += operation.check_status(status, response.headers.get("content-type"))
        if any(violation.kind in {"status", "content-type"} for violation in found):
            return found, notes
        if answer.rest is not None:
            notes.append(f"answer body over {limit} bytes not validated")
            return found, notes
        content = decoded(answer.head, response.headers.get("content-encoding"))
        if content is None:
            notes.append("answer body not validated: unknown Content-Encoding")
        else:
            found += operation.check_body(status, content)
        return found, notes

    def _complete(self, flight: Flight, response: httpx.Response, answer: Body) -> None:
        """Add the answer to the flight's exchange: its body decoded, if not too large."""
        limit = self.settings.validation_limit
        response_body = None
        comment = flight.exchange.comment
        if answer.rest is not None:
            comment = f"answer body over {limit} bytes not recorded"
        else:
            response_body = decoded(answer.head, response.headers.get("content-encoding"))
            if response_body is None:
                comment = "answer body not recorded: its Content-Encoding is not one this reads"
        flight.exchange = replace(
            flight.exchange,
            status=response.status_code,
            response_headers=_latin1(response.headers.raw),
            response_body=response_body,
            comment=comment,
        )

    def _report(self, flight: Flight, violations: list[Violation], notes: list[str]) -> None:
        """One log line per violation and note, and a JSON line per violation; no secrets."""
        api, exchange = flight.api, flight.exchange
        sanitizer = self.sanitizers[api.name]
        sanitizer.learn_exchange(exchange)
        prefix = f"{api.name} {flight.label} {exchange.status}"
        shown = violations[:MAX_VIOLATIONS]
        for violation in shown:
            logger.warning(sanitizer.scrub(f"{prefix}: {violation.describe()}"))
        if len(violations) > len(shown):
            logger.warning(f"{prefix}: {len(violations) - len(shown)} more violations")
        for note in notes:
            logger.warning(f"{prefix}: note: {note}")
        if self.violations is None:
            return
        when = datetime.datetime.fromtimestamp(exchange.started, datetime.UTC).isoformat()
        for violation in violations:
            line: dict[str, Any] = {
                "time": when,
                "api": api.name,
                "operationId": flight.operation.operation_id if flight.operation else None,
                "method": exchange.method,
                "path": flight.scope["path"],
                "status": exchange.status,
                "kind": violation.kind,
                "location": violation.location,
                "message": violation.message,
            }
            self.violations.write(sanitizer.scrub(json.dumps(line, ensure_ascii=False)) + "\n")
        self.violations.flush()

    def _record(self, flight: Flight, exchange: Exchange) -> None:
        writer = self.writers.get(flight.api.name)
        if writer is None:
            return
        elapsed_ms = (time.perf_counter() - flight.clock) * 1000
        try:
            writer.write(replace(exchange, elapsed_ms=elapsed_ms))
        except OSError:
            logger.exception("%s: could not record an exchange", flight.api.name)
