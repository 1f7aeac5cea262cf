"""The backends' HTTP-free errors, and the error body of the sandbox's own answers."""

from __future__ import annotations

from campaign_contracts.registry import message_and_status

# What the control plane and unknown paths answer errors with.
error_body = message_and_status


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
