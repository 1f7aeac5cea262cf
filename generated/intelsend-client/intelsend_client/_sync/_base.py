"""The HTTP loop every client of this package shares: credentials, timeout and retries."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx
import stamina

from .. import _sdk
from ..errors import UnauthorizedError

T = TypeVar("T")


class BaseClient:
    """Sends the requests the generated `api` modules describe (their `_get_kwargs`).

    `max_retries` more tries of an idempotent call (or of any call given `retry=True`) on a
    connection error, 429, 502, 503 or 504, after stamina's exponential backoff with jitter or
    the `Retry-After` the answer asks for; `timeout` seconds for each try. `http_client`: an
    httpx client of your own (proxies, certificates, transports); closing it is then yours.
    """

    _error_model: Callable[[Mapping[str, Any]], Any]

    def __init__(
        self,
        *,
        base_url: str,
        headers: Mapping[str, str],
        max_retries: int,
        timeout: float,
        http_client: httpx.Client | None,
    ) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries must be 0 or more, not {max_retries}")
        self.base_url = base_url
        self.max_retries = max_retries
        self.timeout = timeout
        self._headers = dict(headers)
        self._http = http_client or httpx.Client()
        self._owns_http = http_client is None

    def _sign_in_again(self) -> bool:
        """Renew the credentials after a 401; True when there are new ones to try."""
        return False

    def _send(self, request: Mapping[str, Any], *, retry: bool) -> httpx.Response:
        """The successful answer to `request`, after retries; an ApiError otherwise."""
        try:
            return self._send_with_retries(request, retry=retry)
        except UnauthorizedError:
            # A 401 means the request was refused, not done: repeating it is safe.
            if not self._sign_in_again():
                raise
        return self._send_with_retries(request, retry=retry)

    def _send_with_retries(
        self,
        request: Mapping[str, Any],
        *,
        retry: bool,
        base_url: str | None = None,
        credentials: bool = True,
    ) -> httpx.Response:
        """One request, retried as the policy says. For an operation served elsewhere that
        needs no credentials (Engage's sign-in): its `base_url`, and `credentials=False`."""
        arguments = dict(request)
        url = _sdk.request_url(base_url or self.base_url, arguments.pop("url"))
        headers = {**(self._headers if credentials else {}), **arguments.pop("headers", {})}
        for attempt in stamina.retry_context(
            on=_sdk.retry_hook,
            attempts=self.max_retries + 1 if retry else 1,
            timeout=None,  # each try has `timeout`; the number of tries bounds the rest
            wait_initial=_sdk.WAIT_INITIAL,
            wait_max=_sdk.WAIT_MAX,
            wait_jitter=_sdk.WAIT_JITTER,
        ):
            with attempt:
                response = self._http.request(url=url, headers=headers, timeout=self.timeout, **arguments)
                _sdk.check(response, type(self)._error_model)
                return response
        raise AssertionError("unreachable: stamina re-raises the last failure")

    def _call(self, request: Mapping[str, Any], parser: Callable[[Any], T], *, retry: bool) -> T:
        return _sdk.parse(self._send(request, retry=retry), parser)

    def close(self) -> None:
        """Close the HTTP connections (unless the httpx client was given)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
