"""A sandbox a team shares: the guarded control plane, per-tenant reset, limits, the journal.

Each test serves a sandbox of its own configuration in a background thread, over real HTTP.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest

from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.cli import main
from campaign_contracts.sandbox.config import (
    JOURNAL_SIZE,
    MAX_CAMPAIGNS,
    MAX_PENDING_FAULTS,
    SandboxConfig,
    build_config,
)
from campaign_contracts.sandbox.engage.state import customer_id
from campaign_contracts.sandbox.journal import MASK, Journal
from campaign_contracts.sandbox.serving import serve_in_thread
from campaign_contracts.sandbox.storage import MemoryStorage
from tests.support.campaigns import SMS_CAMPAIGN
from tests.support.credentials import ENGAGE, INTELSEND, SESSION
from tests.support.sandbox import TLS_CONTEXT
from tests.support.sandbox_checks import check

TOKEN = "team-control-token"
OTHER_ENGAGE = {"Authorization": "other-token"}
FAULT = {"api": "engage", "operationId": "listCampaigns", "status": 503}


@contextmanager
def serving(config: SandboxConfig | None = None, **options: Any) -> Iterator[httpx.Client]:
    config = config or build_config(engage_tokens=["other-token"], **options)
    with (
        serve_in_thread(create_app(config)) as base_url,
        httpx.Client(base_url=base_url, verify=TLS_CONTEXT, timeout=10, cookies=SESSION) as client,
    ):
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_the_defaults_of_the_limits() -> None:
    assert (MAX_CAMPAIGNS, MAX_PENDING_FAULTS, JOURNAL_SIZE) == (100_000, 1_000, 1_000)


# The guard ------------------------------------------------------------------------------------


def test_a_control_token_guards_every_control_call_but_health() -> None:
    with serving(control_token=TOKEN) as client:
        assert client.get("/_sandbox/health").status_code == 200
        refused = client.post("/_sandbox/reset")
        assert refused.status_code == 401
        assert refused.json()["message"] == (
            "The control plane needs Authorization: Bearer <control token>"
        )
        assert client.post("/_sandbox/reset", headers=bearer("wrong")).status_code == 401
        assert client.post("/_sandbox/faults", json=FAULT).status_code == 401
        assert client.get("/_sandbox/requests").status_code == 401
        assert client.post("/_sandbox/reset", headers=bearer(TOKEN)).status_code == 200
        # A browser's Basic prompt: any user name, the token as password.
        basic = base64.b64encode(f"me:{TOKEN}".encode()).decode()
        answer = client.get("/_sandbox/faults", headers={"Authorization": f"Basic {basic}"})
        assert answer.status_code == 200
        # The vendors' paths keep their own credentials.
        assert client.get("/_rest/v2/campaigns", headers=ENGAGE).status_code == 200


def test_the_control_token_comes_from_the_environment_too() -> None:
    config = build_config(environ={"CAMPAIGN_SANDBOX_CONTROL_TOKEN": TOKEN})
    assert config.control_token == TOKEN
    assert build_config(environ={}, control_token="flag").control_token == "flag"


def test_requests_from_a_web_page_are_refused_unless_its_origin_is_allowed() -> None:
    with serving(allow_origins=["https://dash.example.com/"]) as client:
        evil = client.post("/_sandbox/reset", headers={"Origin": "https://evil.example.com"})
        assert evil.status_code == 403
        assert "--allow-origin https://evil.example.com" in evil.json()["message"]
        allowed = client.post("/_sandbox/reset", headers={"Origin": "https://dash.example.com"})
        assert allowed.status_code == 200


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.1", "sandbox.example.com"])
def test_an_open_control_plane_off_loopback_is_refused(
    host: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--host", host, "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"campaign-sandbox: refusing to listen on {host} with an open")
    assert "--control-token" in error
    assert "--insecure-control-plane" in error
    assert error.count("\n") == 1


def test_workers_need_a_state_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--workers", "2", "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("campaign-sandbox: --workers above 1 needs --state")
    assert error.count("\n") == 1


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        (["--workers", "0"], "--workers must be at least 1, not 0"),
        (["--max-campaigns", "0"], "--max-campaigns must be at least 1, not 0"),
        (["--journal-size", "-1"], "--journal-size must be 0 (no journal) or more, not -1"),
    ],
)
def test_unusable_limits_are_one_line_errors(
    arguments: list[str], problem: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*arguments, "--port", "0"]) == 2
    assert capsys.readouterr().err == f"campaign-sandbox: {problem}\n"


def test_an_unusable_state_file_is_a_one_line_error(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--state", str(tmp_path / "missing" / "state.db"), "--port", "0"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("campaign-sandbox: cannot use ")
    assert error.count("\n") == 1


# Per-tenant reset and limits ------------------------------------------------------------------


def test_reset_of_one_tenant_keeps_the_others() -> None:
    with serving() as client:
        mine = client.post("/_rest/v2/campaigns", headers=ENGAGE, json={}).json()
        theirs = client.post("/_rest/v2/campaigns", headers=OTHER_ENGAGE, json={}).json()
        client.post("/api/campaign", headers=INTELSEND, json=SMS_CAMPAIGN)
        client.post("/_sandbox/faults", json=FAULT).raise_for_status()
        tenant = mine["customerId"]
        assert tenant == customer_id("sandbox-token")
        answer = client.post("/_sandbox/reset", params={"tenant": tenant})
        assert answer.json() == {"reset": ["engage"], "tenant": tenant}
        assert len(client.get("/_sandbox/faults").json()) == 1  # faults are no tenant's
        client.delete("/_sandbox/faults").raise_for_status()
        assert client.get("/_rest/v2/campaigns", headers=ENGAGE).json() == []
        assert client.get("/_rest/v2/campaigns", headers=OTHER_ENGAGE).json() == [theirs]
        listed = client.get("/api/campaign", headers=INTELSEND).json()
        assert listed["meta"]["count"] == 1
        # The token names its tenant as well; an unknown tenant is named in a 422.
        answer = client.post("/_sandbox/reset", params={"tenant": "other-token"})
        assert answer.json() == {"reset": ["engage"], "tenant": "other-token"}
        assert client.get("/_rest/v2/campaigns", headers=OTHER_ENGAGE).json() == []
        unknown = client.post("/_sandbox/reset", params={"tenant": "nobody", "api": "engage"})
        assert unknown.status_code == 422
        assert unknown.json()["message"] == "no tenant 'nobody' in engage"


def test_a_tenant_at_the_campaign_limit_gets_the_vendors_500_saying_why() -> None:
    with serving(max_campaigns=2) as client:
        for _ in range(2):
            client.post("/_rest/v2/campaigns", headers=ENGAGE, json={}).raise_for_status()
            create = client.post("/api/campaign", headers=INTELSEND, json=SMS_CAMPAIGN)
            create.raise_for_status()
        full = client.post("/_rest/v2/campaigns", headers=ENGAGE, json={})
        body = check("engage", "createCampaign", full, 500)
        assert "Sandbox limit reached" in body["message"]
        assert "--max-campaigns" in body["message"]
        full = client.post("/api/campaign", headers=INTELSEND, json=SMS_CAMPAIGN)
        # IntelSend documents no 500 for create: the vendor's error shape all the same.
        assert full.status_code == 500
        assert full.json()["result"] == "error"
        assert "Sandbox limit reached" in full.json()["message"]
        # Another tenant has room; an update of a draft is no new campaign.
        assert client.post("/_rest/v2/campaigns", headers=OTHER_ENGAGE, json={}).is_success
        draft = client.get("/api/campaign", headers=INTELSEND).json()["result"][0]
        update = {**SMS_CAMPAIGN, "campaignId": draft["campaignId"], "name": "renamed"}
        assert client.post("/api/campaign", headers=INTELSEND, json=update).is_success


def test_pending_faults_are_limited() -> None:
    with serving(SandboxConfig(max_pending_faults=3)) as client:
        for _ in range(3):
            assert client.post("/_sandbox/faults", json=FAULT).status_code == 201
        refused = client.post("/_sandbox/faults", json=FAULT)
        assert refused.status_code == 429
        assert "3 faults are pending" in refused.json()["message"]
        client.get("/_rest/v2/campaigns", headers=ENGAGE)  # uses one up
        assert client.post("/_sandbox/faults", json=FAULT).status_code == 201


# The journal ----------------------------------------------------------------------------------


def test_the_journal_shows_what_a_consumer_sent_newest_first() -> None:
    with serving() as client:
        created = client.post("/_rest/v2/campaigns", headers=ENGAGE, json={"campaignName": "Hi"})
        campaign_id = created.json()["_id"]
        published = client.post(
            f"/_rest/v2/campaigns/{campaign_id}/action", headers=ENGAGE, json={"action": "publish"}
        )
        assert published.status_code == 200
        client.get("/_rest/v2/campaigns/", params={"name": "x"}, headers=ENGAGE)  # 422
        client.get("/_rest/v2/campaigns", headers=OTHER_ENGAGE)
        client.get("/api/campaign", headers=INTELSEND, params={"status": "DRAFT"})
        client.get("/_rest/v2/campaigns")  # 401

        everything = client.get("/_sandbox/requests").json()
        assert [entry["operationId"] for entry in everything] == [
            "listCampaigns",
            "listCampaigns",
            "listCampaigns",
            "getCampaign",
            "campaignAction",
            "createCampaign",
        ]
        mine = customer_id("sandbox-token")
        engage = client.get("/_sandbox/requests", params={"api": "engage", "tenant": mine}).json()
        assert [entry["operationId"] for entry in engage] == [
            "getCampaign",
            "campaignAction",
            "createCampaign",
        ]
        get, action, create = engage
        assert create["method"] == "POST"
        assert create["path"] == "/_rest/v2/campaigns"
        assert create["requestBody"] == {"campaignName": "Hi"}
        assert create["status"] == 201
        assert create["answerBody"] == created.json()
        assert action["path"] == f"/_rest/v2/campaigns/{campaign_id}/action"
        assert (action["requestBody"], action["answerBody"]) == ({"action": "publish"}, True)
        assert (get["query"], get["status"]) == ("name=x", 422)
        assert get["time"].endswith("Z")

        by_status = client.get("/_sandbox/requests", params={"status": 401}).json()
        assert [(e["tenant"], e["path"]) for e in by_status] == [(None, "/_rest/v2/campaigns")]
        intelsend = client.get("/_sandbox/requests", params={"api": "intelsend"}).json()
        assert [(e["tenant"], e["query"]) for e in intelsend] == [("sandbox-user", "status=DRAFT")]
        creates = client.get("/_sandbox/requests", params={"operationId": "createCampaign"})
        assert [entry["status"] for entry in creates.json()] == [201]
        latest = client.get("/_sandbox/requests", params={"limit": 2}).json()
        assert latest == everything[:2]

        assert client.delete("/_sandbox/requests").json() == {"cleared": "requests"}
        assert client.get("/_sandbox/requests").json() == []


@pytest.mark.parametrize(
    "query",
    [{"api": "nope"}, {"status": "ok"}, {"limit": "0"}, {"limit": "-1"}, {"operation": "x"}],
)
def test_bad_journal_filters_answer_422(query: dict[str, str]) -> None:
    with serving() as client:
        assert client.get("/_sandbox/requests", params=query).status_code == 422


def test_the_journal_never_shows_credentials() -> None:
    with serving() as client:
        name = "for other-token and sandbox-session"
        client.post("/_rest/v2/campaigns", headers=ENGAGE, json={"campaignName": name})
        (entry,) = client.get("/_sandbox/requests").json()
    assert entry["tenant"] == customer_id("sandbox-token")
    assert entry["requestBody"] == {"campaignName": f"for {MASK} and {MASK}"}
    assert entry["answerBody"]["campaignName"] == f"for {MASK} and {MASK}"
    assert "sandbox-token" not in str(entry)


def test_credential_fields_are_masked_whatever_the_api() -> None:
    journal = Journal(MemoryStorage(), size=10)
    journal.record(
        {"api": "engage", "operationId": "authenticate", "tenant": None, "status": 200},
        json.dumps({"username": "me", "password": "secret", "nested": [{"token": "t"}]}).encode(),
        json.dumps({"access_token": "t", "expiresIn": 60}).encode(),
    )
    (entry,) = journal.entries()
    assert entry["requestBody"] == {"username": "me", "password": MASK, "nested": [{"token": MASK}]}
    assert entry["answerBody"] == {"access_token": MASK, "expiresIn": 60}


def test_the_journal_is_a_ring_of_its_size() -> None:
    with serving(journal_size=3) as client:
        for number in range(5):
            client.get("/api/campaign", headers=INTELSEND, params={"page": number + 1})
        entries = client.get("/_sandbox/requests").json()
    assert [entry["query"] for entry in entries] == ["page=5", "page=4", "page=3"]


def test_a_journal_of_size_zero_keeps_nothing() -> None:
    with serving(journal_size=0) as client:
        client.get("/api/campaign", headers=INTELSEND)
        assert client.get("/_sandbox/requests").json() == []


def test_faults_are_in_the_journal_and_a_reset_empties_it() -> None:
    with serving() as client:
        client.post("/_sandbox/faults", json=FAULT).raise_for_status()
        client.get("/_rest/v2/campaigns", headers=ENGAGE)
        (entry,) = client.get("/_sandbox/requests").json()
        assert (entry["status"], entry["answerBody"]) == (503, None)
        client.post("/_sandbox/reset").raise_for_status()
        assert client.get("/_sandbox/requests").json() == []
