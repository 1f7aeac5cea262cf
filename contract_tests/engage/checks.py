"""Engage's own Schemathesis checks (schemathesis.toml enables each on one operation)."""

from __future__ import annotations

from functools import cache
from http import HTTPStatus

import schemathesis
from schemathesis import CheckContext, Response
from schemathesis.checks import not_a_server_error

from contract_tests.adapter import positive_data_acceptance
from contract_tests.apis import APIS
from contract_tests.safety import AnyCase


@cache
def draft_run_message() -> str:
    """The message of the documented 500 for running a draft, as the Engage document prints it."""
    response = APIS["engage"].load().operations["campaignAction"].responses["500"]
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
    drafts is a business rule, checked by `contract_tests.engage.rules` ("a published campaign
    runs").
    """
    if is_documented_draft_run(response, case):
        return True
    return not_a_server_error(ctx, response, case)


# The documented (assumed) 422 of a get with neither `id` nor `name`.
NEITHER_ID_NOR_NAME = "/paths/~1_rest~1v2~1campaigns~1/get/responses/422"


def assumed(operation_id: str, case: AnyCase) -> tuple[str, ...]:
    """A get with neither `id` nor `name` is documented to answer the assumed 422: whatever a
    check finds wrong with another answer contradicts that assumption."""
    query = case.query or {}
    if operation_id == "getCampaign" and "id" not in query and "name" not in query:
        return (NEITHER_ID_NOR_NAME,)
    return ()


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
