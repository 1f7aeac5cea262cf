"""Every IntelSend operation and documented status code, over raw HTTP."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.support.credentials import SESSION_COOKIE
from tests.support.sandbox_checks import check

CAMPAIGNS = "/api/campaign"
# The vendor's create sample.
VENDOR_SAMPLE: dict[str, Any] = {
    "campaignId": None,
    "name": "Campaign Template",
    "settings": {
        "email": {
            "fromEmail": "info@intelsend.com",
            "templateId": "66d845e99bb64dbbd0d449d8",
            "version": 1,
        },
        "sms": {"shortCode": "9498671145", "templateId": "6708a567654ca1d854afa3bd", "version": 1},
        "voice": {"callerId": "9498671008", "templateId": "67077eb17f4a5560aa9c3ea8", "version": 1},
    },
    "channel": ["email", "sms", "voice"],
    "contactListId": [
        "687a0f67137b4868f1b1eaea",
        "6889fa1e53d9e06f64c13d59",
        "683d77584efab5b960439970",
    ],
}


def campaign_body(name: str = "Campaign Template", **changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(VENDOR_SAMPLE)
    body["name"] = name
    body.update(changes)
    return body


def create(client: httpx.Client, body: dict[str, Any]) -> None:
    assert check("intelsend", "createCampaign", client.post(CAMPAIGNS, json=body), 200) == {
        "result": "success"
    }


def listing(client: httpx.Client, **query: Any) -> dict[str, Any]:
    page: dict[str, Any] = check(
        "intelsend", "listCampaigns", client.get(CAMPAIGNS, params=query), 200
    )
    return page


def newest(client: httpx.Client) -> dict[str, Any]:
    campaign: dict[str, Any] = listing(client)["result"][0]
    return campaign


def step(client: httpx.Client, campaign_id: str, name: str) -> httpx.Response:
    return client.put(f"{CAMPAIGNS}/{campaign_id}/{name}")


def test_create_then_list_shows_a_draft(intelsend: httpx.Client) -> None:
    create(intelsend, VENDOR_SAMPLE)
    page = listing(intelsend)
    assert page["meta"] == {"count": 1, "page": 1, "limit": 10}
    (campaign,) = page["result"]
    assert re.fullmatch(r"[0-9a-f]{24}", campaign["campaignId"])
    assert campaign["status"] == "DRAFT"
    assert [entry["status"] for entry in campaign["changeLog"]] == ["DRAFT"]
    assert campaign["changeLog"][0]["updateAt"] == campaign["createdAt"]
    assert campaign["settings"] == VENDOR_SAMPLE["settings"]
    assert campaign["contactListId"] == [
        {"_id": list_id, "name": f"list-{list_id[-6:]}"}
        for list_id in VENDOR_SAMPLE["contactListId"]
    ]


def test_the_whole_lifecycle(intelsend: httpx.Client, anonymous: httpx.Client) -> None:
    create(intelsend, VENDOR_SAMPLE)
    campaign_id = newest(intelsend)["campaignId"]

    assert check("intelsend", "buildCampaign", step(intelsend, campaign_id, "build"), 200) == {
        "result": "success"
    }
    built = newest(intelsend)
    assert built["status"] == "BUILD"
    assert built["stats"]["initContacts"] == [
        {"name": f"list-{list_id[-6:]}", "contacts": 1}
        for list_id in VENDOR_SAMPLE["contactListId"]
    ]

    assert check("intelsend", "sendCampaign", step(intelsend, campaign_id, "send"), 200) == {
        "result": "success",
        "response": "Successfully processed messages.",
    }
    sending = newest(intelsend)
    assert sending["status"] == "SENDING"
    assert sending["stats"]["result"] == [{"_id": {"status": "PENDING"}, "count": 3}]

    finished = anonymous.post(f"/_sandbox/intelsend/campaigns/{campaign_id}/finish")
    assert finished.status_code == 200
    sent = newest(intelsend)
    assert sent["status"] == "SENT"
    assert [entry["status"] for entry in sent["changeLog"]] == [
        "DRAFT",
        "BUILD",
        "SENDING",
        "SENT",
    ]
    stamps = [entry["updateAt"] for entry in sent["changeLog"]]
    assert stamps == sorted(stamps)


@pytest.mark.parametrize(
    ("steps", "refused"),
    [
        ([], "send"),
        (["build"], "build"),
        (["build", "send"], "build"),
        (["build", "send"], "send"),
    ],
)
def test_build_only_from_draft_and_send_only_from_build(
    intelsend: httpx.Client, steps: list[str], refused: str
) -> None:
    create(intelsend, VENDOR_SAMPLE)
    campaign_id = newest(intelsend)["campaignId"]
    for name in steps:
        step(intelsend, campaign_id, name).raise_for_status()
    status_before = newest(intelsend)["status"]
    operation_id = f"{refused}Campaign"
    error = check("intelsend", operation_id, step(intelsend, campaign_id, refused), 409)
    assert error["result"] == "error"
    assert status_before in error["message"]
    assert newest(intelsend)["status"] == status_before


@pytest.mark.parametrize("name", ["build", "send"])
def test_build_and_send_answer_404_for_an_unknown_campaign(
    intelsend: httpx.Client, name: str
) -> None:
    error = check("intelsend", f"{name}Campaign", step(intelsend, "0" * 24, name), 404)
    assert "0" * 24 in error["message"]


def test_create_with_a_campaign_id_updates_the_draft(intelsend: httpx.Client) -> None:
    create(intelsend, VENDOR_SAMPLE)
    original = newest(intelsend)
    changed = campaign_body(
        "Renamed",
        campaignId=original["campaignId"],
        channel=["sms"],
        contactListId=["aaaaaabbbbbb"],
    )
    create(intelsend, changed)
    page = listing(intelsend)
    assert page["meta"]["count"] == 1
    (updated,) = page["result"]
    assert (updated["name"], updated["channel"]) == ("Renamed", ["sms"])
    assert updated["contactListId"] == [{"_id": "aaaaaabbbbbb", "name": "list-bbbbbb"}]
    assert (updated["createdAt"], updated["changeLog"]) == (
        original["createdAt"],
        original["changeLog"],
    )


def test_create_with_an_unknown_campaign_id_answers_404(intelsend: httpx.Client) -> None:
    body = campaign_body(campaignId="0" * 24)
    check("intelsend", "createCampaign", intelsend.post(CAMPAIGNS, json=body), 404)
    assert listing(intelsend)["result"] == []


def test_create_with_the_id_of_a_built_campaign_answers_409(intelsend: httpx.Client) -> None:
    create(intelsend, VENDOR_SAMPLE)
    campaign_id = newest(intelsend)["campaignId"]
    step(intelsend, campaign_id, "build").raise_for_status()
    body = campaign_body("too late", campaignId=campaign_id)
    check("intelsend", "createCampaign", intelsend.post(CAMPAIGNS, json=body), 409)
    assert newest(intelsend)["name"] == VENDOR_SAMPLE["name"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"{", 400),
        (b"", 400),
        (b"name=x", 400),
        (b"{}", 422),
        (b'{"name": "x", "settings": {}, "channel": [], "contactListId": []}', 422),
        (b'{"name": "x", "settings": {}, "channel": ["fax"], "contactListId": []}', 422),
        (b'{"name": "x", "settings": {}, "channel": ["sms", "sms"], "contactListId": []}', 422),
        # A channel without its settings: the rule the schema cannot express.
        (b'{"name": "x", "settings": {}, "channel": ["sms"], "contactListId": []}', 422),
        (
            b'{"name": "x", "channel": ["email"], "contactListId": [], "settings": {"email":'
            b' {"fromEmail": "not an address", "templateId": "t", "version": 1}}}',
            422,
        ),
    ],
)
def test_create_rejects_bad_bodies(intelsend: httpx.Client, body: bytes, status: int) -> None:
    response = intelsend.post(CAMPAIGNS, content=body)
    error = check("intelsend", "createCampaign", response, status)
    assert error["result"] == "error"
    assert listing(intelsend)["meta"]["count"] == 0


def test_missing_channel_settings_are_named(intelsend: httpx.Client) -> None:
    body = campaign_body(
        channel=["email", "voice"], settings={"email": VENDOR_SAMPLE["settings"]["email"]}
    )
    error = check("intelsend", "createCampaign", intelsend.post(CAMPAIGNS, json=body), 422)
    assert "settings.voice" in error["message"]


def test_list_pages_newest_first_with_the_total_count(intelsend: httpx.Client) -> None:
    for number in range(12):
        create(intelsend, campaign_body(f"campaign {number}"))
    first = listing(intelsend)
    assert first["meta"] == {"count": 12, "page": 1, "limit": 10}
    assert [c["name"] for c in first["result"]] == [f"campaign {n}" for n in range(11, 1, -1)]
    second = listing(intelsend, page=2, limit=10)
    assert [c["name"] for c in second["result"]] == ["campaign 1", "campaign 0"]
    assert second["meta"] == {"count": 12, "page": 2, "limit": 10}
    assert listing(intelsend, page=3, limit=5)["result"][0]["name"] == "campaign 1"
    assert listing(intelsend, page=9)["result"] == []


def test_list_takes_page_and_limit_of_any_size_the_document_allows(
    intelsend: httpx.Client,
) -> None:
    # intelsend.yaml gives no maximum: 30 digits is a valid page and limit, not a 422.
    create(intelsend, campaign_body("only one"))
    huge = 10**30
    assert listing(intelsend, page=huge)["meta"] == {"count": 1, "page": huge, "limit": 10}
    assert [c["name"] for c in listing(intelsend, limit=huge)["result"]] == ["only one"]


def test_list_filters_by_status_channel_and_creation_day(intelsend: httpx.Client) -> None:
    create(intelsend, campaign_body("email only", channel=["email"]))
    create(intelsend, campaign_body("all channels"))
    all_channels = newest(intelsend)["campaignId"]
    step(intelsend, all_channels, "build").raise_for_status()

    assert [c["name"] for c in listing(intelsend, status="BUILD")["result"]] == ["all channels"]
    assert listing(intelsend, status="DRAFT")["meta"]["count"] == 1
    assert listing(intelsend, status="SENT")["meta"]["count"] == 0
    assert [c["name"] for c in listing(intelsend, channel="sms")["result"]] == ["all channels"]
    assert listing(intelsend, channel="email")["meta"]["count"] == 2

    today = datetime.now(UTC).date()
    tomorrow, yesterday = today + timedelta(days=1), today - timedelta(days=1)
    assert listing(intelsend, startDate=today, endDate=today)["meta"]["count"] == 2
    assert listing(intelsend, startDate=yesterday)["meta"]["count"] == 2
    assert listing(intelsend, startDate=tomorrow)["meta"]["count"] == 0
    assert listing(intelsend, endDate=yesterday)["meta"]["count"] == 0


@pytest.mark.parametrize(
    "query",
    [
        {"page": "0"},
        {"page": "first"},
        {"limit": "0"},
        {"limit": "-3"},
        {"status": "DONE"},
        {"channel": "fax"},
        {"startDate": "yesterday"},
        {"endDate": "2025-02-30"},
    ],
)
def test_list_rejects_bad_queries(intelsend: httpx.Client, query: dict[str, str]) -> None:
    error = check("intelsend", "listCampaigns", intelsend.get(CAMPAIGNS, params=query), 422)
    assert next(iter(query)) in error["message"]


def test_registered_contact_lists_give_names_and_counts(
    intelsend: httpx.Client, anonymous: httpx.Client
) -> None:
    registered = anonymous.put(
        "/_sandbox/intelsend/contact-lists/687a0f67137b4868f1b1eaea",
        json={"name": "email-3", "contacts": 3},
    )
    assert registered.status_code == 200
    create(intelsend, VENDOR_SAMPLE)
    campaign = newest(intelsend)
    assert campaign["contactListId"][0] == {"_id": "687a0f67137b4868f1b1eaea", "name": "email-3"}
    step(intelsend, campaign["campaignId"], "build").raise_for_status()
    step(intelsend, campaign["campaignId"], "send").raise_for_status()
    assert newest(intelsend)["stats"]["result"][0]["count"] == 3 + 1 + 1


def test_a_failed_delivery_ends_in_failed(intelsend: httpx.Client, anonymous: httpx.Client) -> None:
    create(intelsend, VENDOR_SAMPLE)
    campaign_id = newest(intelsend)["campaignId"]
    finish = f"/_sandbox/intelsend/campaigns/{campaign_id}/finish"
    still_a_draft = anonymous.post(finish, json={"status": "FAILED"})
    assert still_a_draft.status_code == 409
    assert "only a sending campaign finishes" in still_a_draft.json()["message"]
    for name in ("build", "send"):
        step(intelsend, campaign_id, name).raise_for_status()
    assert anonymous.post(finish, json={"status": "FAILED"}).status_code == 200
    assert newest(intelsend)["status"] == "FAILED"
    assert anonymous.post(finish, json={"status": "SENT"}).status_code == 409


# Which credentials each operation needs, as intelsend.yaml's `security` says.
CREDENTIAL_CASES = {
    "createCampaign: no cookie": ("createCampaign", {"x-user-id": "sandbox-user"}, None),
    "createCampaign: no user id": ("createCampaign", {}, "sandbox-session"),
    "createCampaign: unknown session": ("createCampaign", {"x-user-id": "sandbox-user"}, "x"),
    "createCampaign: user id not the session's": (
        "createCampaign",
        {"x-user-id": "other-user"},
        "sandbox-session",
    ),
    "listCampaigns: no user id": ("listCampaigns", {}, "sandbox-session"),
    "listCampaigns: unknown user id": ("listCampaigns", {"x-user-id": "nobody"}, None),
    "buildCampaign: no cookie": ("buildCampaign", {"x-user-id": "sandbox-user"}, None),
    "buildCampaign: unknown session": ("buildCampaign", {}, "expired"),
    "sendCampaign: no cookie": ("sendCampaign", {"x-user-id": "sandbox-user"}, None),
    "sendCampaign: unknown session": ("sendCampaign", {}, "expired"),
}
REQUESTS = {
    "createCampaign": ("POST", CAMPAIGNS),
    "listCampaigns": ("GET", CAMPAIGNS),
    "buildCampaign": ("PUT", f"{CAMPAIGNS}/0/build"),
    "sendCampaign": ("PUT", f"{CAMPAIGNS}/0/send"),
}


@pytest.mark.parametrize("case", CREDENTIAL_CASES.values(), ids=list(CREDENTIAL_CASES))
def test_every_operation_answers_401_without_its_credentials(
    anonymous: httpx.Client, case: tuple[str, dict[str, str], str | None]
) -> None:
    operation_id, headers, session = case
    method, url = REQUESTS[operation_id]
    cookies = {SESSION_COOKIE: session} if session else {}
    anonymous.cookies = httpx.Cookies(cookies)
    response = anonymous.request(method, url, headers=headers, json=VENDOR_SAMPLE)
    error = check("intelsend", operation_id, response, 401)
    assert error["result"] == "error"


def test_each_operation_needs_only_its_own_credentials(anonymous: httpx.Client) -> None:
    """List takes the user id alone; build and send take the cookie alone."""
    session = {SESSION_COOKIE: "sandbox-session"}
    anonymous.cookies = httpx.Cookies(session)
    create_response = anonymous.post(
        CAMPAIGNS, json=VENDOR_SAMPLE, headers={"x-user-id": "sandbox-user"}
    )
    check("intelsend", "createCampaign", create_response, 200)
    anonymous.cookies = httpx.Cookies()
    page = check(
        "intelsend",
        "listCampaigns",
        anonymous.get(CAMPAIGNS, headers={"x-user-id": "sandbox-user"}),
        200,
    )
    campaign_id = page["result"][0]["campaignId"]
    anonymous.cookies = httpx.Cookies(session)
    check("intelsend", "buildCampaign", step(anonymous, campaign_id, "build"), 200)


def test_users_never_see_each_others_campaigns(
    intelsend: httpx.Client, other_intelsend: httpx.Client
) -> None:
    create(intelsend, VENDOR_SAMPLE)
    campaign_id = newest(intelsend)["campaignId"]
    assert listing(other_intelsend)["meta"]["count"] == 0
    check("intelsend", "buildCampaign", step(other_intelsend, campaign_id, "build"), 404)
    check("intelsend", "sendCampaign", step(other_intelsend, campaign_id, "send"), 404)
    body = campaign_body("hijacked", campaignId=campaign_id)
    check("intelsend", "createCampaign", other_intelsend.post(CAMPAIGNS, json=body), 404)
    mine = newest(intelsend)
    assert (mine["name"], mine["status"]) == (VENDOR_SAMPLE["name"], "DRAFT")
