"""What the SDK layer's clients share, sync and async alike: no I/O here.

Answers become results or typed errors (`errors`), and the retry policy decides which
failures are retried and after how long. The retries themselves are stamina's: exponential
backoff with jitter and bounded attempts by default, one API for sync and async code, and a
backoff hook (`retry_hook`) that may return the wait itself, which is how `Retry-After` is
honoured. A transport-level retrier (httpx-retries) decides by HTTP method, while this layer
decides per operation and per call (`retry=True` opts a create or a send in).

The clients themselves are written once, async, in `_async/`; `_sync/` is the same code with
`async` and `await` taken out (unasync, at generation time).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from collections.abc import Callable, Mapping
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx

from .errors import (
    ApiError,
    ConflictError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnauthorizedError,
    ValidationError,
)

T = TypeVar("T")

DEFAULT_MAX_RETRIES = 2
DEFAULT_TIMEOUT = 30.0
# Worth another try: the API is busy or a proxy could not reach it. Any other error status
# would answer the same again.
RETRY_STATUSES = frozenset({429, 502, 503, 504})
# A Retry-After longer than this is not waited for: the error goes to the caller, who may
# have better things to do than sleep (it carries `retry_after`).
MAX_RETRY_AFTER = 60.0
# stamina's exponential backoff with jitter: min(WAIT_MAX, WAIT_INITIAL * 2**(n - 1) + jitter).
WAIT_INITIAL = 0.2
WAIT_MAX = 10.0
WAIT_JITTER = 0.5

SERVER_ERRORS = 500  # and above
ERROR_CLASSES: Mapping[int, type[ApiError]] = {
    400: ValidationError,
    401: UnauthorizedError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitError,
}


# What the generated models' from_dict raise for data of another shape.
PARSE_ERRORS = (KeyError, TypeError, ValueError, AttributeError)


def retry_after(response: httpx.Response) -> float | None:
    """The seconds a `Retry-After` header asks to wait (a number or an HTTP date), or None."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def retry_hook(error: Exception) -> bool | float:
    """stamina's backoff hook: retry connection failures and RETRY_STATUSES, honouring
    `Retry-After` (a float is the wait to use instead of the backoff)."""
    if isinstance(error, httpx.TransportError):
        return True
    if not isinstance(error, ApiError) or error.status not in RETRY_STATUSES:
        return False
    if error.retry_after is None:
        return True
    return error.retry_after if error.retry_after <= MAX_RETRY_AFTER else False


def _decode(response: httpx.Response) -> Any:
    """The JSON body; ApiError (never a JSONDecodeError) when it is not JSON."""
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        content_type = response.headers.get("Content-Type", "no Content-Type")
        raise error_for(response, f"the answer is not JSON ({content_type})") from None


def error_for(response: httpx.Response, message: str, body: Any = None) -> ApiError:
    """The typed error of an answer with this status code."""
    status = response.status_code
    cls = ERROR_CLASSES.get(status, ServerError if status >= SERVER_ERRORS else ApiError)
    return cls(message, response=response, body=body, retry_after=retry_after(response))


def check(response: httpx.Response, error_model: Callable[[Mapping[str, Any]], Any]) -> None:
    """Raise the typed error of an answer that is not a success (2xx)."""
    if response.is_success:
        return
    try:
        data = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        reason = response.reason_phrase or "error"
        raise error_for(response, f"{reason} (the answer is not JSON)") from None
    # `message` in both APIs' error bodies; `error` in Engage's sign-in answers.
    message = (data.get("message") or data.get("error")) if isinstance(data, dict) else None
    body: Any = data
    # Not the documented error shape: the decoded JSON stays the body.
    with contextlib.suppress(*PARSE_ERRORS):
        body = error_model(data)
    text = message if isinstance(message, str) else response.reason_phrase
    raise error_for(response, text, body)


def parse(response: httpx.Response, parser: Callable[[Any], T]) -> T:
    """The success body as `parser` reads it; ApiError when it is not what the document says."""
    data = _decode(response)
    try:
        return parser(data)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        problem = f"{type(error).__name__}: {error}"
        raise error_for(response, f"the answer does not match the document ({problem})", data) from None


def from_environment(name: str, default: str | None = None) -> str:
    """An environment variable, or its default; a clear ValueError when neither is there."""
    value = optional_environment(name) or default
    if not value:
        raise ValueError(f"{name} is not set")
    return value


def optional_environment(name: str) -> str | None:
    """An environment variable, None when unset or empty."""
    return os.environ.get(name) or None


def request_url(base_url: str, path: str) -> str:
    return base_url.rstrip("/") + path
