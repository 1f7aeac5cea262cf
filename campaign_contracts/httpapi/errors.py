"""The HTTP-level error of the sandbox and the proxy alike: answer a status with a message."""

from __future__ import annotations

# Marks an answer the sandbox's fault control injected: a test's wish, not how the API
# behaves, so evidence and parity learn nothing from it (campaign_contracts.recording.reader).
SANDBOX_FAULT_HEADER = "X-Sandbox-Fault"


class ApiError(Exception):
    """Answer `status` with the API's error body carrying `message`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
