"""What both SDKs share: typed errors, the retry policy and the timeout, sync and async.

Status faults, dropped connections and latency come from the sandbox's fault control plane;
the answers no sandbox gives (HTML, a body of the wrong shape, a chosen Retry-After) from a
stand-in server on loopback.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import httpx
import intelsend_client
import pytest
from intelsend_client.errors import ApiError, RateLimitError, ServerError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from campaign_contracts.sandbox.serving import serve_in_thread
from tests.support.sdk import (
    Sandbox,
    StandIn,
    add_fault,
    intelsend_client_of,
    pending_faults,
)

PAGE = '{"result": [], "meta": {"count": 0, "page": 1, "limit": 10}}'
SMS = {"sms": {"shortCode": "1", "templateId": "t", "version": 1}}


@pytest.fixture(scope="module")
def standin_server() -> Iterator[StandIn]:
    standin = StandIn()

    async def endpoint(request: Request) -> Response:
        standin.requests.append((request.method, request.url.path))
        return standin.answers.popleft() if standin.answers else Response(PAGE)

    methods = ["GET", "POST", "PUT", "DELETE"]
    app = Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)])
    with serve_in_thread(app) as base_url:
        standin.base_url = base_url
        yield standin


@pytest.fixture
def standin(standin_server: StandIn) -> StandIn:
    standin_server.answers.clear()
    standin_server.requests.clear()
    return standin_server


@pytest.fixture
def client(kind: str, sandbox: Sandbox) -> Iterator[Any]:
    yield from intelsend_client_of(kind, sandbox.base_url)


@pytest.fixture
def standin_client(kind: str, standin: StandIn) -> Iterator[Any]:
    yield from intelsend_client_of(kind, standin.base_url)


def test_a_read_is_retried_through_503s_and_dropped_connections(
    client: Any, sandbox: Sandbox
) -> None:
    add_fault(sandbox.base_url, api="intelsend", operationId="listCampaigns", status=503)
    add_fault(sandbox.base_url, api="intelsend", operationId="listCampaigns", drop=True)
    assert client.campaigns.list().meta.count == 0
    assert pending_faults(sandbox.base_url) == []


def test_retries_stop_after_max_retries(kind: str, sandbox: Sandbox) -> None:
    add_fault(sandbox.base_url, api="intelsend", operationId="listCampaigns", count=5, status=502)
    for client in intelsend_client_of(kind, sandbox.base_url, max_retries=1):
        with pytest.raises(ServerError) as failed:
            client.campaigns.list()
        assert failed.value.status == 502
    [left] = pending_faults(sandbox.base_url)
    assert left["count"] == 3  # one try and one retry


def test_a_create_is_not_retried_unless_asked(client: Any, sandbox: Sandbox) -> None:
    add_fault(sandbox.base_url, api="intelsend", operationId="createCampaign", count=2, status=503)
    create = {"name": "once", "channel": ["sms"], "settings": SMS, "contact_list_id": []}
    with pytest.raises(ServerError):
        client.campaigns.create(**create)
    [left] = pending_faults(sandbox.base_url)
    assert left["count"] == 1
    assert client.campaigns.list().meta.count == 0
    # Opting in per call: the 503 left is retried.
    assert client.campaigns.create(**create, retry=True).name == "once"


def test_429_waits_as_long_as_retry_after_says(standin_client: Any, standin: StandIn) -> None:
    busy = '{"result": "error", "message": "slow down"}'
    standin.answers.append(Response(busy, 429, {"Retry-After": "1"}, "application/json"))
    started = time.monotonic()
    assert standin_client.campaigns.list().meta.count == 0
    # Loosely: at least the second asked for, far less than a second retry's worth more.
    assert 1.0 <= time.monotonic() - started < 3.0
    assert len(standin.requests) == 2


def test_a_retry_after_too_long_to_wait_goes_to_the_caller(
    standin_client: Any, standin: StandIn
) -> None:
    busy = '{"result": "error", "message": "come back tomorrow"}'
    standin.answers.append(Response(busy, 429, {"Retry-After": "86400"}, "application/json"))
    with pytest.raises(RateLimitError) as limited:
        standin_client.campaigns.list()
    assert (limited.value.retry_after, limited.value.message) == (86400.0, "come back tomorrow")
    assert limited.value.body.message == "come back tomorrow"
    assert len(standin.requests) == 1


def test_an_html_error_page_is_a_server_error_not_a_json_error(
    standin_client: Any, standin: StandIn
) -> None:
    standin.answer(500, "<html><body>Oops</body></html>", "text/html")
    with pytest.raises(ServerError) as failed:
        standin_client.campaigns.build("any")
    assert failed.value.body is None
    assert "not JSON" in failed.value.message
    assert failed.value.response.text.startswith("<html>")


@pytest.mark.parametrize(
    ("content", "media_type", "says"),
    [
        ("<html>ok</html>", "text/html", "the answer is not JSON (text/html"),
        ('{"result": []}', "application/json", "does not match the document (KeyError: 'meta')"),
        ("[1, 2]", "application/json", "does not match the document"),
    ],
    ids=["html", "missing-field", "wrong-type"],
)
def test_a_success_that_does_not_parse_is_an_api_error(
    standin_client: Any, standin: StandIn, content: str, media_type: str, says: str
) -> None:
    standin.answer(200, content, media_type)
    with pytest.raises(ApiError) as failed:
        standin_client.campaigns.list()
    assert type(failed.value) is ApiError
    assert failed.value.status == 200
    assert says in failed.value.message


def test_each_try_has_the_timeout(kind: str, sandbox: Sandbox) -> None:
    add_fault(sandbox.base_url, api="intelsend", operationId="listCampaigns", latencyMs=2000)
    for client in intelsend_client_of(kind, sandbox.base_url, timeout=0.3, max_retries=0):
        started = time.monotonic()
        with pytest.raises(httpx.TimeoutException):
            client.campaigns.list()
        assert time.monotonic() - started < 1.5


def test_max_retries_cannot_be_negative() -> None:
    with pytest.raises(ValueError, match="max_retries must be 0 or more"):
        intelsend_client.IntelSendClient(session_token="s", user_id="u", max_retries=-1)


def test_the_sandboxs_429_with_retry_after_is_honoured(client: Any, sandbox: Sandbox) -> None:
    add_fault(
        sandbox.base_url, api="intelsend", operationId="listCampaigns", status=429, retryAfter=1
    )
    started = time.monotonic()
    assert client.campaigns.list().meta.count == 0
    assert 1.0 <= time.monotonic() - started < 3.0
    assert pending_faults(sandbox.base_url) == []
