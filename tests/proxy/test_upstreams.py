"""One operation elsewhere: `--upstream engage.authenticate=URL` sends Engage's sign-in (on
another server than the campaigns in openapi/engage.yaml) to its own upstream, and all the
rest of Engage still to `--upstream engage=URL`; both recorded in Engage's file, sanitized
alike."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from campaign_contracts.proxy.app import ProxySettings
from campaign_contracts.sandbox.serving import serve_in_thread
from tests.support.proxy_stand_in import proxy
from tests.support.recordings import entries, header

SIGN_IN = {"username": "ops", "password": "pw-upstreams-1"}
TOKEN = "tok-upstreams-1"


@contextmanager
def named_upstream(name: str, answer: bytes) -> Iterator[tuple[str, list[str]]]:
    """A stand-in that answers `answer` to everything, says who it is, and notes the paths."""
    paths: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        more = True
        while more:
            more = (await receive()).get("more_body", False)
        paths.append(scope["path"])
        headers = [(b"content-type", b"application/json"), (b"x-upstream", name.encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": answer})

    with serve_in_thread(app) as base_url:
        yield base_url, paths


@pytest.fixture
def upstreams() -> Iterator[tuple[tuple[str, list[str]], tuple[str, list[str]]]]:
    with (
        named_upstream("campaigns", b"[]") as campaigns,
        named_upstream("customer-portal", json.dumps({"token": TOKEN}).encode()) as portal,
    ):
        yield campaigns, portal


def test_the_sign_in_goes_to_its_own_upstream_the_rest_to_the_apis(
    upstreams: tuple[tuple[str, list[str]], tuple[str, list[str]]], tmp_path: Path
) -> None:
    (campaigns, campaign_paths), (portal, portal_paths) = upstreams
    settings = ProxySettings(
        upstreams={"engage": campaigns, "engage.authenticate": portal}, record_dir=tmp_path
    )
    with proxy(settings) as base_url, httpx.Client(base_url=base_url, timeout=10) as client:
        signed_in = client.post("/_rest/v4/authenticate", json=SIGN_IN)
        listed = client.get("/_rest/v2/campaigns", headers={"Authorization": TOKEN})
    assert signed_in.headers["x-upstream"] == "customer-portal"
    assert signed_in.json() == {"token": TOKEN}
    assert signed_in.headers["x-contract-violations"] == "0"
    assert listed.headers["x-upstream"] == "campaigns"
    assert (portal_paths, campaign_paths) == (["/_rest/v4/authenticate"], ["/_rest/v2/campaigns"])
    # One file for Engage: the token the sign-in answered and the one sent later match.
    (path,) = tmp_path.iterdir()
    sign_in, listing = entries(path)
    assert sign_in["request"]["url"] == f"{portal}/_rest/v4/authenticate"
    assert listing["request"]["url"] == f"{campaigns}/_rest/v2/campaigns"
    assert json.loads(sign_in["response"]["content"]["text"]) == {"token": "<engage-token-1>"}
    assert header(listing["request"], "authorization") == ["<engage-token-1>"]
    assert TOKEN not in path.read_text()
    assert SIGN_IN["password"] not in path.read_text()


def test_without_its_own_upstream_the_sign_in_goes_to_the_apis(
    upstreams: tuple[tuple[str, list[str]], tuple[str, list[str]]],
) -> None:
    (campaigns, campaign_paths), (_portal, portal_paths) = upstreams
    with proxy(ProxySettings(upstreams={"engage": campaigns})) as base_url:
        answer = httpx.post(f"{base_url}/_rest/v4/authenticate", json=SIGN_IN)
    assert answer.headers["x-upstream"] == "campaigns"
    assert (campaign_paths, portal_paths) == (["/_rest/v4/authenticate"], [])


def test_only_the_sign_in_upstream_leaves_the_campaigns_without_one(
    upstreams: tuple[tuple[str, list[str]], tuple[str, list[str]]],
) -> None:
    _campaigns, (portal, _paths) = upstreams
    with proxy(ProxySettings(upstreams={"engage.authenticate": portal})) as base_url:
        signed_in = httpx.post(f"{base_url}/_rest/v4/authenticate", json=SIGN_IN)
        listed = httpx.get(f"{base_url}/_rest/v2/campaigns", headers={"Authorization": TOKEN})
    assert signed_in.headers["x-upstream"] == "customer-portal"
    assert listed.status_code == 404
    assert "--upstream engage=URL" in listed.json()["message"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("engage.signIn=http://x", "engage has no operation 'signIn' (one of "),
        ("crm.authenticate=http://x", "is not NAME=URL with NAME one of"),
    ],
)
def test_an_operation_no_document_has_is_one_line_and_exit_2(value: str, message: str) -> None:
    command = [sys.executable, "-m", "campaign_contracts.proxy.cli", "--upstream", value]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith("campaign-proxy: error: argument --upstream: ")
    assert message in line
