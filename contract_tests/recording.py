"""Every exchange of a contract run, recorded in `reports/contract/<api>.har`, sanitized.

The writer and the sanitizer are the proxy's (`campaign_contracts.recording`), so a live run's
recording and a proxy's read alike and give a credential the same placeholder. Schemathesis's
own HAR report is not used: it masks credentials in headers only, as `[Filtered]`, and leaves
bodies as they were, where a sign-in's password and token travel.

Two hooks catch everything the run sends, each try of it: a live run's weather
(contract_tests.weather) sends a request again after a 429 or a dropped connection, and the
recording is evidence of what the vendor did, so each 429 waited out and each try that got
no answer (`response.status` 0, the reason in the entry's `comment`, as HAR tools write a
failed request) is an entry of its own, in the order sent, before the answer that counted.

- the run's own calls (the probe, the business rules, coverage, the cleanup) go through
  `ApiSession`'s httpx client, whose transport `RunRecording.transport` is: the weather's,
  around `RecordingTransport`, around what sends;
- Schemathesis sends with `requests` sessions it creates itself, in several places (the
  engine's cases and stateful steps, checks that send a control request, authentication
  inference, its capability probes), of which only some call its hooks. All of them call
  `requests.Session.send`, which the weather wraps, and that asks `Session.get_adapter`
  for the adapter that sends each try (the in-process ASGI app's too): while a run lasts,
  `get_adapter` hands out that adapter wrapped in a `RecordingAdapter`. This is the one
  reach into a library's internals here, tested by the live run through the proxy
  (`tests/proxy/test_contract_recording.py`), whose recording must hold the same exchanges.

Each entry says what produced it (`_origin`, campaign_contracts.recording.origins), so that
evidence learns from each only what it can teach. Schemathesis's cases are told apart by the
`X-Schemathesis-TestCaseId` header each request carries: a `before_call` hook notes each
case's origin as it is sent (a documented example, or a positive or negative case, from
`case.meta`); a request of Schemathesis whose case was never sent that way is one a check
derived to be refused (no credentials, an undeclared method): negative. The run's own calls
say theirs with `origin(...)` around them (a rule's steps, the probes, the cleanup, a
sign-in). A request sent again (the weather's retries, a new sign-in after a 401) is the same
request object again: each try after the first has `_try`.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import requests
import schemathesis
from requests.adapters import BaseAdapter
from schemathesis import Case, GenerationMode, HookContext

from campaign_contracts.recording.har import HarWriter
from campaign_contracts.recording.origins import Origin
from campaign_contracts.recording.sanitize import CapturedExchange, Sanitizer
from contract_tests.weather import Weather, WeatherTransport

HTTP_VERSIONS = {10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}
# The header Schemathesis sends each case's id in, and the one its capability probes carry.
CASE_HEADER = "x-schemathesis-testcaseid"
PROBE_HEADER = "x-schemathesis-probe"
EXAMPLES_PHASE = "examples"

# The recordings of the runs under way.
_writers: list[HarWriter] = []
_lock = threading.Lock()
# What the run's own calls in progress are (None: not one of the run's own).
_origin: ContextVar[Origin | None] = ContextVar("recorded_origin", default=None)
# Schemathesis's case id -> its origin, noted as each case is sent, for the run's duration.
_cases: dict[str, Origin] = {}
# Each request object sent -> how many times it has been, to tell a retry by.
_tries: weakref.WeakKeyDictionary[object, int] = weakref.WeakKeyDictionary()


@contextmanager
def origin(kind: Origin) -> Iterator[None]:
    """Record the exchanges of the run's own calls made in the block as `kind` (an inner
    block wins: a sign-in inside a rule is a sign-in)."""
    token = _origin.set(kind)
    try:
        yield
    finally:
        _origin.reset(token)


def case_origin(case: Case[Any]) -> Origin:
    """A Schemathesis case's origin: negative when any part of it was generated so, a
    documented example in the examples phase, else positive."""
    meta = case.meta
    if meta is None:
        return Origin.POSITIVE
    modes = [meta.generation.mode, *(part.mode for part in meta.components.values())]
    if GenerationMode.NEGATIVE in modes:
        return Origin.NEGATIVE
    return Origin.EXAMPLE if meta.phase.name == EXAMPLES_PHASE else Origin.POSITIVE


def _note_case(context: HookContext, case: Case[Any], kwargs: dict[str, Any]) -> None:
    with _lock:
        if _writers:
            _cases[case.id] = case_origin(case)


def _try_of(request: object) -> int:
    with _lock:
        attempt = _tries[request] = _tries.get(request, 0) + 1
    return attempt


def _requests_origin(headers: Mapping[str, str | bytes]) -> Origin:
    """The origin of a request Schemathesis sent, by its headers."""
    own = _origin.get()
    if own is not None:
        return own
    lowered = {name.lower(): str(value) for name, value in headers.items()}
    case_id = lowered.get(CASE_HEADER)
    if case_id is None:
        return Origin.PROBE if PROBE_HEADER in lowered else Origin.NEGATIVE
    with _lock:
        return _cases.get(case_id, Origin.NEGATIVE)


def har_path(report_dir: Path, api: str) -> Path:
    return report_dir / f"{api}.har"


def forget_stale(report_dir: Path, apis: Iterable[str]) -> None:
    """Remove the recordings of `apis`, left by an earlier run, that this run will not write."""
    for api in apis:
        har_path(report_dir, api).unlink(missing_ok=True)


def writer_for(api: str, report_dir: Path, auth_headers: Mapping[str, str]) -> HarWriter:
    """The run's writer of `api`: its credentials known from the start, so that an echo of one
    before it is first sent is replaced too."""
    sanitizer = Sanitizer(api)
    sanitizer.learn_headers(list(auth_headers.items()))
    writer = HarWriter(report_dir, api, sanitizer)
    writer.start()
    return writer


def _text(body: Any) -> bytes | None:
    if body is None:
        return None
    if isinstance(body, str):
        return body.encode("utf-8")
    if isinstance(body, bytes):
        return body
    return None  # a stream or a file: not read twice


class RecordingTransport(httpx.BaseTransport):
    """An httpx transport that records each exchange of the one it wraps."""

    def __init__(self, writer: HarWriter, inner: httpx.BaseTransport | None = None) -> None:
        self.writer = writer
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        started, clock = time.time(), time.perf_counter()
        sent = CapturedExchange(
            started=started,
            method=request.method,
            url=str(request.url),
            http_version="HTTP/1.1",
            request_headers=[
                (name.decode("latin-1"), value.decode("latin-1"))
                for name, value in request.headers.raw
            ],
            request_body=request.read() or None,
            status=0,
            response_headers=(),
            response_body=None,
            elapsed_ms=0.0,
            origin=_origin.get() or Origin.APPLICATION,
            attempt=_try_of(request),
        )
        try:
            response = self.inner.handle_request(request)
            raw = b"".join(response.iter_raw())
            response.close()
        except httpx.HTTPError as error:
            self._write(sent, clock, comment=f"no answer: {type(error).__name__}: {error}")
            raise
        self._write(
            sent,
            clock,
            status=response.status_code,
            http_version=response.http_version,
            response_headers=[
                (name.decode("latin-1"), value.decode("latin-1"))
                for name, value in response.headers.raw
            ],
            # Decoded as the client will decode it (Content-Encoding undone).
            response_body=httpx.Response(200, headers=response.headers, content=raw).content,
        )
        # Unread, as a transport answers: the client reads it, and times it, itself.
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(raw),
            extensions=response.extensions,
        )

    def _write(self, sent: CapturedExchange, clock: float, **answer: Any) -> None:
        elapsed_ms = (time.perf_counter() - clock) * 1000
        self.writer.write(replace(sent, elapsed_ms=elapsed_ms, **answer))

    def close(self) -> None:
        self.inner.close()


_original_get_adapter = requests.Session.get_adapter
_hook_registered = False


def _response_headers(response: requests.Response) -> list[tuple[str, str]]:
    # urllib3's headers keep a repeated header (Set-Cookie) as separate lines; requests'
    # own join them with commas.
    lines = getattr(getattr(response.raw, "headers", None), "iteritems", None)
    pairs = lines() if callable(lines) else response.headers.items()
    return [(str(name), str(value)) for name, value in pairs]


def _write_all(exchange: CapturedExchange, clock: float) -> None:
    with _lock:
        writers = list(_writers)
    exchange = replace(exchange, elapsed_ms=(time.perf_counter() - clock) * 1000)
    for writer in writers:
        writer.write(exchange)


class RecordingAdapter(BaseAdapter):
    """A `requests` adapter that records each exchange of the one it wraps, in every
    recording of the runs under way."""

    def __init__(self, inner: BaseAdapter) -> None:
        super().__init__()
        self.inner = inner

    def send(  # type: ignore[override]  # requests' own adapters take these as keywords
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        started, clock = time.time(), time.perf_counter()
        sent = CapturedExchange(
            started=started,
            method=str(request.method),
            url=str(request.url),
            http_version="HTTP/1.1",
            request_headers=[(str(name), str(value)) for name, value in request.headers.items()],
            request_body=_text(request.body),
            status=0,
            response_headers=(),
            response_body=None,
            elapsed_ms=0.0,
            origin=_requests_origin(request.headers),
            attempt=_try_of(request),
        )
        try:
            response = self.inner.send(request, **kwargs)
            # Read now (Schemathesis streams), so the recording has the body it checks.
            content = response.content
        except requests.RequestException as error:
            _write_all(replace(sent, comment=f"no answer: {type(error).__name__}: {error}"), clock)
            raise
        version = getattr(response.raw, "version", 11)
        answer = replace(
            sent,
            status=response.status_code,
            http_version=HTTP_VERSIONS.get(version, "HTTP/1.1"),
            response_headers=_response_headers(response),
            response_body=content,
        )
        _write_all(answer, clock)
        return response

    def close(self) -> None:
        self.inner.close()


def _recording_get_adapter(session: requests.Session, url: str) -> BaseAdapter:
    return RecordingAdapter(_original_get_adapter(session, url))


def _install(writer: HarWriter) -> None:
    global _hook_registered  # noqa: PLW0603 - `before_call` is a global hook: registered once
    with _lock:
        if not _hook_registered:
            schemathesis.hook("before_call")(_note_case)
            _hook_registered = True
        if not _writers:
            requests.Session.get_adapter = _recording_get_adapter  # type: ignore[method-assign,assignment]
        _writers.append(writer)


def _uninstall(writer: HarWriter) -> None:
    with _lock:
        _writers.remove(writer)
        if not _writers:
            requests.Session.get_adapter = _original_get_adapter  # type: ignore[method-assign]
            _cases.clear()


class RunRecording:
    """Records one API's run in `<report_dir>/<api>.har` from creation to `close()`: every
    `requests` exchange (Schemathesis's), and those of the httpx client given `transport`."""

    def __init__(
        self,
        api: str,
        report_dir: Path,
        auth_headers: Mapping[str, str],
        inner: httpx.BaseTransport | None = None,
        weather: Weather | None = None,
    ) -> None:
        self.writer = writer_for(api, report_dir, auth_headers)
        # `inner`: what actually sends; `weather`, around the recording, so that each try it
        # makes is recorded.
        recorded = RecordingTransport(self.writer, inner)
        self.transport: httpx.BaseTransport = (
            recorded if weather is None else WeatherTransport(weather, recorded)
        )
        _install(self.writer)

    def close(self) -> None:
        _uninstall(self.writer)
        self.writer.close()
