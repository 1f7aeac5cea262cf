"""Weather is no finding: a live vendor's rate limits, slow answers and dropped connections.

A real vendor answers 429 with `Retry-After` when the run goes faster than it allows, and now
and then drops a connection or answers too late. None of that breaks a contract, so in live
mode every request of the run passes through `Weather.send`, which absorbs it before any
answer reaches Schemathesis's checks or a business rule:

- a 429 is waited out as its `Retry-After` says (capped by `--max-retry-after`, 60 s by
  default), then the request goes again, whatever its method: a 429 means it was not done;
- a dropped connection or a timeout (`--request-timeout`, 30 s) on a GET is retried once; on
  any other method it stands, since the write may have happened;
- what is still failing after that is a transport error: the run ends "not verified" (exit 2),
  never "broken".

The retries are stamina's (the generated SDKs' retry library too), whose backoff hook can
return the wait to use, which is what `Retry-After` needs; urllib3's `Retry` could do it for
`requests` alone, not for the run's own httpx calls, and one policy in one place is the point.
(urllib3 reads the `Retry-After` value, `retry_after`.) It is applied at the two places every
request passes: an httpx transport for the run's own calls, and `requests.Session.send` for
Schemathesis, which builds its sessions itself (`patched_requests`, for the run's duration: the
one reach into a library here). Each try goes below the policy: the run's recording
(contract_tests.recording) records each 429 waited out and each dropped try as an exchange of
its own, and `Response.elapsed`, which Schemathesis checks, times the last try alone.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import httpx
import requests
import stamina
from urllib3.exceptions import InvalidHeader
from urllib3.util.retry import Retry

DEFAULT_MAX_RETRY_AFTER = 60.0
DEFAULT_REQUEST_TIMEOUT = 30.0
RATE_LIMITED = 429
# Tries of one request, the first included: at most this many 429s are waited out.
MAX_TRIES = 10
# A 429 without a usable Retry-After waits this long.
DEFAULT_WAIT = 1.0
# The one retry of a dropped or timed-out GET goes after a short, fixed pause.
TRANSPORT_WAIT = 0.1
# How the summary names each reason.
AFTER_429 = "429"
AFTER_DROP = "a dropped connection"
AFTER_TIMEOUT = "a timeout"


class Answer(Protocol):
    """What `requests` and httpx responses share, as far as weather goes."""

    @property
    def status_code(self) -> int: ...

    @property
    def headers(self) -> Any: ...

    def close(self) -> None: ...


AnswerT = TypeVar("AnswerT", bound=Answer)


class StillRateLimited(httpx.TransportError):
    """The vendor kept answering 429 through every try: a transport error, not an answer."""


class StillRateLimitedRequests(requests.exceptions.RetryError):
    """`StillRateLimited`, for Schemathesis's `requests`."""


class RateLimited(Exception):
    """A 429, to be waited out for `wait` seconds."""

    def __init__(self, wait: float) -> None:
        super().__init__(f"429, retry after {wait:g} s")
        self.wait = wait


# urllib3's reader of Retry-After: whole seconds or an HTTP date (RFC 9110), one in the past
# 0; anything else, a negative number included, InvalidHeader. It caps the wait at six hours;
# the run caps it lower (`--max-retry-after`).
_RETRY = Retry()
# Seconds with a fraction (`0.5`), which RFC 9110 does not allow and some rate limiters send,
# and negative ones, waited out as 0.
_DECIMAL = re.compile(r"\s*[+-]?(\d+\.?\d*|\.\d+)\s*")


def retry_after(value: str | None) -> float | None:
    """The seconds a `Retry-After` value asks to wait (a number or an HTTP date), never
    negative; None when there is none or it cannot be read."""
    if value is None:
        return None
    try:
        return float(_RETRY.parse_retry_after(value))
    except InvalidHeader:
        pass
    if _DECIMAL.fullmatch(value) is None:
        return None
    return max(0.0, float(value))


def transport_failure(error: Exception) -> str | None:
    """Which weather a transport error is, or None when it is not one of ours to retry."""
    if isinstance(error, (requests.Timeout, httpx.TimeoutException)):
        return AFTER_TIMEOUT
    if isinstance(error, (requests.ConnectionError, httpx.NetworkError, httpx.ProtocolError)):
        return AFTER_DROP
    return None


@dataclass
class Weather:
    """The run's weather policy for one API, and how many requests it sent again, and why."""

    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER
    retried: Counter[str] = field(default_factory=Counter)

    def send(
        self,
        method: str,
        attempt: Callable[[], AnswerT],
        still_limited: Callable[[str], Exception],
    ) -> AnswerT:
        """`attempt()`'s answer once it is no 429 and it did not drop, within the policy;
        `still_limited(message)` is raised (a transport error of the caller's library) when
        the vendor is still rate-limiting after MAX_TRIES."""
        reason: str | None = None
        retried_transport = False

        def backoff(error: Exception) -> bool | float:
            nonlocal reason, retried_transport
            if isinstance(error, RateLimited):
                reason = AFTER_429
                return error.wait
            failure = transport_failure(error)
            if failure is None or method.upper() != "GET" or retried_transport:
                return False
            reason, retried_transport = failure, True
            return TRANSPORT_WAIT

        try:
            for try_ in stamina.retry_context(on=backoff, attempts=MAX_TRIES, timeout=None):
                with try_:
                    if try_.num > 1 and reason is not None:
                        self.retried[reason] += 1
                    answer = attempt()
                    if answer.status_code == RATE_LIMITED:
                        wait = retry_after(answer.headers.get("Retry-After"))
                        answer.close()
                        wait = DEFAULT_WAIT if wait is None else wait
                        raise RateLimited(min(wait, self.max_retry_after))
                    return answer
        except RateLimited:
            raise still_limited(f"still answering 429 after {MAX_TRIES} tries") from None
        raise AssertionError("unreachable: stamina re-raises the last failure")

    def describe(self) -> str | None:
        """`12 requests retried after 429, 1 after a dropped connection`, or None."""
        if not self.retried:
            return None
        parts = [f"{count} after {reason}" for reason, count in sorted(self.retried.items())]
        return f"{sum(self.retried.values())} requests retried: " + ", ".join(parts)


class WeatherTransport(httpx.BaseTransport):
    """An httpx transport that sends through `weather` (the run's own calls)."""

    def __init__(self, weather: Weather, inner: httpx.BaseTransport | None = None) -> None:
        self.weather = weather
        self.inner = inner or httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        def attempt() -> httpx.Response:
            response = self.inner.handle_request(request)
            if response.status_code == RATE_LIMITED:
                response.read()
            return response

        def still_limited(message: str) -> Exception:
            return StillRateLimited(message, request=request)

        return self.weather.send(request.method, attempt, still_limited)

    def close(self) -> None:
        self.inner.close()


def quiet_retries() -> None:
    """No log line per retry (stamina's default): the run's summary counts them instead."""
    stamina.instrumentation.set_on_retry_hooks([])


_original_session_send = requests.Session.send


@contextmanager
def patched_requests(weather: Weather) -> Iterator[None]:
    """Send every `requests` exchange through `weather` while the block runs.

    At `Session.send`, which every request of every session passes (a redirect's each hop
    too): below it, the session's adapter sends each try, where the run records it."""

    def send(session: requests.Session, request: requests.PreparedRequest, **kwargs: Any) -> Any:
        return weather.send(
            str(request.method),
            lambda: _original_session_send(session, request, **kwargs),
            StillRateLimitedRequests,
        )

    requests.Session.send = send  # type: ignore[method-assign,assignment]
    try:
        yield
    finally:
        requests.Session.send = _original_session_send  # type: ignore[method-assign]
