"""Errors of this package.

`UnexpectedStatus` is openapi-python-client's, raised by the generated `api` functions. The
rest belong to the SDK layer (`EngageClient`, `IntelSendClient` and their async twins): every
answer that is not a success raises an `ApiError`, typed by its status code, and so does a
success whose body does not parse as the document says.
"""

from __future__ import annotations

from typing import Any

import httpx


class UnexpectedStatus(Exception):
    """Raised by the api functions for an undocumented status code when the client has
    `raise_on_unexpected_status=True` (openapi-python-client's, as it generates it)."""

    def __init__(self, status_code: int, content: bytes):
        self.status_code = status_code
        self.content = content
        text = content.decode(errors="ignore")
        super().__init__(f"Unexpected status code: {status_code}\n\nResponse content:\n{text}")


class ApiError(Exception):
    """An answer the SDK cannot return: an error status, or a body that does not parse.

    `status` is the HTTP status code, `message` the API's own message when its body has one
    (else what went wrong), `body` the parsed body (the API's `Error` model when the body has
    that shape, else the decoded JSON, else `None` when it is not JSON), `response` the
    `httpx.Response` itself, and `retry_after` the seconds its `Retry-After` header asked to
    wait (`None` without one).
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response,
        body: Any = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(f"{response.status_code}: {message}")
        self.status = response.status_code
        self.message = message
        self.body = body
        self.response = response
        self.retry_after = retry_after


class ValidationError(ApiError):
    """400 or 422: the API refused the request as malformed."""


class UnauthorizedError(ApiError):
    """401: credentials missing, invalid or expired."""


class NotFoundError(ApiError):
    """404: no such campaign (for this tenant)."""


class ConflictError(ApiError):
    """409: the call is out of order (IntelSend's create → build → send)."""


class RateLimitError(ApiError):
    """429: too many requests; `retry_after` says how long to wait, when the API said."""


class ServerError(ApiError):
    """5xx: the API failed."""


__all__ = [
    "ApiError",
    "ConflictError",
    "NotFoundError",
    "RateLimitError",
    "ServerError",
    "UnauthorizedError",
    "UnexpectedStatus",
    "ValidationError",
]
