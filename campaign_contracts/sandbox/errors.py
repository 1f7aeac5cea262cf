"""Errors the sandbox answers with: HTTP-level ones, and the backends' HTTP-free ones."""

from __future__ import annotations

from campaign_contracts.registry import engage_error_body


class ApiError(Exception):
    """Answer `status` with the vendor's error body carrying `message`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# Engage's error body, which the control plane and unknown paths answer too.
error_body = engage_error_body


class StateError(Exception):
    """A backend refused a change; each vendor maps the kinds below to its own status code."""


class UnknownCampaign(StateError):
    """No campaign of this tenant has that id (another tenant's campaigns look the same)."""


class InvalidTransition(StateError):
    """The campaign's status does not allow the requested step."""


class InvalidCampaign(StateError):
    """The campaign breaks a business rule that the schema cannot express."""


class LimitReached(StateError):
    """A sandbox limit (not the vendor's): answered as the vendor's 500, saying which limit."""
