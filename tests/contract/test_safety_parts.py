"""The safety parts one at a time: the redactor, the request guard, cleanup and the rules when
the target misbehaves (a real stand-in server on loopback, or none at all)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from schemathesis import BaseSchema

from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.serving import serve_in_thread
from contract_tests.apis import APIS, ContractApi
from contract_tests.cleanup import clean_up
from contract_tests.cli import SANDBOX_CREDENTIALS
from contract_tests.reports import REDACTED, Redactor
from contract_tests.rules import Needs, RuleContext, run_rules
from contract_tests.safety import Policy, RunGuard, UnsafeRequestBlocked
from contract_tests.session import ApiSession
from contract_tests.vendors import rules_of
from tests.support.stand_in_vendor import Exchange, Tamper

ENGAGE, INTELSEND = APIS["engage"], APIS["intelsend"]
PREFIX = "contract-test-unit-"


@pytest.mark.parametrize(
    ("secret", "text", "expected"),
    [
        ("tok-12345", "Authorization: tok-12345", f"Authorization: {REDACTED}"),
        ("tok-12345", "id=xtok-12345y", f"id=x{REDACTED}y"),  # long: wherever it occurs
        ("a&b<c", "<v>a&amp;b&lt;c</v>", f"<v>{REDACTED}</v>"),  # as escaped in XML
        ("a b/c", "?q=a%20b%2Fc", f"?q={REDACTED}"),  # as percent-encoded in a URL
        ("42", "x-user-id: 42", f"x-user-id: {REDACTED}"),  # short: masked where alone
        ("42", "HTTP 429 after 1420 ms", "HTTP 429 after 1420 ms"),  # but not inside others
    ],
)
def test_the_redactor_masks_every_form_of_a_secret(secret: str, text: str, expected: str) -> None:
    assert Redactor([secret, ""])(text) == expected


def guard_and_schema(api: ContractApi, policy: Policy) -> tuple[RunGuard, BaseSchema]:
    return RunGuard(api, policy), schemathesis.openapi.from_dict(api.load_spec())


def live_policy(*, allow_writes: bool, allow_send: bool) -> Policy:
    return Policy(allow_writes, allow_send, protect_foreign_campaigns=True, name_prefix=PREFIX)


def test_the_guard_refuses_a_write_in_a_read_only_run() -> None:
    guard, schema = guard_and_schema(ENGAGE, live_policy(allow_writes=False, allow_send=False))
    create = schema["/_rest/v2/campaigns"]["POST"].Case(body={}, media_type="application/json")

    with pytest.raises(UnsafeRequestBlocked, match="a read-only run sends no writes"):
        guard.before_call(create)


@pytest.mark.parametrize(
    ("api", "path", "method", "body"),
    [
        (ENGAGE, "/_rest/v2/campaigns/{id}/action", "POST", {"action": "run"}),
        (INTELSEND, "/api/campaign/{id}/send", "PUT", None),
    ],
)
def test_the_guard_refuses_a_send_without_allow_send(
    api: ContractApi, path: str, method: str, body: Any
) -> None:
    guard, schema = guard_and_schema(api, live_policy(allow_writes=True, allow_send=False))
    operation = schema[path][method]
    send = (
        operation.Case(path_parameters={"id": "abc"})
        if body is None
        else operation.Case(path_parameters={"id": "abc"}, body=body, media_type="application/json")
    )

    with pytest.raises(UnsafeRequestBlocked, match="sends need --allow-send"):
        guard.before_call(send)


def test_a_live_create_without_a_name_is_named_with_the_prefix() -> None:
    guard, schema = guard_and_schema(ENGAGE, live_policy(allow_writes=True, allow_send=False))
    operation = schema["/_rest/v2/campaigns"]["POST"]
    unnamed = operation.Case(body={"flowId": "f"}, media_type="application/json")
    named = operation.Case(body={"campaignName": "x"}, media_type="application/json")

    guard.before_call(unnamed)
    guard.before_call(named)

    assert unnamed.body == {"flowId": "f", "campaignName": f"{PREFIX}unnamed"}
    assert named.body == {"campaignName": f"{PREFIX}x"}


def session_to(base_url: str, api: ContractApi = ENGAGE) -> ApiSession:
    return ApiSession(api, api.load_spec(), base_url, SANDBOX_CREDENTIALS, None)


def failing_deletes(exchange: Exchange) -> None:
    if exchange.method == "DELETE":
        exchange.answer(500, {"message": "try later", "status": 500})


@pytest.fixture
def engage_with_failing_deletes() -> Iterator[str]:
    with serve_in_thread(Tamper(create_app(), rewrite=failing_deletes)) as base_url:
        yield base_url


def test_cleanup_reports_each_delete_that_fails(engage_with_failing_deletes: str) -> None:
    session = session_to(engage_with_failing_deletes)
    created = session.request("createCampaign", body={"campaignName": f"{PREFIX}a"}).json()

    report = clean_up(session, {created["_id"]}, PREFIX)

    assert report.deleted == []
    assert report.errors == [f"cleanup: delete {created['_id']} answered 500"]
    assert report.describe(ENGAGE) == (
        "[engage] cleanup: 0 campaigns deleted, 0 already gone, 1 errors (below)"
    )


def test_cleanup_counts_campaigns_already_deleted_apart() -> None:
    with serve_in_thread(create_app()) as base_url:
        session = session_to(base_url)
        kept = session.request("createCampaign", body={"campaignName": f"{PREFIX}a"}).json()
        gone = session.request("createCampaign", body={"campaignName": "b"}).json()
        session.request("deleteCampaign", path={"id": gone["_id"]})

        report = clean_up(session, {kept["_id"], gone["_id"]}, PREFIX)

    assert (report.deleted, report.already_gone, report.errors) == (
        [kept["_id"]],
        [gone["_id"]],
        [],
    )


def test_rules_that_cannot_reach_the_target_are_errors_not_a_crash() -> None:
    with serve_in_thread(create_app()) as base_url:
        pass  # nothing listens there any more
    context = RuleContext(session_to(base_url, INTELSEND), PREFIX, set(), may_write=False)

    results = list(run_rules(rules_of("intelsend"), context, Needs.READ))

    assert results
    assert all(result.error and "ConnectError" in result.error for result in results)
    assert not any(result.failure for result in results)
