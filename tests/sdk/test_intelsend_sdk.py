"""The IntelSend SDK (`IntelSendClient`, `AsyncIntelSendClient`) against the sandbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import intelsend_client
import pytest
import yaml
from intelsend_client.errors import (
    ConflictError,
    NotFoundError,
    UnauthorizedError,
    ValidationError,
)
from intelsend_client.models import ChannelSettings, SmsSettings

from campaign_contracts.sandbox.config import DEFAULT_INTELSEND_SESSION, DEFAULT_INTELSEND_USER
from tests.support.sdk import Sandbox, intelsend_client_of

SMS = {"sms": {"shortCode": "9498671145", "templateId": "6708a567654ca1d854afa3bd", "version": 1}}


@pytest.fixture
def client(kind: str, sandbox: Sandbox) -> Iterator[Any]:
    yield from intelsend_client_of(kind, sandbox.base_url)


def create(client: Any, name: str) -> Any:
    return client.campaigns.create(
        name=name, channel=["sms"], settings=SMS, contact_list_id=["6889fa1e53d9e06f64c13d59"]
    )


def test_create_answers_the_campaign_with_its_id(client: Any) -> None:
    campaign = create(client, "Spring promo")
    assert (campaign.name, campaign.status, campaign.channel) == ("Spring promo", "DRAFT", ["sms"])
    assert campaign.campaign_id
    # The generated model works as settings too, and a namesake is told apart: the newest.
    settings = ChannelSettings(sms=SmsSettings(short_code="1", template_id="t", version=1))
    again = client.campaigns.create(
        name="Spring promo", channel=["sms"], settings=settings, contact_list_id=[]
    )
    assert again.campaign_id != campaign.campaign_id
    assert again.settings.sms.short_code == "1"


def test_create_with_campaign_id_updates_that_draft(client: Any) -> None:
    first = create(client, "Draft")
    create(client, "Newer")
    updated = client.campaigns.create(
        name="Draft, renamed",
        channel=["sms"],
        settings=SMS,
        contact_list_id=[],
        campaign_id=first.campaign_id,
    )
    assert (updated.campaign_id, updated.name) == (first.campaign_id, "Draft, renamed")


def test_list_filters_and_pages_and_iter_reads_every_page(client: Any) -> None:
    names = [f"campaign {number}" for number in range(5)]
    ids = [create(client, name).campaign_id for name in names]
    client.campaigns.build(ids[0])
    page = client.campaigns.list(status="DRAFT", page=2, limit=2)
    assert [c.name for c in page.result] == ["campaign 2", "campaign 1"]
    assert (page.meta.count, page.meta.page, page.meta.limit) == (4, 2, 2)
    today = dt.datetime.now(dt.UTC).date()
    assert client.campaigns.list(channel="sms", start_date=today, end_date=today).meta.count == 5
    assert client.campaigns.list(channel="email").meta.count == 0
    assert [c.campaign_id for c in client.campaigns.iter(limit=2)] == ids[::-1]
    assert [c.name for c in client.campaigns.iter(status="BUILD")] == ["campaign 0"]


def test_build_then_send_and_out_of_order_is_a_conflict(client: Any) -> None:
    campaign = create(client, "Lifecycle")
    with pytest.raises(ConflictError) as before_build:
        client.campaigns.send(campaign.campaign_id)
    assert before_build.value.status == 409
    assert before_build.value.body.result == "error"  # IntelSend's Error model
    assert client.campaigns.build(campaign.campaign_id) is None
    sent = client.campaigns.send(campaign.campaign_id)
    assert sent.response == "Successfully processed messages."
    [listed] = client.campaigns.list(status="SENDING").result
    assert [entry.status for entry in listed.change_log] == ["DRAFT", "BUILD", "SENDING"]


def test_typed_errors_for_unknown_ids_bad_bodies_and_credentials(
    kind: str, client: Any, sandbox: Sandbox
) -> None:
    with pytest.raises(NotFoundError, match="404"):
        client.campaigns.build("no-such-campaign")
    with pytest.raises(ValidationError) as invalid:
        client.campaigns.create(name="x", channel=["email"], settings=SMS, contact_list_id=[])
    assert invalid.value.status == 422
    assert "email" in invalid.value.message
    for stranger in intelsend_client_of(kind, sandbox.base_url, session_token="expired"):
        with pytest.raises(UnauthorizedError) as refused:
            stranger.campaigns.build("any")
        assert refused.value.response.status_code == 401


def test_from_env_reads_the_three_variables(
    sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INTELSEND_BASE_URL", sandbox.base_url)
    monkeypatch.setenv("INTELSEND_SESSION_TOKEN", DEFAULT_INTELSEND_SESSION)
    monkeypatch.setenv("INTELSEND_USER_ID", DEFAULT_INTELSEND_USER)
    with intelsend_client.IntelSendClient.from_env() as client:
        assert client.campaigns.list().meta.count == 0
    monkeypatch.delenv("INTELSEND_USER_ID")
    with pytest.raises(ValueError, match=r"^INTELSEND_USER_ID is not set$"):
        intelsend_client.AsyncIntelSendClient.from_env()
    monkeypatch.delenv("INTELSEND_BASE_URL")
    monkeypatch.setenv("INTELSEND_USER_ID", DEFAULT_INTELSEND_USER)
    client = intelsend_client.IntelSendClient.from_env()
    assert client.base_url == "https://beta.intelsend.com"
    client.close()


def test_the_package_has_its_documents_version() -> None:
    document = yaml.safe_load(Path("openapi/intelsend.yaml").read_text(encoding="utf-8"))
    assert intelsend_client.__version__ == document["info"]["version"]
