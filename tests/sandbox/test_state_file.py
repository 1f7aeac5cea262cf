"""--state and --workers for real: `campaign-sandbox` processes on one SQLite file, killed with
SIGKILL and restarted, or served by two worker processes at once, over loopback HTTP."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.campaigns import SMS_CAMPAIGN
from tests.support.credentials import ENGAGE, INTELSEND, SESSION
from tests.support.sandbox import TLS_CONTEXT
from tests.support.sandbox_checks import check

START_TIMEOUT_SECONDS = 60


@contextmanager
def sandbox_process(state: Path, *args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`campaign-sandbox --state STATE ARGS` on a free port; the process and its base URL once
    it answers. Its own process group, so that its workers end with it."""
    command = [sys.executable, "-m", "campaign_contracts.sandbox.cli", "--port", "0"]
    command += ["--no-access-log", "--log-level", "warning", "--state", str(state), *args]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().split()[-1]
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while True:
            try:
                if httpx.get(f"{base_url}/_sandbox/health", verify=TLS_CONTEXT).is_success:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, "it stopped"
            assert time.monotonic() < deadline, "it did not start in time"
            time.sleep(0.1)
        yield process, base_url
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        assert process.stdout is not None
        process.stdout.close()


def client(base_url: str, **options: Any) -> httpx.Client:
    return httpx.Client(base_url=base_url, verify=TLS_CONTEXT, timeout=20, **options)


def snapshot(base_url: str) -> dict[str, Any]:
    """Everything the sandbox shows; the journal last, with the two lists' entries on top."""
    with client(base_url) as control:
        return {
            "faults": control.get("/_sandbox/faults").json(),
            "quirks": control.get("/_sandbox/engage/quirks").json(),
            "engage": control.get("/_rest/v2/campaigns", headers=ENGAGE).json(),
            "intelsend": control.get(
                "/api/campaign", headers=INTELSEND, params={"limit": 1000}
            ).json(),
            "journal": control.get("/_sandbox/requests").json(),
        }


def test_everything_answered_survives_sigkill_and_a_restart(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.db"
    with sandbox_process(state, "--seed", "42") as (process, base_url):
        with client(base_url, headers={**ENGAGE, **INTELSEND}, cookies=SESSION) as api:
            for number in range(5):
                api.post("/_rest/v2/campaigns", json={"campaignName": f"c{number}"})
                api.post("/api/campaign", json={**SMS_CAMPAIGN, "name": f"s{number}"})
            newest = api.get("/api/campaign").json()["result"][0]["campaignId"]
            assert api.put(f"/api/campaign/{newest}/build").is_success
            api.put("/_sandbox/engage/quirks", json={"listSingleObject": True})
            api.post("/_sandbox/faults", json={"api": "engage", "operationId": "deleteCampaign"})
        before = snapshot(base_url)
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert len(before["engage"]) == 5
    assert before["intelsend"]["meta"]["count"] == 5
    with sandbox_process(state, "--seed", "42") as (_, base_url):
        after = snapshot(base_url)
        assert after["journal"][2:] == before["journal"]
        assert {**after, "journal": None} == {**before, "journal": None}
        # The seeded ids continue their sequence: no id is handed out twice.
        with client(base_url, headers=ENGAGE) as api:
            created = api.post("/_rest/v2/campaigns", json={}).json()
        assert created["_id"] not in {campaign["_id"] for campaign in before["engage"]}
        # Reset empties the file.
        httpx.post(f"{base_url}/_sandbox/reset", verify=TLS_CONTEXT).raise_for_status()
    with sandbox_process(state) as (_, base_url):
        after_reset = snapshot(base_url)
    assert (after_reset["engage"], after_reset["intelsend"]["meta"]["count"]) == ([], 0)
    assert after_reset["faults"] == []
    assert [entry["operationId"] for entry in after_reset["journal"]] == ["listCampaigns"] * 2


def test_a_kill_in_the_middle_of_writes_loses_nothing_answered(tmp_path: Path) -> None:
    state = tmp_path / "sandbox.db"
    answered: list[str] = []
    stop = threading.Event()

    def writer(base_url: str) -> None:
        with client(base_url, headers=ENGAGE) as api:
            while not stop.is_set():
                try:
                    created = api.post("/_rest/v2/campaigns", json={"campaignName": "load"})
                except httpx.TransportError:
                    return
                if created.status_code == 201:
                    answered.append(created.json()["_id"])

    with sandbox_process(state) as (process, base_url):
        writers = [threading.Thread(target=writer, args=(base_url,)) for _ in range(4)]
        for thread in writers:
            thread.start()
        while len(answered) < 50:
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
        stop.set()
        for thread in writers:
            thread.join()
    with sandbox_process(state) as (_, base_url), client(base_url, headers=ENGAGE) as api:
        stored = check("engage", "listCampaigns", api.get("/_rest/v2/campaigns"), 200)
    stored_ids = [campaign["_id"] for campaign in stored]
    assert set(answered) <= set(stored_ids)
    # At most the requests in flight when it died were done without their answer.
    assert len(stored_ids) - len(answered) <= len(writers)
    assert all(campaign["campaignName"] == "load" for campaign in stored)


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    state = tmp_path_factory.mktemp("workers") / "sandbox.db"
    with sandbox_process(state, "--workers", "2") as (_, base_url):
        yield base_url


def build(base_url: str, campaign_id: str) -> int:
    with client(base_url, cookies=SESSION) as api:
        return api.put(f"/api/campaign/{campaign_id}/build").status_code


def test_two_workers_build_a_draft_exactly_once(two_workers: str) -> None:
    with client(two_workers, headers=INTELSEND, cookies=SESSION) as api:
        api.post("/_sandbox/reset").raise_for_status()
        for number in range(8):
            api.post("/api/campaign", json={**SMS_CAMPAIGN, "name": f"race {number}"})
        page = api.get("/api/campaign", params={"limit": 100}).json()
    campaign_ids = [campaign["campaignId"] for campaign in page["result"]]
    assert len(campaign_ids) == 8
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(build, [two_workers] * 32, campaign_ids * 4))
    by_campaign: dict[str, Counter[int]] = {}
    for campaign_id, status in zip(campaign_ids * 4, statuses, strict=True):
        by_campaign.setdefault(campaign_id, Counter())[status] += 1
    assert all(counts == Counter({200: 1, 409: 3}) for counts in by_campaign.values())


def engage_creates(base_url: str, count: int) -> list[str]:
    with client(base_url, headers=ENGAGE) as api:
        return [api.post("/_rest/v2/campaigns", json={}).json()["_id"] for _ in range(count)]


def test_two_workers_keep_every_concurrent_create_once(two_workers: str) -> None:
    httpx.post(f"{two_workers}/_sandbox/reset", verify=TLS_CONTEXT).raise_for_status()
    with ThreadPoolExecutor(8) as pool:
        created = [i for ids in pool.map(engage_creates, [two_workers] * 8, [10] * 8) for i in ids]
    assert len(set(created)) == 80
    with client(two_workers, headers=ENGAGE) as api:
        listed = [campaign["_id"] for campaign in api.get("/_rest/v2/campaigns").json()]
    assert sorted(listed) == sorted(created)


def test_a_fault_posted_to_one_worker_applies_whichever_takes_the_next_call(
    two_workers: str,
) -> None:
    fault = {"api": "engage", "operationId": "listCampaigns", "status": 503}
    for _ in range(6):
        # A new connection each time: either worker may take it.
        httpx.post(f"{two_workers}/_sandbox/faults", json=fault, verify=TLS_CONTEXT)
        statuses = [
            httpx.get(f"{two_workers}/_rest/v2/campaigns", headers=ENGAGE).status_code
            for _ in range(2)
        ]
        assert statuses == [503, 200]
