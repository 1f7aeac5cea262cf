"""Custom Schemathesis checks. Importing this module registers them (`@schemathesis.check`).

`not_a_sandbox_failure` runs on every operation. Each API's own checks live in its folder
(`contract_tests/<api>/checks.py`, registered through `contract_tests.vendors`): each replaces
one built-in check on one operation (schemathesis.toml enables it there), lets through exactly
one documented answer that OpenAPI cannot express, and defers to the built-in check for
everything else.
"""

from __future__ import annotations

import schemathesis
from schemathesis import CheckContext, Response

from campaign_contracts.sandbox.operations import SANDBOX_ERROR_HEADER
from contract_tests.adapter import CustomFailure
from contract_tests.safety import AnyCase

SANDBOX_FAILURE = "sandbox failure"


@schemathesis.check
def not_a_sandbox_failure(ctx: CheckContext, response: Response, case: AnyCase) -> bool | None:
    """Fails every answer the sandbox marks as its own failure (`X-Sandbox-Error`), whatever
    else it looks like: a sandbox bug must never pass for a documented answer of the vendor."""
    kind = response.headers.get(SANDBOX_ERROR_HEADER.lower())
    if kind is None:
        return None
    message = f"HTTP {response.status_code} with {SANDBOX_ERROR_HEADER}: {kind[0]}"
    raise CustomFailure(
        operation=case.operation.label,
        title=SANDBOX_FAILURE,
        message=message,
        exception=AssertionError(message),
    )
