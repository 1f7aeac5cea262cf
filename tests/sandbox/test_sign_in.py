"""Engage's sign-in: logins as tenants, issued tokens, their lifetime and end, over raw HTTP;
and the Retry-After of injected 429s and 503s."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import (
    DEFAULT_ENGAGE_PASSWORD,
    DEFAULT_ENGAGE_TOKEN,
    DEFAULT_ENGAGE_USERNAME,
    build_config,
)
from campaign_contracts.sandbox.serving import serve_in_thread
from tests.support.sandbox_checks import check

SIGN_IN = "/_rest/v4/authenticate"
CAMPAIGNS = "/_rest/v2/campaigns"
EXPIRE = "/_sandbox/engage/tokens/expire"
LOGIN = {"username": DEFAULT_ENGAGE_USERNAME, "password": DEFAULT_ENGAGE_PASSWORD}


def sign_in(client: httpx.Client, login: dict[str, str] = LOGIN) -> str:
    answer = check("engage", "authenticate", client.post(SIGN_IN, json=login), 200)
    token: str = answer["token"]
    return token


def as_token(token: str) -> dict[str, str]:
    return {"Authorization": token}


def test_a_login_gets_a_new_token_each_time_and_each_names_its_tenant(
    anonymous: httpx.Client,
) -> None:
    first, second = sign_in(anonymous), sign_in(anonymous)
    assert first != second
    created = anonymous.post(CAMPAIGNS, headers=as_token(first), json={})
    campaign = check("engage", "createCampaign", created, 201)
    listed = anonymous.get(CAMPAIGNS, headers=as_token(second))
    assert [c["_id"] for c in check("engage", "listCampaigns", listed, 200)] == [campaign["_id"]]
    # The login is a tenant of its own, not the static token's.
    static = anonymous.get(CAMPAIGNS, headers={"Authorization": DEFAULT_ENGAGE_TOKEN})
    assert check("engage", "listCampaigns", static, 200) == []


@pytest.mark.parametrize(
    "login",
    [
        {"username": DEFAULT_ENGAGE_USERNAME, "password": "wrong"},
        {"username": "nobody", "password": DEFAULT_ENGAGE_PASSWORD},
        {"username": DEFAULT_ENGAGE_USERNAME, "password": DEFAULT_ENGAGE_PASSWORD + "x"},
    ],
)
def test_a_refused_login_is_the_vendors_401(anonymous: httpx.Client, login: dict[str, str]) -> None:
    answer = check("engage", "authenticate", anonymous.post(SIGN_IN, json=login), 401)
    assert answer == {"code": 401, "error": "Unauthorized"}


def test_a_malformed_sign_in_answers_in_the_sign_in_shape(anonymous: httpx.Client) -> None:
    missing = anonymous.post(SIGN_IN, json={"username": DEFAULT_ENGAGE_USERNAME})
    assert check("engage", "authenticate", missing, 422)["code"] == 422
    not_json = anonymous.post(SIGN_IN, content=b"username=sandbox")
    assert check("engage", "authenticate", not_json, 400)["code"] == 400


def test_expired_tokens_answer_401_and_static_ones_stay(anonymous: httpx.Client) -> None:
    token = sign_in(anonymous)
    expired = anonymous.post(EXPIRE)
    assert expired.json() == {"expired": 1}
    refused = anonymous.get(CAMPAIGNS, headers=as_token(token))
    assert "expired" in check("engage", "listCampaigns", refused, 401)["message"]
    static = anonymous.get(CAMPAIGNS, headers={"Authorization": DEFAULT_ENGAGE_TOKEN})
    assert static.status_code == 200
    # Nothing left to end; a new sign-in works again.
    assert anonymous.post(EXPIRE).json() == {"expired": 0}
    fresh = anonymous.get(CAMPAIGNS, headers=as_token(sign_in(anonymous)))
    assert fresh.status_code == 200


def test_a_reset_forgets_the_issued_tokens(anonymous: httpx.Client) -> None:
    token = sign_in(anonymous)
    anonymous.post("/_sandbox/reset").raise_for_status()
    refused = anonymous.get(CAMPAIGNS, headers=as_token(token))
    assert check("engage", "listCampaigns", refused, 401)["message"] == (
        "Authorization token is invalid"
    )


def test_the_journal_keeps_neither_password_nor_token(anonymous: httpx.Client) -> None:
    token = sign_in(anonymous)
    journal = anonymous.get("/_sandbox/requests", params={"operationId": "authenticate"}).text
    assert "authenticate" in journal
    assert DEFAULT_ENGAGE_PASSWORD not in journal
    assert token not in journal


@pytest.fixture(scope="module")
def short_lived() -> Iterator[str]:
    """A sandbox of two logins of its own (and no defaults) whose tokens live 0.3 s."""
    config = build_config(
        engage_logins=["ana=pw-ana", "bob=pw=bob"],
        intelsend_sessions=["s=u"],
        default_credentials=False,
        engage_token_ttl=0.3,
    )
    with serve_in_thread(create_app(config)) as base_url:
        yield base_url


def test_tokens_end_after_their_lifetime_and_logins_are_apart(short_lived: str) -> None:
    with httpx.Client(base_url=short_lived, timeout=10) as client:
        ana = sign_in(client, {"username": "ana", "password": "pw-ana"})
        bob = sign_in(client, {"username": "bob", "password": "pw=bob"})
        client.post(CAMPAIGNS, headers=as_token(ana), json={}).raise_for_status()
        assert client.get(CAMPAIGNS, headers=as_token(bob)).json() == []
        # The defaults are gone with --no-default-credentials.
        refused = client.post(SIGN_IN, json=LOGIN)
        assert check("engage", "authenticate", refused, 401)["code"] == 401
        time.sleep(0.4)
        late = client.get(CAMPAIGNS, headers=as_token(ana))
        assert "expired" in check("engage", "listCampaigns", late, 401)["message"]


@pytest.mark.parametrize("status", [429, 503])
def test_a_fault_may_say_when_to_retry(anonymous: httpx.Client, status: int) -> None:
    fault = {"api": "engage", "operationId": "listCampaigns", "status": status, "retryAfter": 7}
    assert anonymous.post("/_sandbox/faults", json=fault).json()["retryAfter"] == 7
    answer = anonymous.get(CAMPAIGNS, headers={"Authorization": DEFAULT_ENGAGE_TOKEN})
    assert (answer.status_code, answer.headers.get("Retry-After")) == (status, "7")


def test_retry_after_needs_a_429_or_503(anonymous: httpx.Client) -> None:
    fault = {"api": "engage", "operationId": "listCampaigns", "status": 500, "retryAfter": 7}
    refused = anonymous.post("/_sandbox/faults", json=fault)
    assert refused.status_code == 422
    assert "429 or 503" in refused.json()["message"]
    assert anonymous.get("/_sandbox/faults").json() == []
