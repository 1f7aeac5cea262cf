"""Custom Schemathesis checks. Importing this module registers them (`@schemathesis.check`).

`not_a_sandbox_failure` runs on every operation. Each other one replaces one built-in check on
one operation (schemathesis.toml enables it there), lets through exactly one documented answer
that OpenAPI cannot express, and defers to the built-in check for everything else.
"""

from __future__ import annotations

from functools import cache
from http import HTTPStatus

import schemathesis
from schemathesis import CheckContext, Response
from schemathesis.checks import not_a_server_error

from campaign_contracts.sandbox.operations import SANDBOX_ERROR_HEADER
from contract_tests.adapter import CustomFailure, positive_data_acceptance
from contract_tests.apis import ENGAGE
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


@cache
def draft_run_message() -> str:
    """The message of the documented 500 for running a draft, as the Engage document prints it."""
    response = ENGAGE.load().operations["campaignAction"].responses["500"]
    assert response.json is not None, "engage.yaml documents it"
    message: str = response.json.examples["vendorDocs"]["message"]
    return message


def is_documented_draft_run(response: Response, case: AnyCase) -> bool:
    if response.status_code != HTTPStatus.INTERNAL_SERVER_ERROR or not isinstance(case.body, dict):
        return False
    if case.body.get("action") != "run":
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get("message") == draft_run_message()


@schemathesis.check
def not_a_server_error_except_draft_run(
    ctx: CheckContext, response: Response, case: AnyCase
) -> bool | None:
    """`not_a_server_error`, but the documented 500 for running a draft campaign is an answer.

    Only `{"action": "run"}` answered 500 with the documented message passes; any other 5xx,
    publish's included, fails as the built-in check fails it. That the 500 comes only for
    drafts is a business rule, checked by `contract_tests.rules` ("a published campaign runs").
    """
    if is_documented_draft_run(response, case):
        return True
    return not_a_server_error(ctx, response, case)


def names_neither_id_nor_name(response: Response, case: AnyCase) -> bool:
    query = case.query or {}
    unprocessable = response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    return unprocessable and "id" not in query and "name" not in query


@schemathesis.check
def positive_data_acceptance_except_missing_selector(
    ctx: CheckContext, response: Response, case: AnyCase
) -> bool | None:
    """`positive_data_acceptance` for Engage `getCampaign`, where `id` and `name` are both
    optional in the schema but one of them is required (OpenAPI cannot say "one of these two
    query parameters"): a 422 for a query with neither is the documented answer."""
    if names_neither_id_nor_name(response, case):
        return True
    return positive_data_acceptance(ctx, response, case)


def names_channel_without_settings(response: Response, case: AnyCase) -> bool:
    body = case.body
    if response.status_code != HTTPStatus.UNPROCESSABLE_ENTITY or not isinstance(body, dict):
        return False
    channels, settings = body.get("channel"), body.get("settings")
    return (
        isinstance(channels, list)
        and isinstance(settings, dict)
        and any(channel not in settings for channel in channels)
    )


@schemathesis.check
def positive_data_acceptance_except_channel_without_settings(
    ctx: CheckContext, response: Response, case: AnyCase
) -> bool | None:
    """`positive_data_acceptance` for IntelSend `createCampaign`, where each channel named in
    `channel` needs its entry in `settings` (a cross-field rule the schema cannot express): a
    422 for a body that names a channel without settings is the documented answer."""
    if names_channel_without_settings(response, case):
        return True
    return positive_data_acceptance(ctx, response, case)
