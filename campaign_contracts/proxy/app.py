"""The proxy's ASGI application: route, forward, check, record, answer unchanged."""

from __future__ import annotations

import asyncio
import datetime
import functools
import json
import logging
import time
import zlib
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import IO, Any

import aiohttp
import httpx
import yarl  # aiohttp's URLs
from starlette.types import Message, Receive, Scope, Send

from campaign_contracts.proxy.contract import (
    MAX_VIOLATIONS,
    ApiContract,
    OperationContract,
    Violation,
    load_contracts,
)
from campaign_contracts.recording.har import BackgroundHarWriter, HarWriter
from campaign_contracts.recording.origins import Origin
from campaign_contracts.recording.sanitize import CapturedExchange, Sanitizer, cookie_values
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
HOP_BY_HOP_BYTES = frozenset(name.encode() for name in HOP_BY_HOP)
# The sandbox's request limit: bodies up to it are checked and recorded, larger ones only
# forwarded (and noted).
DEFAULT_VALIDATION_LIMIT = 1024 * 1024
DEFAULT_RECORD_ROTATE = 1000
# A vendor may be slow to answer; connecting should be quick.
UPSTREAM_TIMEOUT = httpx.Timeout(60.0, connect=10.0)
UPSTREAM_LIMITS = httpx.Limits(max_connections=256, max_keepalive_connections=64)
# aiohttp's own, the same limits: nothing but the read of an answer may take a minute.
UPSTREAM_SESSION_TIMEOUT = aiohttp.ClientTimeout(
    total=None, sock_connect=UPSTREAM_TIMEOUT.connect, sock_read=UPSTREAM_TIMEOUT.read
)
# A vendor's header lines may be longer than aiohttp's 8 KiB default allows.
MAX_HEADER_BYTES = 64 * 1024
# What the upstream failing to answer raises: no connection, a reset, a timeout.
UPSTREAM_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)
DECOMPRESSORS: dict[str, Callable[[bytes], bytes]] = {
    "gzip": lambda data: zlib.decompress(data, 16 + zlib.MAX_WBITS),
    "x-gzip": lambda data: zlib.decompress(data, 16 + zlib.MAX_WBITS),
    "deflate": zlib.decompress,
}


def upstream_session() -> aiohttp.ClientSession:
    """The pooled client the proxy forwards with: aiohttp's, TLS verified (httpx's CA bundle).

    Built on the first request, inside the server's event loop, as aiohttp wants. httpcore's
    own pool (httpx's default transport) checks every pooled connection on every request, with
    a poll() each: about three times the CPU per request of aiohttp's pool; and httpx over
    aiohttp (httpx-aiohttp) still spent a fifth of the proxy's CPU building httpx's request,
    URL and cookie objects that a proxy does not need (benchmarks/proxy_http.py).
    """
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
        timeout=UPSTREAM_SESSION_TIMEOUT,
        max_line_size=MAX_HEADER_BYTES,
        max_field_size=MAX_HEADER_BYTES,
    )


@dataclass(frozen=True)
class ProxySettings:
    """What `campaign-proxy`'s options say.

    `upstreams` maps an API's name to where it really is (`engage`), and optionally one
    operation of it to somewhere else (`engage.authenticate`: the sign-in, which the document
    puts on another server than the campaigns); an operation without an upstream of its own
    goes to its API's."""

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


async def read_request(receive: Receive, limit: int) -> Body:
    """The request's body, as read_limited reads it; one message (the usual) read directly."""
    message = await receive()
    if message["type"] == "http.request" and not message.get("more_body", False):
        body: bytes = message.get("body", b"")
        if len(body) <= limit:
            return Body(body)

    async def chunks() -> AsyncIterator[bytes]:
        if message["type"] == "http.disconnect":
            return
        yield message.get("body", b"")
        if message.get("more_body", False):
            async for chunk in _request_chunks(receive):
                yield chunk

    return await read_limited(chunks(), limit)


async def read_answer(response: aiohttp.ClientResponse, limit: int) -> Body:
    """The answer's body, as read_limited reads it; a short one of known length read whole."""
    if response.content_length is not None and response.content_length <= limit:
        return Body(await response.read())
    return await read_limited(response.content.iter_any(), limit)


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


@functools.lru_cache(maxsize=64)
def _authority(url: str) -> str:
    """`host:port` of an upstream's URL, as its Host header says it."""
    return str(yarl.URL(url).raw_authority)


def _forwarded(scope: Scope) -> list[tuple[bytes, bytes]]:
    """The client's headers as they go upstream: without Host and the hop-by-hop ones."""
    pairs = [(name, value) for name, value in scope["headers"] if name.lower() != b"host"]
    # The usual request has no hop-by-hop header: no need to read its Connection tokens.
    if any(name.lower() in HOP_BY_HOP_BYTES for name, _value in pairs):
        return without_hop_by_hop(pairs)
    return pairs


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
    """One exchange on its way through the proxy: what went upstream and what came back."""

    scope: Scope
    api: ApiContract
    upstream: str
    body: Body
    started: float
    clock: float
    operation: OperationContract | None
    path_params: dict[str, str]
    limit: int
    status: int = 0
    response_headers: Sequence[tuple[bytes, bytes]] = ()
    answer: Body | None = None

    @property
    def label(self) -> str:
        if self.operation is not None:
            return self.operation.operation_id
        return f"{self.scope['method']} {self.scope['path']}"

    @cached_property
    def url(self) -> str:
        """The upstream's URL of the request: its base, then the client's path and query."""
        scope = self.scope
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        url = self.upstream.rstrip("/") + raw_path.decode("latin-1")
        if scope["query_string"]:
            url += "?" + scope["query_string"].decode("latin-1")
        return url

    @cached_property
    def headers(self) -> list[tuple[bytes, bytes]]:
        """The request's headers as forwarded: the client's, but for hop-by-hop ones and Host."""
        return _forwarded(self.scope)

    def send(self, session: aiohttp.ClientSession) -> Any:
        """The request to the upstream (an awaitable of aiohttp's answer)."""
        body = self.body
        content: bytes | AsyncIterator[bytes] | None = body.head if body.rest is None else None
        if body.rest is not None:
            content = body.stream()
        elif not content:
            content = None
        return session.request(
            self.scope["method"],
            yarl.URL(self.url, encoded=True),
            headers=_latin1(self.headers),
            data=content,
            allow_redirects=False,
        )

    def answered(self, response: aiohttp.ClientResponse, answer: Body) -> None:
        self.status = response.status
        self.response_headers = response.raw_headers
        self.answer = answer

    def response_header(self, name: bytes) -> str | None:
        """The first value of an answer's header `name` (lower case)."""
        return next(
            (
                value.decode("latin-1")
                for key, value in self.response_headers
                if key.lower() == name
            ),
            None,
        )

    def exchange(self, comment: str = "", elapsed_ms: float | None = None) -> CapturedExchange:
        """The exchange to record: the request as sent upstream (Host included), the answer
        with its body decoded, if not too large; its time so far unless `elapsed_ms`."""
        limit = self.limit
        if self.body.rest is not None:
            comment = comment or f"request body over {limit} bytes not recorded"
        response_body = None
        if self.answer is not None:
            if self.answer.rest is not None:
                comment = f"answer body over {limit} bytes not recorded"
            else:
                response_body = decoded(self.answer.head, self.response_header(b"content-encoding"))
                if response_body is None:
                    comment = "answer body not recorded: its Content-Encoding is not one this reads"
        host = _authority(self.upstream)
        return CapturedExchange(
            started=self.started,
            method=self.scope["method"],
            url=self.url,
            http_version=f"HTTP/{self.scope.get('http_version', '1.1')}",
            request_headers=[("Host", host), *_latin1(self.headers)],
            request_body=self.body.whole,
            status=self.status,
            response_headers=_latin1(self.response_headers),
            response_body=response_body,
            elapsed_ms=(time.perf_counter() - self.clock) * 1000
            if elapsed_ms is None
            else elapsed_ms,
            comment=comment,
            origin=Origin.APPLICATION,
        )


@dataclass
class Proxy:
    """The ASGI app of `campaign-proxy`."""

    settings: ProxySettings
    contracts: Mapping[str, ApiContract] = field(default_factory=load_contracts)
    sanitizers: dict[str, Sanitizer] = field(init=False)
    writers: dict[str, BackgroundHarWriter] = field(init=False)
    violations: IO[str] | None = field(init=False, default=None)
    _session: aiohttp.ClientSession | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        unknown = unknown_upstreams(self.settings.upstreams, self.contracts)
        if unknown:
            raise ValueError(unknown[0])
        self.sanitizers = {name: Sanitizer(name, self.settings.redact) for name in self.contracts}
        self.writers = {}
        if self.settings.record_dir is not None:
            stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
            self.writers = {
                name: BackgroundHarWriter(
                    HarWriter(
                        self.settings.record_dir,
                        f"{name}-{stamp}",
                        self.sanitizers[name],
                        rotate_every=self.settings.record_rotate,
                    )
                )
                for name in api_names(self.settings.upstreams)
            }
        if self.settings.violations_file is not None:
            self.violations = self.settings.violations_file.open("a", encoding="utf-8")

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = upstream_session()
        return self._session

    async def aclose(self) -> None:
        """Close the pool, then the recordings: every exchange answered is written first."""
        if self._session is not None:
            await self._session.close()
        for writer in self.writers.values():
            writer.close()
        if self.violations is not None:
            self.violations.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "lifespan":
            await self._lifespan(receive, send)

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

    def upstream_of(self, api: ApiContract, operation: OperationContract | None) -> str | None:
        """Where an exchange goes: its operation's own upstream, else its API's."""
        upstreams = self.settings.upstreams
        if operation is not None:
            own = upstreams.get(f"{api.name}.{operation.operation_id}")
            if own is not None:
                return own
        return upstreams.get(api.name)

    async def _http(self, scope: Scope, receive: Receive, send: Send) -> None:
        started, clock = time.time(), time.perf_counter()
        path: str = scope["path"]
        api = self.route(path)
        if api is None:
            # In the first API's shape, as the sandbox answers its unknown paths.
            error_body = next(iter(REGISTRY.values())).error_body
            await _answer(send, 404, error_body(404, f"No API of this proxy has {path}"))
            return
        found = api.match(scope["method"], path)
        operation, path_params = found if found is not None else (None, {})
        upstream = self.upstream_of(api, operation)
        if upstream is None:
            message = f"No upstream for {api.name}: start the proxy with --upstream {api.name}=URL"
            await _answer(send, 404, api.error_body(404, message))
            return
        limit = self.settings.validation_limit
        body = await read_request(receive, limit)
        flight = Flight(scope, api, upstream, body, started, clock, operation, path_params, limit)
        response = None
        try:
            response = await flight.send(self.session)
            answer = await read_answer(response, limit)
        except UPSTREAM_ERRORS as error:
            if response is not None:
                response.close()
            await self._unreachable(flight, error, send)
            return
        try:
            if answer.rest is None:
                response.release()  # read whole: the connection goes back to the pool now
            flight.answered(response, answer)
            try:
                violations, notes = self._check(flight, answer)
            except Exception:
                logger.exception(
                    "%s %s: the check failed; forwarded unchecked", api.name, flight.label
                )
                violations, notes = None, []
            if violations or notes:
                # Before the answer goes out: once a client has it, its violations are on file.
                self._report(flight, violations or [], notes)
            headers = without_hop_by_hop(response.raw_headers)
            if violations is not None:
                headers.append((VIOLATIONS_HEADER, str(len(violations)).encode()))
            await send(
                {"type": "http.response.start", "status": response.status, "headers": headers}
            )
            if answer.rest is None:
                await send({"type": "http.response.body", "body": answer.head})
            else:
                async for chunk in answer.stream():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
                await send({"type": "http.response.body", "body": b""})
                response.release()
        finally:
            response.close()  # only if not released: an answer not read to its end
        self._record(flight)

    async def _unreachable(self, flight: Flight, error: BaseException, send: Send) -> None:
        """A 502 in the API's shape, one log line, and the exchange recorded unanswered."""
        api, upstream = flight.api, flight.upstream
        # aiohttp's error says what happened (a ClientConnectorError names host and call);
        # a bare timeout says nothing, so its kind is the reason.
        reason = f"{type(error).__name__}: {error}".rstrip(": ")
        exchange = flight.exchange(f"no answer: {reason}")
        sanitizer = self.sanitizers[api.name]
        sanitizer.learn_exchange(exchange)
        line = f"{api.name} {flight.label}: upstream {upstream} unreachable ({reason})"
        logger.error(sanitizer.scrub(line))
        await _answer(send, 502, api.error_body(502, f"The upstream {upstream} is unreachable"))
        self._record(flight, exchange)

    def _check(self, flight: Flight, answer: Body) -> tuple[list[Violation], list[str]]:
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
        status = flight.status
        found += operation.check_status(status, flight.response_header(b"content-type"))
        if any(violation.kind in {"status", "content-type"} for violation in found):
            return found, notes
        if answer.rest is not None:
            notes.append(f"answer body over {limit} bytes not validated")
            return found, notes
        content = decoded(answer.head, flight.response_header(b"content-encoding"))
        if content is None:
            notes.append("answer body not validated: unknown Content-Encoding")
        else:
            found += operation.check_body(status, content)
        return found, notes

    def _report(self, flight: Flight, violations: list[Violation], notes: list[str]) -> None:
        """One log line per violation and note, and a JSON line per violation; no secrets."""
        api, exchange = flight.api, flight.exchange()
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

    def _record(self, flight: Flight, exchange: CapturedExchange | None = None) -> None:
        """Hand the exchange to its API's writer, which builds, sanitizes and writes it in a
        thread of its own; its time is taken now, when the client has had the answer."""
        writer = self.writers.get(flight.api.name)
        if writer is None:
            return
        if exchange is not None:
            writer.write(exchange)
        else:
            elapsed_ms = (time.perf_counter() - flight.clock) * 1000
            writer.write_later(lambda: flight.exchange(elapsed_ms=elapsed_ms))


def api_names(upstreams: Mapping[str, str]) -> list[str]:
    """The APIs that `upstreams` sends somewhere (`engage` for `engage.authenticate` too)."""
    return list(dict.fromkeys(key.partition(".")[0] for key in upstreams))


def unknown_upstreams(
    upstreams: Mapping[str, str], contracts: Mapping[str, ApiContract]
) -> list[str]:
    """What is wrong with the names of `upstreams`: an API or an operation no document has."""
    problems = []
    for key in upstreams:
        name, dot, operation_id = key.partition(".")
        contract = contracts.get(name)
        if contract is None:
            problems.append(f"{key!r}: no API is named {name!r} (one of {', '.join(contracts)})")
        elif dot and operation_id not in contract.operations:
            problems.append(
                f"{key!r}: {name} has no operation {operation_id!r}"
                f" (one of {', '.join(sorted(contract.operations))})"
            )
    return problems
