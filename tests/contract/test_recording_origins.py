"""A contract run's recording says what produced each exchange, and which try of it each is."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from campaign_contracts.recording.origins import Origin
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import build_config
from campaign_contracts.sandbox.serving import serve_in_thread
from contract_tests.recording import RunRecording, origin
from contract_tests.weather import Weather

TOKEN = {"Authorization": "sandbox-token"}


def test_each_try_is_an_entry_with_the_origin_of_its_request(tmp_path: Path) -> None:
    with serve_in_thread(create_app(build_config())) as url:
        fault = {"api": "engage", "operationId": "listCampaigns", "status": 429, "retryAfter": 0}
        httpx.post(f"{url}/_sandbox/faults", json=fault).raise_for_status()
        recording = RunRecording("engage", tmp_path, TOKEN, weather=Weather())
        try:
            with httpx.Client(base_url=url, transport=recording.transport) as client:
                with origin(Origin.RULE):
                    assert client.get("/_rest/v2/campaigns", headers=TOKEN).status_code == 200
                # Outside any block: not one of the run's own steps it knows of.
                client.get("/_rest/v2/campaigns", headers=TOKEN)
        finally:
            recording.close()
    entries = json.loads((tmp_path / "engage.har").read_text())["log"]["entries"]
    assert [(e["response"]["status"], e["_origin"], e.get("_try", 1)) for e in entries] == [
        (429, Origin.RULE, 1),
        (200, Origin.RULE, 2),
        (200, Origin.APPLICATION, 1),
    ]
