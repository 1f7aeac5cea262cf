"""A stand-in vendor that breaks the documents in known ways, and a proxy in front of it.

Each answer is fixed bytes, so a test can tell that the client got exactly what the vendor
sent; `VIOLATIONS` lists the log line each answer must cause.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from campaign_contracts.proxy.app import Proxy, ProxySettings
from campaign_contracts.proxy.cli import SERVER_OPTIONS
from campaign_contracts.sandbox.serving import serve_in_thread

SAMPLES = Path(__file__).parent.parent / "data" / "vendor_samples"


def sample(api: str, name: str) -> Any:
    return json.loads((SAMPLES / api / f"{name}.json").read_text(encoding="utf-8"))


ENGAGE_CAMPAIGN = sample("engage", "listCampaigns--response-200")
INTELSEND_LIST = sample("intelsend", "listCampaigns--response-200")


def _engage_list() -> bytes:
    # An extra field, and a required one missing. Spaced as no encoder of ours would space it.
    campaign = {**ENGAGE_CAMPAIGN, "colour": "blue"}
    del campaign["appId"]
    return json.dumps([campaign], indent=1).encode()


def _intelsend_list() -> bytes:
    listing = json.loads(json.dumps(INTELSEND_LIST))
    listing["result"][0]["status"] = "draft"
    return json.dumps(listing).encode()


# path -> (status, content type, body, extra headers)
ANSWERS: dict[tuple[str, str], tuple[int, str, bytes, dict[str, str]]] = {
    ("GET", "/_rest/v2/campaigns"): (
        200,
        "application/json",
        _engage_list(),
        {"X-Vendor-Trace": "abc123", "Set-Cookie": "vendor-session=v3nd0r-s3ss10n; Path=/"},
    ),
    ("GET", "/_rest/v2/campaigns/errors"): (
        503,
        "application/json",
        b'{"message":"maintenance","status":503}',
        {"Retry-After": "30"},
    ),
    ("DELETE", "/_rest/v2/campaigns/5cf02630e313d620ca9743e4"): (
        500,
        "text/html; charset=utf-8",
        b"<html><body><h1>500 Internal Server Error</h1></body></html>",
        {},
    ),
    ("GET", "/api/campaign"): (200, "application/json", _intelsend_list(), {}),
    # As documented.
    ("GET", "/_rest/v2/campaigns/"): (
        200,
        "application/json",
        json.dumps(ENGAGE_CAMPAIGN).encode(),
        {},
    ),
}
# What the proxy logs for each (operation label, status): one line per violation.
VIOLATIONS = {
    ("GET", "/_rest/v2/campaigns"): [
        'engage listCampaigns 200: $[0] "appId" is a required property',
        "engage listCampaigns 200: $[0].colour is not declared by the schema",
    ],
    ("GET", "/_rest/v2/campaigns/errors"): [
        "engage listCampaignErrors 503: status 503 is not documented (200, 401)",
    ],
    ("DELETE", "/_rest/v2/campaigns/5cf02630e313d620ca9743e4"): [
        "engage deleteCampaign 500: content type 'text/html' is not documented (application/json)",
    ],
    ("GET", "/api/campaign"): [
        'intelsend listCampaigns 200: $.result[0].status "draft" is not one of "DRAFT",'
        ' "BUILD" or 3 other candidates',
    ],
    ("GET", "/_rest/v2/campaigns/"): [],
}


def stand_in_app() -> Starlette:
    async def answer(request: Request) -> Response:
        await request.body()
        status, content_type, body, headers = ANSWERS.get(
            (request.method, request.url.path),
            (200, "application/json", await echo(request), {}),
        )
        return Response(body, status, headers, content_type)

    async def echo(request: Request) -> bytes:
        """What the request carried, as the vendor's answer: tests that secrets echoed back are
        sanitized too."""
        return json.dumps(
            {
                "headers": dict(request.headers),
                "query": str(request.url.query),
                "body": (await request.body()).decode("utf-8", "replace"),
            }
        ).encode()

    methods = ["GET", "POST", "PUT", "DELETE"]
    return Starlette(routes=[Route("/{path:path}", answer, methods=methods)])


@contextmanager
def stand_in() -> Iterator[str]:
    with serve_in_thread(stand_in_app()) as base_url:
        yield base_url


@contextmanager
def proxy(settings: ProxySettings) -> Iterator[str]:
    with serve_in_thread(Proxy(settings), **SERVER_OPTIONS) as base_url:
        yield base_url


def proxy_lines(records: list[logging.LogRecord]) -> list[str]:
    return [record.getMessage() for record in records if record.name == "campaign-proxy"]
