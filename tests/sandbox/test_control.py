"""The control plane: health, reset, seed, faults (status, latency, drop), vendor switches."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.support.campaigns import SMS_CAMPAIGN
from tests.support.sandbox_checks import check

ENGAGE_LIST = "/_rest/v2/campaigns"
INTELSEND_LIST = "/api/campaign"
FAULTS = "/_sandbox/faults"


def inject(control: httpx.Client, **fault: Any) -> dict[str, Any]:
    response = control.post(FAULTS, json=fault)
    assert response.status_code == 201, response.text
    described: dict[str, Any] = response.json()
    return described


def test_health(anonymous: httpx.Client) -> None:
    response = anonymous.get("/_sandbox/health")
    assert response.json() == {"status": "ok", "apis": ["engage", "intelsend"]}


def test_reset_forgets_everything(
    engage: httpx.Client, intelsend: httpx.Client, anonymous: httpx.Client
) -> None:
    engage.post(ENGAGE_LIST, json={}).raise_for_status()
    anonymous.put("/_sandbox/engage/quirks", json={"listSingleObject": True}).raise_for_status()
    inject(anonymous, api="intelsend", operationId="listCampaigns", status=503)
    assert anonymous.post("/_sandbox/reset").json() == {"reset": ["engage", "intelsend"]}
    assert engage.get(ENGAGE_LIST).json() == []
    assert anonymous.get("/_sandbox/engage/quirks").json() == {"listSingleObject": False}
    assert anonymous.get(FAULTS).json() == []
    assert intelsend.get(INTELSEND_LIST).status_code == 200


def test_reset_of_one_api_keeps_the_other(
    engage: httpx.Client, intelsend: httpx.Client, anonymous: httpx.Client
) -> None:
    engage.post(ENGAGE_LIST, json={}).raise_for_status()
    intelsend.post(INTELSEND_LIST, json=SMS_CAMPAIGN).raise_for_status()
    inject(anonymous, api="engage", operationId="listCampaigns", status=503)
    inject(anonymous, api="intelsend", operationId="listCampaigns", latencyMs=1)
    assert anonymous.post("/_sandbox/reset?api=engage").json() == {"reset": ["engage"]}
    assert engage.get(ENGAGE_LIST).json() == []
    assert [fault["api"] for fault in anonymous.get(FAULTS).json()] == ["intelsend"]
    assert intelsend.get(INTELSEND_LIST).json()["meta"]["count"] == 1
    assert anonymous.post("/_sandbox/reset?api=engagement").status_code == 422


@dataclass(frozen=True)
class Seeding:
    """The control plane's seed and reset, and the ids that creating campaigns then gives."""

    engage: httpx.Client
    intelsend: httpx.Client
    control: httpx.Client

    def seed(self, seed: object) -> httpx.Response:
        return self.control.post("/_sandbox/seed", json={"seed": seed})

    def reset(self) -> None:
        self.control.post("/_sandbox/reset").raise_for_status()

    def created_ids(self) -> list[str]:
        """The ids of three Engage campaigns and one IntelSend campaign, created in turn."""
        ids = [self.engage.post(ENGAGE_LIST, json={}).json()["_id"] for _ in range(3)]
        self.intelsend.post(INTELSEND_LIST, json=SMS_CAMPAIGN).raise_for_status()
        return [*ids, self.intelsend.get(INTELSEND_LIST).json()["result"][0]["campaignId"]]


@pytest.fixture
def seeding(engage: httpx.Client, intelsend: httpx.Client, anonymous: httpx.Client) -> Seeding:
    return Seeding(engage, intelsend, anonymous)


def test_the_same_seed_and_calls_give_the_same_ids(seeding: Seeding) -> None:
    assert seeding.seed(42).json() == {"seed": 42}
    first = seeding.created_ids()
    seeding.reset()
    seeding.seed(42).raise_for_status()
    assert seeding.created_ids() == first
    seeding.seed(7).raise_for_status()
    assert set(seeding.created_ids()).isdisjoint(first)


def test_a_null_seed_goes_back_to_random_ids(seeding: Seeding) -> None:
    seeding.seed(42).raise_for_status()
    seeded = seeding.created_ids()
    assert seeding.seed(None).json() == {"seed": None}
    seeding.reset()
    assert set(seeding.created_ids()).isdisjoint(seeded)


def test_a_whole_number_float_seed_is_that_integer(seeding: Seeding) -> None:
    seeding.seed(1).raise_for_status()
    first = seeding.created_ids()
    seeding.reset()
    # JSON Schema's `integer` takes 1.0; the sandbox takes it as the integer 1.
    assert seeding.seed(1.0).text == '{"seed":1}'
    assert seeding.created_ids() == first


@pytest.mark.parametrize("body", [{}, {"seed": "42"}, {"seed": 1.5}, {"seed": 1, "extra": True}])
def test_seed_needs_an_integer(anonymous: httpx.Client, body: dict[str, Any]) -> None:
    assert anonymous.post("/_sandbox/seed", json=body).status_code == 422


def test_a_status_fault_answers_the_next_n_calls_in_the_vendors_shape(
    engage: httpx.Client, anonymous: httpx.Client
) -> None:
    inject(anonymous, api="engage", operationId="listCampaigns", count=2, status=503)
    for remaining in (2, 1):
        assert anonymous.get(FAULTS).json()[0]["count"] == remaining
        response = engage.get(ENGAGE_LIST)
        assert response.status_code == 503
        assert response.json() == {
            "message": "Injected fault: 503 Service Unavailable",
            "status": 503,
        }
    assert anonymous.get(FAULTS).json() == []
    assert engage.get(ENGAGE_LIST).status_code == 200
    # Other operations were never affected.
    assert engage.post(ENGAGE_LIST, json={}).status_code == 201


def test_an_injected_documented_status_carries_the_vendors_message(
    engage: httpx.Client, intelsend: httpx.Client, anonymous: httpx.Client
) -> None:
    inject(anonymous, api="engage", operationId="deleteCampaign", status=500)
    error = check("engage", "deleteCampaign", engage.delete(f"{ENGAGE_LIST}/any"), 500)
    assert error["message"] == "Something went wrong when trying to delete the campaign"
    inject(anonymous, api="intelsend", operationId="sendCampaign", status=409)
    error = check("intelsend", "sendCampaign", intelsend.put(f"{INTELSEND_LIST}/x/send"), 409)
    assert error == {"result": "error", "message": "Injected fault: 409 Conflict"}


def test_faults_of_one_operation_apply_in_order(
    engage: httpx.Client, anonymous: httpx.Client
) -> None:
    inject(anonymous, api="engage", operationId="listCampaigns", status=502)
    inject(anonymous, api="engage", operationId="listCampaigns", status=504)
    assert [engage.get(ENGAGE_LIST).status_code for _ in range(3)] == [502, 504, 200]


def test_a_latency_fault_delays_a_normal_answer(
    intelsend: httpx.Client, anonymous: httpx.Client
) -> None:
    inject(anonymous, api="intelsend", operationId="listCampaigns", latencyMs=300)
    started = time.perf_counter()
    response = intelsend.get(INTELSEND_LIST)
    assert time.perf_counter() - started >= 0.3
    check("intelsend", "listCampaigns", response, 200)
    started = time.perf_counter()
    intelsend.get(INTELSEND_LIST).raise_for_status()
    assert time.perf_counter() - started < 0.3


def test_a_drop_fault_closes_the_connection_without_an_answer(
    engage: httpx.Client, anonymous: httpx.Client
) -> None:
    inject(anonymous, api="engage", operationId="createCampaign", drop=True)
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        engage.post(ENGAGE_LIST, json={"campaignName": "dropped"})
    assert engage.post(ENGAGE_LIST, json={"campaignName": "kept"}).status_code == 201
    # The dropped call changed nothing.
    assert [c["campaignName"] for c in engage.get(ENGAGE_LIST).json()] == ["kept"]


@pytest.mark.parametrize(
    ("fault", "problem"),
    [
        ({"api": "engage", "operationId": "listCampaigns"}, "exactly one of"),
        (
            {"api": "engage", "operationId": "listCampaigns", "status": 503, "drop": True},
            "exactly one of",
        ),
        ({"api": "engage", "operationId": "nope", "status": 503}, "no operation 'nope'"),
        ({"api": "fax", "operationId": "listCampaigns", "status": 503}, "api must be one of"),
        ({"api": "engage", "operationId": "listCampaigns", "status": 200}, "status"),
        ({"api": "engage", "operationId": "listCampaigns", "status": 503, "count": 0}, "count"),
        ({"api": "engage", "operationId": "listCampaigns", "status": 503, "count": 1e300}, "count"),
        (
            {"api": "engage", "operationId": "listCampaigns", "status": 503, "count": 1_000_001},
            "count",
        ),
        ({"api": "engage", "operationId": "listCampaigns", "drop": False}, "drop"),
        ({"api": "engage", "operationId": "listCampaigns", "latencyMs": -5}, "latencyMs"),
    ],
)
def test_a_bad_fault_is_refused_with_a_reason(
    anonymous: httpx.Client, fault: dict[str, Any], problem: str
) -> None:
    response = anonymous.post(FAULTS, json=fault)
    assert response.status_code == 422
    assert problem in response.json()["message"]
    assert anonymous.get(FAULTS).json() == []


def test_whole_number_floats_in_a_fault_are_integers(
    engage: httpx.Client, anonymous: httpx.Client
) -> None:
    for fault in ({"count": 2.0, "status": 503.0}, {"count": 1_000_000, "latencyMs": 1.0}):
        described = inject(anonymous, api="engage", operationId="listCampaigns", **fault)
        assert all(type(value) is not float for value in described.values()), described
    pending = anonymous.get(FAULTS).json()
    assert [fault["count"] for fault in pending] == [2, 1_000_000]
    assert all(type(value) is not float for fault in pending for value in fault.values())
    for _ in range(2):
        answer = engage.get(ENGAGE_LIST)
        assert answer.status_code == 503
        assert answer.text == '{"message":"Injected fault: 503 Service Unavailable","status":503}'
    assert anonymous.get(FAULTS).json()[0]["count"] == 1_000_000


def test_delete_faults_clears_them(engage: httpx.Client, anonymous: httpx.Client) -> None:
    inject(anonymous, api="engage", operationId="listCampaigns", status=503)
    inject(anonymous, api="intelsend", operationId="listCampaigns", status=503)
    assert anonymous.delete(f"{FAULTS}?api=intelsend").json() == {"cleared": ["intelsend"]}
    assert len(anonymous.get(FAULTS).json()) == 1
    anonymous.delete(FAULTS).raise_for_status()
    assert anonymous.get(FAULTS).json() == []
    assert engage.get(ENGAGE_LIST).status_code == 200


def test_quirks_switch(anonymous: httpx.Client) -> None:
    assert anonymous.get("/_sandbox/engage/quirks").json() == {"listSingleObject": False}
    switched = anonymous.put("/_sandbox/engage/quirks", json={"listSingleObject": True})
    assert switched.json() == {"listSingleObject": True}
    assert anonymous.put("/_sandbox/engage/quirks", json={"listSingleObject": 1}).status_code == 422


def test_vendor_switches_answer_404_for_unknown_campaigns(anonymous: httpx.Client) -> None:
    for url in ("/_sandbox/engage/campaigns/x/error", "/_sandbox/intelsend/campaigns/x/finish"):
        response = anonymous.post(url)
        assert response.status_code == 404
        assert response.json()["status"] == 404


def test_contact_lists_need_a_name_and_a_count(anonymous: httpx.Client) -> None:
    url = "/_sandbox/intelsend/contact-lists/abc"
    assert anonymous.put(url, json={"name": "x"}).status_code == 422
    assert anonymous.put(url, json={"name": "x", "contacts": -1}).status_code == 422
    assert anonymous.put(url, json={"name": "x", "contacts": 2}).json() == {
        "_id": "abc",
        "name": "x",
        "contacts": 2,
    }


def test_a_whole_number_float_of_contacts_is_an_integer(
    intelsend: httpx.Client, anonymous: httpx.Client
) -> None:
    list_id = "687a0f67137b4868f1b1eaea"
    url = f"/_sandbox/intelsend/contact-lists/{list_id}"
    registered = anonymous.put(url, json={"name": "x", "contacts": 2.0})
    assert registered.text == f'{{"_id":"{list_id}","name":"x","contacts":2}}'
    intelsend.post(INTELSEND_LIST, json={**SMS_CAMPAIGN, "contactListId": [list_id]})
    campaign_id = intelsend.get(INTELSEND_LIST).json()["result"][0]["campaignId"]
    for step in ("build", "send"):
        intelsend.put(f"{INTELSEND_LIST}/{campaign_id}/{step}").raise_for_status()
    text = intelsend.get(INTELSEND_LIST).text
    assert '"contacts":2}' in text
    assert '"count":2}' in text
