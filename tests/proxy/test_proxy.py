"""The proxy in front of a stand-in vendor that breaks the documents in known ways: each
violation is one log line and one JSON line, the answer carries their count, and the client
gets exactly the vendor's status, headers and bytes."""

from __future__ import annotations

import json
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.requests import Request
from starlette.types import Receive, Scope, Send

from campaign_contracts.proxy.app import ProxySettings
from campaign_contracts.sandbox.app import create_app
from campaign_contracts.sandbox.serving import serve_in_thread
from tests.support.credentials import SESSION
from tests.support.proxy_stand_in import ANSWERS, VIOLATIONS, proxy, proxy_lines, stand_in

ENGAGE_TOKEN = {"Authorization": "proxy-test-token"}
INTELSEND_USER = {"x-user-id": "proxy-test-user"}
INTELSEND_CREATE = {
    "name": "Spring promo",
    "channel": ["sms"],
    "contactListId": ["6889fa1e53d9e06f64c13d59"],
    "settings": {
        "sms": {"shortCode": "9498671145", "templateId": "6708a567654ca1d854afa3bd", "version": 1}
    },
}
# Headers the hop itself sets or removes: what the client and the vendor see of them differs.
CONNECTION_HEADERS = {"connection", "keep-alive", "transfer-encoding"}
# The vendor's clock moves between the two calls; only its header may be there, once.
UNSTABLE = {*CONNECTION_HEADERS, "date"}


@pytest.fixture(scope="module")
def vendor() -> Iterator[str]:
    with stand_in() as base_url:
        yield base_url


@pytest.fixture
def violations_file(tmp_path: Path) -> Path:
    return tmp_path / "violations.jsonl"


@pytest.fixture
def proxied(vendor: str, violations_file: Path) -> Iterator[httpx.Client]:
    settings = ProxySettings(
        upstreams={"engage": vendor, "intelsend": vendor}, violations_file=violations_file
    )
    with proxy(settings) as base_url, httpx.Client(base_url=base_url, timeout=10) as client:
        yield client


@pytest.fixture
def direct(vendor: str) -> Iterator[httpx.Client]:
    """The stand-in without the proxy."""
    with httpx.Client(base_url=vendor, timeout=10) as client:
        yield client


@pytest.mark.parametrize("exchange", list(VIOLATIONS))
def test_each_violation_is_logged_counted_and_the_answer_unchanged(
    proxied: httpx.Client,
    direct: httpx.Client,
    violations_file: Path,
    caplog: pytest.LogCaptureFixture,
    exchange: tuple[str, str],
) -> None:
    method, path = exchange
    caplog.set_level(logging.INFO, logger="campaign-proxy")
    headers = {**ENGAGE_TOKEN, **INTELSEND_USER}
    through = proxied.request(method, path, headers=headers)
    straight = direct.request(method, path, headers=headers)

    status, _content_type, body, _headers = ANSWERS[method, path]
    assert through.status_code == straight.status_code == status
    assert through.content == straight.content == body
    vendor_headers = {
        (name, value) for name, value in straight.headers.multi_items() if name not in UNSTABLE
    }
    proxy_headers = {
        (name, value) for name, value in through.headers.multi_items() if name not in UNSTABLE
    }
    assert len(through.headers.get_list("date")) == len(through.headers.get_list("server")) == 1
    assert vendor_headers <= proxy_headers
    added = proxy_headers - vendor_headers
    expected = VIOLATIONS[method, path]
    assert added == {("x-contract-violations", str(len(expected)))}
    assert proxy_lines(caplog.records) == expected
    lines = [json.loads(line) for line in violations_file.read_text().splitlines()]
    assert [f"{line['api']} {line['operationId']} {line['status']}" for line in lines] == [
        text.partition(":")[0] for text in expected
    ]
    assert {(line["method"], line["path"]) for line in lines} <= {(method, path)}


def test_request_violations_are_reported_too(
    proxied: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="campaign-proxy")
    answer = proxied.get("/api/campaign", params={"limit": "0"})
    assert answer.status_code == 200
    lines = proxy_lines(caplog.records)
    assert "intelsend listCampaigns 200: request sends no x-user-id header (IntelSendUserId)" in (
        lines
    )
    assert any(
        line.startswith("intelsend listCampaigns 200: request query parameter 'limit'")
        for line in lines
    )
    assert answer.headers["x-contract-violations"] == str(len(lines))


def test_an_undocumented_operation_is_forwarded_and_reported(
    proxied: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="campaign-proxy")
    answer = proxied.post("/api/campaign/abc/archive", headers=INTELSEND_USER)
    assert answer.status_code == 200
    assert answer.headers["x-contract-violations"] == "1"
    assert proxy_lines(caplog.records) == [
        "intelsend POST /api/campaign/abc/archive 200:"
        " POST /api/campaign/abc/archive is not an operation of the document"
    ]


def test_a_body_over_the_limit_is_forwarded_whole_and_noted(
    vendor: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="campaign-proxy")
    settings = ProxySettings(upstreams={"engage": vendor}, validation_limit=64)
    big = json.dumps({"campaignName": "x" * 500}).encode()
    with proxy(settings) as base_url:
        answer = httpx.put(
            f"{base_url}/_rest/v2/campaigns/abc",
            content=big,
            headers={**ENGAGE_TOKEN, "Content-Type": "application/json"},
        )
    assert answer.status_code == 200
    assert json.loads(answer.json()["body"]) == json.loads(big)  # the stand-in echoes it
    lines = proxy_lines(caplog.records)
    assert "engage updateCampaign 200: note: request body over 64 bytes not validated" in lines
    assert "engage updateCampaign 200: note: answer body over 64 bytes not validated" in lines


def test_an_unreachable_upstream_is_a_502_in_the_apis_own_shape(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="campaign-proxy")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"  # bound, never listening
        with proxy(ProxySettings(upstreams={"engage": dead, "intelsend": dead})) as base_url:
            engage = httpx.get(f"{base_url}/_rest/v2/campaigns", headers=ENGAGE_TOKEN)
            intelsend = httpx.get(f"{base_url}/api/campaign", headers=INTELSEND_USER)
    assert engage.status_code == intelsend.status_code == 502
    assert engage.json() == {"message": f"The upstream {dead} is unreachable", "status": 502}
    assert intelsend.json() == {"result": "error", "message": f"The upstream {dead} is unreachable"}
    lines = proxy_lines(caplog.records)
    assert len(lines) == 2
    assert lines[0].startswith(f"engage listCampaigns: upstream {dead} unreachable (")
    assert "Connect call failed" in lines[0]


def test_an_api_without_upstream_answers_404_in_its_own_shape(vendor: str) -> None:
    with proxy(ProxySettings(upstreams={"engage": vendor})) as base_url:
        intelsend = httpx.get(f"{base_url}/api/campaign", headers=INTELSEND_USER)
        nowhere = httpx.get(f"{base_url}/elsewhere")
    assert intelsend.status_code == 404
    assert intelsend.json() == {
        "result": "error",
        "message": "No upstream for intelsend: start the proxy with --upstream intelsend=URL",
    }
    assert nowhere.status_code == 404
    assert nowhere.json() == {"message": "No API of this proxy has /elsewhere", "status": 404}


def test_the_sandbox_which_imitates_the_documents_breaks_none(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Every operation, successes and documented errors alike: no false alarm, the closed
    answer schemas included."""
    caplog.set_level(logging.INFO, logger="campaign-proxy")
    counts = []
    with serve_in_thread(create_app()) as upstream:
        settings = ProxySettings(upstreams={"engage": upstream, "intelsend": upstream})
        with proxy(settings) as base_url:
            engage = httpx.Client(base_url=base_url, headers={"Authorization": "sandbox-token"})
            intelsend = httpx.Client(
                base_url=base_url,
                headers={"x-user-id": "sandbox-user"},
                cookies=SESSION,
            )
            with engage, intelsend:
                created = engage.post("/_rest/v2/campaigns", json={"campaignName": "Spring"})
                campaign = f"/_rest/v2/campaigns/{created.json()['_id']}"
                update = {"campaignName": "Spring 2", "flowId": "f", "callerIdentification": "1"}
                answers = [
                    created,
                    engage.get("/_rest/v2/campaigns"),
                    engage.get("/_rest/v2/campaigns/", params={"id": created.json()["_id"]}),
                    engage.put(campaign, json=update),
                    engage.post(f"{campaign}/action", json={"action": "run"}),  # a draft: 500
                    engage.post(f"{campaign}/action", json={"action": "publish"}),
                    engage.get("/_rest/v2/campaigns/errors"),
                    engage.delete(campaign),
                    engage.get("/_rest/v2/campaigns/", params={"id": "gone"}),  # 404
                    intelsend.post("/api/campaign", json=INTELSEND_CREATE),
                ]
                listed = intelsend.get("/api/campaign")
                built = f"/api/campaign/{listed.json()['result'][0]['campaignId']}"
                answers += [
                    listed,
                    intelsend.put(f"{built}/send"),  # not built yet: 409
                    intelsend.put(f"{built}/build"),
                    intelsend.put(f"{built}/send"),
                ]
                counts = [answer.headers["x-contract-violations"] for answer in answers]
    assert {answer.status_code for answer in answers} >= {200, 201, 202, 404, 409, 500}
    assert proxy_lines(caplog.records) == []
    assert set(counts) == {"0"}


def test_the_request_reaches_the_upstream_as_the_client_sent_it() -> None:
    """Method, raw path and query, headers (repeated ones too, in order) and body bytes: only
    Host (the upstream's) and the hop-by-hop headers differ; nothing is added."""
    seen: list[dict[str, Any]] = []

    async def recorder(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append({**scope, "body": await Request(scope, receive).body()})
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    path, query = "/_rest/v2/campaigns/a%2Fb~c", b"id=%7E+x&id=y%2Fz&flag"
    body = b'{"campaignName": "\xc3\xa9t\xc3\xa9" }'
    headers = [
        (b"Authorization", b"proxy-test-token"),
        (b"X-Trace", b"one"),
        (b"x-trace", b"two"),
        (b"Content-Type", b"application/json"),
        (b"Connection", b"keep-alive, X-Hop"),
        (b"X-Hop", b"dropped"),
    ]
    with (
        serve_in_thread(recorder) as upstream,
        proxy(ProxySettings(upstreams={"engage": upstream})) as base_url,
    ):
        host, port = base_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as sock:
            request = [f"PUT {path}?{query.decode()} HTTP/1.1".encode(), f"Host: {host}".encode()]
            request += [name + b": " + value for name, value in headers]
            request += [f"Content-Length: {len(body)}".encode(), b"", b""]
            sock.sendall(b"\r\n".join(request) + body)
            assert sock.recv(65536).startswith(b"HTTP/1.1 200")
    (got,) = seen
    assert (got["method"], got["raw_path"], got["query_string"]) == ("PUT", path.encode(), query)
    assert got["body"] == body
    sent = [(name.lower(), value) for name, value in headers[:4]]
    sent.append((b"content-length", str(len(body)).encode()))
    assert [pair for pair in got["headers"] if pair[0] != b"host"] == sent
    assert dict(got["headers"])[b"host"] == upstream.removeprefix("http://").encode()
