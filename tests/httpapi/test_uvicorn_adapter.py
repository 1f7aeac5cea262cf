"""The uvicorn adapter (campaign_contracts/httpapi/uvicorn_adapter.py) against the installed
uvicorn: an upgrade that moves the request's transport or the worker supervisor fails here,
naming the adapter, rather than in a contract run or a shared sandbox."""

from __future__ import annotations

import asyncio
import inspect
import os
import re
import signal
import subprocess
import sys
import time

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from uvicorn.supervisors import Multiprocess

from campaign_contracts.httpapi import uvicorn_adapter
from campaign_contracts.httpapi.server import serve_in_thread
from campaign_contracts.httpapi.uvicorn_adapter import UvicornChanged, current_connection

# Two workers behind one socket, as `campaign-sandbox --workers 2` serves.
WORKERS = """
import sys, uvicorn
from campaign_contracts.httpapi.server import base_url, listening_socket
from campaign_contracts.httpapi.uvicorn_adapter import serve_workers
sock = listening_socket("127.0.0.1", 0)
print(base_url(sock), flush=True)
config = uvicorn.Config(
    "campaign_contracts.sandbox.app:create_app", factory=True, workers=2, log_level="warning"
)
serve_workers(config, sock)
"""


async def hang_up(request: Request) -> Response:
    await request.body()
    current_connection().close()
    await asyncio.sleep(0)
    return Response(status_code=500)


@pytest.mark.parametrize("http", ["h11", "httptools"])
def test_the_current_connection_is_the_requests_own(http: str) -> None:
    app = Starlette(routes=[Route("/", hang_up, methods=["POST"])])
    dropped = pytest.raises(httpx.RemoteProtocolError, match="without sending a response")
    with serve_in_thread(app, http=http) as base_url, dropped:
        httpx.post(f"{base_url}/", content=b"body")


def test_outside_uvicorns_request_cycle_the_error_names_the_adapter() -> None:
    async def outside() -> None:
        current_connection()

    with pytest.raises(UvicornChanged, match=re.escape(uvicorn_adapter.__name__)):
        asyncio.run(outside())


def test_the_worker_supervisor_takes_what_the_adapter_gives() -> None:
    parameters = inspect.signature(Multiprocess).parameters
    assert list(parameters)[:2] == ["config", "sockets"], (
        f"uvicorn.supervisors.Multiprocess{inspect.signature(Multiprocess)}: update"
        f" {uvicorn_adapter.__file__}"
    )
    assert callable(getattr(Multiprocess, "run", None))


def test_serve_workers_serves_with_worker_processes() -> None:
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    with subprocess.Popen(
        [sys.executable, "-c", WORKERS], stdout=subprocess.PIPE, text=True, env=env
    ) as process:
        try:
            assert process.stdout is not None
            base_url = process.stdout.readline().strip()
            assert base_url.startswith("http://127.0.0.1:"), base_url
            answer = None
            for _ in range(300):  # the workers import the sandbox: up to ~30 s
                try:
                    answer = httpx.get(f"{base_url}/_sandbox/health", timeout=5)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            assert answer is not None, "no worker answered"
            assert answer.json()["status"] == "ok"
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
    assert process.returncode == 0
