"""The HTTP-level error of the sandbox and the proxy alike: answer a status with a message."""

from __future__ import annotations


class ApiError(Exception):
    """Answer `status` with the API's error body carrying `message`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
