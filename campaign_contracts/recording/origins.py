"""What produced a recorded exchange: its origin, one word in the HAR entry's `_origin` field.

HAR 1.2 allows custom fields whose names start with an underscore; tools that do not know
them ignore them. Every entry the contract suite writes has an `_origin`, every entry the
proxy writes `application`; a HAR without the field (a browser's) is read as application
traffic. A try sent again (after a 429 waited out, a dropped connection, or a 401 that a
new sign-in answered) is a retry: its entry has `_try`, 2 for the second try, and the origin
of the request it repeats.
"""

from __future__ import annotations

from enum import StrEnum

ORIGIN_FIELD = "_origin"
TRY_FIELD = "_try"
# Marks an answer the sandbox's fault control injected (campaign_contracts.sandbox): what
# produced it is a test's wish, not how the API behaves, so evidence and parity learn nothing
# from it.
SANDBOX_FAULT_HEADER = "X-Sandbox-Fault"


class Origin(StrEnum):
    APPLICATION = "application"  # a team's code, through the proxy, or an unmarked recording
    EXAMPLE = "example"  # a documented example, sent as it stands
    POSITIVE = "positive"  # a generated request the document allows
    NEGATIVE = "negative"  # deliberately invalid, or an undeclared method
    RULE = "rule"  # a step of a business rule
    PROBE = "probe"  # the run's own probes: credentials, injected faults, capabilities
    SIGN_IN = "sign-in"  # a sign-in for a token
    CLEANUP = "cleanup"  # removing what the run created


def origin_of(value: object) -> Origin:
    """The origin a HAR entry's `_origin` names; application for none or an unknown word."""
    try:
        return Origin(str(value)) if value is not None else Origin.APPLICATION
    except ValueError:
        return Origin.APPLICATION
