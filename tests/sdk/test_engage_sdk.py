"""The Engage SDK (`EngageClient`, `AsyncEngageClient`) against the sandbox."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import engage_client
import httpx
import pytest
import yaml
from engage_client.errors import (
    NotFoundError,
    ServerError,
    UnauthorizedError,
    ValidationError,
)

from campaign_contracts.sandbox.config import DEFAULT_ENGAGE_TOKEN
from tests.support.sdk import Blocking, Sandbox, engage_client_of

FLOW = "61a9a3ecf6b8387f078d52a1"


@pytest.fixture
def client(kind: str, sandbox: Sandbox) -> Iterator[Any]:
    yield from engage_client_of(kind, sandbox.base_url)


def test_create_publish_run_update_delete(client: Any) -> None:
    campaign = client.campaigns.create(campaign_name="Spring promo", flow_id=FLOW)
    assert (campaign.campaign_name, campaign.status, campaign.active) == (
        "Spring promo",
        "Draft",
        0,
    )
    with pytest.raises(ServerError) as draft_run:
        client.campaigns.run(campaign.field_id)  # Engage's documented 500 for a draft
    assert draft_run.value.body.status == 500
    assert client.campaigns.publish(campaign.field_id) is None
    assert client.campaigns.run(campaign.field_id) is None
    assert client.campaigns.get(id=campaign.field_id).last_executed != ""
    updated = client.campaigns.update(
        campaign.field_id,
        campaign_name="Spring promo (SMS)",
        flow_id="5d24c0e64886e81bb4cbf069",
        caller_identification="+13122735567",
    )
    assert (updated.campaign_id, updated.flow_type_id) == (
        campaign.field_id,
        "5d24c0e64886e81bb4cbf069",
    )
    assert client.campaigns.delete(campaign.field_id) is None
    with pytest.raises(NotFoundError) as gone:
        client.campaigns.get(id=campaign.field_id)
    assert gone.value.status == 404


def test_list_is_a_list_even_when_engage_answers_one_object(client: Any, sandbox: Sandbox) -> None:
    assert client.campaigns.list() == []
    campaign = client.campaigns.create(campaign_name="Only one")
    quirk = {"listSingleObject": True}
    httpx.put(f"{sandbox.base_url}/_sandbox/engage/quirks", json=quirk).raise_for_status()
    assert (
        httpx.get(
            f"{sandbox.base_url}/_rest/v2/campaigns",
            headers={"Authorization": DEFAULT_ENGAGE_TOKEN},
        ).json()["_id"]
        == campaign.field_id
    )
    assert [c.field_id for c in client.campaigns.list()] == [campaign.field_id]


def test_get_by_name_and_errors(client: Any, sandbox: Sandbox) -> None:
    campaign = client.campaigns.create(campaign_name="Autumn sale")
    assert client.campaigns.get(name="autumn").field_id == campaign.field_id
    assert client.campaigns.errors() == []
    httpx.post(
        f"{sandbox.base_url}/_sandbox/engage/campaigns/{campaign.field_id}/error"
    ).raise_for_status()
    assert [c.status for c in client.campaigns.errors()] == ["Error"]
    with pytest.raises(ValidationError) as short:
        client.campaigns.get(name="abc")
    assert short.value.status == 422
    with pytest.raises(ValueError, match="exactly one of id and name"):
        client.campaigns.get()


def test_a_refused_token_is_an_unauthorized_error(kind: str, sandbox: Sandbox) -> None:
    for stranger in engage_client_of(kind, sandbox.base_url, token="Bearer sandbox-token"):
        with pytest.raises(UnauthorizedError) as refused:
            stranger.campaigns.list()
        assert refused.value.body.status == 401


def test_from_env_with_a_token(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENGAGE_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("ENGAGE_TOKEN", DEFAULT_ENGAGE_TOKEN)
    with engage_client.EngageClient.from_env() as client:
        assert client.campaigns.list() == []


def test_the_package_has_its_documents_version() -> None:
    document = yaml.safe_load(Path("openapi/engage.yaml").read_text(encoding="utf-8"))
    assert engage_client.__version__ == document["info"]["version"]


# Sign-in -----------------------------------------------------------------------------------


def login(kind: str, base_url: str, **kwargs: Any) -> Iterator[Any]:
    """A client signed in with the sandbox's default login (sign-in on the same port)."""
    options = {"username": "sandbox", "password": "sandbox-password", "auth_url": base_url}
    if kind == "sync":
        with engage_client.EngageClient.login(base_url=base_url, **(options | kwargs)) as client:
            yield client
        return
    with asyncio.Runner() as runner:
        signed_in = runner.run(
            engage_client.AsyncEngageClient.login(base_url=base_url, **(options | kwargs))
        )
        try:
            yield Blocking(signed_in, runner)
        finally:
            runner.run(signed_in.aclose())


def expire_tokens(base_url: str) -> None:
    httpx.post(f"{base_url}/_sandbox/engage/tokens/expire").raise_for_status()


def test_login_signs_in_again_once_its_token_expires(kind: str, sandbox: Sandbox) -> None:
    for client in login(kind, sandbox.base_url):
        first = client.token
        campaign = client.campaigns.create(campaign_name="Signed in")
        expire_tokens(sandbox.base_url)
        # The expired token is refused, yet the client's call goes through: it signed in again.
        refused = httpx.get(
            f"{sandbox.base_url}/_rest/v2/campaigns", headers={"Authorization": first}
        )
        assert refused.status_code == 401
        assert [c.field_id for c in client.campaigns.list()] == [campaign.field_id]
        assert client.token not in (first, "")


def test_a_refused_login_is_an_unauthorized_error(kind: str, sandbox: Sandbox) -> None:
    with pytest.raises(UnauthorizedError) as refused:
        for _ in login(kind, sandbox.base_url, password="wrong"):
            pass
    assert refused.value.body == {"code": 401, "error": "Unauthorized"}
    assert refused.value.message == "Unauthorized"
    assert "wrong" not in str(refused.value)


def test_a_token_client_does_not_sign_in_again(kind: str, sandbox: Sandbox) -> None:
    for signed_in in login(kind, sandbox.base_url):
        issued = signed_in.token
    expire_tokens(sandbox.base_url)
    for client in engage_client_of(kind, sandbox.base_url, token=issued):
        with pytest.raises(UnauthorizedError):
            client.campaigns.list()


def test_from_env_signs_in_with_username_and_password(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ENGAGE_TOKEN", raising=False)
    monkeypatch.setenv("ENGAGE_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("ENGAGE_AUTH_URL", sandbox.base_url)
    monkeypatch.setenv("ENGAGE_USERNAME", "sandbox")
    monkeypatch.setenv("ENGAGE_PASSWORD", "sandbox-password")
    with engage_client.EngageClient.from_env() as client:
        assert client.token != DEFAULT_ENGAGE_TOKEN
        assert client.campaigns.list() == []
    # With a token as well, the token goes first and the login only after a 401.
    monkeypatch.setenv("ENGAGE_TOKEN", "expired")
    with engage_client.EngageClient.from_env() as client:
        assert client.token == "expired"
        assert client.campaigns.list() == []
        assert client.token != "expired"
    monkeypatch.delenv("ENGAGE_TOKEN")
    monkeypatch.delenv("ENGAGE_PASSWORD")
    with pytest.raises(ValueError, match="set ENGAGE_TOKEN, or ENGAGE_USERNAME and"):
        asyncio.run(engage_client.AsyncEngageClient.from_env())
