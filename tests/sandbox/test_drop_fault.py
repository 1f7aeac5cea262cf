"""The drop fault's one reach into uvicorn (campaign_contracts/sandbox/faults.py), under each of
uvicorn's HTTP/1.1 implementations and event loops: a uvicorn upgrade that moves the transport
fails here, not in a contract run."""

from __future__ import annotations

import httpx
import pytest

from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.config import DEFAULT_ENGAGE_TOKEN
from campaign_contracts.sandbox.serving import serve_in_thread


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
@pytest.mark.parametrize("http", ["h11", "httptools"])
def test_a_drop_closes_the_connection_on_every_uvicorn_setup(http: str, loop: str) -> None:
    with serve_in_thread(create_app(), http=http, loop=loop) as base_url:
        fault = {"api": "engage", "operationId": "listCampaigns", "drop": True}
        httpx.post(f"{base_url}/_sandbox/faults", json=fault).raise_for_status()
        headers = {"Authorization": DEFAULT_ENGAGE_TOKEN}
        with httpx.Client(base_url=base_url, headers=headers) as client:
            with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
                client.get("/_rest/v2/campaigns")
            # The server lives on, and the next call is answered.
            assert client.get("/_rest/v2/campaigns").json() == []
